"""Same-problem groups, kept in the database.

The incremental index of ``classifiers.clusters`` decides where a thread
goes; its state lives in SQLite (the index's own counters in ``settings``,
each group's state in ``problem_clusters.state_json``), so a new thread joins
a group without re-clustering history, in any process. A group's id is the
same in the index, the database and every reason shown (numbering starts at
1, as SQLite row ids do).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from assistant.domain import iso, parse_timestamp
from assistant.store import Store
from classifiers.clusters import AffectedMember, GroupIndex, GroupingParams, ThreadRecord
from playbooks import Playbook

META_SETTING = "groups.index"


def load_index(store: Store) -> GroupIndex:
    meta = store.get_setting(META_SETTING)
    if meta is None:
        index = GroupIndex(GroupingParams())
        index.next_group_id = 1
        return index
    states = (json.loads(row[0]) for row in store.conn.execute(
        "SELECT state_json FROM problem_clusters WHERE state_json != '{}' ORDER BY id"
    ))
    return GroupIndex.restore(meta, states)


def _affected(store: Store, community_id: str, people: Iterable[tuple[str, str | None]],
              language: str | None) -> list[AffectedMember]:
    """Members as the index counts them: one person across communities when
    they are linked, with the country the member judgement found."""
    from assistant.links import person_key

    found = []
    for native_id, at in people:
        row = store.query_one(
            "SELECT id, country, language FROM members WHERE community_id = ? AND native_id = ?",
            (community_id, native_id),
        )
        if row is None:
            continue
        found.append(
            AffectedMember(
                member_id=person_key(store, row["id"]),
                country=row["country"],
                language=row["language"] or language,
                at=parse_timestamp(at).timestamp() if at else None,
            )
        )
    return found


def assign(store: Store, thread_ids: Sequence[int], now: datetime) -> set[int]:
    """Place each problem thread in its group (new ones joined, known ones
    told about new "me too" members) and save what changed. Returns the
    database ids of the groups touched."""
    if not thread_ids:
        return set()
    index = load_index(store)
    touched: set[int] = set()
    removed: set[int] = set()
    rows = []
    ids = list(thread_ids)
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        marks = ",".join("?" * len(chunk))
        rows.extend(store.query(
            "SELECT t.id, t.community_id, t.author, t.created_at, t.title, t.body_text, "
            "c.is_problem, c.language, c.signals_json, tc.cluster_id, tc.affected_json "
            "FROM threads t JOIN classifications c ON c.thread_id = t.id "
            f"LEFT JOIN thread_clusters tc ON tc.thread_id = t.id WHERE t.id IN ({marks}) "
            "ORDER BY t.created_at, t.id",
            chunk,
        ))
    assignments = []
    for row in rows:
        me_too = json.loads(row["signals_json"]).get("me_too", [])
        people = [(row["author"], row["created_at"])] if row["author"] else []
        people += [(person, None) for person in me_too]
        known = set(json.loads(row["affected_json"] or "[]"))
        if row["cluster_id"] is not None:
            fresh = [p for p in people if p[0] not in known]
            if fresh:
                group_id = index.resolve(row["cluster_id"])
                index.add_affected(group_id, _affected(store, row["community_id"], fresh, row["language"]))
                assignments.append((row["id"], group_id, None, sorted(known | {p[0] for p in fresh})))
            continue
        if not row["is_problem"]:
            continue
        affected = _affected(store, row["community_id"], people, row["language"])
        assignment = index.add(
            ThreadRecord(
                thread_id=str(row["id"]),
                text=f"{row['title']}\n{row['body_text']}"[:4000],
                community=row["community_id"],
                author=row["author"],
                created_at=parse_timestamp(row["created_at"]).timestamp(),
                country=affected[0].country if affected else None,
                language=row["language"],
                affected=affected,
            )
        )
        assignments.append(
            (row["id"], assignment.group_id, assignment, sorted({p[0] for p in people}))
        )
        removed.update(assignment.merged)
    dirty = index.pop_dirty()
    with store.transaction():
        store.set_setting(META_SETTING, index.export_meta())
        for state in index.export_groups(dirty):
            cluster_id = state["group_id"]
            summary = index.summary(state["group_id"])
            store.conn.execute(
                "INSERT INTO problem_clusters (id, label, state_json, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET label = excluded.label, "
                "state_json = excluded.state_json, updated_at = excluded.updated_at",
                (cluster_id, " · ".join(summary.label[:3]) or f"group {cluster_id}",
                 json.dumps(state, separators=(",", ":")), iso(now)),
            )
            touched.add(cluster_id)
        for thread_id, cluster_id, assignment, affected in assignments:
            # A group this batch made may have been merged away by a later thread.
            cluster_id = index.resolve(cluster_id)
            similarity = assignment.similarity if assignment else None
            reasons = assignment.reasons() if assignment else None
            store.conn.execute(
                "INSERT INTO thread_clusters (thread_id, cluster_id, similarity, assigned_at, "
                "affected_json, reasons_json) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (thread_id) "
                "DO UPDATE SET cluster_id = excluded.cluster_id, affected_json = excluded.affected_json",
                (thread_id, cluster_id, similarity or 0.0, iso(now), json.dumps(affected),
                 json.dumps(reasons or [])),
            )
            touched.add(cluster_id)
        for cluster_id in removed:
            keep = index.resolve(cluster_id)
            store.conn.execute("UPDATE thread_clusters SET cluster_id = ? WHERE cluster_id = ?",
                               (keep, cluster_id))
            store.conn.execute("UPDATE leads SET cluster_id = ? WHERE cluster_id = ?", (keep, cluster_id))
            store.conn.execute("DELETE FROM problem_clusters WHERE id = ?", (cluster_id,))
            touched.discard(cluster_id)
            touched.add(keep)
    return touched


def refresh(store: Store, playbook: Playbook, cluster_ids: Iterable[int], *, now: datetime) -> None:
    """Recount each group's affected members, countries, languages and
    growth over the playbook's lookback window, from what is stored."""
    since = now - timedelta(days=playbook.categories.lookback_days)
    week_ago, fortnight_ago = now - timedelta(days=7), now - timedelta(days=14)
    from assistant.links import person_key

    with store.transaction():
        for cluster_id in cluster_ids:
            threads = store.query(
                "SELECT t.community_id, t.author, t.created_at, c.language, c.signals_json "
                "FROM thread_clusters tc JOIN threads t ON t.id = tc.thread_id "
                "JOIN classifications c ON c.thread_id = t.id WHERE tc.cluster_id = ?",
                (cluster_id,),
            )
            first_seen: dict[str, datetime] = {}
            countries: set[str] = set()
            languages, communities = set(), set()
            for thread in threads:
                created = parse_timestamp(thread["created_at"])
                communities.add(thread["community_id"])
                if thread["language"]:
                    languages.add(thread["language"])
                if created < since:
                    continue
                people = [thread["author"], *json.loads(thread["signals_json"]).get("me_too", [])]
                for person in people:
                    if not person:
                        continue
                    member = store.query_one(
                        "SELECT id, country FROM members WHERE community_id = ? AND native_id = ?",
                        (thread["community_id"], person),
                    )
                    if member is None:
                        continue
                    key = person_key(store, member["id"])
                    first_seen[key] = min(first_seen.get(key, created), created)
                    if member["country"]:
                        countries.add(member["country"])
            created_all = [parse_timestamp(t["created_at"]) for t in threads]
            recent = sum(1 for t in first_seen.values() if t >= week_ago)
            before = sum(1 for t in first_seen.values() if fortnight_ago <= t < week_ago)
            store.conn.execute(
                "UPDATE problem_clusters SET thread_count = ?, affected_members = ?, "
                "countries_json = ?, languages_json = ?, communities_json = ?, first_seen_at = ?, "
                "last_seen_at = ?, growth = ?, updated_at = ? WHERE id = ?",
                (
                    len(threads), len(first_seen), json.dumps(sorted(countries)),
                    json.dumps(sorted(languages)), json.dumps(sorted(communities)),
                    iso(min(created_all)) if created_all else None,
                    iso(max(created_all)) if created_all else None,
                    recent - before, iso(now), cluster_id,
                ),
            )
