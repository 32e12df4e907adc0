"""The /report summary: the week's headline numbers from the report's own
data, so the embed and the attached HTML never disagree."""

from __future__ import annotations

from typing import Any

import discord

from assistant.bot.render import Field, Markup, build_embed, escape
from assistant.report.text import category, count, number, pct, signed, when

COLOUR = 0x2ECC71
TOP_PROBLEMS = 3
TOP_STANDINGS = 5


def report_filename(week: str) -> str:
    return f"beachhead-report-{week}.html"


def _threads(data: dict[str, Any]) -> str:
    week, previous = data["threads"]["week"], data["threads"]["previous"]
    by_category = ", ".join(f"{n} {category(name)}"
                            for name, n in week["by_category"].items() if n)
    return (f"{week['total']} new ({signed(week['total'] - previous['total'])} on "
            f"{data['previous_week']})" + (f": {by_category}" if by_category else ""))


def _problems(data: dict[str, Any]) -> Markup:
    problems = data["problems"]
    if not problems["groups"]:
        return escape(f"None in the last {problems['lookback_days']} days.")
    lines = [escape(f"{count(problems['candidates'], 'group')} pervasive and solvable:")]
    for rank, group in enumerate(problems["groups"][:TOP_PROBLEMS], 1):
        lines.append(escape(
            f"{rank}. {group['label']} — {count(group['affected_members'], 'member')} in "
            f"{count(len(group['countries']), 'country', 'countries')}, "
            f"growth {signed(group['growth'])}"
        ))
    return Markup("\n".join(lines))


def _queue(data: dict[str, Any]) -> str:
    week = data["queue"]["week"]
    median = week["median_hours_to_answer"]
    return (
        f"{week['enqueued']} queued · {week['answered_on_time']} of {week['due']} due answered "
        f"on time ({pct(week['on_time_share'])}) · "
        + (f"median {number(median)}h from post to answer · " if median is not None else "")
        + f"{week['backlog']} still open"
    )


def _credibility(data: dict[str, Any]) -> str:
    section = data["credibility"]
    if not section["founders"]:
        return "No snapshot yet: beachhead credibility takes the first one."
    ranked = sorted(section["founders"], key=lambda f: (-f["score"], f["founder"], f["community"]))
    lines = [
        f"{f['founder']} · {f['community']}: {f['score']:.1f}"
        + (f" ({signed(round(f['change'], 1))})" if f["change"] is not None else "")
        for f in ranked[:TOP_STANDINGS]
    ]
    if len(ranked) > TOP_STANDINGS:
        lines.append(f"… and {len(ranked) - TOP_STANDINGS} more in the report")
    return "\n".join(lines)


def _reach(data: dict[str, Any]) -> str:
    reach = data["reach"]
    engaged = reach["engaged"]["week"]
    leads = reach["leads"]["week"]
    home = reach["home_country"] or "home"
    return (f"{count(engaged['count'], 'member')} engaged, {pct(engaged['share_abroad'])} "
            f"outside {home} · {count(leads['count'], 'lead')} worth {number(leads['value'])}")


def report_embed(data: dict[str, Any], *, attached: str | None) -> discord.Embed:
    """``attached``: the HTML file's name, or None when it could not be attached."""
    status = "complete" if data["complete"] else f"as of {when(data['as_of'])}"
    footer = (f"The full report is attached ({attached})" if attached
              else "The full report is too large to attach: beachhead report --format html")
    return build_embed(
        title=f"Weekly report {data['week']} · {data['startup']['name']}",
        description=f"{data['span']} ({status})",
        fields=[
            Field("Threads", _threads(data), inline=False),
            Field("Pervasive problems", _problems(data), inline=False),
            Field("Queue", _queue(data), inline=False),
            Field("Credibility", _credibility(data), inline=False),
            Field("Reach", _reach(data), inline=False),
        ],
        footer=footer,
        colour=COLOUR,
    )
