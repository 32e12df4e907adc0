"""The founders' queue: priority, states and answer-by times.

Priority (every term's weight comes from the playbook's ``[scoring.weights]``):

    priority = clamp01(
          w.category                * category_value[category]
        + w.affected_members        * min(1, (members - 1) / 9)
        + w.countries               * min(1, (countries - 1) / 4)
        + w.asker_value             * asker_value / max(user_type values)
        + w.freshness               * 0.5 ** (age_hours / freshness_half_life_hours)
        - w.answered_penalty        * [someone else already answered]
        - w.expert_answered_penalty * [an expert or vendor staff already answered]
        - w.competitor_penalty      * [the asker is a competitor]
    )

Each term is stored with the item and shown as a one-line "why". States:

    new ──▶ queued ──▶ claimed ──▶ answered
              │  ▲        │
              │  └────────┘ (released)
              ├──▶ snoozed ──▶ queued (when it wakes)
              ├──▶ dismissed (the reason becomes a label)
              └──▶ expired (answer-by passed while nobody held it)

A claimed item never expires: someone is on it. Answered and dismissed are final.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from assistant import clock
from assistant.domain import iso, parse_timestamp
from assistant.store import Store
from playbooks import Playbook

TRANSITIONS: dict[str, frozenset[str]] = {
    "new": frozenset({"queued", "dismissed"}),
    "queued": frozenset({"claimed", "answered", "dismissed", "snoozed", "expired"}),
    "claimed": frozenset({"answered", "dismissed", "queued", "snoozed"}),
    "snoozed": frozenset({"queued", "claimed", "answered", "dismissed", "expired"}),
    "expired": frozenset({"answered", "dismissed"}),
    "answered": frozenset(),
    "dismissed": frozenset(),
}
OPEN_STATES = ("queued", "claimed", "snoozed")

DISMISS_LABELS: dict[str, tuple[str, str]] = {
    "unrewarded": ("category", "unrewarded"),
    "unsolvable": ("category", "unsolvable"),
    "not_a_problem": ("category", "not_a_problem"),
    "competitor": ("user_type", "competitor"),
}

COMPONENT_LABELS = {
    "category": "category",
    "affected_members": "members",
    "countries": "countries",
    "asker_value": "asker",
    "freshness": "fresh",
    "answered_penalty": "answered",
    "expert_answered_penalty": "expert answered",
    "competitor_penalty": "competitor",
}


class QueueError(Exception):
    """A queue operation that cannot be done; the message says why."""


class UnknownItem(QueueError):
    def __init__(self, item_id: Any):
        super().__init__(f"queue item {item_id!r} does not exist")


class IllegalTransition(QueueError):
    pass


@dataclass
class PriorityInputs:
    category: str
    affected_members: int
    countries: int
    asker_type: str
    asker_value: float
    created_at: datetime
    answered: bool
    expert_answered: bool


@dataclass
class Priority:
    value: float
    components: dict[str, float]
    why: str


def compute_priority(inputs: PriorityInputs, playbook: Playbook, now: datetime) -> Priority:
    scoring = playbook.scoring
    w = scoring.weights
    age_hours = max(0.0, (now - inputs.created_at).total_seconds() / 3600)
    top_value = max(playbook.user_types.values.values()) or 1.0
    components = {
        "category": w["category"] * scoring.category_values.get(inputs.category, 0.0),
        "affected_members": w["affected_members"] * min(1.0, max(0, inputs.affected_members - 1) / 9),
        "countries": w["countries"] * min(1.0, max(0, inputs.countries - 1) / 4),
        "asker_value": w["asker_value"] * min(1.0, inputs.asker_value / top_value),
        "freshness": w["freshness"] * 0.5 ** (age_hours / scoring.freshness_half_life_hours),
        "answered_penalty": -w["answered_penalty"] if inputs.answered else 0.0,
        "expert_answered_penalty": -w["expert_answered_penalty"] if inputs.expert_answered else 0.0,
        "competitor_penalty": -w["competitor_penalty"] if inputs.asker_type == "competitor" else 0.0,
    }
    components = {key: round(value, 4) for key, value in components.items()}
    value = round(min(1.0, max(0.0, sum(components.values()))), 4)
    return Priority(value, components, explain_priority(inputs, components, age_hours))


def explain_priority(inputs: PriorityInputs, components: dict[str, float], age_hours: float) -> str:
    """One line a founder reads in a second: the terms that moved the needle."""
    words = {
        "category": inputs.category.replace("_", " "),
        "affected_members": f"{inputs.affected_members} members",
        "countries": f"{inputs.countries} countries",
        "asker_value": inputs.asker_type.replace("_", " "),
        "freshness": f"{age_hours:.0f}h old",
        "answered_penalty": "already answered",
        "expert_answered_penalty": "an expert answered",
        "competitor_penalty": "asker is a competitor",
    }
    parts = [
        f"{words[key]} {value:+.2f}"
        for key, value in sorted(components.items(), key=lambda kv: -abs(kv[1]))
        if abs(value) >= 0.005
    ]
    return " · ".join(parts) if parts else "no priority terms"


@dataclass
class QueueItem:
    id: int
    thread_id: int
    community_id: str
    state: str
    priority: float
    components: dict[str, float]
    why: str
    answer_by: datetime
    created_at: datetime
    updated_at: datetime
    title: str
    url: str | None
    thread_native_id: str
    thread_created_at: datetime
    asker: str | None
    category: str | None = None
    kind: str | None = None
    asker_type: str | None = None
    affected_members: int = 0
    countries: list[str] = field(default_factory=list)
    cluster_id: int | None = None
    claimed_by: str | None = None
    claimed_at: datetime | None = None
    answered_url: str | None = None
    answered_by: str | None = None
    answered_at: datetime | None = None
    dismissed_reason: str | None = None
    snoozed_until: datetime | None = None
    discord_message_id: str | None = None

    def overdue(self, now: datetime) -> bool:
        """Claimed and still unanswered after its answer-by time."""
        return self.state == "claimed" and self.answer_by < now


_ITEM_SQL = """
SELECT q.*, t.title, t.url, t.native_id AS thread_native_id, t.created_at AS thread_created_at,
       t.author AS asker, c.category, c.kind, c.asker_type,
       tc.cluster_id, pc.affected_members, pc.countries_json
FROM queue_items q
JOIN threads t ON t.id = q.thread_id
LEFT JOIN classifications c ON c.thread_id = q.thread_id
LEFT JOIN thread_clusters tc ON tc.thread_id = q.thread_id
LEFT JOIN problem_clusters pc ON pc.id = tc.cluster_id
"""


def _time(value: str | None) -> datetime | None:
    return parse_timestamp(value) if value else None


def _item(row: dict[str, Any]) -> QueueItem:
    return QueueItem(
        id=row["id"],
        thread_id=row["thread_id"],
        community_id=row["community_id"],
        state=row["state"],
        priority=row["priority"],
        components=json.loads(row["components_json"]),
        why=row["why"],
        answer_by=parse_timestamp(row["answer_by"]),
        created_at=parse_timestamp(row["created_at"]),
        updated_at=parse_timestamp(row["updated_at"]),
        title=row["title"],
        url=row["url"],
        thread_native_id=row["thread_native_id"],
        thread_created_at=parse_timestamp(row["thread_created_at"]),
        asker=row["asker"],
        category=row["category"],
        kind=row["kind"],
        asker_type=row["asker_type"],
        affected_members=row["affected_members"] or 1,
        countries=json.loads(row["countries_json"] or "[]"),
        cluster_id=row["cluster_id"],
        claimed_by=row["claimed_by"],
        claimed_at=_time(row["claimed_at"]),
        answered_url=row["answered_url"],
        answered_by=row["answered_by"],
        answered_at=_time(row["answered_at"]),
        dismissed_reason=row["dismissed_reason"],
        snoozed_until=_time(row["snoozed_until"]),
        discord_message_id=row["discord_message_id"],
    )


def parse_item_id(value: Any) -> int:
    try:
        return int(str(value).lstrip("#"))
    except ValueError:
        raise UnknownItem(value) from None


def get_item(store: Store, item_id: Any) -> QueueItem:
    row = store.query_one(_ITEM_SQL + " WHERE q.id = ?", (parse_item_id(item_id),))
    if row is None:
        raise UnknownItem(item_id)
    return _item(row)


def list_items(
    store: Store,
    *,
    community: str | None = None,
    states: tuple[str, ...] | None = OPEN_STATES,
    limit: int | None = 20,
    now: datetime | None = None,
) -> list[QueueItem]:
    """Items by priority, highest first, after settling what time has changed
    (expired answer-by times, snoozes that ended)."""
    expire_due(store, now or clock.now(store))
    where, params = [], []
    if community:
        where.append("q.community_id = ?")
        params.append(community)
    if states:
        where.append(f"q.state IN ({','.join('?' * len(states))})")
        params.extend(states)
    sql = _ITEM_SQL + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY q.priority DESC, q.answer_by ASC, q.id ASC"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [_item(row) for row in store.query(sql, params)]


def _move(
    store: Store,
    item: QueueItem,
    to_state: str,
    *,
    actor: str | None,
    now: datetime,
    detail: str | None = None,
    **fields: Any,
) -> None:
    if to_state not in TRANSITIONS[item.state]:
        allowed = ", ".join(sorted(TRANSITIONS[item.state])) or "nothing (it is final)"
        raise IllegalTransition(
            f"queue item {item.id} is {item.state}; it cannot become {to_state} "
            f"(from {item.state} it can become: {allowed})"
        )
    assignments = ", ".join(["state = ?", "updated_at = ?", *(f"{k} = ?" for k in fields)])
    values = [to_state, iso(now), *(iso(v) if isinstance(v, datetime) else v for v in fields.values())]
    store.conn.execute(f"UPDATE queue_items SET {assignments} WHERE id = ?", [*values, item.id])
    store.conn.execute(
        "INSERT INTO queue_events (item_id, at, from_state, to_state, actor, detail) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (item.id, iso(now), item.state, to_state, actor, detail),
    )


def claim(store: Store, playbook: Playbook, item_id: Any, founder: str, *, now=None) -> QueueItem:
    """A founder takes a thread, so no two founders answer the same one."""
    person = playbook.founder(founder).name
    now = now or clock.now(store)
    with store.transaction():
        item = get_item(store, item_id)
        if item.state == "claimed" and item.claimed_by != person:
            raise IllegalTransition(f"queue item {item.id} is already claimed by {item.claimed_by}")
        _move(store, item, "claimed", actor=person, now=now, claimed_by=person, claimed_at=now,
              snoozed_until=None)
    return get_item(store, item.id)


def release(store: Store, item_id: Any, *, actor: str | None = None, now=None) -> QueueItem:
    now = now or clock.now(store)
    with store.transaction():
        item = get_item(store, item_id)
        _move(store, item, "queued", actor=actor, now=now, detail="released",
              claimed_by=None, claimed_at=None, snoozed_until=None)
    return get_item(store, item.id)


def mark_answered(
    store: Store, playbook: Playbook, item_id: Any, url: str, *, founder: str | None = None,
    now=None,
) -> QueueItem:
    """Record the founder's public answer; the founder is whoever claimed it
    unless another is named."""
    if not url.startswith(("http://", "https://")):
        raise QueueError(f"answer URL {url!r} must start with http:// or https://")
    now = now or clock.now(store)
    with store.transaction():
        item = get_item(store, item_id)
        person = playbook.founder(founder).name if founder else item.claimed_by
        if person is None:
            raise QueueError(
                f"queue item {item.id} is not claimed; say which founder answered it (--as FOUNDER)"
            )
        _move(store, item, "answered", actor=person, now=now, detail=url,
              answered_url=url, answered_by=person, answered_at=now)
    return get_item(store, item.id)


def dismiss(
    store: Store, playbook: Playbook, item_id: Any, reason: str, *, actor: str | None = None,
    note: str | None = None, now=None,
) -> QueueItem:
    """Dismiss with a reason; the reason becomes a label the models learn from."""
    key = reason.strip().lower().replace(" ", "_").replace("-", "_")
    if key not in DISMISS_LABELS:
        raise QueueError(
            f"reason {reason!r} is not one of {', '.join(DISMISS_LABELS)}"
        )
    if actor:
        actor = playbook.founder(actor).name
    now = now or clock.now(store)
    kind, value = DISMISS_LABELS[key]
    with store.transaction():
        item = get_item(store, item_id)
        _move(store, item, "dismissed", actor=actor, now=now, detail=note, dismissed_reason=key)
        member_id = None
        if kind == "user_type" and item.asker:
            member_id = store.scalar(
                "SELECT id FROM members WHERE community_id = ? AND native_id = ?",
                (item.community_id, item.asker),
            )
        store.conn.execute(
            "INSERT INTO labels (thread_id, member_id, kind, value, source, author, note, created_at)"
            " VALUES (?, ?, ?, ?, 'dismiss', ?, ?, ?)",
            (item.thread_id, member_id, kind, value, actor, note, iso(now)),
        )
    return get_item(store, item.id)


def snooze(store: Store, item_id: Any, until: datetime, *, actor: str | None = None, now=None):
    now = now or clock.now(store)
    if until <= now:
        raise QueueError(f"snooze time {iso(until)} is not in the future")
    with store.transaction():
        item = get_item(store, item_id)
        _move(store, item, "snoozed", actor=actor, now=now, snoozed_until=until)
    return get_item(store, item.id)


def set_discord_message(store: Store, item_id: int, message_id: str | None) -> None:
    with store.transaction():
        store.conn.execute(
            "UPDATE queue_items SET discord_message_id = ? WHERE id = ?", (message_id, item_id)
        )


def expire_due(store: Store, now: datetime) -> list[int]:
    """Wake snoozes that ended and expire what passed its answer-by unheld.
    Returns the ids whose state changed."""
    stamp = iso(now)
    changed: list[int] = []
    with store.transaction():
        for row in store.query(
            "SELECT id FROM queue_items WHERE (state = 'queued' OR (state = 'snoozed' AND "
            "claimed_by IS NULL)) AND answer_by <= ?",
            (stamp,),
        ):
            item = get_item(store, row["id"])
            _move(store, item, "expired", actor="clock", now=now, detail="answer-by passed")
            changed.append(item.id)
        for row in store.query(
            "SELECT id FROM queue_items WHERE state = 'snoozed' AND snoozed_until <= ?", (stamp,)
        ):
            item = get_item(store, row["id"])
            # A founder who snoozed their own claim gets it back, still theirs.
            _move(store, item, "claimed" if item.claimed_by else "queued", actor="clock", now=now,
                  detail="snooze ended", snoozed_until=None)
            changed.append(item.id)
    return changed


def answer_by_for(playbook: Playbook, enqueued_at: datetime) -> datetime:
    return enqueued_at + timedelta(hours=playbook.scoring.answer_within_hours)
