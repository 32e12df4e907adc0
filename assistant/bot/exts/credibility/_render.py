"""The /credibility and /experts replies: numbers the bot composes, handles
and group labels from the forums escaped."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from assistant.bot.render import Field, Markup, build_embed, escape
from assistant.credibility import TREND_WEEKS, Standing
from assistant.experts import Expert
from assistant.report.text import count

COLOUR = 0x5865F2


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def components_line(standing: Standing) -> str:
    c = standing.components
    median = c["median_hours_to_answer"]
    parts = [
        f"{count(c['solutions'], 'solution')} acknowledged of {count(c['answers'], 'answer')}",
        f"score {c['score_received']}",
        count(c["expert_replies"], "expert reply", "expert replies"),
        f"median {median:.1f}h to answer" if median is not None else "no answer timed yet",
        f"{_percent(c['worth_share'])} on worth-it problems",
        f"self-promotion {_percent(c['promo_share'])}"
        + (f", disclosed {_percent(c['disclosure_share'])}" if c["promo_posts"] else ""),
    ]
    return " · ".join(parts)


def standing_value(standing: Standing) -> Markup:
    head = f"**{standing.score:.1f}**/100"
    if standing.sparkline:
        head += f" `{standing.sparkline}`"
    if standing.change is not None and standing.trend:
        head += f" {standing.change:+.1f} since {standing.trend[0][0]}"
    if standing.rank:
        rank = f"voice rank #{standing.rank} of {standing.ranked}"
    else:
        rank = f"no voice yet among {count(standing.ranked, 'member')}"
    if standing.louder:
        rank += ", behind experts " + ", ".join(e["handle"] for e in standing.louder[:3])
    if standing.voice_as_of:
        rank += f" (voice as of {standing.voice_as_of[:16].replace('T', ' ')} UTC)"
    return Markup("\n".join([head, escape(rank), escape(components_line(standing))]))


def credibility_embed(standings: Sequence[Standing], names: dict[str, str], *,
                      founder: str | None = None) -> discord.Embed:
    """``names``: community id → the name the playbook gives it."""
    if not standings:
        description = "No founder has a handle in the playbook's communities."
    else:
        description = (f"Score 0–100 from each founder's own posts; the trend covers the last "
                       f"{len(standings[0].trend) or TREND_WEEKS} weeks.")
    fields = [
        Field(f"{s.founder} · {names.get(s.community_id, s.community_id)} ({s.handle})",
              standing_value(s), inline=False)
        for s in standings
    ]
    return build_embed(
        title="Credibility" + (f" · {founder}" if founder else ""),
        description=description,
        fields=fields,
        footer="Each term and its weight: beachhead credibility (it also takes the weekly snapshot)",
        colour=COLOUR,
    )


def expert_value(expert: Expert) -> Markup:
    who = f"voice {expert.voice:.2f} · {expert.user_type.replace('_', ' ')}"
    if expert.country:
        who += f" · {expert.country}"
    lines = [
        who,
        f"{count(expert.answers, 'answer')}, {count(expert.solutions, 'solution')}, "
        f"{count(expert.helped, 'person', 'people')} helped",
    ]
    groups = "; ".join(group["label"] for group in expert.groups)
    if groups:
        lines.append(f"answers about: {groups}")
    lines.append(f"with founders: we replied {expert.founder_replies_to}×, they replied "
                 f"{expert.replies_to_founders}×, {count(expert.shared_threads, 'thread')} together")
    lines.append(expert.relation)
    return Markup("\n".join(escape(line) for line in lines))


def experts_embed(experts: Sequence[Expert], community_id: str, name: str) -> discord.Embed:
    if experts:
        description = "Who to learn from and who to win over, loudest voice first."
    else:
        description = f"No one has answered anything in {community_id} yet."
    return build_embed(
        title=f"Experts of {name}",
        description=description,
        fields=[Field(f"{e.rank}. {e.handle}", expert_value(e), inline=False) for e in experts],
        footer=f"{community_id} · voice is read from who answered whom and what solved it",
        colour=COLOUR,
    )
