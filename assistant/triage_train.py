"""What happens when a triage session ends: retrain, measure, show what moved.

The analysts' labels of the session are split deterministically: the threads
are ordered by a hash of their id and the first quarter (rounded up) is held
out. The models are retrained without those labels, and the agreement of the
predictions with them is measured before and after. Then the models are
retrained once more on every label (the usual refit once the measurement is
done), so nothing the analyst said is wasted, and the open queue items whose
category or priority changed are listed.

Retraining goes through one hook, ``Retrain``; the default, ``model_retrain``,
fits the models on the labels it is given and re-judges the threads with
those labels winning where they apply.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from assistant import models, pipeline
from assistant import queue as queue_service
from assistant.store import Store
from playbooks import Playbook

HOLDOUT_SHARE = 0.25
LABEL_KINDS = ("category", "user_type")
MOVE_THRESHOLD = 0.005
"""Priority changes below this do not show at two decimals, so they are not moves."""


@dataclass(frozen=True)
class Label:
    id: int
    thread_id: int | None
    member_id: int | None
    kind: str
    value: str
    source: str
    author: str | None
    created_at: str


class Retrain(Protocol):
    def __call__(self, store: Store, playbook: Playbook, labels: Sequence[Label], *,
                 thread_ids: Sequence[int], now: datetime) -> None:
        """Fit on ``labels`` (oldest first; a later label overrides an earlier
        one) and re-judge ``thread_ids``, writing their classifications,
        priorities and queue items."""


def load_labels(store: Store) -> list[Label]:
    """Every category and user type label, oldest first."""
    return [
        Label(**row)
        for row in store.query(
            "SELECT id, thread_id, member_id, kind, value, source, author, created_at "
            "FROM labels WHERE kind IN ('category', 'user_type') ORDER BY created_at, id"
        )
    ]


def held_out(thread_ids: Iterable[int], share: float = HOLDOUT_SHARE) -> set[int]:
    """The threads whose labels are kept out of training: the same ids are
    always chosen for the same set, whatever order they were labelled in."""
    ids = sorted(set(thread_ids), key=lambda i: hashlib.blake2b(
        f"beachhead-holdout:{i}".encode(), digest_size=8).hexdigest())
    return set(ids[: math.ceil(len(ids) * share)])


# ----------------------------------------------------------- the default hook


def _latest(labels: Sequence[Label], kind: str, key: str) -> dict[int, str]:
    found: dict[int, str] = {}
    for label in labels:
        target = getattr(label, key)
        if label.kind == kind and target is not None:
            found[target] = label.value
    return found


def model_retrain(store: Store, playbook: Playbook, labels: Sequence[Label], *,
                  thread_ids: Sequence[int], now: datetime) -> None:
    """Fit the models on exactly ``labels`` (so held-out labels stay unseen),
    make them the database's models, and re-judge ``thread_ids`` with those
    labels winning over the models where they apply."""
    ids = sorted(set(thread_ids))
    rows = [models.LabelRow(label.kind, label.value, label.thread_id, label.member_id)
            for label in labels]
    trained = models.retrain(store, playbook, rows)
    if not ids:
        return
    pipeline.judge_threads(
        store, playbook, ids, now=now, models=trained,
        category_overrides=_latest(labels, "category", "thread_id"),
        type_overrides=_latest(labels, "user_type", "member_id"),
    )


DEFAULT_RETRAIN: Retrain = model_retrain
"""What ``beachhead triage`` retrains with."""


# -------------------------------------------------------------- measuring


@dataclass
class Agreement:
    held_out: int = 0
    before: int = 0
    after: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"held_out": self.held_out, "before": self.before, "after": self.after}


@dataclass
class Move:
    item_id: int
    thread_id: int
    community_id: str
    title: str
    state: str
    before_priority: float | None
    after_priority: float
    before_category: str | None
    after_category: str


@dataclass
class Outcome:
    held_out: list[int]
    training_labels: int
    agreement: dict[str, Agreement]
    moved: list[Move] = field(default_factory=list)


def _predictions(store: Store, thread_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    ids = sorted(set(thread_ids))
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return {
        row["thread_id"]: {"category": row["category"], "user_type": row["asker_type"]}
        for row in store.query(
            f"SELECT thread_id, category, asker_type FROM classifications WHERE thread_id IN ({marks})",
            ids,
        )
    }


def _open_items(store: Store) -> dict[int, dict]:
    placeholders = ",".join("?" * len(queue_service.OPEN_STATES))
    return {
        row["id"]: row
        for row in store.query(
            "SELECT q.id, q.thread_id, q.community_id, q.state, t.title, c.priority, c.category "
            "FROM queue_items q JOIN threads t ON t.id = q.thread_id "
            "LEFT JOIN classifications c ON c.thread_id = q.thread_id "
            f"WHERE q.state IN ({placeholders}) ORDER BY q.id",
            queue_service.OPEN_STATES,
        )
    }


def retrain_scope(store: Store, week_thread_ids: Iterable[int]) -> list[int]:
    """What a retrain re-judges: the week's threads, every labelled thread,
    the threads of labelled members, and the threads behind open queue items."""
    scope = set(week_thread_ids)
    scope.update(r[0] for r in store.conn.execute(
        "SELECT thread_id FROM labels WHERE thread_id IS NOT NULL"))
    scope.update(r[0] for r in store.conn.execute(
        "SELECT t.id FROM labels l JOIN members m ON m.id = l.member_id JOIN threads t "
        "ON t.community_id = m.community_id AND t.author = m.native_id"))
    placeholders = ",".join("?" * len(queue_service.OPEN_STATES))
    scope.update(r[0] for r in store.conn.execute(
        f"SELECT thread_id FROM queue_items WHERE state IN ({placeholders})",
        queue_service.OPEN_STATES))
    return sorted(scope)


def finish(store: Store, playbook: Playbook, written: Sequence[Label], *,
           scope: Sequence[int], retrain: Retrain, now: datetime) -> Outcome:
    """Retrain after a session in which the analyst wrote ``written``."""
    session: dict[int, dict[str, str]] = {}
    for label in written:
        if label.thread_id is not None:
            session.setdefault(label.thread_id, {})[label.kind] = label.value
    hold = held_out(session)
    # Re-score open items at this moment first, so that "moved" shows what
    # retraining changed and not what the passing hours did.
    pipeline.score(store, playbook, sorted({i["thread_id"] for i in _open_items(store).values()}),
                   now=now)
    before_items = _open_items(store)
    before = _predictions(store, hold)
    labels = load_labels(store)
    held_label_ids = {label.id for label in written if label.thread_id in hold}
    training = [label for label in labels if label.id not in held_label_ids]
    retrain(store, playbook, training, thread_ids=scope, now=now)
    after = _predictions(store, hold)
    agreement = {kind: Agreement() for kind in LABEL_KINDS}
    for thread_id in sorted(hold):
        for kind, value in session[thread_id].items():
            part = agreement[kind]
            part.held_out += 1
            part.before += int(before.get(thread_id, {}).get(kind) == value)
            part.after += int(after.get(thread_id, {}).get(kind) == value)
    retrain(store, playbook, labels, thread_ids=scope, now=now)
    moved = []
    for item_id, row in _open_items(store).items():
        was = before_items.get(item_id)
        was_priority = was["priority"] if was else None
        was_category = was["category"] if was else None
        if (was is None or was_category != row["category"]
                or abs((was_priority or 0.0) - (row["priority"] or 0.0)) >= MOVE_THRESHOLD):
            moved.append(Move(item_id, row["thread_id"], row["community_id"], row["title"],
                              row["state"], was_priority, row["priority"] or 0.0, was_category,
                              row["category"]))
    moved.sort(key=lambda m: (-abs(m.after_priority - (m.before_priority or 0.0)), m.item_id))
    return Outcome(sorted(hold), len(training), agreement, moved)
