"""Members' volume of voice, and the experts a founder should know.

The Dewak case: every member starts with a volume setting that rises with
their contributions and with how others respond to them. Voice here is read
from the reply graph the store already holds — whose answers were accepted or
thanked, how many answers, how many different people they helped, what score
their answers earned — never from the platform's reputation number, which
not every forum has and which counts things other than helping.

    voice_raw = 3 · solutions + 1 · answers + 1 · people helped + ln(1 + score received)
    voice     = voice_raw / the community's highest voice_raw   (0..1, top member 1.0)

When ``classifiers.voice`` is importable its model computes voice instead
(merit plus endorsement on the answer graph; ``VOICE`` is the one place to
swap), scaled the same way. The top of the ranking, with vendor staff and
members judged experts, are the community's experts.
"""

from __future__ import annotations

import contextlib
import math
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from assistant import solutions
from assistant.domain import iso, parse_timestamp
from assistant.store import Store
from playbooks import Playbook

TOP_EXPERTS = 10
EXPERT_MIN_VOICE = 0.25
"""A top voice counts as an expert only if it is at least this loud next to the
loudest member: in a small community the top ten are not all experts."""
EXPERT_TYPES = ("expert", "vendor_staff")

RELATION = {
    "vendor_staff": "vendor staff — introduce yourselves early and keep them on side",
    "expert": "community expert — learn from them, build on their answers",
    "customer": "helpful member — learn from them, build on their answers",
    "channel_partner": "potential partner — win them over (they multiply reach)",
    "complementor": "potential partner — win them over (their product meets ours)",
    "competitor": "competitor — watch what they answer; never argue in public",
    "unknown": "member — learn from them",
}


@dataclass
class Activity:
    """What a member did for others in one community."""

    handle: str
    answers: int = 0
    helped: int = 0
    solutions: int = 0
    score: int = 0
    voice_raw: float = 0.0
    voice: float = 0.0


@dataclass
class Expert:
    handle: str
    user_type: str
    country: str | None
    voice: float
    rank: int
    answers: int
    solutions: int
    helped: int
    score: int
    groups: list[dict[str, Any]] = field(default_factory=list)
    relation: str = ""
    founder_replies_to: int = 0
    replies_to_founders: int = 0
    shared_threads: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def activity(store: Store, community_id: str) -> dict[str, Activity]:
    """Each member's answers, people helped, solutions and score received,
    from stored posts and the solved-by signal the judge stores per thread.
    "Me too" replies are not answers."""
    members: dict[str, Activity] = {}
    for row in store.conn.execute(
        "SELECT p.author, count(DISTINCT p.thread_id), count(DISTINCT t.author), "
        "sum(coalesce(p.score, 0)) FROM posts p JOIN threads t ON t.id = p.thread_id "
        "WHERE p.community_id = ? AND p.author IS NOT NULL "
        "AND (t.author IS NULL OR p.author != t.author) GROUP BY p.author",
        (community_id,),
    ):
        members[row[0]] = Activity(row[0], answers=row[1], helped=row[2], score=row[3] or 0)
    for handle, threads in store.conn.execute(
        "SELECT j.value, count(DISTINCT c.thread_id) FROM classifications c "
        "JOIN threads t ON t.id = c.thread_id, json_each(c.signals_json, '$.me_too') j "
        "WHERE t.community_id = ? GROUP BY j.value",
        (community_id,),
    ):
        if handle in members:
            members[handle].answers = max(0, members[handle].answers - threads)
    for handle, solved in store.conn.execute(
        "SELECT json_extract(c.signals_json, '$.solved_by') AS who, count(*) FROM classifications c "
        "JOIN threads t ON t.id = c.thread_id WHERE t.community_id = ? AND who IS NOT NULL "
        "AND (t.author IS NULL OR who != t.author) GROUP BY who",
        (community_id,),
    ):
        members.setdefault(handle, Activity(handle)).solutions = solved
    return members


def graph_voice(store: Store, community_id: str) -> dict[str, Activity]:
    """The documented reply-graph voice (module docstring)."""
    members = activity(store, community_id)
    for member in members.values():
        member.voice_raw = (
            3 * member.solutions + member.answers + member.helped + math.log1p(max(0, member.score))
        )
    top = max((m.voice_raw for m in members.values()), default=0.0)
    for member in members.values():
        member.voice = round(member.voice_raw / top, 4) if top else 0.0
    return members


def contributions(store: Store, community_id: str) -> Iterator[Any]:
    """The community's posts as ``classifiers.voice.Contribution`` rows: a
    thread is a question; a reply to the thread or to the asker is an answer
    to the asker; a reply to someone else is a comment to them. "Me too"
    replies are left out; ``thanked`` marks the post the asker acknowledged."""
    from classifiers.voice import Contribution

    threads = {
        row["id"]: row
        for row in store.query(
            "SELECT id, native_id, author, score, is_solved, accepted_post_native_id FROM threads "
            "WHERE community_id = ?", (community_id,))
    }
    for thread in threads.values():
        if thread["author"]:
            score = thread["score"] or 0
            yield Contribution(thread["author"], thread["native_id"], "question",
                               upvotes=max(score, 0), downvotes=max(-score, 0))
    current: list[dict[str, Any]] = []
    cursor = store.conn.execute(
        "SELECT thread_id, native_id, parent_native_id, author, created_at, body_text, score, "
        "is_accepted, position FROM posts WHERE community_id = ? AND thread_id IS NOT NULL "
        "ORDER BY thread_id", (community_id,))
    columns = [c[0] for c in cursor.description]
    for values in [*cursor, None]:
        post = dict(zip(columns, values, strict=True)) if values is not None else None
        if current and (post is None or post["thread_id"] != current[0]["thread_id"]):
            yield from _thread_contributions(threads.get(current[0]["thread_id"]), current, Contribution)
            current = []
        if post is not None:
            current.append(post)


def _thread_contributions(thread: dict[str, Any] | None, posts: list[dict[str, Any]],
                          contribution: Any) -> Iterator[Any]:
    if thread is None:
        return
    asker = thread["author"]
    solution = solutions.solution_of(thread, posts)
    thanked = solution.post["native_id"] if solution and solution.post and solution.how == "acknowledged" else None
    by_native = {p["native_id"]: p for p in posts}
    for post in posts:
        author = post["author"]
        if not author or solutions.is_me_too(post, asker):
            continue
        parent = by_native.get(post["parent_native_id"] or "")
        if author != asker and (parent is None or parent["author"] == asker):
            kind, replied_to = "answer", asker
        else:
            kind, replied_to = "comment", parent["author"] if parent else asker
        score = post["score"] or 0
        yield contribution(
            author, thread["native_id"], kind, replied_to=replied_to, upvotes=max(score, 0),
            downvotes=max(-score, 0),
            accepted=bool(post["is_accepted"]) or post["native_id"] == thread["accepted_post_native_id"],
            thanked=post["native_id"] == thanked,
        )


def model_voice(store: Store, community_id: str) -> dict[str, Activity]:
    """Voice from ``classifiers.voice`` (merit plus PageRank endorsement on the
    answer graph), scaled so the loudest member is 1.0 like ``graph_voice``."""
    from classifiers.voice import compute_voice

    voices = compute_voice(contributions(store, community_id))
    top = max((v.score for v in voices.values()), default=0.0)
    return {
        handle: Activity(
            handle, answers=v.answers, helped=v.helped, solutions=v.accepted + v.thanked,
            score=v.upvotes, voice_raw=v.score, voice=round(v.score / top, 4) if top > 0 else 0.0,
        )
        for handle, v in voices.items()
    }


def _available_voice() -> Callable[[Store, str], dict[str, Activity]]:
    try:
        import classifiers.voice  # noqa: F401
    except ImportError:
        return graph_voice
    return model_voice


VOICE: Callable[[Store, str], dict[str, Activity]] = _available_voice()
"""How voice is computed; swap to change it everywhere."""


def _method() -> str:
    return f"{VOICE.__module__}.{VOICE.__qualname__}"


def _data_version(store: Store, community_id: str) -> int:
    return store.scalar(
        "SELECT coalesce((SELECT version FROM data_versions WHERE community_id = ?), 0)",
        (community_id,))


def _read_voices(store: Store, community_id: str) -> dict[str, Activity]:
    return {
        row[0]: Activity(*row)
        for row in store.conn.execute(
            "SELECT handle, answers, helped, solutions, score, voice_raw, voice FROM member_voice "
            "WHERE community_id = ? ORDER BY handle", (community_id,))
    }


def keep_voice(store: Store, community_id: str, members: dict[str, Activity], *,
               version: int, computed_at: str) -> None:
    """Store a community's voice: one ``member_voice`` row per member, ranked
    as ``ranking`` orders them (members without voice have no rank), and the
    version and time it was computed at in ``voice_cache``."""
    ranked = ranking(members)
    rank = {member.handle: position for position, member in enumerate(ranked, start=1)}
    with store.transaction():
        store.conn.execute("DELETE FROM member_voice WHERE community_id = ?", (community_id,))
        store.conn.executemany(
            "INSERT INTO member_voice (community_id, handle, rank, answers, helped, solutions, "
            "score, voice_raw, voice) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(community_id, m.handle, rank.get(m.handle), m.answers, m.helped, m.solutions,
              m.score, m.voice_raw, m.voice) for m in members.values()],
        )
        store.conn.execute(
            "INSERT INTO voice_cache (community_id, method, version, voices_json, computed_at, "
            "ranked) VALUES (?, ?, ?, '[]', ?, ?) ON CONFLICT (community_id) DO UPDATE SET "
            "method = excluded.method, version = excluded.version, voices_json = '[]', "
            "computed_at = excluded.computed_at, ranked = excluded.ranked",
            (community_id, _method(), version, computed_at, len(ranked)),
        )


def _now_text(store: Store) -> str:
    from assistant import clock

    return iso(clock.now(store))


def cached_voice(store: Store, community_id: str) -> dict[str, Activity]:
    """``VOICE`` of a community, reused from ``member_voice`` while nothing it
    is computed from has changed: the triggers of migration m007 bump the
    community's ``data_versions`` row whenever its threads, posts or their
    judgements change. A miss computes it and keeps it (when this connection
    may write; a reader that may not simply computes). What the founders'
    queries read instead, never computing, is ``stored_voice``."""
    try:
        version = _data_version(store, community_id)
        row = store.conn.execute(
            "SELECT 1 FROM voice_cache WHERE community_id = ? AND method = ? AND version = ?",
            (community_id, _method(), version)).fetchone()
    except sqlite3.OperationalError:  # a database from before m007
        return VOICE(store, community_id)
    if row is not None:
        return _read_voices(store, community_id)
    members = VOICE(store, community_id)
    # read-only or busy: the next call computes again
    with contextlib.suppress(sqlite3.OperationalError):
        keep_voice(store, community_id, members, version=version, computed_at=_now_text(store))
    return members


def refresh_voice(store: Store, community_id: str) -> dict[str, Activity]:
    """Compute every member's voice in a community and keep it in ``members.voice``."""
    members = cached_voice(store, community_id)
    with store.transaction():
        store.conn.execute("UPDATE members SET voice = 0 WHERE community_id = ?", (community_id,))
        store.conn.executemany(
            "UPDATE members SET voice = ? WHERE community_id = ? AND native_id = ?",
            [(m.voice, community_id, m.handle) for m in members.values()],
        )
    return members


def refresh_stale_voices(store: Store, playbook: Playbook, *, every: timedelta,
                         now: datetime | None = None) -> list[str]:
    """Recompute the kept voice of each playbook community whose data changed
    since, unless it was computed less than ``every`` ago (the watcher calls
    this after each pass with the playbook's interval, so a community's voice
    is computed at most once per interval, off the founders' query path).
    Returns the communities recomputed."""
    from assistant import clock

    now = now or clock.now(store)
    done = []
    for community in playbook.communities:
        row = store.conn.execute(
            "SELECT method, version, computed_at FROM voice_cache WHERE community_id = ?",
            (community.id,)).fetchone()
        version = _data_version(store, community.id)
        if row is not None and row[0] == _method() and row[1] == version:
            continue
        if row is not None and row[0] == _method():
            try:
                if parse_timestamp(row[2]) > now - every:
                    continue
            except ValueError:
                pass
        keep_voice(store, community.id, VOICE(store, community.id), version=version,
                   computed_at=iso(now))
        done.append(community.id)
    return done


@dataclass(frozen=True)
class StoredVoice:
    """A community's kept voice as the founders' queries read it: never
    computed on the way (possibly stale; ``computed_at`` says how old)."""

    community_id: str
    computed_at: str
    ranked: int
    """Members with any voice."""
    current: bool
    """Nothing it is computed from changed since."""
    in_memory: dict[str, Activity] | None = None
    """Set when it could not be kept (a connection that may not write)."""

    def members(self, store: Store, handles: Iterable[str]) -> dict[str, tuple[Activity, int | None]]:
        """The given members' voice and rank (1 = loudest), those that have a row."""
        wanted = sorted(set(handles))
        if self.in_memory is not None:
            rank = {m.handle: i for i, m in enumerate(ranking(self.in_memory), start=1)}
            return {h: (self.in_memory[h], rank.get(h)) for h in wanted if h in self.in_memory}
        if not wanted:
            return {}
        return {
            row[0]: (Activity(*row[:7]), row[7])
            for row in store.conn.execute(
                "SELECT handle, answers, helped, solutions, score, voice_raw, voice, rank "
                f"FROM member_voice WHERE community_id = ? AND handle IN ({','.join('?' * len(wanted))})",
                (self.community_id, *wanted))
        }

    def loudest(self, store: Store, *, min_voice: float, with_solution: bool,
                limit: int, skip: set[str]) -> list[Activity]:
        """The top of the ranking (``ranking`` order), read from the rank index."""
        found = []
        rows = ((m.handle, m.answers, m.helped, m.solutions, m.score, m.voice_raw, m.voice)
                for m in ranking(self.in_memory)) if self.in_memory is not None else store.conn.execute(
            "SELECT handle, answers, helped, solutions, score, voice_raw, voice FROM member_voice "
            "WHERE community_id = ? AND rank IS NOT NULL AND voice >= ? ORDER BY rank",
            (self.community_id, min_voice))
        for row in rows:
            member = Activity(*row)
            if member.voice < min_voice:
                break
            if member.handle in skip or (with_solution and member.solutions <= 0):
                continue
            found.append(member)
            if len(found) >= limit:
                break
        return found


def stored_voice(store: Store, community_id: str) -> StoredVoice:
    """The community's kept voice, stale or not. Only when none was ever kept
    (or by another ``VOICE``) is it computed, once, here."""
    row = store.conn.execute(
        "SELECT method, version, computed_at, ranked FROM voice_cache WHERE community_id = ?",
        (community_id,)).fetchone()
    if row is None or row[0] != _method():
        cached_voice(store, community_id)
        row = store.conn.execute(
            "SELECT method, version, computed_at, ranked FROM voice_cache WHERE community_id = ?",
            (community_id,)).fetchone()
        if row is None:  # a connection that may not write: kept for this call only
            members = VOICE(store, community_id)
            return StoredVoice(community_id, _now_text(store), len(ranking(members)), True,
                               members)
    return StoredVoice(community_id, row[2], row[3],
                       row[1] == _data_version(store, community_id))


def ranking(members: dict[str, Activity]) -> list[Activity]:
    """Members with any voice, loudest first (ties by handle, so it is stable)."""
    return sorted((m for m in members.values() if m.voice > 0), key=lambda m: (-m.voice, m.handle))


def expert_handles(store: Store, playbook: Playbook, community_id: str, *,
                   voices: dict[str, Activity] | None = None, stored: StoredVoice | None = None,
                   top: int = TOP_EXPERTS) -> set[str]:
    """Vendor staff, members judged experts, and the ``top`` voices that are
    at least ``EXPERT_MIN_VOICE`` loud and have a solution to their name —
    never a founder. ``voices`` are computed (``VOICE``) when not given, so
    the answer never depends on whether voice was stored yet; given
    ``stored`` (``stored_voice``), the top voices are read from its ranking."""
    founders = set(playbook.founder_handles(playbook.community(community_id)))
    types = ",".join("?" * len(EXPERT_TYPES))
    # From the index by type alone (m018), however many members there are.
    handles = {row[0] for row in store.conn.execute(
        f"SELECT native_id FROM members INDEXED BY members_type WHERE community_id = ? "
        f"AND user_type IN ({types})", (community_id, *EXPERT_TYPES))}
    if stored is not None:
        loud = stored.loudest(store, min_voice=EXPERT_MIN_VOICE, with_solution=True, limit=top,
                              skip=founders)
    else:
        members = cached_voice(store, community_id) if voices is None else voices
        loud = [m for m in ranking(members)
                if m.handle not in founders and m.voice >= EXPERT_MIN_VOICE and m.solutions > 0]
    handles.update(m.handle for m in loud[:top])
    return handles - founders


def louder_experts(store: Store, playbook: Playbook, voice: StoredVoice, *, above: int | None,
                   limit: int = 5, experts: set[str] | None = None) -> list[tuple[int, Activity]]:
    """(rank, voice) of the experts ranked above ``above`` (every ranked
    expert when None), loudest first, at most ``limit``: ranks are read down
    a page of handles at a time until enough experts are met, and only
    those experts' voice rows are read. ``experts``: the community's
    ``expert_handles``, when the caller has them."""
    if experts is None:
        experts = expert_handles(store, playbook, voice.community_id, stored=voice)
    if voice.in_memory is not None:
        ranked = [(rank, member.handle)
                  for rank, member in enumerate(ranking(voice.in_memory), start=1)]
        pages = iter([ranked])
    else:
        pages = _rank_pages(store, voice.community_id)
    found: list[tuple[int, str]] = []
    for page in pages:
        page = [(rank, handle) for rank, handle in page if above is None or rank < above]
        found.extend((rank, handle) for rank, handle in page if handle in experts)
        if len(found) >= limit or not page:
            break
    found = found[:limit]
    if voice.in_memory is not None:
        return [(rank, voice.in_memory[handle]) for rank, handle in found]
    rows = voice.members(store, [handle for _, handle in found])
    return [(rank, rows[handle][0]) for rank, handle in found]


def _rank_pages(store: Store, community_id: str, size: int = 1000) -> Iterator[list[tuple[int, str]]]:
    last = 0
    while True:
        page = store.conn.execute(
            "SELECT rank, handle FROM member_voice WHERE community_id = ? AND rank > ? "
            "ORDER BY rank LIMIT ?", (community_id, last, size)).fetchall()
        if not page:
            return
        yield page
        last = page[-1][0]


def _groups(store: Store, community_id: str, handle: str, limit: int = 3) -> list[dict[str, Any]]:
    return store.query(
        "SELECT pc.id, pc.label, count(DISTINCT p.thread_id) AS answered FROM posts p "
        "JOIN threads t ON t.id = p.thread_id JOIN thread_clusters tc ON tc.thread_id = t.id "
        "JOIN problem_clusters pc ON pc.id = tc.cluster_id "
        "WHERE p.community_id = ? AND p.author = ? AND (t.author IS NULL OR t.author != ?) "
        "GROUP BY pc.id ORDER BY answered DESC, pc.id LIMIT ?",
        (community_id, handle, handle, limit),
    )


def interactions(store: Store, community_id: str, founders: set[str]) -> dict[str, list[int]]:
    """member → [founders' replies to them, their replies to founders, threads
    both wrote in], read from the threads the founders opened or posted in
    (``solutions.replied_to`` decides who a post answers)."""
    result: dict[str, list[int]] = {}
    if not founders:
        return result
    marks = ",".join("?" * len(founders))
    handles = sorted(founders)
    ids = [row[0] for row in store.conn.execute(
        f"SELECT thread_id FROM posts WHERE community_id = ? AND author IN ({marks}) "
        f"UNION SELECT id FROM threads WHERE community_id = ? AND author IN ({marks})",
        (community_id, *handles, community_id, *handles))]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        chunk_marks = ",".join("?" * len(chunk))
        threads = {t["id"]: t for t in store.query(
            f"SELECT id, native_id, author FROM threads WHERE id IN ({chunk_marks})", chunk)}
        posts: dict[int, list[dict[str, Any]]] = {}
        for post in store.query(f"SELECT * FROM posts WHERE thread_id IN ({chunk_marks})", chunk):
            posts.setdefault(post["thread_id"], []).append(post)
        for thread_id, thread in threads.items():
            ordered = solutions.ordered(posts.get(thread_id, []))
            by_native = {p["native_id"]: p for p in ordered}
            writers = {p["author"] for p in ordered} | {thread["author"]}
            for member in writers - founders - {None}:
                if writers & founders:
                    result.setdefault(member, [0, 0, 0])[2] += 1
            previous = None
            for post in ordered:
                target = solutions.replied_to(post, thread, previous, by_native)
                previous = post
                author = post["author"]
                if author in founders and target and target not in founders:
                    result.setdefault(target, [0, 0, 0])[0] += 1
                elif author and author not in founders and target in founders:
                    result.setdefault(author, [0, 0, 0])[1] += 1
    return result


def experts(store: Store, playbook: Playbook, community_id: str, *, limit: int = TOP_EXPERTS) -> list[Expert]:
    """The community's loudest voices (founders aside): what they answer, who
    they are to us, and how much the founders have talked with them."""
    community = playbook.community(community_id)
    founders = set(playbook.founder_handles(community))
    members = refresh_voice(store, community_id)
    ranked = [m for m in ranking(members) if m.handle not in founders and m.answers > 0]
    talks = interactions(store, community_id, founders)
    result = []
    for rank, member in enumerate(ranked[:limit], start=1):
        row = store.query_one(
            "SELECT user_type, country FROM members WHERE community_id = ? AND native_id = ?",
            (community_id, member.handle),
        ) or {}
        user_type = row.get("user_type") or "unknown"
        to_member, from_member, shared = talks.get(member.handle, (0, 0, 0))
        result.append(Expert(
            handle=member.handle, user_type=user_type, country=row.get("country"),
            voice=member.voice, rank=rank, answers=member.answers, solutions=member.solutions,
            helped=member.helped, score=member.score,
            groups=_groups(store, community_id, member.handle),
            relation=RELATION.get(user_type, RELATION["unknown"]),
            founder_replies_to=to_member, replies_to_founders=from_member, shared_threads=shared,
        ))
    return result
