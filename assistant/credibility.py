"""Founders' credibility, per founder per community, and how it grows week by week.

Credibility is earned by a person in a community, so it is computed from the
founder's own posts there (found through the playbook's handles), never from
activity alone: a solution the asker acknowledged weighs more than any number
of replies. The score is 0–100, a weighted sum of seven terms in 0..1:

    term         weight  from
    solutions     0.30   1 − ½^(solutions / 5)     answers the asker accepted or thanked
    answers       0.15   1 − ½^(answers / 10)      threads of others the founder answered
    reception     0.10   1 − ½^(score / 25)        score (votes) the founder's posts received
    experts       0.10   1 − ½^(replies / 3)       replies from the community's experts
                                                   (``solutions.replied_to`` says who a
                                                   post answers)
    timeliness    0.10   min(1, target / median)   median hours from a thread's posting to the
                                                   founder's first answer; target = the
                                                   playbook's answer_within_hours (0 if none)
    worth         0.15   share of answered threads the queue rated worth it
                         (category pervasive_solvable, or queued)
    etiquette     0.10   promotion × disclosure, 0 without posts:
                         promotion = 1 within the community's max_self_promotion_share,
                         falling linearly to 0 at twice the limit; disclosure = share of
                         self-promoting posts that carry the disclosure (when required)

    score = 100 × Σ weight × term

Each term saturates, so the score rewards steady contribution and never runs
away with volume. The experts are ``experts.expert_handles``: vendor staff,
members judged experts, and the loudest voices with a solution to their name. Everything is read "as of" a moment (posts after it are
ignored), which is what lets weekly snapshots be taken for past weeks from
stored history. Vote scores and the experts are as stored now.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
from bisect import bisect_left, bisect_right, insort
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

from assistant import clock, experts, solutions
from assistant.domain import iso, parse_timestamp
from assistant.etiquette import has_disclosure, post_text, promotes
from assistant.store import Store
from playbooks import CommunityConfig, Founder, Playbook

WEIGHTS = {
    "solutions": 0.30,
    "answers": 0.15,
    "reception": 0.10,
    "experts": 0.10,
    "timeliness": 0.10,
    "worth": 0.15,
    "etiquette": 0.10,
}
HALF_AT = {"solutions": 5, "answers": 10, "reception": 25, "experts": 3}
"""The count at which a saturating term reaches one half."""
TREND_WEEKS = 12
SPARKS = "▁▂▃▄▅▆▇█"


class CredibilityError(Exception):
    """A founder/community pair that has no credibility to compute."""


# ------------------------------------------------------------------ weeks


def week_of(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def week_start(week: str) -> datetime:
    try:
        return datetime.fromisocalendar(int(week[:4]), int(week[6:]), 1).replace(tzinfo=UTC)
    except (ValueError, IndexError):
        raise CredibilityError(f"week {week!r} is not an ISO week such as 2026-W47") from None


def week_end(week: str) -> datetime:
    """The first instant after the week (Monday 00:00 UTC of the next one)."""
    return week_start(week) + timedelta(days=7)


def weeks_between(first: datetime, last: datetime) -> list[str]:
    weeks, cursor = [], week_start(week_of(first))
    while cursor <= last:
        weeks.append(week_of(cursor))
        cursor += timedelta(days=7)
    return weeks


def sparkline(values: list[float | None]) -> str:
    """▁▂▃▅▇ across the series' own range (a flat series is flat); a week with
    no value is a space."""
    present = [v for v in values if v is not None]
    if not present:
        return ""
    low, high = min(present), max(present)
    span = high - low
    out = []
    for value in values:
        if value is None:
            out.append(" ")
        elif span == 0:
            out.append(SPARKS[0] if high == 0 else SPARKS[len(SPARKS) // 2])
        else:
            out.append(SPARKS[round((value - low) / span * (len(SPARKS) - 1))])
    return "".join(out)


# ------------------------------------------------------------- the numbers


@dataclass
class Components:
    posts: int = 0
    answers: int = 0
    solutions: int = 0
    score_received: int = 0
    expert_replies: int = 0
    median_hours_to_answer: float | None = None
    worth_answers: int = 0
    worth_share: float | None = None
    promo_posts: int = 0
    promo_share: float | None = None
    disclosed: int = 0
    disclosure_share: float | None = None


@dataclass
class Credibility:
    founder: str
    community_id: str
    handle: str
    as_of: str
    week: str
    score: float
    components: Components
    terms: dict[str, float]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class History:
    """Everything one founder's credibility in one community is read from."""

    founder: str
    handle: str
    community: CommunityConfig
    threads: dict[int, dict[str, Any]]
    posts: dict[int, list[dict[str, Any]]]
    worth: set[int]
    experts: set[str]
    first_activity: datetime | None


_THREAD_COLUMNS = ("id, community_id, native_id, title, url, author, created_at, body_text, "
                   "body_markup, score, is_solved, accepted_post_native_id")
_POST_COLUMNS = ("id, community_id, native_id, thread_native_id, thread_id, parent_native_id, "
                 "author, created_at, body_text, body_markup, score, is_accepted, position, url")
"""What credibility reads of a thread and a post (not the raw payload)."""


def _history_ids(store: Store, community_id: str, handle: str) -> list[int]:
    """The threads a founder's credibility in a community reads: those they
    posted in or opened."""
    return sorted(
        {row[0] for row in store.conn.execute(
            "SELECT thread_id FROM posts WHERE community_id = ? AND author = ? "
            "AND thread_id IS NOT NULL", (community_id, handle))}
        | {row[0] for row in store.conn.execute(
            "SELECT id FROM threads WHERE community_id = ? AND author = ?", (community_id, handle))}
    )


def _load_threads(store: Store, ids: Sequence[int]) -> tuple[
        dict[int, dict[str, Any]], dict[int, list[dict[str, Any]]], set[int]]:
    """The threads ``ids``, their posts in reading order, and which of them
    the queue rated worth it."""
    threads: dict[int, dict[str, Any]] = {}
    posts: dict[int, list[dict[str, Any]]] = {}
    worth: set[int] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in store.query(f"SELECT {_THREAD_COLUMNS} FROM threads WHERE id IN ({marks})", chunk):
            threads[row["id"]] = row
        for row in store.query(f"SELECT {_POST_COLUMNS} FROM posts WHERE thread_id IN ({marks})",
                               chunk):
            posts.setdefault(row["thread_id"], []).append(row)
        worth.update(
            row[0] for row in store.conn.execute(
                f"SELECT t.id FROM threads t LEFT JOIN classifications c ON c.thread_id = t.id "
                f"LEFT JOIN queue_items q ON q.thread_id = t.id WHERE t.id IN ({marks}) "
                f"AND (c.category = 'pervasive_solvable' OR q.id IS NOT NULL)", chunk)
        )
    for thread_id in posts:
        posts[thread_id] = solutions.ordered(posts[thread_id])
    return threads, posts, worth


def load_history(store: Store, playbook: Playbook, founder: Founder, community: CommunityConfig,
                 *, voices: dict[str, experts.Activity] | None = None,
                 stored: experts.StoredVoice | None = None,
                 expert_set: set[str] | None = None) -> History:
    """``voices`` (the community's, from ``experts.VOICE``) decide who the
    experts are, or else the kept voice ``stored`` (``experts.stored_voice``);
    they are computed when neither is given (``expert_set``: already known)."""
    handle = founder.handle_in(community)
    if handle is None:
        raise CredibilityError(f"founder {founder.name!r} has no handle in community {community.id!r}")
    threads, posts, worth = _load_threads(store, _history_ids(store, community.id, handle))
    moments = [parse_timestamp(p["created_at"]) for ps in posts.values() for p in ps
               if p["author"] == handle]
    moments += [parse_timestamp(t["created_at"]) for t in threads.values() if t["author"] == handle]
    return History(
        founder=founder.name, handle=handle, community=community, threads=threads, posts=posts,
        worth=worth,
        experts=expert_set if expert_set is not None else experts.expert_handles(
            store, playbook, community.id, voices=voices, stored=stored),
        first_activity=min(moments) if moments else None,
    )


def _saturating(count: float, half_at: float) -> float:
    return 1 - 0.5 ** (max(0.0, count) / half_at)


def compute(history: History, as_of: datetime, playbook: Playbook) -> Credibility:
    """The founder's credibility with nothing after ``as_of`` counted."""
    return compute_many(history, [as_of], playbook)[0]


@dataclass(slots=True)
class _Part:
    """One thread's share of the components as of a moment."""

    mine: list[dict[str, Any]]
    score: int
    repliers: list[str | None]
    """Who answered the founder (the experts among them count)."""
    wait: float | None = None
    worth: bool = False
    solved: bool = False


def _thread_part(history: History, thread_id: int, thread: dict[str, Any], thread_time: datetime,
                 visible: list[dict[str, Any]], as_of: datetime, thread_seen: bool) -> _Part:
    handle = history.handle
    own = [p for p in visible if p["author"] == handle]
    mine = ([thread] if thread_seen and thread["author"] == handle else []) + own
    part = _Part(mine, sum(p["score"] or 0 for p in own), [])
    by_native = {p["native_id"]: p for p in visible}
    previous = None
    for post in visible:
        if (post["author"] != handle
                and solutions.replied_to(post, thread, previous, by_native) == handle):
            part.repliers.append(post["author"])
        previous = post
    if not own or thread["author"] == handle:
        return part
    first = parse_timestamp(own[0]["created_at"])
    part.wait = max(0.0, (first - thread_time).total_seconds() / 3600)
    part.worth = thread_id in history.worth
    solution = solutions.solution_of(thread, visible, until=as_of)
    part.solved = solution is not None and solution.solver == handle
    return part


def compute_many(history: History, moments: Sequence[datetime],
                 playbook: Playbook) -> list[Credibility]:
    """``compute`` as of each of ``moments``, in one pass over the history:
    each thread is read once, and its share is worked out once per distinct
    set of what is visible at the moments (a thread untouched between two
    moments counts the same for both)."""
    handle = history.handle
    components = [Components() for _ in moments]
    waits: list[list[float]] = [[] for _ in moments]
    mine: list[list[dict[str, Any]]] = [[] for _ in moments]
    for thread_id, thread in history.threads.items():
        thread_time = parse_timestamp(thread["created_at"])
        posts = history.posts.get(thread_id, [])
        times = [parse_timestamp(p["created_at"]) for p in posts]
        in_order = all(a <= b for a, b in pairwise(times))  # ``solutions.ordered``
        parts: dict[tuple[bool, tuple[int, ...]], _Part] = {}
        for index, as_of in enumerate(moments):
            # What is visible as of the moment: a prefix when the posts are in time order.
            shown = (tuple(range(bisect_right(times, as_of))) if in_order
                     else tuple(i for i, at in enumerate(times) if at <= as_of))
            key = (thread_time <= as_of, shown)
            part = parts.get(key)
            if part is None:
                part = parts[key] = _thread_part(history, thread_id, thread, thread_time,
                                                 [posts[i] for i in shown], as_of, key[0])
            c = components[index]
            mine[index].extend(part.mine)
            c.score_received += part.score
            c.expert_replies += sum(author in history.experts for author in part.repliers)
            if part.wait is not None:
                c.answers += 1
                waits[index].append(part.wait)
                c.worth_answers += part.worth
                c.solutions += part.solved
    promotion: dict[int, tuple[bool, bool]] = {}
    results = []
    for index, as_of in enumerate(moments):
        c = components[index]
        c.posts = len(mine[index])
        for item in mine[index]:
            found = _promotion(item, promotion, playbook)
            if found[0]:
                c.promo_posts += 1
                c.disclosed += found[1]
        results.append(_finish(history, handle, c, waits[index], as_of, playbook))
    return results


def _promotion(item: dict[str, Any], memo: dict[int, tuple[bool, bool]],
               playbook: Playbook) -> tuple[bool, bool]:
    """(promotes the startup, with its disclosure) for one of the founder's
    posts, worked out once per post object: a post is seen at many moments."""
    found = memo.get(id(item))
    if found is None:
        text = post_text(item)
        promoted = promotes(text, playbook.startup)
        found = memo[id(item)] = (promoted, promoted and has_disclosure(text, playbook.startup))
    return found


# ------------------------------------------------------- kept thread shares
#
# A thread's share of a founder's components changes only when one of its
# posts (or the thread itself) comes into view, so it is a step function of
# the moment: ``_thread_states`` works it out once per step and
# ``credibility_parts`` keeps the steps (m013), dropped by triggers whenever
# the thread, its posts, its classification or its queue item change. The
# experts are not kept: a step keeps who answered the founder, and the
# current experts among them are counted when read.

_ALWAYS = -(2**62)
"""The ``since`` of a thread's first step (before anything of it is visible)."""
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_PARTS_VERSION = 1
"""Bump when what a step holds, or how it is worked out, changes."""


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)


_Step = tuple[int, int, int, int, int, str, float | None, int, int]
"""A thread's share from ``since`` (µs since the epoch) until its next step:
(since, posts, promo posts, disclosed, score received, who answered the
founder as a JSON list, wait in hours or None when not an answer, worth,
solved), as ``credibility_parts`` keeps it."""


def _parts_stamp(playbook: Playbook) -> str:
    """What a kept step depends on besides the thread: the startup's
    promotion and disclosure rules."""
    startup = playbook.startup
    return json.dumps([_PARTS_VERSION, startup.name, startup.disclosure,
                       sorted(startup.domains)], ensure_ascii=False)


def _thread_steps(history: History, thread_id: int, playbook: Playbook) -> list[_Step]:
    """The thread's share at every moment, as steps: exactly what
    ``compute_many`` counts for it as of any moment."""
    thread = history.threads[thread_id]
    thread_time = parse_timestamp(thread["created_at"])
    posts = history.posts.get(thread_id, [])
    times = [parse_timestamp(p["created_at"]) for p in posts]
    promotion: dict[int, tuple[bool, bool]] = {}
    steps: list[_Step] = []
    for as_of in [None, *sorted({thread_time, *times})]:
        if as_of is None:  # before anything of the thread
            part = _thread_part(history, thread_id, thread, thread_time, [], thread_time, False)
        else:
            part = _thread_part(history, thread_id, thread, thread_time,
                                [p for p, at in zip(posts, times, strict=True) if at <= as_of],
                                as_of, thread_time <= as_of)
        promo = disclosed = 0
        for item in part.mine:
            found = _promotion(item, promotion, playbook)
            promo += found[0]
            disclosed += found[0] and found[1]
        step = (_ALWAYS if as_of is None else _micros(as_of), len(part.mine), promo, disclosed,
                part.score, json.dumps(part.repliers), part.wait, int(part.worth),
                int(part.solved))
        if not steps or steps[-1][1:] != step[1:]:
            steps.append(step)
    return steps


_STEP_COLUMNS = "since, posts, promo, disclosed, score, repliers, wait, worth, solved"


def _read_steps(store: Store, handle: str, ids: Sequence[int],
                stamp: str) -> dict[int, list[_Step]]:
    found: dict[int, list[_Step]] = {}
    stale: set[int] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in store.conn.execute(
                f"SELECT thread_id, stamp, {_STEP_COLUMNS} FROM credibility_parts "
                f"WHERE thread_id IN ({marks}) AND handle = ? ORDER BY thread_id, since",
                (*chunk, handle)):
            if row[1] != stamp:
                stale.add(row[0])
                continue
            found.setdefault(row[0], []).append(row[2:])
    for thread_id in stale:
        found.pop(thread_id, None)
    return found


def _keep_steps(store: Store, handle: str, stamp: str, steps: dict[int, list[_Step]]) -> None:
    store.conn.executemany(
        "DELETE FROM credibility_parts WHERE thread_id = ? AND handle = ?",
        [(thread_id, handle) for thread_id in steps])
    store.conn.executemany(
        f"INSERT INTO credibility_parts (thread_id, handle, stamp, {_STEP_COLUMNS}) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(thread_id, handle, stamp, *step) for thread_id, found in steps.items()
         for step in found])


@dataclass
class _Settled:
    """The summed final shares of a founder's threads whose last step lies
    before ``through`` (µs since the epoch): what each of them counts at
    any moment from then on."""

    through: int
    thread_ids: set[int]
    totals: list[int]
    """posts, promo posts, disclosed, score received, answers, worth answers,
    solutions."""
    repliers: dict[str, int]
    """Who answered the founder, over the threads (experts counted on reading)."""
    waits: list[float]


SETTLE_AGAIN = timedelta(days=14)
"""How far behind the trend's start a kept sum may fall before it is added
up again (taking in the threads that settled since)."""


def _settle_target(now: datetime) -> int:
    """Threads whose last step is before the start of the week before the
    trend's first week count the same at every moment ``standings`` shows."""
    return _micros(week_start(week_of(now - timedelta(weeks=TREND_WEEKS + 1))))


def _settle(steps: dict[int, list[_Step]], through: int) -> _Settled:
    settled = _Settled(through, set(), [0] * 7, {}, [])
    for thread_id, found in steps.items():
        last = found[-1]
        if last[0] >= through:
            continue
        settled.thread_ids.add(thread_id)
        totals = settled.totals
        totals[0] += last[1]
        totals[1] += last[2]
        totals[2] += last[3]
        totals[3] += last[4]
        for author in json.loads(last[5]):
            settled.repliers[author] = settled.repliers.get(author, 0) + 1
        if last[6] is not None:
            totals[4] += 1
            totals[5] += last[7]
            totals[6] += last[8]
            settled.waits.append(last[6])
    settled.waits.sort()
    return settled


def _read_settled(store: Store, handle: str, community_id: str, stamp: str) -> _Settled | None:
    row = store.conn.execute(
        "SELECT stamp, through, thread_ids, totals, repliers, waits FROM credibility_settled "
        "WHERE handle = ? AND community_id = ?", (handle, community_id)).fetchone()
    if row is None or row[0] != stamp:
        return None
    return _Settled(row[1], set(json.loads(row[2])), json.loads(row[3]), json.loads(row[4]),
                    json.loads(row[5]))


def _keep_settled(store: Store, handle: str, community_id: str, stamp: str,
                  settled: _Settled) -> None:
    ids = sorted(settled.thread_ids)
    store.conn.execute(
        "INSERT OR REPLACE INTO credibility_settled (handle, community_id, stamp, through, "
        "thread_ids, totals, repliers, waits) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (handle, community_id, stamp, settled.through, json.dumps(ids), json.dumps(settled.totals),
         json.dumps(settled.repliers, ensure_ascii=False), json.dumps(settled.waits)))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        store.conn.execute(
            f"UPDATE credibility_parts SET settled = 1 WHERE thread_id IN ({','.join('?' * len(chunk))}) "
            "AND handle = ?", (*chunk, handle))


def _steps(store: Store, playbook: Playbook, founder: Founder, community: CommunityConfig,
           expert_set: set[str], *, now: datetime | None = None,
           ) -> tuple[History, dict[int, list[_Step]], _Settled | None]:
    """The steps of each thread of the founder's history in the community:
    kept ones read, the others worked out from the thread and kept (when the
    store can be written right away; a busy or read-only store only skips
    keeping them). The history returned holds only the threads worked out.

    With ``now``, the threads settled before the trend (``_settle_target``)
    come as one kept sum instead of their steps, added up again when it was
    dropped or has fallen ``SETTLE_AGAIN`` behind."""
    handle = founder.handle_in(community)
    if handle is None:
        raise CredibilityError(f"founder {founder.name!r} has no handle in community {community.id!r}")
    stamp = _parts_stamp(playbook)
    history = History(founder=founder.name, handle=handle, community=community, threads={},
                      posts={}, worth=set(), experts=expert_set, first_activity=None)
    ids = _history_ids(store, community.id, handle)
    target = _settle_target(now) if now is not None else None
    settled = None
    if target is not None:
        settled = _usable(_read_settled(store, handle, community.id, stamp), target)

    def wanted() -> list[int]:
        return ids if settled is None else [i for i in ids if i not in settled.thread_ids]

    found = _read_steps(store, handle, wanted(), stamp)
    missing = [thread_id for thread_id in wanted() if thread_id not in found]
    if not missing and (settled is not None or target is None):
        return history, found, settled
    conn = store.conn
    keep = not conn.in_transaction
    if keep:
        (busy,) = conn.execute("PRAGMA busy_timeout").fetchone()
        try:
            conn.execute("PRAGMA busy_timeout = 0")
            conn.execute("BEGIN IMMEDIATE")  # nothing changes between reading and keeping
        except sqlite3.OperationalError:
            keep = False
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(busy)}")
    try:
        if keep:  # read again inside the write lock: another call may have kept some
            if target is not None:
                settled = _usable(_read_settled(store, handle, community.id, stamp), target)
            found = _read_steps(store, handle, wanted(), stamp)
            missing = [thread_id for thread_id in wanted() if thread_id not in found]
        history.threads, history.posts, history.worth = _load_threads(store, missing)
        new = {thread_id: _thread_steps(history, thread_id, playbook)
               for thread_id in missing if thread_id in history.threads}
        found.update(new)
        fresh = None
        if settled is None and target is not None:
            settled = fresh = _settle(found, target)
            found = {i: steps for i, steps in found.items() if i not in settled.thread_ids}
        if keep:
            try:
                _keep_steps(store, handle, stamp, new)
                if fresh is not None:
                    _keep_settled(store, handle, community.id, stamp, fresh)
                conn.execute("COMMIT")
            except sqlite3.OperationalError:  # read-only: work from memory
                conn.execute("ROLLBACK")
            keep = False
    finally:
        if keep:
            conn.execute("ROLLBACK")
    return history, found, settled


def _usable(settled: _Settled | None, target: int) -> _Settled | None:
    """A kept sum serves the moments from ``target`` on when it settled
    nothing after ``target`` (an earlier clock asks for earlier moments)
    and has not fallen ``SETTLE_AGAIN`` behind it."""
    if settled is None or not target - SETTLE_AGAIN // timedelta(microseconds=1) <= settled.through <= target:
        return None
    return settled


def _compute_steps(history: History, steps: dict[int, list[_Step]], moments: Sequence[datetime],
                   playbook: Playbook, settled: _Settled | None = None) -> list[Credibility]:
    """``compute_many`` from the threads' steps: each step counts for the
    moments from its start to the next step's, found by bisection among the
    moments in time order and added up as differences (one addition per step,
    not per step and moment). ``settled`` threads count their kept sum at
    every moment (all of which must come after its ``through``)."""
    at = [_micros(moment) for moment in moments]
    order = sorted(range(len(at)), key=at.__getitem__)
    sorted_at = [at[index] for index in order]
    count = len(at)
    experts_of: dict[str, int] = {"[]": 0}
    diff = [[0] * 8 for _ in range(count + 1)]
    base_waits: list[float] = []
    if settled is not None:
        if sorted_at and sorted_at[0] < settled.through:
            raise ValueError("a moment before the settled threads' last steps")
        totals = settled.totals
        diff[0] = [totals[0], totals[1], totals[2], totals[3],
                   sum(n for author, n in settled.repliers.items() if author in history.experts),
                   totals[4], totals[5], totals[6]]
        base_waits = list(settled.waits)
    wait_from: list[list[float]] = [[] for _ in range(count + 1)]
    wait_until: list[list[float]] = [[] for _ in range(count + 1)]
    for found in steps.values():
        for position, step in enumerate(found):
            low = bisect_left(sorted_at, step[0])
            high = (bisect_left(sorted_at, found[position + 1][0], low)
                    if position + 1 < len(found) else count)
            if low >= high:
                continue
            experts_count = experts_of.get(step[5])
            if experts_count is None:
                experts_count = experts_of[step[5]] = sum(
                    author in history.experts for author in json.loads(step[5]))
            answered = step[6] is not None
            values = (step[1], step[2], step[3], step[4], experts_count, int(answered),
                      step[7] if answered else 0, step[8] if answered else 0)
            start, end = diff[low], diff[high]
            for key, value in enumerate(values):
                start[key] += value
                end[key] -= value
            if answered:
                wait_from[low].append(step[6])
                wait_until[high].append(step[6])
    results: list[Credibility | None] = [None] * count
    running = [0] * 8
    waits: list[float] = base_waits
    for rank, index in enumerate(order):
        running = [a + b for a, b in zip(running, diff[rank], strict=True)]
        for wait in wait_from[rank]:
            insort(waits, wait)
        for wait in wait_until[rank]:
            waits.remove(wait)
        c = Components(posts=running[0], promo_posts=running[1], disclosed=running[2],
                       score_received=running[3], expert_replies=running[4], answers=running[5],
                       worth_answers=running[6], solutions=running[7])
        results[index] = _finish(history, history.handle, c, list(waits), moments[index],
                                 playbook)
    return [result for result in results if result is not None]


def _finish(history: History, handle: str, c: Components, waits: list[float], as_of: datetime,
            playbook: Playbook) -> Credibility:
    rules = history.community.etiquette
    if waits:
        c.median_hours_to_answer = round(statistics.median(waits), 2)
    if c.answers:
        c.worth_share = round(c.worth_answers / c.answers, 4)
    if c.posts:
        c.promo_share = round(c.promo_posts / c.posts, 4)
    if c.promo_posts:
        c.disclosure_share = round(c.disclosed / c.promo_posts, 4)

    target = playbook.scoring.answer_within_hours
    if c.median_hours_to_answer is None:
        timeliness = 0.0
    elif c.median_hours_to_answer <= target:
        timeliness = 1.0
    else:
        timeliness = target / c.median_hours_to_answer
    if not c.posts:
        etiquette = 0.0
    else:
        limit = rules.max_self_promotion_share
        share = c.promo_posts / c.posts
        if share <= limit:
            promotion = 1.0
        else:
            promotion = max(0.0, 1 - (share - limit) / limit) if limit > 0 else 0.0
        disclosure = (
            c.disclosed / c.promo_posts if rules.disclosure_required and c.promo_posts else 1.0
        )
        etiquette = promotion * disclosure
    terms = {
        "solutions": _saturating(c.solutions, HALF_AT["solutions"]),
        "answers": _saturating(c.answers, HALF_AT["answers"]),
        "reception": _saturating(c.score_received, HALF_AT["reception"]),
        "experts": _saturating(c.expert_replies, HALF_AT["experts"]),
        "timeliness": timeliness,
        "worth": (c.worth_answers / c.answers) if c.answers else 0.0,
        "etiquette": etiquette,
    }
    terms = {key: round(value, 4) for key, value in terms.items()}
    score = round(100 * sum(WEIGHTS[key] * terms[key] for key in WEIGHTS), 1)
    return Credibility(history.founder, history.community.id, handle, iso(as_of), week_of(as_of),
                       score, c, terms)


# ------------------------------------------------------------ the pairs


def pairs(playbook: Playbook, founder: str | None = None,
          community: str | None = None) -> list[tuple[Founder, CommunityConfig]]:
    """(founder, community) pairs with a handle, filtered by name and id."""
    founders = [playbook.founder(founder)] if founder else list(playbook.founders)
    communities = [playbook.community(community)] if community else list(playbook.communities)
    found = [(f, c) for f in founders for c in communities if f.handle_in(c)]
    if not found and founder and community:
        raise CredibilityError(
            f"founder {founders[0].name!r} has no handle in community {communities[0].id!r}"
        )
    return found


# --------------------------------------------------------- contributions


def record_contributions(store: Store, playbook: Playbook, *, community: str | None = None) -> int:
    """Keep each founder post in ``contributions`` (kind ``answer``: the first
    post in someone else's thread; ``follow_up``: a later one; ``reply``: in
    the founder's own thread; ``thread``: a thread they opened). Returns how
    many rows are new; running it again adds nothing."""
    before = store.scalar("SELECT count(*) FROM contributions")
    communities = [playbook.community(community)] if community else list(playbook.communities)
    with store.transaction():
        for config in communities:
            for handle, name in playbook.founder_handles(config).items():
                store.conn.execute(
                    "INSERT OR IGNORE INTO contributions (founder, community_id, post_id, thread_id, "
                    "kind, created_at, url) "
                    "SELECT ?, p.community_id, p.id, p.thread_id, CASE "
                    "WHEN t.author = p.author THEN 'reply' "
                    "WHEN p.id = (SELECT p2.id FROM posts p2 WHERE p2.thread_id = p.thread_id "
                    "AND p2.author = p.author ORDER BY p2.created_at, p2.id LIMIT 1) THEN 'answer' "
                    "ELSE 'follow_up' END, p.created_at, coalesce(p.url, t.url) "
                    "FROM posts p JOIN threads t ON t.id = p.thread_id "
                    "WHERE p.community_id = ? AND p.author = ?",
                    (name, config.id, handle),
                )
                store.conn.execute(
                    "INSERT INTO contributions (founder, community_id, post_id, thread_id, kind, "
                    "created_at, url) SELECT ?, t.community_id, NULL, t.id, 'thread', t.created_at, "
                    "t.url FROM threads t WHERE t.community_id = ? AND t.author = ? AND NOT EXISTS "
                    "(SELECT 1 FROM contributions c WHERE c.founder = ? AND c.thread_id = t.id "
                    "AND c.kind = 'thread')",
                    (name, config.id, handle, name),
                )
    return store.scalar("SELECT count(*) FROM contributions") - before


# ------------------------------------------------------------- snapshots


def _write_snapshot(store: Store, value: Credibility, now: datetime, *, replace: bool) -> bool:
    verb = "INSERT" if replace else "INSERT OR IGNORE"
    suffix = (
        " ON CONFLICT (founder, community_id, week) DO UPDATE SET score = excluded.score, "
        "components_json = excluded.components_json, taken_at = excluded.taken_at"
        if replace else ""
    )
    cursor = store.conn.execute(
        f"{verb} INTO credibility_snapshots (founder, community_id, week, score, components_json, "
        f"taken_at) VALUES (?, ?, ?, ?, ?, ?){suffix}",
        (value.founder, value.community_id, value.week, value.score,
         json.dumps({"as_of": value.as_of, "components": asdict(value.components),
                     "terms": value.terms}), iso(now)),
    )
    return cursor.rowcount > 0


def take_snapshots(
    store: Store,
    playbook: Playbook,
    *,
    now: datetime | None = None,
    founder: str | None = None,
    community: str | None = None,
    since: datetime | None = None,
    rebuild: bool = False,
) -> int:
    """One snapshot per ISO week per founder per community, from the week of
    the founder's first post there (or ``since``) to this week.

    Past weeks are read from stored history as of the end of the week and
    kept once taken (a snapshot records what the score was, so a later change
    of history or formula does not rewrite the past, unless ``rebuild``);
    the current week is re-taken every time. Returns the rows written."""
    now = now or clock.now(store)
    record_contributions(store, playbook, community=community)
    written = 0
    chosen = pairs(playbook, founder, community)
    voices = {config_id: experts.refresh_voice(store, config_id)
              for config_id in sorted({c.id for _, c in chosen})}
    current = week_of(now)
    for person, config in chosen:
        history = load_history(store, playbook, person, config, voices=voices[config.id])
        start = since or history.first_activity or now
        with store.transaction():
            for week in weeks_between(start, now):
                as_of = min(week_end(week) - timedelta(seconds=1), now)
                value = compute(history, as_of, playbook)
                written += _write_snapshot(store, value, now, replace=rebuild or week == current)
    return written


def snapshots(store: Store, founder: str, community_id: str) -> dict[str, float]:
    return {
        row["week"]: row["score"]
        for row in store.query(
            "SELECT week, score FROM credibility_snapshots WHERE founder = ? AND community_id = ? "
            "ORDER BY week", (founder, community_id))
    }


# -------------------------------------------------------------- standing


@dataclass
class Standing:
    """A founder in a community now: the score and its parts, the trend and
    where the founder's voice ranks next to the community's experts."""

    founder: str
    community_id: str
    handle: str
    week: str
    score: float
    components: dict[str, Any]
    terms: dict[str, float]
    trend: list[tuple[str, float]] = field(default_factory=list)
    sparkline: str = ""
    change: float | None = None
    """Score now minus the score at the start of the trend."""
    voice: float = 0.0
    rank: int | None = None
    ranked: int = 0
    louder: list[dict[str, Any]] = field(default_factory=list)
    voice_as_of: str | None = None
    """When the community's voice (rank, ranked, louder) was computed."""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def standings(
    store: Store,
    playbook: Playbook,
    *,
    founder: str | None = None,
    community: str | None = None,
    now: datetime | None = None,
    weeks: int = TREND_WEEKS,
) -> list[Standing]:
    """Current standing of each founder in each community (filtered by
    founder name/handle and community id). The trend shows the last ``weeks``
    ISO weeks: stored snapshots where taken, else computed from history (all
    the missing weeks and now in one pass); the current week is always
    computed now.

    Voice (the rank, the experts) is the community's kept voice
    (``experts.stored_voice``), never computed here unless none was ever
    kept: the watcher refreshes it after its passes, and ``beachhead
    credibility`` (the snapshots) whenever the data changed. It may be a
    pass behind; ``voice_as_of`` says when it was computed. Reads only
    (except that first computation, which is kept)."""
    now = now or clock.now(store)
    current = week_of(now)
    shown = [week_of(now - timedelta(weeks=back)) for back in range(weeks - 1, -1, -1)]
    kept: dict[str, tuple[experts.StoredVoice, set[str]]] = {}
    result = []
    for person, config in pairs(playbook, founder, community):
        if config.id not in kept:
            voice = experts.stored_voice(store, config.id)
            kept[config.id] = voice, experts.expert_handles(store, playbook, config.id, stored=voice)
        voice, community_experts = kept[config.id]
        history, steps, settled = _steps(store, playbook, person, config, community_experts,
                                         now=now)
        stored = snapshots(store, person.name, config.id)
        missing = [week for week in shown if week != current and week not in stored]
        values = _compute_steps(
            history, steps, [now, *(week_end(week) - timedelta(seconds=1) for week in missing)],
            playbook, settled)
        live, computed = values[0], dict(zip(missing, values[1:], strict=True))
        trend = [(week, live.score if week == current
                  else stored[week] if week in stored else computed[week].score) for week in shown]
        own, rank = voice.members(store, [history.handle]).get(history.handle, (None, None))
        louder = [(found_rank, member.handle, member.voice) for found_rank, member
                  in experts.louder_experts(store, playbook, voice, above=rank,
                                            experts=community_experts)]
        result.append(Standing(
            founder=person.name, community_id=config.id, handle=history.handle, week=current,
            score=live.score, components=asdict(live.components), terms=live.terms,
            trend=trend, sparkline=sparkline([s for _, s in trend]),
            change=round(live.score - trend[0][1], 1) if len(trend) > 1 else None,
            voice=own.voice if own is not None and rank is not None else 0.0,
            rank=rank, ranked=voice.ranked,
            louder=[{"handle": handle, "voice": value} for _, handle, value in louder],
            voice_as_of=voice.computed_at,
        ))
    return result
