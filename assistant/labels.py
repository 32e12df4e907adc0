"""Labels people give: a thread's category or kind, a member's user type.

Labels are what the models learn from and what wins over them. They are kept
forever (a relabel adds a row; the latest wins), and they round-trip through
CSV so a team can label in a spreadsheet.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant.domain import iso
from assistant.store import Store
from assistant.threadref import ThreadNotFound, resolve_thread
from classifiers.problems import KINDS
from playbooks import CATEGORIES, USER_TYPES

CSV_COLUMNS = ("thread", "member", "kind", "value", "source", "author", "note", "created_at")


class LabelError(Exception):
    pass


@dataclass(frozen=True)
class AddedLabel:
    id: int
    kind: str
    value: str
    thread_id: int | None
    member_id: int | None
    target: str


def kind_of_value(value: str) -> str:
    """Which kind of label a value is: a category, a problem kind or a user type."""
    if value in CATEGORIES:
        return "category"
    if value in KINDS:
        return "kind"
    if value in USER_TYPES:
        return "user_type"
    raise LabelError(
        f"label {value!r} is not a category ({', '.join(CATEGORIES)}), a kind "
        f"({', '.join(KINDS)}) or a user type ({', '.join(USER_TYPES)})"
    )


def _insert(store: Store, kind: str, value: str, thread_id: int | None, member_id: int | None,
            source: str, author: str | None, note: str | None, created_at: str) -> int:
    return store.conn.execute(
        "INSERT INTO labels (thread_id, member_id, kind, value, source, author, note, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (thread_id, member_id, kind, value, source, author, note, created_at),
    ).lastrowid


def add_label(store: Store, thread_ref: Any, value: str, *, author: str | None, now: datetime,
              note: str | None = None, source: str = "cli") -> AddedLabel:
    """Label a thread (category or kind) or its asker (user type)."""
    value = value.strip().lower().replace(" ", "_").replace("-", "_")
    kind = kind_of_value(value)
    thread = resolve_thread(store, thread_ref)
    member_id = None
    target = f"thread {thread['community_id']}:{thread['native_id']}"
    if kind == "user_type":
        if not thread["author"]:
            raise LabelError(f"{target} has no known asker to label")
        member_id = store.scalar(
            "SELECT id FROM members WHERE community_id = ? AND native_id = ?",
            (thread["community_id"], thread["author"]),
        )
        target = f"member {thread['community_id']}:{thread['author']}"
    with store.transaction():
        label_id = _insert(store, kind, value, thread["id"] if kind != "user_type" else None,
                           member_id, source, author, note, iso(now))
    return AddedLabel(label_id, kind, value, thread["id"], member_id, target)


def export_csv(store: Store, path: Path) -> int:
    rows = store.query(
        "SELECT t.community_id AS tc, t.native_id AS tn, m.community_id AS mc, m.native_id AS mn, "
        "l.kind, l.value, l.source, l.author, l.note, l.created_at FROM labels l "
        "LEFT JOIN threads t ON t.id = l.thread_id LEFT JOIN members m ON m.id = l.member_id "
        "ORDER BY l.id"
    )
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for row in rows:
            writer.writerow([
                f"{row['tc']}:{row['tn']}" if row["tc"] else "",
                f"{row['mc']}:{row['mn']}" if row["mc"] else "",
                row["kind"], row["value"], row["source"], row["author"] or "", row["note"] or "",
                row["created_at"],
            ])
    return len(rows)


@dataclass
class ImportResult:
    added: int
    unchanged: int


def import_csv(store: Store, path: Path, *, author: str | None, now: datetime) -> ImportResult:
    """Add the file's labels; all or nothing: every bad row is reported with
    its line number and nothing is stored until the file is clean. A label
    equal to the latest one already stored is not added again."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as error:
        raise LabelError(f"{path}: cannot read ({error.strerror})") from None
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in ("thread", "member", "kind", "value") if c not in (reader.fieldnames or ())]
    if missing:
        raise LabelError(f"{path}: missing column(s) {', '.join(missing)}")
    planned, problems = [], []
    for number, row in enumerate(reader, start=2):
        try:
            planned.append(_plan(store, row, author, now))
        except (LabelError, ThreadNotFound) as error:
            problems.append(f"{path}: line {number}: {error}")
    if problems:
        raise LabelError("\n".join(problems))
    added = unchanged = 0
    with store.transaction():
        for kind, value, thread_id, member_id, source, who, note, created in planned:
            latest = store.scalar(
                "SELECT value FROM labels WHERE kind = ? AND thread_id IS ? AND member_id IS ? "
                "ORDER BY id DESC LIMIT 1",
                (kind, thread_id, member_id),
            )
            if latest == value:
                unchanged += 1
                continue
            _insert(store, kind, value, thread_id, member_id, source, who, note, created)
            added += 1
    return ImportResult(added, unchanged)


def _plan(store: Store, row: dict[str, str], author: str | None, now: datetime):
    kind = (row.get("kind") or "").strip()
    value = (row.get("value") or "").strip()
    if kind not in ("category", "kind", "user_type"):
        raise LabelError(f"kind {kind!r} is not one of category, kind, user_type")
    if kind_of_value(value) != kind:
        raise LabelError(f"{value!r} is not a {kind.replace('_', ' ')}")
    thread_id = member_id = None
    if kind == "user_type":
        reference = (row.get("member") or "").strip()
        if ":" not in reference:
            raise LabelError(f"member {reference!r} must be COMMUNITY:MEMBER_ID")
        community_id, native_id = reference.split(":", 1)
        member_id = store.scalar(
            "SELECT id FROM members WHERE community_id = ? AND native_id = ?", (community_id, native_id)
        )
        if member_id is None:
            raise LabelError(f"member {reference!r} does not exist")
    else:
        thread_id = resolve_thread(store, (row.get("thread") or "").strip())["id"]
    source = (row.get("source") or "").strip() or "import"
    who = (row.get("author") or "").strip() or author
    note = (row.get("note") or "").strip() or None
    created = (row.get("created_at") or "").strip() or iso(now)
    return kind, value, thread_id, member_id, source, who, note, created
