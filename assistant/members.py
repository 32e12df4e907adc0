"""Who the members are: user type, value to the startup, and country.

Reads what each member wrote about themself and what they posted, the
platform's flags, and the playbook's names and domains; the analysts' user
type labels win over the model. Founders are recognised by their handles and
typed ``founder`` (the startup's own people are nobody's audience).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime

from assistant import workers
from assistant.domain import iso, parse_timestamp
from assistant.models import ModelSet, type_hints
from assistant.store import Store
from classifiers.geography import GeoEvidence, detect_languages, guess_country
from classifiers.users import MemberProfile, classify_member, member_value
from playbooks import Playbook

TEXTS_PER_MEMBER = 8
TEXT_CHARS = 1500
RECENT_TIMES = 50
"""Post times a member's country is inferred from: the latest ones."""
CHUNK = 500
JUDGE_PART = 250
"""Members per part handed to a judging worker."""
FOUNDER = "founder"


def _chunks(items: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _activity(store: Store, rows: list[dict]) -> dict[int, dict]:
    """Recent texts, post times and counts of each member, in a few queries.
    Counts are the member row's counters (m014) and only the latest
    ``RECENT_TIMES`` threads and posts of each member are read (from the
    ``threads_author`` and ``posts_author_activity`` indexes), so a member
    with years of history costs what one with a week does."""
    activity = {row["id"]: {"texts": [], "times": [], "questions": row["n_threads"],
                            "answers": row["n_posts"], "accepted": row["n_accepted"]}
                for row in rows}
    by_key = {(row["community_id"], row["native_id"]): row["id"] for row in rows}
    communities = sorted({row["community_id"] for row in rows})
    for community_id in communities:
        natives = [native for (community, native) in by_key if community == community_id]
        for chunk in _chunks(natives):
            latest: dict[str, list[tuple[str, int, int]]] = {}
            values = ",".join(["(?)"] * len(chunk))
            for order, table in enumerate(("threads", "posts")):
                # Each author's latest RECENT_TIMES rows: the date of their
                # RECENT_TIMES-th latest row, then the rows from that date on,
                # both read backwards from the index (ties at the cut are
                # read too and dropped below), never the whole history.
                for author, created, row_id in store.conn.execute(
                    f"WITH wanted (author) AS (VALUES {values}), cuts AS MATERIALIZED ("
                    f"SELECT author, coalesce((SELECT created_at FROM {table} x WHERE x.community_id = ? "
                    "AND x.author = wanted.author ORDER BY x.created_at DESC LIMIT 1 OFFSET ?), '') AS cut "
                    f"FROM wanted) SELECT r.author, r.created_at, r.id FROM cuts JOIN {table} r "
                    "ON r.community_id = ? AND r.author = cuts.author AND r.created_at >= cuts.cut",
                    [*chunk, community_id, RECENT_TIMES - 1, community_id],
                ):
                    latest.setdefault(author, []).append((created, order, row_id))
            wanted: dict[int, list[int]] = {0: [], 1: []}
            for items in latest.values():
                # newest first; a thread before a post of the same moment
                items.sort(key=lambda item: (item[1], -item[2]))
                items.sort(key=lambda item: item[0], reverse=True)
                del items[RECENT_TIMES:]
                for _, order, row_id in items[:TEXTS_PER_MEMBER]:
                    wanted[order].append(row_id)
            texts = {}
            for order, sql in ((0, f"SELECT id, substr(title || char(10) || body_text, 1, {TEXT_CHARS}) "
                                   "FROM threads"),
                               (1, f"SELECT id, substr(body_text, 1, {TEXT_CHARS}) FROM posts")):
                for part in _chunks(wanted[order]):
                    texts.update(((order, row_id), text) for row_id, text in store.conn.execute(
                        f"{sql} WHERE id IN ({','.join('?' * len(part))})", list(part)))
            for author, items in latest.items():
                entry = activity[by_key[(community_id, author)]]
                entry["texts"] = [(texts[(order, row_id)] or "")[:TEXT_CHARS]
                                  for _, order, row_id in items[:TEXTS_PER_MEMBER]]
                entry["times"] = [_epoch(created) for created, _, _ in items]
    return activity


def _epoch(created: str) -> float:
    """``parse_timestamp(created).timestamp()``, without its checks for the
    UTC ISO form the store writes."""
    if created.endswith("+00:00"):
        return datetime.fromisoformat(created).timestamp()
    return parse_timestamp(created).timestamp()


def _member_rows(store: Store, member_ids: Sequence[int]) -> list[dict]:
    rows = []
    for chunk in _chunks(list(member_ids)):
        marks = ",".join("?" * len(chunk))
        rows.extend(store.query(f"SELECT * FROM members WHERE id IN ({marks})", list(chunk)))
    return rows


def member_profiles(store: Store, member_ids: Sequence[int]) -> dict[int, MemberProfile]:
    rows = _member_rows(store, member_ids)
    activity = _activity(store, rows)
    return {row["id"]: _profile(row, activity[row["id"]]) for row in rows}


def _profile(row: dict, activity: dict) -> MemberProfile:
    return MemberProfile(
        member_id=str(row["id"]),
        community=row["community_id"],
        handle=row["handle"],
        display_name=row["display_name"],
        about=row["about"],
        website=row["website"],
        texts=tuple(activity["texts"]),
        is_staff=bool(row["is_staff"]),
        is_moderator=bool(row["is_moderator"]),
        trust_level=row["trust_level"],
        questions=activity["questions"],
        answers=activity["answers"],
        accepted_answers=activity["accepted"],
    )


def members_of_threads(store: Store, thread_ids: Sequence[int]) -> list[int]:
    """Everyone who wrote in these threads."""
    found: set[int] = set()
    for chunk in _chunks(list(thread_ids)):
        marks = ",".join("?" * len(chunk))
        for (member_id,) in store.conn.execute(
            "SELECT m.id FROM threads t JOIN members m ON m.community_id = t.community_id "
            f"AND m.native_id = t.author WHERE t.id IN ({marks}) UNION "
            "SELECT m.id FROM posts p JOIN members m ON m.community_id = p.community_id "
            f"AND m.native_id = p.author WHERE p.thread_id IN ({marks})",
            [*chunk, *chunk],
        ):
            found.add(member_id)
    return sorted(found)


GROWTH = 1.25
"""A member judged before is judged again by a watcher pass once their
threads and posts together reach this multiple of what they had then."""


def needing_judgement(store: Store, member_ids: Sequence[int], models: ModelSet,
                      keep: set[int] = frozenset()) -> list[int]:
    """The members a watcher pass must (re-)judge: never judged, judged by
    other models, profile changed since, or activity grown by ``GROWTH``
    (and those in ``keep``, e.g. labelled members and founders). A type or
    country read from forty posts does not turn on the forty-first, while a
    regular's re-judgement every pass is what made the stage grow with the
    community; ``beachhead classify`` still re-judges everyone."""
    wanted = []
    for chunk in _chunks(list(member_ids)):
        marks = ",".join("?" * len(chunk))
        wanted.extend(row[0] for row in store.conn.execute(
            f"SELECT id FROM members WHERE id IN ({marks}) AND (judged_at IS NULL "
            "OR judged_items IS NULL OR judged_with IS NOT ? OR updated_at > judged_at "
            "OR n_threads + n_posts >= judged_items * ? AND n_threads + n_posts > judged_items)",
            [*chunk, models.version, GROWTH]))
    return sorted(set(wanted) | (set(member_ids) & set(keep)))


def judge_members(
    store: Store,
    playbook: Playbook,
    member_ids: Sequence[int],
    models: ModelSet,
    now: datetime,
    *,
    type_labels: dict[int, str] | None = None,
    only_grown: bool = False,
) -> int:
    """User type, value and country of the given members, with reasons.
    ``type_labels`` (member id → user type) win over the model.
    ``only_grown`` (a watcher pass): only those ``needing_judgement``,
    labelled members and founders always. Returns how many were judged."""
    if type_labels is None:
        type_labels = {
            row["member_id"]: row["value"]
            for row in store.query(
                "SELECT member_id, value FROM labels WHERE kind = 'user_type' "
                "AND member_id IS NOT NULL ORDER BY id"
            )
        }
    founders = {
        (community.id, handle)
        for community in playbook.communities
        for handle in playbook.founder_handles(community)
    }
    if only_grown:
        founder_ids = _founder_ids(store, founders)
        member_ids = needing_judgement(store, member_ids, models,
                                       keep=set(type_labels) | founder_ids)
    labels = type_labels

    def parts():
        # Rows and activity are read here; the judging runs in the workers.
        for chunk in _chunks(list(member_ids), JUDGE_PART):
            rows = _member_rows(store, chunk)
            activity = _activity(store, rows)
            yield [(row, activity[row["id"]], _given_type(row, founders, labels)) for row in rows]

    stamp = iso(now)
    updates = []
    results = workers.judge_parts(judge_part, parts(), models, playbook, items=len(member_ids))
    try:
        for judged in results:
            updates.extend((*update, stamp, models.version, member_id) for member_id, update in judged)
    finally:
        results.close()
    with store.transaction():
        store.conn.executemany(
            "UPDATE members SET user_type = ?, user_value = ?, country = ?, country_confidence = ?, "
            "language = ?, judgement_json = ?, judged_items = ?, judged_at = ?, judged_with = ? "
            "WHERE id = ?",
            updates,
        )
    return len(updates)


def _given_type(row: dict, founders: set[tuple[str, str]],
                labels: dict[int, str]) -> tuple[str, str] | None:
    """("founder", "founder") for a playbook founder, ("label", the user
    type) for an analyst's label, else None: the model decides."""
    if (row["community_id"], row["native_id"]) in founders:
        return FOUNDER, FOUNDER
    if row["id"] in labels:
        return "label", labels[row["id"]]
    return None


def judge_part(models: ModelSet, playbook: Playbook,
               part: list[tuple[dict, dict, tuple[str, str] | None]]) -> list[tuple[int, tuple]]:
    """Each member's (id, (user type, value, country, confidence, language,
    reasons JSON, items judged on)) from their row, activity and given type
    (``_given_type``). Reads nothing from the store, so a judging worker
    (``assistant.workers``) can run it."""
    hints = type_hints(playbook)
    languages = detect_languages([" ".join(entry["texts"])[:4000] for _, entry, _ in part])
    judged = []
    for (row, entry, given), (language, _) in zip(part, languages, strict=True):
        reasons: dict[str, object] = {}
        if given is not None and given[0] == FOUNDER:
            user_type, value = FOUNDER, 0.0
            reasons["user_type"] = ["a founder of the startup (playbook handle)"]
        elif given is not None:
            user_type = given[1]
            value = float(playbook.user_types.values.get(user_type, 0.0))
            reasons["user_type"] = [f"labelled {user_type} by an analyst"]
        else:
            guess = classify_member(_profile(row, entry), hints, models.user_type)
            user_type = guess.user_type
            worth = member_value(guess, playbook.user_types.values)
            value = worth.value
            reasons["user_type"] = [*guess.reasons, *worth.reasons]
        geo = guess_country(
            GeoEvidence(
                member_id=str(row["id"]),
                location=row["location"],
                about=row["about"],
                website=row["website"],
                texts=tuple(entry["texts"]),
                post_times=tuple(entry["times"]),
                language=language,
            )
        )
        reasons["country"] = list(geo.reasons)
        judged.append((row["id"], (
            user_type, round(value, 4), geo.country, round(geo.confidence, 4), language,
            json.dumps(reasons, ensure_ascii=False), row["n_threads"] + row["n_posts"],
        )))
    return judged


def _founder_ids(store: Store, founders: set[tuple[str, str]]) -> set[int]:
    return {row[0] for community_id, handle in founders for row in store.conn.execute(
        "SELECT id FROM members WHERE community_id = ? AND native_id = ?", (community_id, handle))}
