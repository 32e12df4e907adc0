"""Every number in the weekly report, computed from the store alone.

The result is one plain dict (JSON as it is), so the Markdown, HTML and JSON
renderings can never disagree: they only format it. Each section is counted for
the report's ISO week and for the week before. A week still under way is counted
up to the store's clock ("as of"); what happened to an item later (a late
answer, say) is counted as it is known when the report is made.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from assistant.domain import iso, parse_timestamp
from assistant.report.weeks import Week, week_key
from assistant.store import Store
from playbooks import CATEGORIES, Playbook

SCHEMA_VERSION = 1
OPEN_STATES = ("queued", "claimed", "snoozed")
TRIAGE_SETTING = "triage.week.{week}"
"""settings key under which each triage session of a week records its result."""


def build_report(store: Store, playbook: Playbook, week: Week, *, now: datetime,
                 top: int = 5) -> dict[str, Any]:
    previous = week.previous
    windows = {"week": (week.start, week.end), "previous": (previous.start, previous.end)}

    def both(count) -> dict:
        return {name: count(start, end) for name, (start, end) in windows.items()}

    return {
        "schema": SCHEMA_VERSION,
        "week": str(week),
        "span": week.span(),
        "start": iso(week.start),
        "end": iso(week.end),
        "previous_week": str(previous),
        "generated_at": iso(now),
        "as_of": iso(min(week.end, now)),
        "complete": now >= week.end,
        "startup": {"name": playbook.startup.name, "home_country": playbook.startup.home_country},
        "threads": both(lambda s, e: thread_counts(store, playbook, s, e)),
        "problems": pervasive_problems(store, playbook, week, now, top=top),
        "faq_candidates": faq_candidates(store, playbook, week),
        "communities": community_fit(store, playbook, week),
        "etiquette": etiquette_audit(store, playbook, week),
        "queue": {
            "answer_within_hours": playbook.scoring.answer_within_hours,
            **both(lambda s, e: queue_health(store, s, e, now)),
        },
        "credibility": credibility(store, week),
        "experts": experts(store, playbook, week.start, week.end, top=top),
        "user_types": {
            "values": dict(playbook.user_types.values),
            **both(lambda s, e: user_types(store, playbook, s, e)),
        },
        "reach": {
            "home_country": playbook.startup.home_country,
            "engaged": both(lambda s, e: country_split(engaged_members(store, playbook, s, e),
                                                       store, playbook)),
            "active": both(lambda s, e: country_split(active_members(store, playbook, s, e),
                                                      store, playbook)),
            "leads": both(lambda s, e: leads(store, playbook, s, e)),
        },
        "agreement": {"week": agreement(store, week), "previous": agreement(store, previous)},
    }


def faq_candidates(store: Store, playbook: Playbook, week: Week) -> list[dict[str, Any]]:
    """Problem groups the founders have solved three or more times by the end
    of the week: one written answer, or one free tool, would serve everyone."""
    from assistant.similar import faq_candidates as candidates

    return [
        {key: value for key, value in candidate.as_dict().items() if key != "threads"}
        for candidate in candidates(store, playbook, until=week.end)
    ]


FIT_WINDOW_DAYS = 28


def community_fit(store: Store, playbook: Playbook, week: Week) -> list[dict[str, Any]]:
    """How well each of the playbook's communities still fits (the scouting
    measure over its last four weeks): problems, what we can solve, what goes
    unanswered, how international it is. Best fit first."""
    from assistant.scout import Fit, measure

    since = week.end - timedelta(days=FIT_WINDOW_DAYS)
    fits = []
    for community in playbook.communities:
        ids = [row[0] for row in store.conn.execute(
            "SELECT id FROM threads WHERE community_id = ? AND created_at >= ? AND created_at < ?",
            (community.id, iso(since), iso(week.end)))]
        if not ids:
            continue
        fit = measure(store, playbook, community.id, ids,
                      Fit(community.id, community.platform, community.locator))
        shown = fit.as_dict()
        fits.append({key: shown[key] for key in (
            "spec", "fit", "sampled", "per_day", "problem_share", "solvable_share",
            "unanswered_share", "countries", "languages", "abroad_share", "experts", "reasons")})
    return sorted(fits, key=lambda f: -f["fit"])


def etiquette_audit(store: Store, playbook: Playbook, week: Week) -> list[dict[str, Any]]:
    """The founders' posts of the week that broke a community's rules."""
    from dataclasses import asdict

    from assistant.etiquette import audit_posts

    return [asdict(finding) for finding in audit_posts(store, playbook, since=week.start)
            if finding.created_at < iso(week.end)]


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _communities(store: Store, playbook: Playbook) -> list[str]:
    """The playbook's communities in its order, then any others with data."""
    known = [c.id for c in playbook.communities]
    extra = sorted(
        row[0] for row in store.conn.execute("SELECT DISTINCT community_id FROM threads")
        if row[0] not in known
    )
    return known + extra


def _founder_keys(playbook: Playbook) -> set[tuple[str, str]]:
    return {
        (community.id, handle)
        for community in playbook.communities
        for handle in playbook.founder_handles(community)
    }


# ---------------------------------------------------------------- threads


def thread_counts(store: Store, playbook: Playbook, start: datetime, end: datetime) -> dict:
    """New threads by community and by category (the stored judgement)."""
    rows = store.query(
        "SELECT t.community_id, coalesce(c.category, 'unclassified') AS category, count(*) AS n "
        "FROM threads t LEFT JOIN classifications c ON c.thread_id = t.id "
        "WHERE t.created_at >= ? AND t.created_at < ? GROUP BY 1, 2",
        (iso(start), iso(end)),
    )
    categories = list(CATEGORIES)
    if any(r["category"] not in categories for r in rows):
        categories += sorted({r["category"] for r in rows} - set(categories))
    by_both = {c: dict.fromkeys(categories, 0) for c in _communities(store, playbook)}
    for row in rows:
        by_both.setdefault(row["community_id"], dict.fromkeys(categories, 0))
        by_both[row["community_id"]][row["category"]] = row["n"]
    by_category = {cat: sum(counts[cat] for counts in by_both.values()) for cat in categories}
    return {
        "total": sum(by_category.values()),
        "by_community": {c: sum(counts.values()) for c, counts in by_both.items()},
        "by_category": by_category,
        "by_community_category": by_both,
    }


# --------------------------------------------------------------- problems


_SHOWN_GROUP = """
WITH w AS MATERIALIZED (
    SELECT thread_id AS id, community_id, author, created_at, capability_id, me_too
    FROM cluster_threads
    WHERE cluster_id = ? AND created_at >= ? AND created_at <= ? AND created_at < ?
), people AS (
    SELECT min(created_at) AS first FROM (
        SELECT community_id, author AS person, created_at FROM w
        UNION ALL
        SELECT w.community_id, j.value, w.created_at FROM w, json_each(w.me_too) j
        WHERE w.me_too IS NOT NULL
    ) WHERE person IS NOT NULL AND person != '' GROUP BY community_id, person
)
SELECT
    (SELECT count(*) FROM w),
    (SELECT sum(created_at >= ?) FROM w),
    (SELECT capability_id FROM w WHERE capability_id IS NOT NULL GROUP BY capability_id
     ORDER BY count(*) DESC, min(created_at), min(id) LIMIT 1),
    (SELECT sum(first >= ?) FROM people),
    (SELECT sum(first >= ? AND first < ?) FROM people),
    (SELECT json_group_array(json_array(e.id, e.community_id,
                                        (SELECT title FROM threads WHERE id = e.id),
                                        (SELECT url FROM threads WHERE id = e.id))) FROM (
        SELECT id, community_id FROM w ORDER BY created_at DESC, id DESC LIMIT 3) e)
"""
"""A shown group's window threads (``pervasive_problems``): how many, how many
this week, the most common capability (ties: the one seen first), the members
(askers and "me too" replies, each account once) first seen this week and the
week before, and the three newest threads."""


def pervasive_problems(store: Store, playbook: Playbook, week: Week, now: datetime, *,
                       top: int) -> dict:
    """The same-problem groups with a pervasive, solvable thread, active in
    the playbook's lookback window, most affected members first: the
    candidates for a product.

    The numbers are the ones the pipeline keeps per group
    (``problem_clusters``, written by ``grouping.refresh``): affected members
    (askers plus "me too" replies, a person linked across communities counted
    once) and their countries, counted over the lookback window as of the
    group's last refresh (the watcher's last pass that touched it), and the
    communities and languages of all its threads; none is recounted here.
    A group qualifies when
    one of its threads is judged ``pervasive_solvable`` (``pervasive_clusters``)
    and its last thread falls inside the window ending with the week (or now);
    ranking is by affected members, then countries, then stored growth.

    Only the groups shown are read further, their threads inside the window:
    ``threads``, ``threads_week``, the most common capability, the newest
    three as examples, and the members (askers and "me too" replies, each
    account once) whose first thread there fell in the week
    (``new_members_week``) or the week before (``new_members_previous``);
    ``growth`` is their difference. The cost depends on the pervasive groups
    and the shown groups' window, never on all threads."""
    lookback = playbook.categories.lookback_days
    end = min(week.end, now)
    since = end - timedelta(days=lookback)
    window = (iso(since), iso(week.end))
    # The pervasive groups active in the window: one range of their index
    # (m017), however many groups were ever pervasive.
    in_window = ("FROM pervasive_clusters pv INDEXED BY pervasive_clusters_window "
                 "WHERE pv.threads > 0 AND pv.last_seen_at >= ? AND pv.first_seen_at < ?")
    candidates = store.scalar(f"SELECT count(*) {in_window}", window) or 0
    # Ranked from the index (it carries the group's numbers), then only the
    # top groups' rows are read.
    ranked = store.query(
        "SELECT pc.id, pc.label, pc.affected_members, pc.countries_json, pc.communities_json, "
        f"pc.languages_json FROM (SELECT pv.cluster_id, pv.affected_members, pv.countries, "
        f"pv.growth {in_window} ORDER BY pv.affected_members DESC, pv.countries DESC, "
        "pv.growth DESC, pv.cluster_id LIMIT ?) AS top "
        "JOIN problem_clusters pc ON pc.id = top.cluster_id "
        "ORDER BY top.affected_members DESC, top.countries DESC, top.growth DESC, pc.id",
        (*window, top),
    )
    week_start, previous_start = iso(week.start), iso(week.previous.start)
    in_window = (iso(since), iso(end), iso(week.end))
    shown = []
    for group in ranked:
        # One read of the group's window threads; SQL counts what is shown of them.
        threads, threads_week, capability, new_week, new_previous, examples = store.conn.execute(
            _SHOWN_GROUP,
            (group["id"], *in_window, week_start, week_start, previous_start, week_start),
        ).fetchone()
        new_week, new_previous = new_week or 0, new_previous or 0
        shown.append({
            "id": group["id"],
            "label": group["label"],
            "capability": capability,
            "threads": threads,
            "threads_week": threads_week or 0,
            "affected_members": group["affected_members"],
            "countries": json.loads(group["countries_json"]),
            "communities": json.loads(group["communities_json"]),
            "languages": json.loads(group["languages_json"]),
            "new_members_week": new_week,
            "new_members_previous": new_previous,
            "growth": new_week - new_previous,
            "examples": [
                {"thread_id": e[0], "community": e[1], "title": e[2], "url": e[3]}
                for e in json.loads(examples or "[]")
            ],
        })
    return {"lookback_days": lookback, "candidates": candidates, "groups": shown}


# ------------------------------------------------------------------ queue


def _events(store: Store) -> dict[int, list[tuple[datetime, str]]]:
    events: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    for item_id, at, to_state in store.conn.execute(
        "SELECT item_id, at, to_state FROM queue_events ORDER BY item_id, at, id"
    ):
        events[item_id].append((parse_timestamp(at), to_state))
    return events


def state_at(item: dict, events: list[tuple[datetime, str]], moment: datetime) -> str | None:
    """An item's state at a moment, from its events; an answer-by time that
    passed while nobody held it counts as expired even before the clock step
    that records it has run. None: the item did not exist yet."""
    state = None
    for at, to_state in events:
        if at > moment:
            break
        state = to_state
    if state is None and not events and parse_timestamp(item["created_at"]) <= moment:
        state = item["state"]
    if state in ("queued", "snoozed", "new") and parse_timestamp(item["answer_by"]) <= moment:
        return "expired"
    return state


def _outcome(item: dict, now: datetime) -> str:
    """What became of an item whose answer-by time has passed, as known now."""
    state = item["state"]
    if state == "answered":
        answered_at = item["answered_at"] and parse_timestamp(item["answered_at"])
        if answered_at and answered_at <= parse_timestamp(item["answer_by"]):
            return "answered_on_time"
        return "answered_late"
    if state == "dismissed":
        return "dismissed"
    if state == "claimed":
        return "overdue"
    return "expired"


def _median_hours(spans: Iterable[timedelta]) -> float | None:
    hours = [span.total_seconds() / 3600 for span in spans]
    return round(statistics.median(hours), 2) if hours else None


def queue_health(store: Store, start: datetime, end: datetime, now: datetime) -> dict:
    """Timeliness: of the items whose answer-by time passed in the window, how
    many were answered by then; how long founders took to answer; what was
    still open when the window closed (or now, for a week under way)."""
    items = store.query(
        "SELECT q.*, t.created_at AS thread_created_at FROM queue_items q "
        "JOIN threads t ON t.id = q.thread_id ORDER BY q.id"
    )
    events = _events(store)
    outcomes = dict.fromkeys(
        ("answered_on_time", "answered_late", "expired", "dismissed", "overdue"), 0
    )
    answered_spans, queue_spans = [], []
    by_founder: Counter[str] = Counter()
    backlog: Counter[str] = Counter()
    enqueued = 0
    for item in items:
        created = parse_timestamp(item["created_at"])
        answer_by = parse_timestamp(item["answer_by"])
        if start <= created < end:
            enqueued += 1
        if start <= answer_by < end and answer_by <= now:
            outcomes[_outcome(item, now)] += 1
        if item["answered_at"]:
            answered_at = parse_timestamp(item["answered_at"])
            if start <= answered_at < end:
                answered_spans.append(answered_at - parse_timestamp(item["thread_created_at"]))
                queue_spans.append(answered_at - created)
                by_founder[item["answered_by"] or "unknown"] += 1
        state = state_at(item, events.get(item["id"], []), min(end, now))
        if state in OPEN_STATES:
            backlog[state] += 1
    due = sum(outcomes.values())
    return {
        "enqueued": enqueued,
        "due": due,
        **outcomes,
        "on_time_share": _share(outcomes["answered_on_time"], due - outcomes["dismissed"]),
        "answered": len(answered_spans),
        "answered_by_founder": dict(sorted(by_founder.items())),
        "median_hours_to_answer": _median_hours(answered_spans),
        "median_hours_from_queue": _median_hours(queue_spans),
        "backlog": sum(backlog.values()),
        "backlog_by_state": {state: backlog[state] for state in OPEN_STATES},
    }


# ------------------------------------------------------------ credibility


def credibility(store: Store, week: Week, history_weeks: int = 12) -> dict:
    """Each founder's standing per community: the snapshot of the week (or
    the latest before it), the one before, and the trend up to the week."""
    rows = store.query(
        "SELECT founder, community_id, week, score, components_json, taken_at "
        "FROM credibility_snapshots ORDER BY founder, community_id, taken_at, id"
    )
    series: dict[tuple[str, str], dict[Week, dict]] = defaultdict(dict)
    for row in rows:
        key = week_key(row["week"])
        if key is not None and key <= week:
            series[(row["founder"], row["community_id"])][key] = row
    founders = []
    for (founder, community), by_week in sorted(series.items()):
        weeks = sorted(by_week)
        latest = weeks[-1]
        before = [w for w in weeks if w < latest]
        previous = before[-1] if before else None
        score = by_week[latest]["score"]
        previous_score = by_week[previous]["score"] if previous else None
        founders.append(
            {
                "founder": founder,
                "community": community,
                "week": str(latest),
                "current": latest == week,
                "score": round(score, 4),
                "previous_week": str(previous) if previous else None,
                "previous_score": round(previous_score, 4) if previous_score is not None else None,
                "change": round(score - previous_score, 4) if previous_score is not None else None,
                "components": json.loads(by_week[latest]["components_json"] or "{}"),
                "history": [
                    {"week": str(w), "score": round(by_week[w]["score"], 4)}
                    for w in weeks[-history_weeks:]
                ],
            }
        )
    return {
        "snapshots": bool(rows),
        "snapshots_this_week": sum(1 for f in founders if f["current"]),
        "founders": founders,
    }


# ---------------------------------------------------------------- experts


def experts(store: Store, playbook: Playbook, start: datetime, end: datetime, *, top: int) -> dict:
    """Per community, the members whose voice carries furthest (and those
    judged experts): the people a founder should work with, not against."""
    rows = store.query(
        "SELECT * FROM (SELECT m.id, m.community_id, m.native_id, m.handle, m.user_type, m.voice, "
        "m.country, row_number() OVER (PARTITION BY m.community_id ORDER BY m.voice IS NULL, "
        "m.voice DESC, coalesce(m.user_type, '') = 'expert' DESC, m.handle) AS rank "
        "FROM members m WHERE (m.user_type = 'expert' OR m.voice IS NOT NULL) "
        "AND coalesce(m.user_type, '') <> 'founder') WHERE rank <= ? ORDER BY community_id, rank",
        (top + len(playbook.founders),),
    )
    founders = _founder_keys(playbook)
    by_community: dict[str, list[dict]] = {c: [] for c in _communities(store, playbook)}
    for row in rows:
        key = (row["community_id"], row["native_id"])
        listed = by_community.setdefault(row["community_id"], [])
        if key in founders or len(listed) >= top:
            continue
        accepted = store.scalar(
            "SELECT count(*) FROM posts WHERE community_id = ? AND author = ? AND is_accepted = 1",
            key,
        )
        posts_week = store.scalar(
            "SELECT count(*) FROM posts WHERE community_id = ? AND author = ? "
            "AND created_at >= ? AND created_at < ?",
            (*key, iso(start), iso(end)),
        )
        listed.append(
            {
                "handle": row["handle"],
                "user_type": row["user_type"] or "unknown",
                "voice": round(row["voice"], 4) if row["voice"] is not None else None,
                "country": row["country"],
                "accepted_answers": accepted,
                "replies_week": posts_week,
            }
        )
    return {"communities": by_community}


# ------------------------------------------------------------- user types


def active_members(store: Store, playbook: Playbook, start: datetime,
                   end: datetime) -> set[tuple[str, str]]:
    """Everyone who opened a thread or replied in the window, founders aside."""
    rows = store.conn.execute(
        "SELECT community_id, author FROM threads WHERE created_at >= ? AND created_at < ? "
        "AND author IS NOT NULL UNION SELECT community_id, author FROM posts "
        "WHERE created_at >= ? AND created_at < ? AND author IS NOT NULL",
        (iso(start), iso(end), iso(start), iso(end)),
    )
    return {(c, a) for c, a in rows} - _founder_keys(playbook)


def _member_rows(store: Store, keys: set[tuple[str, str]]) -> dict[tuple[str, str], dict]:
    found = {}
    for community_id, native_id in sorted(keys):
        row = store.query_one(
            "SELECT community_id, native_id, user_type, user_value, country FROM members "
            "WHERE community_id = ? AND native_id = ?",
            (community_id, native_id),
        )
        found[(community_id, native_id)] = row or {
            "community_id": community_id, "native_id": native_id, "user_type": None,
            "user_value": None, "country": None,
        }
    return found


def user_types(store: Store, playbook: Playbook, start: datetime, end: datetime) -> dict:
    """Active members by user type, and what they are worth to the startup
    (each member's stored value, else the playbook's value for the type)."""
    values = playbook.user_types.values
    members = _member_rows(store, active_members(store, playbook, start, end))
    counts: Counter[str] = Counter()
    worth: dict[str, float] = defaultdict(float)
    for row in members.values():
        kind = row["user_type"] or "unknown"
        if kind == "founder":
            continue
        counts[kind] += 1
        value = row["user_value"] if row["user_value"] is not None else values.get(kind, 0.0)
        worth[kind] += value
    kinds = [k for k in values if counts[k]] + sorted(k for k in counts if k not in values)
    return {
        "members": sum(counts.values()),
        "total_value": round(sum(worth.values()), 4),
        "by_type": {k: {"members": counts[k], "value": round(worth[k], 4)} for k in kinds},
    }


# ------------------------------------------------------------------ reach


def engaged_members(store: Store, playbook: Playbook, start: datetime,
                    end: datetime) -> set[tuple[str, str]]:
    """The askers a founder answered in the window: founders' replies seen on
    the forums, answered queue items and recorded contributions."""
    founders = _founder_keys(playbook)
    engaged: set[tuple[str, str]] = set()
    window = (iso(start), iso(end))
    for community_id, handle in sorted(founders):
        engaged.update(
            store.conn.execute(
                "SELECT DISTINCT t.community_id, t.author FROM posts p JOIN threads t "
                "ON t.id = p.thread_id WHERE p.community_id = ? AND p.author = ? "
                "AND p.created_at >= ? AND p.created_at < ? AND t.author IS NOT NULL",
                (community_id, handle, *window),
            )
        )
    engaged.update(
        store.conn.execute(
            "SELECT t.community_id, t.author FROM queue_items q JOIN threads t ON t.id = q.thread_id "
            "WHERE q.answered_at >= ? AND q.answered_at < ? AND t.author IS NOT NULL",
            window,
        )
    )
    engaged.update(
        store.conn.execute(
            "SELECT t.community_id, t.author FROM contributions c JOIN threads t "
            "ON t.id = c.thread_id WHERE c.created_at >= ? AND c.created_at < ? "
            "AND t.author IS NOT NULL",
            window,
        )
    )
    return {tuple(key) for key in engaged} - founders


def _split(countries: list[str | None], home: str | None) -> dict:
    known = [c for c in countries if c]
    abroad = sum(1 for c in known if c != home)
    return {
        "count": len(countries),
        "home": len(known) - abroad,
        "abroad": abroad,
        "unknown": len(countries) - len(known),
        "share_abroad": _share(abroad, len(known)),
        "by_country": dict(sorted(Counter(known).items(), key=lambda kv: (-kv[1], kv[0]))),
    }


def country_split(keys: set[tuple[str, str]], store: Store, playbook: Playbook) -> dict:
    members = _member_rows(store, keys)
    return _split([row["country"] for row in members.values()], playbook.startup.home_country)


def leads(store: Store, playbook: Playbook, start: datetime, end: datetime) -> dict:
    """Leads that arrived in the window, by stage, community, problem group and
    country (the lead's own, else its member's)."""
    rows = store.query(
        "SELECT l.*, coalesce(l.country, m.country) AS where_from, pc.label AS problem "
        "FROM leads l LEFT JOIN members m ON m.community_id = l.community_id "
        "AND m.native_id = l.member LEFT JOIN problem_clusters pc ON pc.id = l.cluster_id "
        "WHERE l.created_at >= ? AND l.created_at < ? ORDER BY l.value DESC, l.id",
        (iso(start), iso(end)),
    )
    split = _split([row["where_from"] for row in rows], playbook.startup.home_country)
    abroad_value = sum(
        row["value"] for row in rows
        if row["where_from"] and row["where_from"] != playbook.startup.home_country
    )
    return {
        **split,
        "value": round(sum(row["value"] for row in rows), 2),
        "value_abroad": round(abroad_value, 2),
        "by_stage": dict(Counter(row["stage"] for row in rows).most_common()),
        "by_community": dict(Counter(row["community_id"] or "unknown" for row in rows).most_common()),
        "by_problem": dict(Counter(row["problem"] for row in rows if row["problem"]).most_common()),
        "items": [
            {"member": row["member"], "community": row["community_id"], "stage": row["stage"],
             "value": row["value"], "country": row["where_from"], "problem": row["problem"]}
            for row in rows[:20]
        ],
    }


# -------------------------------------------------------------- agreement


def agreement(store: Store, week: Week) -> dict:
    """How often the models agreed with the analysts: the triage sessions of
    the week record it on their held-out labels, before and after retraining."""
    sessions = store.get_setting(TRIAGE_SETTING.format(week=week)) or []
    labels = store.query(
        "SELECT source, kind, count(*) AS n FROM labels WHERE created_at >= ? AND created_at < ? "
        "GROUP BY source, kind ORDER BY source, kind",
        (iso(week.start), iso(week.end)),
    )
    totals: dict[str, dict[str, int]] = {}
    for kind in ("category", "user_type"):
        held = sum(s["agreement"][kind]["held_out"] for s in sessions)
        before = sum(s["agreement"][kind]["before"] for s in sessions)
        after = sum(s["agreement"][kind]["after"] for s in sessions)
        totals[kind] = {
            "held_out": held,
            "before": before,
            "after": after,
            "before_share": _share(before, held),
            "after_share": _share(after, held),
        }
    return {
        "sessions": len(sessions),
        "analysts": sorted({s["analyst"] for s in sessions}),
        "labelled": sum(s["labelled"] for s in sessions),
        "accepted": sum(s["accepted"] for s in sessions),
        "corrected": sum(s["corrected"] for s in sessions),
        "labels_by_source": {
            f"{row['source']}/{row['kind']}": row["n"] for row in labels
        },
        **totals,
    }
