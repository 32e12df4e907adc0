"""Capturing value: leads and customers, the public review thread, and reach abroad.

Answering is the means; customers abroad are the end. A lead is recorded with
the thread, the community and the problem group that brought it, so the team
can see which communities and which problems pay (the research: relations
begin in public and move to e-mail and calls — note where they began). The
review thread is the persistent public "Review of …" thread each community's
playbook entry names; its new posts are surfaced with a sentiment. Reach is
the Dewak yardstick: how much of the engagement, the leads and the revenue
comes from outside the home country (Dewak: 95% of revenue from abroad).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pycountry

from assistant import clock
from assistant.domain import iso, parse_timestamp
from assistant.sentiment import score_text
from assistant.store import Store
from assistant.threadref import ThreadNotFound, resolve_thread
from playbooks import Playbook

STAGES = ("contacted", "lead", "customer")
DEWAK_ABROAD_SHARE = 0.95
SEEN_SETTING = "review_thread.seen.{community}"


class ValueCaptureError(Exception):
    """Base of every value-capture error."""


class LeadError(ValueCaptureError):
    """A lead that cannot be recorded or changed; the message quotes the input."""


class DuplicateLead(LeadError):
    """The member is already a lead for that thread."""


class ReachError(ValueCaptureError):
    """Reach cannot be measured (the playbook lacks a home country)."""


# ------------------------------------------------------------------ leads


@dataclass
class Lead:
    id: int
    thread_id: int | None
    thread_title: str | None
    community_id: str | None
    cluster_id: int | None
    problem_group: str | None
    member: str
    stage: str
    value: float
    country: str | None
    abroad: bool | None
    note: str | None
    created_at: str
    updated_at: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def country_code(value: str) -> str:
    """ISO 3166 alpha-2 from an alpha-2 or alpha-3 code (any case)."""
    text = (value or "").strip()
    found = None
    if len(text) == 2:
        found = pycountry.countries.get(alpha_2=text.upper())
    elif len(text) == 3:
        found = pycountry.countries.get(alpha_3=text.upper())
    if found is None:
        raise LeadError(f"country {value!r} is not an ISO 3166 country code (e.g. DE, MX, USA)")
    return found.alpha_2


def check_stage(stage: str) -> str:
    wanted = (stage or "").strip().lower()
    if wanted not in STAGES:
        raise LeadError(f"stage {stage!r} is not one of {', '.join(STAGES)}")
    return wanted


def check_value(value: float) -> float:
    try:
        amount = float(value)
    except (TypeError, ValueError):
        raise LeadError(f"value {value!r} is not a number") from None
    if amount != amount or amount < 0:
        raise LeadError(f"value {value!r} must be zero or more")
    return amount


_LEAD_SQL = """
SELECT l.*, t.title AS thread_title, pc.label AS problem_group
FROM leads l LEFT JOIN threads t ON t.id = l.thread_id
LEFT JOIN problem_clusters pc ON pc.id = l.cluster_id
"""


def _lead(row: dict[str, Any], home: str | None) -> Lead:
    return Lead(
        id=row["id"], thread_id=row["thread_id"], thread_title=row["thread_title"],
        community_id=row["community_id"], cluster_id=row["cluster_id"],
        problem_group=row["problem_group"], member=row["member"], stage=row["stage"],
        value=row["value"], country=row["country"],
        abroad=(row["country"] != home) if row["country"] and home else None,
        note=row["note"], created_at=row["created_at"], updated_at=row["updated_at"],
    )


def get_lead(store: Store, playbook: Playbook, lead_id: Any) -> Lead:
    try:
        number = int(str(lead_id).lstrip("#"))
    except ValueError:
        raise LeadError(f"lead {str(lead_id)!r} does not exist") from None
    row = store.query_one(_LEAD_SQL + " WHERE l.id = ?", (number,))
    if row is None:
        raise LeadError(f"lead {str(lead_id)!r} does not exist")
    return _lead(row, playbook.startup.home_country)


def _member(store: Store, community_id: str, handle: str) -> dict[str, Any] | None:
    return store.query_one(
        "SELECT native_id, country FROM members WHERE community_id = ? AND "
        "(native_id = ? OR lower(handle) = lower(?)) ORDER BY native_id = ? DESC LIMIT 1",
        (community_id, handle, handle, handle),
    )


def add_lead(
    store: Store,
    playbook: Playbook,
    *,
    thread: Any,
    member: str,
    stage: str,
    value: float = 0.0,
    country: str | None = None,
    note: str | None = None,
    now: datetime | None = None,
) -> Lead:
    """Record a lead that began in ``thread``, attributed to its community and
    problem group. The country defaults to the member's judged country. A
    second lead for the same member and thread is refused (change its stage)."""
    stage = check_stage(stage)
    amount = check_value(value)
    code = country_code(country) if country else None
    handle = (member or "").strip().removeprefix("@").removeprefix("u/")
    if not handle:
        raise LeadError("member is empty")
    try:
        row = resolve_thread(store, thread)
    except ThreadNotFound as error:
        raise LeadError(str(error)) from None
    known = _member(store, row["community_id"], handle)
    if known:
        handle = known["native_id"]
        code = code or known["country"]
    existing = store.scalar(
        "SELECT id FROM leads WHERE thread_id = ? AND member = ?", (row["id"], handle)
    )
    if existing:
        raise DuplicateLead(
            f"{handle!r} is already lead #{existing} for thread {str(thread)!r}; "
            f"use: beachhead lead stage {existing} STAGE"
        )
    cluster_id = store.scalar("SELECT cluster_id FROM thread_clusters WHERE thread_id = ?", (row["id"],))
    stamp = iso(now or clock.now(store))
    with store.transaction():
        lead_id = store.conn.execute(
            "INSERT INTO leads (thread_id, community_id, cluster_id, member, stage, value, country, "
            "note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (row["id"], row["community_id"], cluster_id, handle, stage, amount, code, note, stamp,
             stamp),
        ).lastrowid
    return get_lead(store, playbook, lead_id)


def set_stage(store: Store, playbook: Playbook, lead_id: Any, stage: str, *,
              value: float | None = None, now: datetime | None = None) -> Lead:
    """Move a lead to another stage (optionally with its new value)."""
    lead = get_lead(store, playbook, lead_id)
    stage = check_stage(stage)
    amount = lead.value if value is None else check_value(value)
    with store.transaction():
        store.conn.execute(
            "UPDATE leads SET stage = ?, value = ?, updated_at = ? WHERE id = ?",
            (stage, amount, iso(now or clock.now(store)), lead.id),
        )
    return get_lead(store, playbook, lead.id)


def list_leads(store: Store, playbook: Playbook, *, stage: str | None = None,
               community: str | None = None) -> list[Lead]:
    where, params = [], []
    if stage:
        where.append("l.stage = ?")
        params.append(check_stage(stage))
    if community:
        playbook.community(community)
        where.append("l.community_id = ?")
        params.append(community)
    sql = _LEAD_SQL + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY l.id"
    return [_lead(row, playbook.startup.home_country) for row in store.query(sql, params)]


@dataclass
class LoadReport:
    added: int = 0
    skipped: int = 0
    """Leads already recorded (loading twice adds nothing)."""
    problems: list[str] = field(default_factory=list)
    """Entries that could not be recorded, each naming the entry and why."""


def load_leads_file(store: Store, playbook: Playbook, path: Path, *,
                    now: datetime | None = None) -> LoadReport:
    """Add the leads of a JSON file ``{"leads": [{"community", "thread", "member",
    "stage", "value" (or "value_usd"), "country", "note", "founder", "created_at"}, …]}``
    (``thread`` is the forum's id within ``community``). A bad entry is
    reported and skipped; the others are recorded."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise LeadError(f"{path}: cannot read leads ({error})") from None
    entries = data.get("leads", []) if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise LeadError(f"{path}: 'leads' must be a list")
    report = LoadReport()
    for index, entry in enumerate(entries):
        where = f"{Path(path).name}: leads[{index}]"
        try:
            if not isinstance(entry, dict):
                raise LeadError("must be an object")
            for key in ("community", "thread", "member"):
                if key not in entry:
                    raise LeadError(f"{key!r} is missing")
            reference = f"{entry['community']}:{entry['thread']}"
            created = parse_timestamp(entry["created_at"]) if entry.get("created_at") else now
            note = entry.get("note") or (f"via {entry['founder']}" if entry.get("founder") else None)
            add_lead(store, playbook, thread=reference, member=str(entry["member"]),
                     stage=entry.get("stage", "lead"),
                     value=entry.get("value", entry.get("value_usd", 0)),
                     country=entry.get("country"), note=note, now=created)
        except DuplicateLead:
            report.skipped += 1
        except (LeadError, ValueError) as error:
            report.problems.append(f"{where}: {error}")
        else:
            report.added += 1
    return report


# ------------------------------------------------------------ review thread


@dataclass
class ReviewPost:
    community_id: str
    thread_id: int
    post_id: int
    author: str | None
    created_at: str
    url: str | None
    text: str
    sentiment: float
    label: str
    why: str
    by_founder: bool
    new: bool


@dataclass
class ReviewThread:
    community_id: str
    native_id: str
    thread_id: int | None
    title: str | None
    url: str | None
    posts: list[ReviewPost] = field(default_factory=list)
    total_posts: int = 0
    mean_sentiment: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def review_threads(
    store: Store,
    playbook: Playbook,
    *,
    community: str | None = None,
    only_new: bool = True,
    mark_seen: bool = False,
) -> list[ReviewThread]:
    """Each community's review thread with its posts (only those not seen
    before, unless ``only_new`` is False), each with a sentiment and why.
    ``mark_seen`` remembers the newest post shown, so the next call starts
    after it. A review thread not fetched yet comes back without posts."""
    configs = [playbook.community(community)] if community else list(playbook.communities)
    result = []
    for config in configs:
        if not config.review_thread:
            continue
        row = store.query_one(
            "SELECT id, title, url FROM threads WHERE community_id = ? AND native_id = ?",
            (config.id, config.review_thread),
        )
        review = ReviewThread(config.id, config.review_thread, row and row["id"],
                              row and row["title"], row and row["url"])
        result.append(review)
        if row is None:
            continue
        founders = set(playbook.founder_handles(config))
        key = SEEN_SETTING.format(community=config.id)
        seen = store.get_setting(key)
        posts = store.query(
            "SELECT id, author, created_at, url, body_text FROM posts WHERE thread_id = ? "
            "ORDER BY created_at, id", (row["id"],),
        )
        review.total_posts = len(posts)
        scores = []
        for post in posts:
            sentiment = score_text(post["body_text"])
            by_founder = post["author"] in founders
            if not by_founder:
                scores.append(sentiment.score)
            new = seen is None or post["created_at"] > seen
            if only_new and not new:
                continue
            review.posts.append(ReviewPost(
                config.id, row["id"], post["id"], post["author"], post["created_at"], post["url"],
                post["body_text"], sentiment.score, sentiment.label, sentiment.explain(),
                by_founder, new,
            ))
        if scores:
            review.mean_sentiment = round(sum(scores) / len(scores), 3)
        if mark_seen and posts:
            store.set_setting(key, max(p["created_at"] for p in posts))
    return result


# ------------------------------------------------------------------- reach


@dataclass
class Share:
    total: float = 0
    known: float = 0
    abroad: float = 0

    @property
    def share(self) -> float | None:
        return round(self.abroad / self.known, 4) if self.known else None


@dataclass
class Reach:
    home_country: str
    engaged: Share
    leads: Share
    revenue: Share
    pipeline: Share
    countries: dict[str, int]
    by_community: dict[str, dict[str, Any]]
    dewak_share: float = DEWAK_ABROAD_SHARE

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for name in ("engaged", "leads", "revenue", "pipeline"):
            data[name]["share"] = getattr(self, name).share
        return data


def engaged_members(store: Store, playbook: Playbook, *, since: datetime | None = None,
                    ) -> dict[tuple[str, str], str | None]:
    """(community, member) → country of everyone a founder replied to: the
    asker of a thread a founder answered, or the author of a post a founder
    replied to. Founders themselves are left out."""
    engaged: dict[tuple[str, str], str | None] = {}
    floor = iso(since) if since else ""
    for config in playbook.communities:
        handles = sorted(playbook.founder_handles(config))
        if not handles:
            continue
        marks = ",".join("?" * len(handles))
        rows = store.conn.execute(
            f"SELECT DISTINCT who FROM ("
            f"SELECT t.author AS who FROM posts p JOIN threads t ON t.id = p.thread_id "
            f"WHERE p.community_id = ? AND p.author IN ({marks}) AND p.created_at >= ? "
            f"UNION SELECT parent.author FROM posts p JOIN posts parent ON "
            f"parent.community_id = p.community_id AND parent.native_id = p.parent_native_id "
            f"WHERE p.community_id = ? AND p.author IN ({marks}) AND p.created_at >= ?"
            f") WHERE who IS NOT NULL AND who NOT IN ({marks})",
            (config.id, *handles, floor, config.id, *handles, floor, *handles),
        )
        for (who,) in rows:
            country = store.scalar(
                "SELECT country FROM members WHERE community_id = ? AND native_id = ?",
                (config.id, who),
            )
            engaged[(config.id, who)] = country
    return engaged


def international_reach(store: Store, playbook: Playbook, *, since: datetime | None = None) -> Reach:
    """Shares from outside ``startup.home_country`` of the members founders
    engaged with, of leads (by count), of revenue (customers' value) and of
    the pipeline (every lead's value). Members and leads of unknown country
    are counted in ``total`` but not in the share."""
    home = playbook.startup.home_country
    if not home:
        raise ReachError("the playbook's startup.home_country is not set (e.g. home_country = \"CO\")")
    engaged = engaged_members(store, playbook, since=since)
    people = Share(total=len(engaged))
    countries: Counter[str] = Counter()
    by_community: dict[str, dict[str, Any]] = {}
    for (community_id, _), country in engaged.items():
        entry = by_community.setdefault(community_id, {"engaged": 0, "known": 0, "abroad": 0})
        entry["engaged"] += 1
        if country:
            countries[country] += 1
            people.known += 1
            entry["known"] += 1
            if country != home:
                people.abroad += 1
                entry["abroad"] += 1
    for entry in by_community.values():
        entry["share"] = round(entry["abroad"] / entry["known"], 4) if entry["known"] else None
    leads, revenue, pipeline = Share(), Share(), Share()
    for lead in list_leads(store, playbook):
        if since and parse_timestamp(lead.created_at) < since:
            continue
        leads.total += 1
        pipeline.total += lead.value
        if lead.stage == "customer":
            revenue.total += lead.value
        if lead.country is None:
            continue
        leads.known += 1
        pipeline.known += lead.value
        if lead.stage == "customer":
            revenue.known += lead.value
        if lead.abroad:
            leads.abroad += 1
            pipeline.abroad += lead.value
            if lead.stage == "customer":
                revenue.abroad += lead.value
    return Reach(home, people, leads, revenue, pipeline, dict(countries.most_common()), by_community)
