"""The two scouting candidates: an international forum of unanswered, solvable
help-desk problems, and a friendly one-city user group that is mostly chat.
Built from templates_scout; the contrast is what `beachhead scout` must see.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from assistant.demo import templates_scout
from assistant.demo.drafts import PlanError
from assistant.demo.timeline import END, START, from_local, monday, stamp


def scouts(seed: int) -> dict[str, tuple[list[dict[str, Any]], dict[str, Any], dict[str, Any]]]:
    """File stem → (lines, thread truth, member truth) for each candidate."""
    rng = random.Random(f"{seed}:scouts")
    out = {}
    # scout-helpdesk-pros: international, problems, mostly unanswered
    lines: list[dict[str, Any]] = []
    members = {}
    for handle, country, zone, location in templates_scout.PROS_MEMBERS:
        line: dict[str, Any] = {"type": "member", "id": handle}
        if location:
            line["location"] = location
        lines.append(line)
        members[handle] = {"country": country, "zone": zone}
    truth = {}
    handles = [m[0] for m in templates_scout.PROS_MEMBERS]
    for n, (cap, title, body) in enumerate(templates_scout.PROS_THREADS):
        asker = handles[n % len(handles)]
        when = scout_time(rng, members[asker]["zone"], 42 + n % 6)
        tid = str(9001 + n)
        posts = []
        if n % 3 == 0:
            who = handles[(n + 7) % len(handles)]
            reply_at = min(when + timedelta(hours=rng.randint(2, 30)), END)
            posts.append({"id": f"{tid}-2", "author": who, "created_at": stamp(reply_at),
                          "body": templates_scout.PROS_ANSWERS[n % len(templates_scout.PROS_ANSWERS)]})
        lines.append({"id": tid, "title": title, "author": asker, "created_at": stamp(when), "body": body,
                      "last_activity_at": posts[-1]["created_at"] if posts else stamp(when), "posts": posts})
        lang = "es" if n in (19, 20) else "pt" if n in (21, 22) else "en"
        truth[tid] = {"problem": True, "capability": cap or None, "language": lang}
    out["scout-helpdesk-pros"] = (lines, truth, {h: {"country": m["country"]} for h, m in members.items()})
    # scout-local-chat: one city, chat, few problems, many replies
    lines = []
    for handle, location in templates_scout.LOCAL_MEMBERS:
        line = {"type": "member", "id": handle}
        if location:
            line["location"] = location
        lines.append(line)
    handles = [m[0] for m in templates_scout.LOCAL_MEMBERS]
    truth = {}
    for n, (title, body, replies, problem) in enumerate(templates_scout.LOCAL_THREADS):
        asker = handles[n % len(handles)]
        when = scout_time(rng, "AU-S", 40 + n % 8)
        tid = str(9501 + n)
        posts = []
        prev = when
        for i, text in enumerate(replies):
            prev = min(prev + timedelta(minutes=rng.randint(10, 600)), END)
            author = asker if problem and i == len(replies) - 1 else handles[(n + 3 + 2 * i) % len(handles)]
            posts.append({"id": f"{tid}-{i + 2}", "author": author, "created_at": stamp(prev), "body": text})
        lines.append({"id": tid, "title": title, "author": asker, "created_at": stamp(when), "body": body,
                      "last_activity_at": posts[-1]["created_at"], "posts": posts})
        truth[tid] = {"problem": problem, "capability": None, "language": "en"}
    out["scout-local-chat"] = (lines, truth, {h: {"country": "AU"} for h in handles})
    return out

def scout_time(rng: random.Random, zone: str, week: int) -> datetime:
    for _ in range(50):
        wall = monday(week) + timedelta(days=rng.randint(0, 4), hours=rng.randint(8, 19),
                                        minutes=rng.randint(0, 59))
        when = from_local(wall, zone)
        if START <= when <= END - timedelta(hours=2):
            return when
    raise PlanError(f"no scouting time in week {week}")
