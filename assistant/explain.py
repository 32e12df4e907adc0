"""Every reason behind a thread's category and priority, in one place.

Founders will not trust a black box with their reputation: this gathers
what the models, the rules, the group and the people said about one thread,
as plain data the terminal and the bot both render.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.store import Store
from assistant.threadref import resolve_thread


class NotJudgedYet(LookupError):
    def __init__(self, thread_id: int):
        super().__init__(thread_id)
        self.thread_id = thread_id

    def __str__(self) -> str:
        return f"thread {self.thread_id} has not been judged yet (run: beachhead classify)"


@dataclass
class Explanation:
    thread_id: int
    community_id: str
    native_id: str
    title: str
    url: str | None
    category: str
    category_probabilities: dict[str, float]
    kind: str
    capability: str | None
    capability_score: float
    problem_probability: float
    language: str | None
    reasons: list[str]
    signals: dict[str, Any]
    asker: dict[str, Any] | None
    group: dict[str, Any] | None
    priority: float | None
    priority_components: dict[str, float]
    why: str | None
    queue: dict[str, Any] | None
    labels: list[dict[str, Any]] = field(default_factory=list)
    model_version: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def explain(store: Store, reference: Any) -> Explanation:
    thread = resolve_thread(store, reference)
    judged = store.query_one("SELECT * FROM classifications WHERE thread_id = ?", (thread["id"],))
    if judged is None:
        raise NotJudgedYet(thread["id"])
    asker = None
    if thread["author"]:
        member = store.query_one(
            "SELECT id, handle, user_type, user_value, country, country_confidence, language, "
            "voice, judgement_json FROM members WHERE community_id = ? AND native_id = ?",
            (thread["community_id"], thread["author"]),
        )
        if member:
            judgement = json.loads(member.pop("judgement_json") or "{}")
            asker = {**member, "reasons": judgement}
    group = store.query_one(
        "SELECT pc.id, pc.label, pc.thread_count, pc.affected_members, pc.countries_json, "
        "pc.languages_json, pc.communities_json, pc.growth, tc.similarity, tc.reasons_json "
        "FROM thread_clusters tc JOIN problem_clusters pc ON pc.id = tc.cluster_id "
        "WHERE tc.thread_id = ?",
        (thread["id"],),
    )
    if group:
        for key in ("countries_json", "languages_json", "communities_json", "reasons_json"):
            group[key.removesuffix("_json")] = json.loads(group.pop(key) or "[]")
    item = store.query_one(
        "SELECT id, state, priority, answer_by, claimed_by, answered_url, dismissed_reason, "
        "snoozed_until FROM queue_items WHERE thread_id = ?",
        (thread["id"],),
    )
    labels = store.query(
        "SELECT kind, value, source, author, note, created_at FROM labels WHERE thread_id = ? "
        "ORDER BY id",
        (thread["id"],),
    )
    return Explanation(
        thread_id=thread["id"],
        community_id=thread["community_id"],
        native_id=thread["native_id"],
        title=thread["title"],
        url=thread["url"],
        category=judged["category"],
        category_probabilities=json.loads(judged["category_probabilities_json"] or "{}"),
        kind=judged["kind"],
        capability=judged["capability_id"],
        capability_score=judged["capability_score"],
        problem_probability=judged["problem_probability"],
        language=judged["language"],
        reasons=json.loads(judged["reasons_json"]),
        signals=json.loads(judged["signals_json"]),
        asker=asker,
        group=group,
        priority=judged["priority"],
        priority_components=json.loads(judged["priority_components_json"] or "{}"),
        why=judged["why"],
        queue=item,
        labels=labels,
        model_version=judged["model_version"],
    )
