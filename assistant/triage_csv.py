"""Triage in a spreadsheet: export the week's threads with their predictions,
fill in the label columns, import them back.

The file is UTF-8 with a byte-order mark (so spreadsheet programs read
accents right). Forum text that a spreadsheet would take for a formula
(=, +, -, @ first) is written with a leading apostrophe. An import is all or
nothing: every bad row is reported with its line number and nothing is
written until the whole file is clean. Importing the same file twice writes
nothing the second time.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from assistant.domain import parse_timestamp
from assistant.report.weeks import Week, week_of
from assistant.store import Store
from assistant.triage import (
    SessionResult,
    TriageError,
    TriageItem,
    conclude,
    current_labels,
    record_label,
    week_items,
)
from assistant.triage_train import DEFAULT_RETRAIN, Label, Retrain
from playbooks import CATEGORIES, USER_TYPES, Playbook

COLUMNS = (
    "thread_id",
    "community",
    "url",
    "title",
    "predicted_category",
    "predicted_user_type",
    "label_category",
    "label_user_type",
)
REQUIRED = ("thread_id", "label_category", "label_user_type")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class LabelFileError(TriageError):
    """A label file with bad rows; ``problems`` holds one line per fault."""

    def __init__(self, path: Path, problems: list[str]):
        self.problems = problems
        count = f"{len(problems)} problem" + ("s" if len(problems) != 1 else "")
        super().__init__(f"{path}: {count}, nothing imported\n" + "\n".join(problems))


def _cell(text: str | None) -> str:
    text = text or ""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_labels(store: Store, playbook: Playbook, week: Week, path: Path) -> int:
    """Write the week's threads, least sure first; labels already given are
    filled in. Returns the number of rows."""
    items = week_items(store, playbook, week, include_labelled=True)
    try:
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            for item in items:
                writer.writerow([
                    item.thread_id,
                    _cell(item.community_id),
                    _cell(item.url),
                    _cell(item.title),
                    item.category,
                    item.predicted_user_type or "",
                    item.labels.get("category", ""),
                    item.labels.get("user_type", ""),
                ])
    except OSError as error:
        raise TriageError(f"cannot write {str(path)!r}: {error.strerror}") from None
    return len(items)


def _value(raw: str | None) -> str:
    return (raw or "").strip().lower().replace(" ", "_").replace("-", "_")


@dataclass
class ImportResult:
    rows: int = 0
    labelled_rows: int = 0
    unchanged: int = 0
    accepted: int = 0
    corrected: int = 0
    written: list[Label] = field(default_factory=list)


@dataclass
class _Row:
    line: int
    item: TriageItem
    category: str | None
    user_type: str | None


def _items_by_id(store: Store, playbook: Playbook, ids: set[int]) -> dict[int, TriageItem]:
    """Judged threads by id, whatever their week (a file may span weeks)."""
    weeks: set[Week] = set()
    ordered = sorted(ids)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        weeks.update(
            week_of(parse_timestamp(row[0])) for row in store.conn.execute(
                f"SELECT created_at FROM threads WHERE id IN ({','.join('?' * len(chunk))})", chunk)
        )
    found: dict[int, TriageItem] = {}
    for week in sorted(weeks):
        for item in week_items(store, playbook, week, include_labelled=True):
            if item.thread_id in ids:
                found[item.thread_id] = item
    return found


def _read(path: Path, store: Store, playbook: Playbook) -> tuple[list[_Row], int]:
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise TriageError(f"cannot read {str(path)!r}: {error.strerror}") from None
    problems: list[str] = []
    raw_rows: list[tuple[int, dict[str, str]]] = []
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise LabelFileError(path, [f"line 1: missing column(s) {', '.join(missing)} "
                                        f"(expected {', '.join(COLUMNS)})"])
        try:
            for record in reader:
                raw_rows.append((reader.line_num, record))
        except (csv.Error, UnicodeDecodeError) as error:
            raise LabelFileError(path, [f"line {reader.line_num}: {error}"]) from None
    ids: set[int] = set()
    for _, record in raw_rows:
        text = (record.get("thread_id") or "").strip()
        if text.isdigit():
            ids.add(int(text))
    items = _items_by_id(store, playbook, ids)
    rows: list[_Row] = []
    seen: dict[int, int] = {}
    for line, record in raw_rows:
        text = (record.get("thread_id") or "").strip()
        category, user_type = _value(record.get("label_category")), _value(
            record.get("label_user_type"))
        if not text and not category and not user_type:
            continue
        if not text.isdigit():
            problems.append(f"line {line}: thread_id {text!r} is not a thread number")
            continue
        item = items.get(int(text))
        if item is None:
            problems.append(f"line {line}: thread {text} is not a judged thread in this database")
            continue
        community = (record.get("community") or "").strip()
        if community and community.lstrip("'") != item.community_id:
            problems.append(f"line {line}: thread {text} is in {item.community_id}, "
                            f"not {community!r}")
            continue
        if item.thread_id in seen:
            problems.append(f"line {line}: thread {text} appears again (first on line "
                            f"{seen[item.thread_id]})")
            continue
        seen[item.thread_id] = line
        if category and category not in CATEGORIES:
            problems.append(f"line {line}: label_category {record['label_category']!r} is not one "
                            f"of {', '.join(CATEGORIES)}")
        if user_type and user_type not in USER_TYPES:
            problems.append(f"line {line}: label_user_type {record['label_user_type']!r} is not "
                            f"one of {', '.join(USER_TYPES)}")
        elif user_type and item.asker_member_id is None:
            problems.append(f"line {line}: thread {text} has no known asker to give a user type")
        rows.append(_Row(line, item, category or None, user_type or None))
    if problems:
        raise LabelFileError(path, problems)
    return rows, len(raw_rows)


def import_labels(store: Store, playbook: Playbook, path: Path, *, analyst: str,
                  now: datetime) -> ImportResult:
    rows, total = _read(path, store, playbook)
    result = ImportResult(rows=total)
    for row in rows:
        if not row.category and not row.user_type:
            continue
        result.labelled_rows += 1
        given = {"category": row.category, "user_type": row.user_type}
        predicted = {"category": row.item.category, "user_type": row.item.predicted_user_type}
        current = current_labels(store, [row.item.thread_id]).get(row.item.thread_id, {})
        wrote = False
        for kind, value in given.items():
            if value and current.get(kind) != value:
                result.written.append(record_label(
                    store, row.item, kind, value, analyst=analyst, now=now,
                    note=f"imported from {path.name} line {row.line}"))
                wrote = True
        if not wrote:
            result.unchanged += 1
        elif any(value and predicted[kind] != value for kind, value in given.items()):
            result.corrected += 1
        else:
            result.accepted += 1
    return result


def import_session(store: Store, playbook: Playbook, path: Path, *, analyst: str, now: datetime,
                   retrain: Retrain | None = DEFAULT_RETRAIN) -> SessionResult:
    """An import is a triage session done in a spreadsheet: the labels are
    written, the models retrain, and the session is recorded under the week
    most of the labelled threads belong to."""
    if not analyst or not analyst.strip():
        raise TriageError("an analyst name is needed (--analyst NAME, or set $USER)")
    imported = import_labels(store, playbook, path, analyst=analyst.strip(), now=now)
    weeks = Counter(
        week_of(parse_timestamp(row[0])) for label in imported.written
        for row in store.conn.execute("SELECT created_at FROM threads WHERE id = ?",
                                      (label.thread_id,))
    )
    week = max(weeks, key=lambda w: (weeks[w], w)) if weeks else week_of(now)
    result = SessionResult(week, analyst.strip(), shown=imported.rows,
                           labelled=imported.labelled_rows - imported.unchanged,
                           accepted=imported.accepted, corrected=imported.corrected,
                           written=imported.written)
    return conclude(store, playbook, result, retrain=retrain, now=now, started_at=now)
