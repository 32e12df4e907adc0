"""Same-problem groups, kept in the database.

The incremental index of ``classifiers.clusters`` decides where a thread
goes; its state lives in SQLite (the index's own counters in ``settings``,
each group's state in ``problem_clusters.state_json``), so a new thread joins
a group without re-clustering history, in any process. A group's id is the
same in the index, the database and every reason shown (numbering starts at
1, as SQLite row ids do).

What a pass costs must not grow with history: only groups active within two
of the playbook's lookback windows are candidates (and in memory), a group's saved
state does not list its members (``cluster_people`` holds each member's
first and last report per group, written as threads join), and ``refresh``
reads a group's totals from the index and only the members active in the
window from ``cluster_people``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from assistant.domain import iso, parse_timestamp
from assistant.store import Store, rows_by_key
from classifiers.category import CategoryThresholds
from classifiers.clusters import DAY, AffectedMember, GroupIndex, GroupingParams, ThreadRecord
from playbooks import Playbook

DEFAULT_LOOKBACK_DAYS = CategoryThresholds().lookback_days
"""The lookback ``assign`` uses when its caller does not pass the playbook's."""
HORIZON_LOOKBACKS = 2
"""A group stays a candidate (and in memory) until it has been quiet for this
many lookback windows: one quiet window adds nothing to its counts, and a
problem that comes back within the next still joins its old group."""

META_SETTING = "groups.index"
VERSION_SETTING = "groups.version"
"""A fresh token saved with the groups every time they change: the process
that saved them last keeps its index in memory and reuses it for as long as
the stored token is still its own (a watcher's next pass then costs the new
threads only, not a read of every group)."""
_LIVE: dict[str, tuple[str, GroupIndex]] = {}


def _live_key(store: Store) -> str:
    return f"memory:{id(store)}" if str(store.path) == ":memory:" else str(store.path.resolve())


def _database_params(params: GroupingParams, lookback_days: float | None) -> GroupingParams:
    window = DEFAULT_LOOKBACK_DAYS if lookback_days is None else lookback_days
    return replace(params, active_days=HORIZON_LOOKBACKS * float(window) if window and window > 0 else None,
                   track_members=False)


def load_index(store: Store, lookback_days: float | None = None) -> GroupIndex:
    """The database's group index: this process's own copy when nobody has
    saved the groups since it did, else read back from the stored states of
    the groups active within the lookback window (default: the playbook
    default's)."""
    key = _live_key(store)
    live = _LIVE.pop(key, None)  # never two copies in memory
    version = store.get_setting(VERSION_SETTING)
    if live is not None and version is not None and live[0] == version:
        _LIVE[key] = live
        index = live[1]
        if lookback_days is not None:
            index.params = _database_params(index.params, lookback_days)
        return index
    meta = store.get_setting(META_SETTING)
    if meta is None:
        index = GroupIndex(_database_params(GroupingParams(), lookback_days))
        index.next_group_id = 1
        return index
    params = _database_params(GroupingParams.from_dict(meta.get("params", {})), lookback_days)
    since = "" if params.active_days is None or meta.get("latest") is None else iso(
        datetime.fromtimestamp(meta["latest"] - params.active_days * DAY - DAY, tz=UTC))
    states = (json.loads(row[0]) for row in store.conn.execute(
        "SELECT state_json FROM problem_clusters WHERE state_json != '{}' "
        "AND (last_seen_at IS NULL OR last_seen_at >= ?) ORDER BY id", (since,)
    ))
    return GroupIndex.restore(meta, states, params)


def _revive(store: Store, index: GroupIndex, group_id: int) -> bool:
    """Bring a group that left memory (out of the window) back into the index."""
    if group_id in index:
        return True
    row = store.conn.execute("SELECT state_json FROM problem_clusters WHERE id = ?", (group_id,)).fetchone()
    if row is None or row[0] == "{}":
        return False
    index.revive(json.loads(row[0]))
    return True


class _People:
    """Members as the index counts them: one person across communities when
    they are linked (``links.person_key``), with the country and language the
    member judgement found. Read in bulk, a few queries per batch of threads
    instead of two per person."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.keys: dict[int, str] = {}
        self._keyed: set[int] = set()
        self.rows: dict[tuple[str, str], tuple[int, str | None, str | None] | None] = {}

    def load_keys(self, member_ids: Iterable[int]) -> None:
        """The person keys of these members, read in one walk of their links
        (not every link in the store)."""
        from assistant.links import person_keys

        wanted = set(member_ids) - self._keyed
        if wanted:
            self.keys.update(person_keys(self.store, wanted))
            self._keyed |= wanted

    def load(self, wanted: Iterable[tuple[str, str]]) -> None:
        unread = {key for key in wanted if key not in self.rows}
        self.rows.update(dict.fromkeys(unread))
        self.rows.update(rows_by_key(self.store, "members", unread, "id, country, language"))
        self.load_keys(row[0] for row in self.rows.values() if row is not None)

    def member(self, community_id: str, native_id: str) -> tuple[int, str | None, str | None] | None:
        if (community_id, native_id) not in self.rows:
            self.load([(community_id, native_id)])
        return self.rows[(community_id, native_id)]

    def key(self, member_id: int) -> str:
        if member_id not in self._keyed:
            self.load_keys([member_id])
        return self.keys.get(member_id, f"person:{member_id}")

    def affected(self, community_id: str, people: Iterable[tuple[str, str | None]],
                 language: str | None) -> list[AffectedMember]:
        found = []
        for native_id, at in people:
            row = self.member(community_id, native_id)
            if row is None:
                continue
            member_id, country, member_language = row
            found.append(
                AffectedMember(
                    member_id=self.key(member_id),
                    country=country,
                    language=member_language or language,
                    at=parse_timestamp(at).timestamp() if at else None,
                )
            )
        return found


_PEOPLE_UPSERT = (
    "INSERT INTO cluster_people (cluster_id, member_id, first_at, last_at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (cluster_id, member_id) DO UPDATE SET first_at = min(first_at, excluded.first_at), "
    "last_at = max(last_at, excluded.last_at)"
)


def assign(store: Store, thread_ids: Sequence[int], now: datetime, *,
           lookback_days: float | None = None) -> set[int]:
    """Place each problem thread in its group (new ones joined, known ones
    told about new "me too" members) and save what changed. Only groups
    active within two ``lookback_days`` (the playbook's
    ``categories.lookback_days``; default 90) of a thread are its candidates.
    Returns the database ids of the groups touched."""
    if not thread_ids:
        return set()
    index = load_index(store, lookback_days)
    # Changed from here on: nobody may reuse it until it is saved.
    _LIVE.pop(_live_key(store), None)
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
    people_of = _People(store)
    people_of.load(
        (row["community_id"], person)
        for row in rows
        for person in [row["author"], *json.loads(row["signals_json"]).get("me_too", [])]
        if person
    )
    for row in rows:
        me_too = json.loads(row["signals_json"]).get("me_too", [])
        people = [(row["author"], row["created_at"])] if row["author"] else []
        people += [(person, None) for person in me_too]
        known = set(json.loads(row["affected_json"] or "[]"))
        if row["cluster_id"] is not None:
            fresh = [p for p in people if p[0] not in known]
            if fresh:
                group_id = index.resolve(row["cluster_id"])
                if _revive(store, index, group_id):
                    index.add_affected(group_id, people_of.affected(row["community_id"], fresh,
                                                                    row["language"]))
                assignments.append((row["id"], group_id, None, sorted(known | {p[0] for p in fresh}),
                                    _member_ids(people_of, row["community_id"], fresh),
                                    row["created_at"]))
            continue
        if not row["is_problem"]:
            continue
        affected = people_of.affected(row["community_id"], people, row["language"])
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
            (row["id"], assignment.group_id, assignment, sorted({p[0] for p in people}),
             _member_ids(people_of, row["community_id"], people), row["created_at"])
        )
        removed.update(assignment.merged)
    dirty = index.pop_dirty()
    version = uuid.uuid4().hex
    outer = store.conn.in_transaction  # a caller's transaction may still roll back
    with store.transaction():
        store.set_setting(META_SETTING, index.export_meta())
        store.set_setting(VERSION_SETTING, version)
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
        people_rows = []
        for thread_id, cluster_id, assignment, affected, member_ids, created_at in assignments:
            # A group this batch made may have been merged away by a later thread.
            cluster_id = index.resolve(cluster_id)
            people_rows.extend((cluster_id, member_id, created_at, created_at) for member_id in member_ids)
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
        store.conn.executemany(_PEOPLE_UPSERT, people_rows)
        for cluster_id in removed:
            keep = index.resolve(cluster_id)
            store.conn.execute(
                "INSERT INTO cluster_people (cluster_id, member_id, first_at, last_at) "
                "SELECT ?, member_id, first_at, last_at FROM cluster_people WHERE cluster_id = ? "
                "AND true ON CONFLICT (cluster_id, member_id) DO UPDATE SET "
                "first_at = min(first_at, excluded.first_at), last_at = max(last_at, excluded.last_at)",
                (keep, cluster_id))
            store.conn.execute("DELETE FROM cluster_people WHERE cluster_id = ?", (cluster_id,))
            store.conn.execute("UPDATE thread_clusters SET cluster_id = ? WHERE cluster_id = ?",
                               (keep, cluster_id))
            store.conn.execute("UPDATE leads SET cluster_id = ? WHERE cluster_id = ?", (keep, cluster_id))
            store.conn.execute("DELETE FROM problem_clusters WHERE id = ?", (cluster_id,))
            touched.discard(cluster_id)
            touched.add(keep)
    if not outer:
        _LIVE[_live_key(store)] = (version, index)
    return touched


def _member_ids(people: _People, community_id: str,
                persons: Iterable[tuple[str, str | None]]) -> list[int]:
    """Database ids of the thread's people that are stored members."""
    found = []
    for native_id, _ in persons:
        row = people.member(community_id, native_id)
        if row is not None and row[0] not in found:
            found.append(row[0])
    return found


def refresh(store: Store, playbook: Playbook, cluster_ids: Iterable[int], *, now: datetime) -> None:
    """Recount each group's affected members, countries, languages and
    growth over the playbook's lookback window. A group's totals (threads,
    first and last thread, languages, communities) come from the group
    index when it holds the group, else from SQL aggregates; members are read
    only as far as they reported inside the window (``cluster_people``), so
    a group's long history costs nothing. A member's first report counts
    from the window's start when they had already reported before it."""
    since = now - timedelta(days=playbook.categories.lookback_days)
    since_text = iso(since - timedelta(seconds=1))
    week_ago, fortnight_ago = now - timedelta(days=7), now - timedelta(days=14)
    people = _People(store)
    index = load_index(store)
    of_group = ("FROM thread_clusters tc JOIN threads t ON t.id = tc.thread_id "
                "JOIN classifications c ON c.thread_id = t.id WHERE tc.cluster_id = ?")

    def stamp(epoch: float | None) -> str | None:
        return None if epoch is None else iso(datetime.fromtimestamp(epoch, tz=UTC))

    with store.transaction():
        for cluster_id in cluster_ids:
            group = index.groups.get(cluster_id)
            if group is not None and group.languages is not None and group.n_threads:
                count, first, last = group.n_threads, stamp(group.first_seen), stamp(group.last_seen)
                languages = {language for language in group.languages if language}
                communities = set(group.communities)
            else:
                count, first, last = store.conn.execute(
                    f"SELECT count(*), min(t.created_at), max(t.created_at) {of_group}", (cluster_id,)
                ).fetchone()
                languages = {row[0] for row in store.conn.execute(
                    f"SELECT DISTINCT c.language {of_group} AND c.language != ''", (cluster_id,))}
                communities = {row[0] for row in store.conn.execute(
                    f"SELECT DISTINCT t.community_id {of_group}", (cluster_id,))}
            first_seen: dict[str, datetime] = {}
            countries: set[str] = set()
            window = store.conn.execute(
                "SELECT cp.member_id, cp.first_at, cp.last_at, m.country FROM cluster_people cp "
                "JOIN members m ON m.id = cp.member_id WHERE cp.cluster_id = ? AND cp.last_at >= ?",
                (cluster_id, since_text),
            ).fetchall()
            people.load_keys(row[0] for row in window)
            for member_id, first_at, last_at, country in window:
                if parse_timestamp(last_at) < since:
                    continue
                created = max(parse_timestamp(first_at), since)
                key = people.key(member_id)
                if key not in first_seen or created < first_seen[key]:
                    first_seen[key] = created
                if country:
                    countries.add(country)
            recent_members = sum(1 for t in first_seen.values() if t >= week_ago)
            before = sum(1 for t in first_seen.values() if fortnight_ago <= t < week_ago)
            store.conn.execute(
                "UPDATE problem_clusters SET thread_count = ?, affected_members = ?, "
                "countries_json = ?, languages_json = ?, communities_json = ?, first_seen_at = ?, "
                "last_seen_at = ?, growth = ?, updated_at = ? WHERE id = ?",
                (
                    count, len(first_seen), json.dumps(sorted(countries)),
                    json.dumps(sorted(languages)), json.dumps(sorted(communities)),
                    iso(parse_timestamp(first)) if count and first else None,
                    iso(parse_timestamp(last)) if count and last else None,
                    recent_members - before, iso(now), cluster_id,
                ),
            )
