"""The analysts' weekly triage: correct the models where they are least sure.

A session shows the week in numbers, then walks through the week's threads
the models are least sure of first (smallest category margin), taking turns
between communities so one busy forum cannot fill the whole hour. Each answer
is written to ``labels`` at once (source ``triage``, author the analyst), so
quitting loses nothing and the next session resumes where this one stopped:
threads that already carry a label are not shown again. When the session ends
the models are retrained (``triage_train``) and the analyst sees how well they
now agree and which queued threads moved.

The terminal is one injected ``TriageUI``; everything here runs without one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from assistant import clock
from assistant.domain import iso, parse_timestamp
from assistant.report.data import TRIAGE_SETTING, queue_health, thread_counts
from assistant.report.weeks import Week, week_of
from assistant.store import Store
from assistant.triage_train import DEFAULT_RETRAIN, Label, Outcome, Retrain, finish, retrain_scope
from playbooks import CATEGORIES, USER_TYPES, Playbook

SOURCE = "triage"
EXCERPT_CHARS = 280


class TriageError(Exception):
    """A triage request that cannot be done; the message says why."""


@dataclass
class TriageItem:
    thread_id: int
    community_id: str
    title: str
    excerpt: str
    url: str | None
    asker: str | None
    asker_member_id: int | None
    category: str
    kind: str
    asker_type: str
    margin: float
    probabilities: dict[str, float]
    reasons: list[str]
    priority: float | None
    queue_item_id: int | None = None
    queue_state: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    """The thread's current labels (kind → value), for exports."""

    @property
    def predicted_user_type(self) -> str | None:
        """The asker's type as a label value; a founder's own thread has none."""
        return self.asker_type if self.asker_type in USER_TYPES else None


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def week_items(store: Store, playbook: Playbook, week: Week, *,
               include_labelled: bool = False) -> list[TriageItem]:
    """The week's judged threads (founders' own aside) in triage order."""
    founders = {
        (community.id, handle)
        for community in playbook.communities
        for handle in playbook.founder_handles(community)
    }
    rows = store.query(
        "SELECT t.id, t.community_id, t.title, t.body_text, t.url, t.author, m.id AS member_id, "
        "c.category, c.kind, c.asker_type, c.margin, c.category_probabilities_json, "
        "c.reasons_json, c.priority, q.id AS item_id, q.state AS item_state "
        "FROM threads t JOIN classifications c ON c.thread_id = t.id "
        "LEFT JOIN members m ON m.community_id = t.community_id AND m.native_id = t.author "
        "LEFT JOIN queue_items q ON q.thread_id = t.id "
        "WHERE t.created_at >= ? AND t.created_at < ? ORDER BY t.id",
        (iso(week.start), iso(week.end)),
    )
    labels = current_labels(store, [row["id"] for row in rows])
    items = []
    for row in rows:
        if (row["community_id"], row["author"]) in founders:
            continue
        if labels.get(row["id"]) and not include_labelled:
            continue
        items.append(
            TriageItem(
                thread_id=row["id"],
                community_id=row["community_id"],
                title=row["title"],
                excerpt=excerpt(row["body_text"]),
                url=row["url"],
                asker=row["author"],
                asker_member_id=row["member_id"],
                category=row["category"],
                kind=row["kind"],
                asker_type=row["asker_type"],
                margin=row["margin"],
                probabilities=json.loads(row["category_probabilities_json"] or "{}"),
                reasons=json.loads(row["reasons_json"] or "[]"),
                priority=row["priority"],
                queue_item_id=row["item_id"],
                queue_state=row["item_state"],
                labels=labels.get(row["id"], {}),
            )
        )
    return triage_order(items)


def triage_order(items: Iterable[TriageItem]) -> list[TriageItem]:
    """Least sure first, taking turns between communities: each round gives
    every community its next most unsure thread; the community whose next
    thread is least sure goes first in the round."""
    queues: dict[str, list[TriageItem]] = {}
    for item in sorted(items, key=lambda i: (i.margin, i.thread_id)):
        queues.setdefault(item.community_id, []).append(item)
    ordered: list[TriageItem] = []
    while queues:
        heads = sorted(queues, key=lambda c: (queues[c][0].margin, queues[c][0].thread_id))
        for community in heads:
            ordered.append(queues[community].pop(0))
            if not queues[community]:
                del queues[community]
    return ordered


def current_labels(store: Store, thread_ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """The latest label of each kind per thread, from any source."""
    found: dict[int, dict[str, str]] = {}
    ids = list(thread_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in store.query(
            f"SELECT thread_id, kind, value FROM labels WHERE thread_id IN ({marks}) "
            "ORDER BY created_at, id",
            chunk,
        ):
            found.setdefault(row["thread_id"], {})[row["kind"]] = row["value"]
    return found


def record_label(store: Store, item: TriageItem, kind: str, value: str, *, analyst: str,
                 now: datetime, note: str | None = None) -> Label:
    """Write one answer at once, so quitting never loses it."""
    if kind == "category" and value not in CATEGORIES:
        raise TriageError(f"category {value!r} is not one of {', '.join(CATEGORIES)}")
    if kind == "user_type":
        if value not in USER_TYPES:
            raise TriageError(f"user type {value!r} is not one of {', '.join(USER_TYPES)}")
        if item.asker_member_id is None:
            raise TriageError(f"thread {item.thread_id} has no known asker to give a user type")
    member_id = item.asker_member_id if kind == "user_type" else None
    with store.transaction():
        label_id = store.conn.execute(
            "INSERT INTO labels (thread_id, member_id, kind, value, source, author, note, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (item.thread_id, member_id, kind, value, SOURCE, analyst, note, iso(now)),
        ).lastrowid
    return Label(label_id, item.thread_id, member_id, kind, value, SOURCE, analyst, iso(now))


# ------------------------------------------------------------- the numbers


@dataclass
class WeekNumbers:
    week: Week
    now: datetime
    threads: dict[str, Any]
    queue: dict[str, Any]
    labels: dict[str, int]
    to_triage: int
    already_labelled: int


def week_numbers(store: Store, playbook: Playbook, week: Week, *, now: datetime,
                 to_triage: int) -> WeekNumbers:
    labelled = store.query(
        "SELECT l.source, count(DISTINCT l.thread_id) AS n FROM labels l JOIN threads t "
        "ON t.id = l.thread_id WHERE t.created_at >= ? AND t.created_at < ? GROUP BY l.source",
        (iso(week.start), iso(week.end)),
    )
    already = store.scalar(
        "SELECT count(DISTINCT l.thread_id) FROM labels l JOIN threads t ON t.id = l.thread_id "
        "WHERE t.created_at >= ? AND t.created_at < ?",
        (iso(week.start), iso(week.end)),
    )
    return WeekNumbers(
        week=week,
        now=now,
        threads=thread_counts(store, playbook, week.start, week.end),
        queue=queue_health(store, week.start, week.end, now),
        labels={row["source"]: row["n"] for row in labelled},
        to_triage=to_triage,
        already_labelled=already or 0,
    )


# ------------------------------------------------------------ the session


class TriageUI(Protocol):
    """What a session needs from a terminal."""

    def show_week(self, numbers: WeekNumbers) -> None: ...

    def show_item(self, item: TriageItem, position: int, total: int) -> None: ...

    def ask_action(self) -> str:
        """One of a, c, u, s, o, q."""
        ...

    def choose(self, title: str, options: Sequence[str]) -> str | None:
        """One of ``options``, or None when the analyst backs out."""
        ...

    def say(self, text: str) -> None: ...

    def show_outcome(self, result: SessionResult) -> None: ...


@dataclass
class SessionResult:
    week: Week
    analyst: str
    shown: int = 0
    labelled: int = 0
    accepted: int = 0
    corrected: int = 0
    remaining: int = 0
    written: list[Label] = field(default_factory=list)
    outcome: Outcome | None = None
    quit: bool = False


class Session:
    """One analyst, one week: walk, label, retrain."""

    def __init__(self, store: Store, playbook: Playbook, week: Week, analyst: str, ui: TriageUI, *,
                 open_url: Callable[[str], Any], retrain: Retrain | None = DEFAULT_RETRAIN,
                 now: datetime | None = None, limit: int | None = None):
        if not analyst or not analyst.strip():
            raise TriageError("an analyst name is needed (--analyst NAME, or set $USER)")
        self.store = store
        self.playbook = playbook
        self.week = week
        self.analyst = analyst.strip()
        self.ui = ui
        self.open_url = open_url
        self.retrain = retrain
        self.now = now or clock.now(store)
        self.limit = limit
        self.started_at = self.now

    def run(self) -> SessionResult:
        items = week_items(self.store, self.playbook, self.week)
        result = SessionResult(self.week, self.analyst)
        self.ui.show_week(week_numbers(self.store, self.playbook, self.week, now=self.now,
                                       to_triage=len(items)))
        walk = items[: self.limit] if self.limit else items
        try:
            for position, item in enumerate(walk, 1):
                result.shown += 1
                if not self._one(item, position, len(walk), result):
                    result.quit = True
                    break
        except KeyboardInterrupt:
            result.quit = True
        result.remaining = len(items) - result.labelled
        return self.end(result)

    def _write(self, item: TriageItem, kind: str, value: str, result: SessionResult) -> None:
        result.written.append(record_label(self.store, item, kind, value, analyst=self.analyst,
                                           now=self.now))

    def _one(self, item: TriageItem, position: int, total: int, result: SessionResult) -> bool:
        """Handle one thread; False when the analyst quits."""
        given: dict[str, str] = {}
        self.ui.show_item(item, position, total)
        while True:
            action = self.ui.ask_action()
            if action == "q":
                self._tally(item, given, result, accepted=False)
                return False
            if action == "s":
                self._tally(item, given, result, accepted=False)
                return True
            if action == "a":
                if "category" not in given:
                    self._write(item, "category", item.category, result)
                    given["category"] = item.category
                if "user_type" not in given and item.predicted_user_type and item.asker_member_id:
                    self._write(item, "user_type", item.predicted_user_type, result)
                    given["user_type"] = item.predicted_user_type
                self._tally(item, given, result, accepted=True)
                return True
            if action == "o":
                if not item.url:
                    self.ui.say("This thread has no link.")
                elif self.open_url(item.url) is False:
                    self.ui.say(f"No browser could be opened; the link is {item.url}")
                else:
                    self.ui.say(f"Opened {item.url}")
            elif action == "c":
                value = self.ui.choose("category", CATEGORIES)
                if value:
                    self._write(item, "category", value, result)
                    given["category"] = value
                    self.ui.say(f"category → {value} (saved); a accepts the rest, s moves on")
            elif action == "u":
                if item.asker_member_id is None:
                    self.ui.say("The asker is unknown (a deleted account?): no user type to label.")
                    continue
                value = self.ui.choose("user type", USER_TYPES)
                if value:
                    self._write(item, "user_type", value, result)
                    given["user_type"] = value
                    self.ui.say(f"user type → {value} (saved); a accepts the rest, s moves on")

    @staticmethod
    def _tally(item: TriageItem, given: dict[str, str], result: SessionResult, *,
               accepted: bool) -> None:
        if not given:
            return
        result.labelled += 1
        predicted = {"category": item.category, "user_type": item.predicted_user_type}
        if any(predicted[kind] != value for kind, value in given.items()):
            result.corrected += 1
        elif accepted:
            result.accepted += 1

    def end(self, result: SessionResult) -> SessionResult:
        if result.written and self.retrain is not None:
            self.ui.say(f"Retraining on the labels ({len(result.written)} new)…")
        conclude(self.store, self.playbook, result, retrain=self.retrain, now=self.now,
                 started_at=self.started_at)
        self.ui.show_outcome(result)
        return result


def conclude(store: Store, playbook: Playbook, result: SessionResult, *,
             retrain: Retrain | None, now: datetime, started_at: datetime) -> SessionResult:
    """Retrain on what a session labelled, then record the session where the
    weekly report reads it. A session that labelled nothing changes nothing."""
    if not result.written:
        return result
    if retrain is not None:
        weeks = {result.week}
        weeks.update(
            week_of(parse_timestamp(row[0])) for row in store.conn.execute(
                "SELECT t.created_at FROM threads t JOIN labels l ON l.thread_id = t.id "
                f"WHERE l.id IN ({','.join('?' * len(result.written))})",
                [label.id for label in result.written])
        )
        week_threads = [
            item.thread_id for week in sorted(weeks)
            for item in week_items(store, playbook, week, include_labelled=True)
        ]
        result.outcome = finish(store, playbook, result.written,
                                scope=retrain_scope(store, week_threads), retrain=retrain, now=now)
    record_session(store, result, started_at=started_at, now=now)
    return result


def record_session(store: Store, result: SessionResult, *, started_at: datetime,
                   now: datetime) -> None:
    """Keep the session's numbers where the weekly report reads them."""
    key = TRIAGE_SETTING.format(week=result.week)
    sessions = store.get_setting(key) or []
    agreement = {
        kind: (result.outcome.agreement[kind].as_dict() if result.outcome else
               {"held_out": 0, "before": 0, "after": 0})
        for kind in ("category", "user_type")
    }
    sessions.append(
        {
            "analyst": result.analyst,
            "started_at": iso(started_at),
            "finished_at": iso(now),
            "labelled": result.labelled,
            "accepted": result.accepted,
            "corrected": result.corrected,
            "labels": len(result.written),
            "retrained": result.outcome is not None,
            "held_out": result.outcome.held_out if result.outcome else [],
            "agreement": agreement,
            "moved": len(result.outcome.moved) if result.outcome else 0,
        }
    )
    store.set_setting(key, sessions)
