"""The /problems reply: one field per group, everything from the forums escaped."""

from __future__ import annotations

import discord

from assistant.bot.render import (
    FIELD_VALUE_LIMIT,
    Field,
    Markup,
    build_embed,
    escape,
    link,
)
from assistant.problems import PervasiveProblems, ProblemGroup
from assistant.report.text import count, signed

COLOUR = 0x2ECC71
EXAMPLE_TITLE = 100


def group_value(group: ProblemGroup) -> Markup:
    """Who is affected where, how fast it grows, and the newest threads, as
    many of them as fit in one field."""
    countries = ", ".join(group.countries) or "no known country"
    lines = [
        escape(
            f"{count(group.affected_members, 'member')} in "
            f"{count(len(group.countries), 'country', 'countries')} ({countries}) · "
            f"{count(len(group.communities), 'community', 'communities')} "
            f"({', '.join(group.communities)}) · {count(group.threads, 'thread')}"
        ),
        escape(
            f"Growth {signed(group.growth)}: {group.new_members_week} new this week, "
            f"{group.new_members_previous} the week before"
            + (f" · capability {group.capability}" if group.capability else "")
        ),
    ]
    for example in group.examples:
        line = Markup("• " + link(example.title, example.url, EXAMPLE_TITLE)
                      + escape(f" ({example.community_id})"))
        if sum(len(x) + 1 for x in lines) + len(line) > FIELD_VALUE_LIMIT:
            break
        lines.append(line)
    return Markup("\n".join(lines))


def problems_embed(found: PervasiveProblems) -> discord.Embed:
    if found.groups:
        description = (
            f"{count(found.candidates, 'same-problem group')} pervasive and solvable in the last "
            f"{found.lookback_days} days; the top {len(found.groups)}, most affected members first."
        )
    else:
        description = f"No pervasive, solvable problem in the last {found.lookback_days} days."
    return build_embed(
        title="Pervasive problems",
        description=description,
        fields=[Field(f"{rank}. {group.label}", group_value(group), inline=False)
                for rank, group in enumerate(found.groups, 1)],
        footer=f"Week {found.week} · the weekly report counts them the same way",
        colour=COLOUR,
    )
