"""Turns drafts into the JSON Lines archive format (docs/jsonl-format.md).

Ids, handles, URLs, scores and the truth records are decided here, per
community, from seeded generators of their own, so adding a thread to one
community never renumbers another.
"""

from __future__ import annotations

import random
import re
import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Any

from assistant.demo import plan
from assistant.demo.cast import BY_KEY, DE, ES, FORUM, REDDIT, Person, members_of
from assistant.demo.drafts import DISCOURSE, FOUNDERS, Draft, PlanError
from assistant.demo.timeline import END, stamp

ID_BASE = {FORUM: 7001, ES: 3001, DE: 5001}
URL = {
    FORUM: "https://community.kestreldesk.example/t/{slug}/{id}",
    REDDIT: "https://reddit.example/r/KestrelDesk/comments/{id}/{slug}/",
    ES: "https://comunidad.kestreldesk.example/t/{slug}/{id}",
    DE: "https://forum.kestreldesk.example/t/{slug}/{id}",
}

def slugify(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60] or "thread"


def base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out or "0"



def member_line(p: Person, community: str, seed: int) -> dict[str, Any]:
    """A profile as the platform shows it: Reddit has no location field."""
    """A profile as the platform shows it: Reddit has no location field."""
    rng = random.Random(f"{seed}:member:{p.key}:{community}")
    line: dict[str, Any] = {"type": "member", "id": p.handles[community], "handle": p.handles[community]}
    if p.name:
        line["display_name"] = p.name
    if p.location and community != REDDIT:
        line["location"] = p.location
    if p.website:
        line["website"] = p.website
    if p.about:
        line["about"] = p.about
    if p.role == "staff":
        line["staff"] = True
    if p.key in ("anna", "kst_team"):
        line["moderator"] = True
    if community in DISCOURSE:
        line["trust_level"] = 4 if p.role in ("staff", "expert") else (1 if p.role == "founder"
                                                                        else rng.randint(0, 3))
    if p.role == "founder":
        joined = datetime(2026, 8, 24, 15, 0, tzinfo=UTC)
    else:
        joined = datetime(2019, 1, 1, tzinfo=UTC) + timedelta(days=rng.randint(0, 2700),
                                                             minutes=rng.randint(0, 1439))
    line["joined_at"] = stamp(joined)
    return line


def render_community(community: str, drafts: list[Draft], seed: int, refs: dict[str, tuple[str, str, Draft]],
                     founder_answers: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The member lines and thread lines of one community, and each thread's truth.
    ``refs`` and ``founder_answers`` are filled in for the leads and the truth file."""
    rng = random.Random(f"{seed}:ids:{community}")
    ordered = sorted((d for d in drafts if d.community == community),
                    key=lambda d: (d.kind != "review", d.created, d.ref))
    lines: list[dict[str, Any]] = [member_line(p, community, seed) for p in members_of(community)]
    truth: dict[str, Any] = {}
    reddit_thread = int("1q4a00", 36)
    reddit_comment = int("m7k000", 36)
    for n, d in enumerate(ordered):
        if community == REDDIT:
            reddit_thread += rng.randint(3, 400)
            tid = base36(reddit_thread)
        else:
            tid = str(ID_BASE[community] + n)
        refs[d.ref] = (community, tid, d)

        def handle(key: str | None, community: str = community) -> str | None:
            return None if key is None else BY_KEY[key].handles[community]

        thread: dict[str, Any] = {"id": tid, "title": d.title, "author": handle(d.asker),
                                  "created_at": stamp(d.created), "body": d.body}  # type: ignore[arg-type]
        fmt = d.fmt or ("markdown" if community == REDDIT else None)
        if fmt:
            thread["format"] = fmt
        thread["url"] = URL[community].format(slug=slugify(d.title), id=tid)
        if community in DISCOURSE and d.capability and rng.random() < 0.6:
            thread["tags"] = [{"email-channels": "email", "sla-automation": "sla", "migrations": "import",
                               "integrations-api": "api"}[d.capability]]
        boost = 3 if d.category == "pervasive_solvable" else 1
        thread["score"] = (rng.randint(1, 12 * boost) if community == REDDIT else rng.randint(0, 3 * boost))
        if d.asker and BY_KEY[d.asker].role == "staff":
            thread["staff"] = True
        posts: list[dict[str, Any]] = []
        post_ids: list[str] = []
        accepted = None
        for i, r in enumerate(d.replies):
            if community == REDDIT:
                reddit_comment += rng.randint(1, 60)
                pid = base36(reddit_comment)
            else:
                pid = f"{tid}-{i + 2}"
            post_ids.append(pid)
            post: dict[str, Any] = {"id": pid, "author": handle(r.author), "created_at": stamp(r.created),  # type: ignore[arg-type]
                                    "body": r.body}
            pfmt = r.fmt or ("markdown" if community == REDDIT else None)
            if pfmt:
                post["format"] = pfmt
            if r.parent is not None:
                post["parent"] = post_ids[r.parent]
            good = r.role in ("answer", "founder") and (r.accepted or r.style != "short")
            if community == REDDIT:
                post["score"] = (rng.randint(-4, 1) if r.role == "competitor"
                                 else rng.randint(4, 40) if good else rng.randint(1, 9))
            else:
                post["score"] = rng.randint(2, 9) if good else rng.randint(0, 2)
            if r.accepted:
                post["accepted"] = True
                accepted = pid
            if r.author and BY_KEY[r.author].role == "staff":
                post["staff"] = True
            posts.append(post)
            if (r.author in FOUNDERS and d.asker not in FOUNDERS
                    and not any(p2.author == r.author for p2 in d.replies[:i])):
                later = d.replies[i + 1:]
                founder_answers.append({
                    "community": community, "thread": tid, "post": pid, "founder": r.author,
                    "week": r.created.isocalendar().week, "style": r.style,  # type: ignore[union-attr]
                    "acknowledged": any(x.role == "ack" and x.parent == i for x in later),
                    "accepted": r.accepted, "group": d.group,
                })
        if accepted:
            thread["solved"] = True
            thread["accepted_post"] = accepted
        last = d.replies[-1].created if d.replies else d.created
        thread["last_activity_at"] = stamp(last)  # type: ignore[arg-type]
        thread["posts"] = posts
        lines.append(thread)
        langs = set(d.langs) | {r.lang for r in d.replies if r.lang}
        truth[tid] = {"ref": d.ref, "category": d.category, "group": d.group, "capability": d.capability,
                      "kind": d.problem_kind, "language": sorted(d.langs)[0] if len(d.langs) == 1 else d.lang,
                      "languages": sorted(langs)}
    return lines, truth


def leads(refs: dict[str, tuple[str, str, Draft]]) -> list[dict[str, Any]]:
    """The founders' leads, dated a few days after the answer that brought them."""
    """The founders' leads, dated a few days after the answer that brought them."""
    out = []
    for ref, person, stage, value, country, days in plan.LEADS:
        community, tid, d = refs[ref]
        answer = next(r for r in d.replies if r.role == "founder")
        created = answer.created + timedelta(days=days)  # type: ignore[operator]
        created = created.replace(minute=0, second=0)
        if created > END:
            raise PlanError(f"lead on {ref} would be created after the corpus end")
        out.append({"thread": tid, "community": community, "member": BY_KEY[person].handles[community],
                    "stage": stage, "value_usd": value, "country": country, "created_at": stamp(created),
                    "founder": answer.author})
    return out
