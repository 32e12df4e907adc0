"""fetch → normalise → store → classify → group → categorise → score → enqueue.

Each step is one function over stored data, so any of them can be re-run on
history (after a better model, a new playbook threshold, a fixed normaliser)
without fetching again. Steps take the thread ids to work on; ``None`` means
every stored thread.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from assistant import clock, grouping, judge, links, workers
from assistant import members as members_service
from assistant import models as model_store
from assistant import queue as queue_service
from assistant.domain import iso, parse_timestamp
from assistant.models import ModelSet
from assistant.sources import FetchRequest, Source, SourceError, build_source
from assistant.store import Store, load_cursors, rows_by_key, store_batch, sync_communities
from classifiers.category import CategoryThresholds, GroupStats, categorize
from playbooks import Playbook

CHUNK = 1000
JUDGE_PART = 250
"""Threads per part handed to a judging worker: small enough that two
workers finish a 5,000-thread pass together."""
Progress = Callable[[str, int, int], None]
"""progress(step, done, total): how long work reports how far it is."""


def _quiet(step: str, done: int, total: int) -> None:
    return None


@dataclass
class FetchReport:
    community_id: str
    new_threads: int = 0
    updated_threads: int = 0
    new_posts: int = 0
    updated_posts: int = 0
    new_members: int = 0
    requests: int = 0
    problems: list[str] = field(default_factory=list)
    error: str | None = None
    thread_ids: list[int] = field(default_factory=list)


@dataclass
class JudgeReport:
    classified: int = 0
    groups_touched: int = 0
    queued: list[int] = field(default_factory=list)
    auto_answered: list[int] = field(default_factory=list)


@dataclass
class RunReport:
    fetched: list[FetchReport]
    judged: JudgeReport


# --------------------------------------------------------------------- fetch


def pull(store: Store, community_id: str, source: Source, request: FetchRequest, now: datetime,
         report: FetchReport | None = None) -> FetchReport:
    """Drain one source into the store, batch by batch, each batch with its
    cursor in one transaction. A failure keeps everything stored before it."""
    report = report or FetchReport(community_id)
    try:
        for batch in source.fetch(request):
            counts = store_batch(store, batch, community_id, now)
            report.new_threads += counts.new_threads
            report.updated_threads += counts.updated_threads
            report.new_posts += counts.new_posts
            report.updated_posts += counts.updated_posts
            report.new_members += counts.new_members
            report.requests += batch.requests
            report.problems.extend(batch.problems)
            report.thread_ids.extend(counts.thread_ids)
    except SourceError as error:
        report.error = str(error)
    finally:
        source.close()
    report.thread_ids = sorted(set(report.thread_ids))
    return report


WATCH_LIMIT = 100
"""At most this many stored threads are re-checked for new replies a pass."""


def watched_threads(store: Store, playbook: Playbook, community_id: str, now: datetime) -> dict[str, int]:
    """Threads whose new replies matter now — open queue items, and problems
    younger than twice the answer window that are not solved — with the
    number of replies stored for each (newest first, at most WATCH_LIMIT)."""
    fresh = now - timedelta(hours=2 * playbook.scoring.answer_within_hours)
    rows = store.conn.execute(
        "SELECT t.native_id, (SELECT count(*) FROM posts p WHERE p.thread_id = t.id) "
        "FROM threads t LEFT JOIN queue_items q ON q.thread_id = t.id "
        "LEFT JOIN classifications c ON c.thread_id = t.id "
        "WHERE t.community_id = ? AND (q.state IN ('queued', 'claimed', 'snoozed') "
        "OR (t.created_at >= ? AND t.is_solved = 0 AND coalesce(c.is_problem, 1) = 1)) "
        "ORDER BY t.created_at DESC LIMIT ?",
        (community_id, iso(fresh), WATCH_LIMIT),
    )
    return {native_id: count for native_id, count in rows}


def fetch(
    store: Store,
    playbook: Playbook,
    *,
    community_ids: Sequence[str] | None = None,
    since: datetime | None = None,
    limit: int | None = None,
    now: datetime | None = None,
    progress: Progress = _quiet,
    source_options: dict[str, Any] | None = None,
) -> list[FetchReport]:
    now = now or clock.now(store)
    communities = (
        [playbook.community(c) for c in community_ids] if community_ids else list(playbook.communities)
    )
    sync_communities(store, playbook.communities, now)
    reports = []
    for index, community in enumerate(communities):
        progress(f"fetch {community.id}", index, len(communities))
        report = FetchReport(community.id)
        try:
            source = build_source(community, playbook, **(source_options or {}))
        except SourceError as error:
            report.error = str(error)
        else:
            request = FetchRequest(load_cursors(store, community.id), since=since, limit=limit,
                                   watch=watched_threads(store, playbook, community.id, now))
            pull(store, community.id, source, request, now, report)
        reports.append(report)
    progress("fetch", len(communities), len(communities))
    return reports


# ------------------------------------------------------------------ loading


def _chunks(ids: Sequence[int], size: int = CHUNK) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _all_thread_ids(store: Store) -> list[int]:
    return [row[0] for row in store.conn.execute("SELECT id FROM threads ORDER BY id")]


def _load(store: Store, ids: Sequence[int]):
    marks = ",".join("?" * len(ids))
    threads = store.query(f"SELECT * FROM threads WHERE id IN ({marks}) ORDER BY id", list(ids))
    posts: dict[int, list[dict[str, Any]]] = {}
    for post in store.query(
        f"SELECT * FROM posts WHERE thread_id IN ({marks}) ORDER BY thread_id, position, created_at",
        list(ids),
    ):
        posts.setdefault(post["thread_id"], []).append(post)
    return threads, posts


def _askers(store: Store, threads: list[dict[str, Any]]) -> dict[tuple[str, str], tuple]:
    """(community, author) → (user type, user value) of the threads' askers."""
    return rows_by_key(store, "members", {(t["community_id"], t["author"]) for t in threads
                                          if t["author"]}, "user_type, user_value")


class TextVerdicts:
    """The models' verdicts on threads' texts, as (threads, verdicts) pairs
    a part at a time, judged by the workers (``workers.judge_parts``) while
    this process reads the next parts. Threads stay here; only their texts
    and posts travel."""

    def __init__(self, store: Store, playbook: Playbook, ids: Sequence[int], models: ModelSet) -> None:
        self._loaded: deque[list[dict[str, Any]]] = deque()
        self._judged = workers.judge_parts(judge.judge_part, self._parts(store, ids), models,
                                           playbook, items=len(ids))

    def _parts(self, store: Store, ids: Sequence[int]):
        for part in _chunks(ids, JUDGE_PART):
            threads, posts = _load(store, part)
            self._loaded.append(threads)
            yield threads, posts

    def __iter__(self):
        for verdicts in self._judged:
            yield self._loaded.popleft(), verdicts

    def close(self) -> None:
        self._judged.close()


# ---------------------------------------------------------------- classify


def classify(store: Store, playbook: Playbook, thread_ids: Sequence[int] | None = None, *,
             now: datetime, models: ModelSet | None = None, progress: Progress = _quiet) -> int:
    """Per-thread judgement by the models (problem, kind, capability,
    language, signals); the asker's type comes from the member judgement.
    The models run in the judging workers (``assistant.workers``) on parts
    of ``JUDGE_PART`` threads; rows are written here, a chunk at a time."""
    ids = list(thread_ids) if thread_ids is not None else _all_thread_ids(store)
    models = models or model_store.current(store, playbook)
    verdicts = TextVerdicts(store, playbook, ids, models)
    done = 0
    rows: list[tuple] = []
    try:
        for threads, judged in verdicts:
            askers = _askers(store, threads)
            for verdict, thread in zip(judged, threads, strict=True):
                asker_type, asker_value = askers.get((thread["community_id"], thread["author"]),
                                                     (None, None))
                asker_type = asker_type or "unknown"
                asker_value = float(asker_value or playbook.user_types.values.get(asker_type, 0.0))
                reasons = [*verdict.reasons, f"asker {asker_type} (value {asker_value:.2f})"]
                rows.append(
                    (
                        thread["id"], int(verdict.is_problem), verdict.problem_probability,
                        verdict.kind, verdict.capability_id, verdict.capability_score, asker_type,
                        asker_value, "not_a_problem", "{}", 0.0, verdict.language,
                        json.dumps(verdict.signals, ensure_ascii=False),
                        json.dumps(reasons, ensure_ascii=False), models.version, iso(now),
                    )
                )
            if len(rows) >= CHUNK:
                done += _write_classifications(store, rows)
                rows = []
                progress("classify", done, len(ids))
    finally:
        verdicts.close()
    if rows:
        done += _write_classifications(store, rows)
        progress("classify", done, len(ids))
    return done


def _write_classifications(store: Store, rows: list[tuple]) -> int:
    with store.transaction():
        store.conn.executemany(
            "INSERT INTO classifications (thread_id, is_problem, problem_probability, kind, "
            "capability_id, capability_score, asker_type, asker_value, category, "
            "category_probabilities_json, margin, language, signals_json, reasons_json, "
            "model_version, classified_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
            "ON CONFLICT (thread_id) DO UPDATE SET is_problem = excluded.is_problem, "
            "problem_probability = excluded.problem_probability, kind = excluded.kind, "
            "capability_id = excluded.capability_id, capability_score = excluded.capability_score, "
            "asker_type = excluded.asker_type, asker_value = excluded.asker_value, "
            "language = excluded.language, signals_json = excluded.signals_json, "
            "reasons_json = excluded.reasons_json, model_version = excluded.model_version, "
            "classified_at = excluded.classified_at",
            rows,
        )
    return len(rows)


# ------------------------------------------------------------------- group


def group(store: Store, playbook: Playbook, thread_ids: Sequence[int] | None = None, *,
          now: datetime) -> set[int]:
    """Put each problem thread in its same-problem group and refresh the
    touched groups' numbers."""
    ids = list(thread_ids) if thread_ids is not None else _all_thread_ids(store)
    touched = grouping.assign(store, ids, now, lookback_days=playbook.categories.lookback_days)
    grouping.refresh(store, playbook, touched, now=now)
    return touched


# -------------------------------------------------------------- categorise


_GROUP_COLUMNS = "pc.id AS group_id, pc.affected_members, pc.countries_json"
_GROUP_JOIN = ("LEFT JOIN thread_clusters tc ON tc.thread_id = {thread} "
               "LEFT JOIN problem_clusters pc ON pc.id = tc.cluster_id")
"""A thread's group numbers come along with its row (one query per chunk,
not one per thread)."""


def _group_numbers(row: dict[str, Any], countries: dict[int, int]) -> tuple[int, int, int | None]:
    """Members affected and countries of the thread's group; (1, 0, None)
    for a thread in no group. ``countries`` remembers each group's count."""
    group_id = row["group_id"]
    if group_id is None:
        return 1, 0, None
    if group_id not in countries:
        countries[group_id] = len(json.loads(row["countries_json"]))
    return max(1, row["affected_members"]), countries[group_id], group_id


def category_labels(store: Store) -> dict[int, str]:
    """thread id → the latest category an analyst or founder gave it."""
    return {
        row["thread_id"]: row["value"]
        for row in store.query(
            "SELECT thread_id, value FROM labels WHERE kind = 'category' AND thread_id IS NOT NULL "
            "ORDER BY id"
        )
    }


def categorise(store: Store, playbook: Playbook, thread_ids: Sequence[int] | None = None, *,
               now: datetime, labels: dict[int, str] | None = None) -> int:
    """The documented category rule (classifiers.category) on each thread;
    a human label wins over the rule, its reason saying so."""
    ids = list(thread_ids) if thread_ids is not None else _all_thread_ids(store)
    labels = category_labels(store) if labels is None else labels
    thresholds = CategoryThresholds.of(playbook.categories)
    updates = []
    counted: dict[int, int] = {}
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        for row in store.query(
            f"SELECT c.thread_id, c.problem_probability, c.capability_score, c.kind, c.signals_json, "
            f"c.reasons_json, {_GROUP_COLUMNS} FROM classifications c "
            f"{_GROUP_JOIN.format(thread='c.thread_id')} WHERE c.thread_id IN ({marks})",
            list(chunk),
        ):
            members, countries, _ = _group_numbers(row, counted)
            signals = json.loads(row["signals_json"])
            capable = row["capability_score"]
            howto = row["kind"] == "howto" and playbook.categories.answer_howtos
            if howto:
                capable = max(capable, min(1.0, thresholds.capability_threshold + 0.25))
            decision = categorize(
                row["problem_probability"], capable,
                float(signals.get("solved_probability", 0.0)),
                GroupStats(members, countries), thresholds,
            )
            category = decision.category
            reasons = list(decision.reasons)
            if howto and capable != row["capability_score"]:
                reasons.insert(1, "a how-to question: the founders know the product")
            label = labels.get(row["thread_id"])
            if label and label != category:
                reasons.append(f"labelled {label} by a person (the rule said {category})")
                category = label
            ordered = sorted(decision.probabilities.values(), reverse=True)
            kept = [r for r in json.loads(row["reasons_json"]) if not r.startswith("category:")]
            kept.append(f"category: {category} — " + "; ".join(reasons))
            updates.append(
                (category, json.dumps(decision.probabilities), round(ordered[0] - ordered[1], 4),
                 json.dumps(kept, ensure_ascii=False), row["thread_id"])
            )
    with store.transaction():
        store.conn.executemany(
            "UPDATE classifications SET category = ?, category_probabilities_json = ?, margin = ?, "
            "reasons_json = ? WHERE thread_id = ?",
            updates,
        )
    return len(updates)


# ------------------------------------------------------------------- score


def _expert_handles(store: Store) -> set[tuple[str, str]]:
    return {
        (row[0], row[1])
        for row in store.conn.execute(
            "SELECT community_id, native_id FROM members WHERE user_type IN ('expert', 'vendor_staff')"
        )
    }


def score(store: Store, playbook: Playbook, thread_ids: Sequence[int] | None = None, *,
          now: datetime) -> int:
    ids = list(thread_ids) if thread_ids is not None else _all_thread_ids(store)
    experts = _expert_handles(store)
    founders = {
        (community.id, handle)
        for community in playbook.communities
        for handle in playbook.founder_handles(community)
    }
    updates = []
    counted: dict[int, int] = {}
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        for row in store.query(
            "SELECT t.id, t.community_id, t.created_at, c.category, c.asker_type, c.asker_value, "
            f"c.signals_json, {_GROUP_COLUMNS} FROM threads t "
            f"JOIN classifications c ON c.thread_id = t.id {_GROUP_JOIN.format(thread='t.id')} "
            f"WHERE t.id IN ({marks})",
            list(chunk),
        ):
            members, countries, _ = _group_numbers(row, counted)
            answered_by = [
                a for a in json.loads(row["signals_json"]).get("answered_by", [])
                if (row["community_id"], a) not in founders
            ]
            inputs = queue_service.PriorityInputs(
                category=row["category"],
                affected_members=members,
                countries=countries,
                asker_type=row["asker_type"],
                asker_value=row["asker_value"],
                created_at=parse_timestamp(row["created_at"]),
                answered=bool(answered_by),
                expert_answered=any((row["community_id"], a) in experts for a in answered_by),
            )
            priority = queue_service.compute_priority(inputs, playbook, now)
            updates.append(
                (priority.value, json.dumps(priority.components), priority.why, iso(now), row["id"])
            )
    with store.transaction():
        store.conn.executemany(
            "UPDATE classifications SET priority = ?, priority_components_json = ?, why = ?, "
            "scored_at = ? WHERE thread_id = ?",
            updates,
        )
    return len(updates)


# ----------------------------------------------------------------- enqueue


def _founder_replies(store: Store, playbook: Playbook, threads: list[dict[str, Any]]
                     ) -> dict[int, dict[str, Any]]:
    """thread id → the first post a founder wrote in it (with ``founder``,
    their name), for a chunk of threads in one query."""
    handles = {community.id: playbook.founder_handles(community)
               for community in playbook.communities}
    ids = [t["id"] for t in threads if handles.get(t["community_id"])]
    everyone = sorted({handle for found in handles.values() for handle in found})
    if not ids or not everyone:
        return {}
    community_of = {t["id"]: t["community_id"] for t in threads}
    first: dict[int, dict[str, Any]] = {}
    for row in store.query(
        f"SELECT thread_id, author, url, created_at FROM posts WHERE thread_id IN "
        f"({','.join('?' * len(ids))}) AND author IN ({','.join('?' * len(everyone))}) "
        "ORDER BY thread_id, created_at",
        [*ids, *everyone],
    ):
        theirs = handles[community_of[row["thread_id"]]]
        if row["thread_id"] not in first and row["author"] in theirs:
            first[row.pop("thread_id")] = {**row, "founder": theirs[row["author"]]}
    return first


def enqueue(store: Store, playbook: Playbook, thread_ids: Sequence[int] | None = None, *,
            now: datetime) -> JudgeReport:
    """Queue what is worth a founder's hour; refresh the priority of open
    items; close items a founder has visibly answered on the forum."""
    ids = list(thread_ids) if thread_ids is not None else _all_thread_ids(store)
    report = JudgeReport()
    oldest = now - timedelta(hours=playbook.scoring.max_age_hours)
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        rows = store.query(
            "SELECT t.id, t.community_id, t.url, t.created_at, t.is_solved, c.category, c.priority, "
            "c.priority_components_json, c.why, c.signals_json, q.id AS item_id, q.state "
            "FROM threads t JOIN classifications c ON c.thread_id = t.id "
            f"LEFT JOIN queue_items q ON q.thread_id = t.id WHERE t.id IN ({marks})",
            list(chunk),
        )
        founder_posts = _founder_replies(store, playbook, rows)
        with store.transaction():
            for row in rows:
                founder_post = founder_posts.get(row["id"])
                if row["item_id"] is not None:
                    store.conn.execute(
                        "UPDATE queue_items SET priority = ?, components_json = ?, why = ? "
                        "WHERE id = ?",
                        (row["priority"], row["priority_components_json"], row["why"], row["item_id"]),
                    )
                    if founder_post and row["state"] in ("queued", "claimed", "snoozed", "expired"):
                        item = queue_service.get_item(store, row["item_id"])
                        url = founder_post["url"] or row["url"] or ""
                        queue_service._move(
                            store, item, "answered", actor="watcher", now=now,
                            detail="founder reply seen on the forum", answered_url=url,
                            answered_by=founder_post["founder"],
                            answered_at=parse_timestamp(founder_post["created_at"]),
                        )
                        report.auto_answered.append(item.id)
                    continue
                created = parse_timestamp(row["created_at"])
                signals = json.loads(row["signals_json"])
                if (
                    founder_post
                    or row["priority"] is None
                    or row["priority"] < playbook.scoring.queue_threshold
                    or row["category"] == "not_a_problem"
                    or created < oldest
                    or signals.get("solved")
                ):
                    continue
                item_id = store.conn.execute(
                    "INSERT INTO queue_items (thread_id, community_id, state, priority, "
                    "components_json, why, answer_by, created_at, updated_at) "
                    "VALUES (?, ?, 'new', ?, ?, ?, ?, ?, ?)",
                    (
                        row["id"], row["community_id"], row["priority"],
                        row["priority_components_json"], row["why"],
                        iso(queue_service.answer_by_for(playbook, now)), iso(now), iso(now),
                    ),
                ).lastrowid
                store.conn.execute(
                    "INSERT INTO queue_events (item_id, at, from_state, to_state, actor) "
                    "VALUES (?, ?, NULL, 'new', 'watcher')",
                    (item_id, iso(now)),
                )
                queue_service._move(
                    store, queue_service.get_item(store, item_id), "queued", actor="watcher", now=now
                )
                report.queued.append(item_id)
    return report


# -------------------------------------------------------------------- judge


def _group_figures(store: Store, groups: set[int]) -> dict[int, tuple[int, int]]:
    """group id → (affected members, countries), as stored."""
    figures: dict[int, tuple[int, int]] = {}
    ordered = sorted(groups)
    for chunk in _chunks(ordered):
        for row in store.query(
            f"SELECT id, affected_members, countries_json FROM problem_clusters "
            f"WHERE id IN ({','.join('?' * len(chunk))})", list(chunk),
        ):
            figures[row["id"]] = (row["affected_members"] or 0,
                                  len(json.loads(row["countries_json"] or "[]")))
    return figures


def _older_threads(store: Store, playbook: Playbook, groups: set[int], now: datetime) -> set[int]:
    """The older threads of the groups a pass touched whose judgement the
    group's new numbers can still change.

    Those waiting in the queue (their priority orders the founders' hour),
    those young enough to be queued (``scoring.max_age_hours``: more people
    affected can lift one over the threshold), and those inside the
    lookback window whose category no longer matches the group: a solvable
    problem is pervasive exactly when its group is, so a group that became
    (or stopped being) pervasive, or took in another group's threads,
    re-judges them. The other older threads keep a category the numbers
    cannot change; their stored counts and priority wait for ``recount``.
    So a pass costs what can still act, not what the window holds (at
    100,000 threads: 46,000 older threads a pass before this rule)."""
    rules = playbook.categories
    window = iso(now - timedelta(days=rules.lookback_days))
    young = iso(now - timedelta(hours=playbook.scoring.max_age_hours))
    states = ",".join("?" * len(queue_service.OPEN_STATES))
    stale_of = []
    for cluster_id, (members, countries) in sorted(_group_figures(store, groups).items()):
        pervasive = members >= rules.min_affected_members and countries >= rules.min_countries
        stale_of.append((cluster_id, "unrewarded" if pervasive else "pervasive_solvable"))
    found: set[int] = set()
    # Window ranges of ``cluster_threads`` (ordered by group and date), so a
    # group's cost is its recent threads, not its whole history.
    for start in range(0, len(stale_of), CHUNK // 2):
        chunk = stale_of[start : start + CHUNK // 2]
        wanted = ",".join(["(?, ?)"] * len(chunk))
        found.update(row[0] for row in store.conn.execute(
            f"WITH wanted (cluster_id, stale) AS (VALUES {wanted}) "
            "SELECT ct.thread_id FROM wanted JOIN cluster_threads ct "
            "ON ct.cluster_id = wanted.cluster_id AND ct.created_at >= ? UNION "
            "SELECT ct.thread_id FROM wanted JOIN cluster_threads ct "
            "ON ct.cluster_id = wanted.cluster_id AND ct.created_at >= ? "
            "JOIN classifications c ON c.thread_id = ct.thread_id AND c.category = wanted.stale UNION "
            "SELECT q.thread_id FROM queue_items q JOIN thread_clusters tc ON tc.thread_id = q.thread_id "
            f"JOIN wanted ON wanted.cluster_id = tc.cluster_id WHERE q.state IN ({states})",
            (*(value for pair in chunk for value in pair), young, window,
             *queue_service.OPEN_STATES),
        ))
    return found


def judge_threads(
    store: Store,
    playbook: Playbook,
    thread_ids: Sequence[int] | None = None,
    *,
    now: datetime | None = None,
    progress: Progress = _quiet,
    models: ModelSet | None = None,
    category_overrides: dict[int, str] | None = None,
    type_overrides: dict[int, str] | None = None,
    watcher: bool = False,
) -> JudgeReport:
    """Every judging step, in order, on the given threads (all when None).
    Labels win over the models; pass ``*_overrides`` to judge with a chosen
    subset of labels (the triage holds some out), else all stored ones.
    ``watcher``: a pass over what just arrived, which re-judges only the
    members whose judgement can move (``members.needing_judgement``)."""
    now = now or clock.now(store)
    ids = list(thread_ids) if thread_ids is not None else _all_thread_ids(store)
    models = models or model_store.current(store, playbook)
    progress("members", 0, len(ids))
    member_ids = members_service.members_of_threads(store, ids)
    members_service.judge_members(store, playbook, member_ids, models, now,
                                  type_labels=type_overrides, only_grown=watcher)
    if member_ids:
        # Links come from profiles: only arrivals and changed profiles matter.
        links.propose(store, now, incremental=True)
    classified = classify(store, playbook, ids, now=now, models=models, progress=progress)
    progress("group", 0, len(ids))
    touched = group(store, playbook, ids, now=now)
    ordered = sorted(set(ids) | _older_threads(store, playbook, touched, now))
    progress("categorise", 0, len(ordered))
    categorise(store, playbook, ordered, now=now, labels=category_overrides)
    progress("score", 0, len(ordered))
    score(store, playbook, ordered, now=now)
    progress("enqueue", 0, len(ordered))
    report = enqueue(store, playbook, ordered, now=now)
    queue_service.expire_due(store, now)
    report.classified = classified
    report.groups_touched = len(touched)
    progress("done", len(ordered), len(ordered))
    return report


def recount(store: Store, playbook: Playbook, *, now: datetime | None = None) -> JudgeReport:
    """Recount every group and re-score every thread, without re-running the
    models: what changes when people change (a member link made or undone)."""
    now = now or clock.now(store)
    grouping.refresh(store, playbook, [row[0] for row in store.conn.execute(
        "SELECT id FROM problem_clusters")], now=now)
    ids = _all_thread_ids(store)
    categorise(store, playbook, ids, now=now)
    score(store, playbook, ids, now=now)
    report = enqueue(store, playbook, ids, now=now)
    queue_service.expire_due(store, now)
    return report


def run(
    store: Store,
    playbook: Playbook,
    *,
    now: datetime | None = None,
    community_ids: Sequence[str] | None = None,
    since: datetime | None = None,
    progress: Progress = _quiet,
    source_options: dict[str, Any] | None = None,
) -> RunReport:
    """One watcher pass: fetch what is new, judge it, queue what matters.
    The judging workers stop when the pass ends: a watcher waits minutes
    between passes and should hold no memory for them meanwhile."""
    now = now or clock.now(store)
    try:
        fetched = fetch(store, playbook, community_ids=community_ids, since=since, now=now,
                        progress=progress, source_options=source_options)
        changed = sorted({tid for report in fetched for tid in report.thread_ids})
        judged = judge_threads(store, playbook, changed, now=now, progress=progress, watcher=True)
    finally:
        workers.shutdown()
    return RunReport(fetched, judged)
