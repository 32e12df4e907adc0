"""``/credibility [founder]`` and ``/experts community``.

Both are read-only and open to everyone in the channel. ``/credibility`` of
the whole team, or of another founder, and ``/experts`` are posted in the
channel for the team; ``/credibility`` of yourself concerns only you and is
ephemeral.

The founder and community options offer the playbook's own founders and
communities as choices, so they are built when the bot loads the playbook
(``standing_commands``); a playbook with more than Discord's 25 choices gets
suggestions as you type instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from assistant.bot.exts.credibility._render import credibility_embed, experts_embed
from assistant.bot.insights import INSIGHTS_SERVICE, InsightError, Insights
from assistant.bot.render import NO_MENTIONS
from assistant.experts import TOP_EXPERTS
from playbooks import UnknownCommunity, UnknownFounder

if TYPE_CHECKING:
    from assistant.bot.client import BeachheadBot

CHOICES_LIMIT = 25
"""Discord's limit on an option's fixed choices."""

F = TypeVar("F", bound=Callable[..., Any])


def offer(option: str, values: Sequence[tuple[str, str]]) -> Callable[[F], F]:
    """Fixed choices (label, value) for an option, when Discord allows that many."""
    if not values or len(values) > CHOICES_LIMIT:
        return lambda function: function
    return app_commands.choices(**{option: [
        app_commands.Choice(name=label[:100], value=value[:100]) for label, value in values
    ]})


def suggest(values: Sequence[tuple[str, str]], current: str) -> list[app_commands.Choice[str]]:
    wanted = current.casefold()
    return [app_commands.Choice(name=label[:100], value=value[:100]) for label, value in values
            if wanted in label.casefold() or wanted in value.casefold()][:CHOICES_LIMIT]


def standing_commands(bot: BeachheadBot) -> commands.Cog:
    """The cog, its options' choices read from the bot's playbook."""
    playbook = bot.playbook
    founders = [(f.name, f.name) for f in getattr(playbook, "founders", ())]
    communities = [
        (c.id if c.name == c.id else f"{c.name} ({c.id})", c.id)
        for c in getattr(playbook, "communities", ())
    ]

    class StandingCommands(commands.Cog, name="Standing"):
        def __init__(self, bot: BeachheadBot):
            self.bot = bot
            self.insights: Insights = bot.services[INSIGHTS_SERVICE]

        def _founder(self, name: str) -> str:
            try:
                return self.bot.playbook.founder(name).name
            except UnknownFounder as error:
                raise InsightError(str(error)) from None

        @app_commands.command(
            name="credibility",
            description="Founders' credibility per community, with its trend. Read-only, open to all.",
        )
        @app_commands.describe(founder="Only this founder (default: every founder)")
        @offer("founder", founders)
        async def credibility(self, interaction: discord.Interaction,
                              founder: str | None = None) -> None:
            name = self._founder(founder) if founder else None
            # Your own standing concerns only you; the team's is for the channel.
            mine = name is not None and name == self.bot.gate.founder_name(interaction.user)
            await interaction.response.defer(thinking=True, ephemeral=mine)
            standings = await self.bot.run_reader(self.insights.standings, name)
            names = {c.id: c.name for c in self.bot.playbook.communities}
            await interaction.followup.send(
                embed=credibility_embed(standings, names, founder=name), ephemeral=mine,
                allowed_mentions=NO_MENTIONS,
            )

        if len(founders) > CHOICES_LIMIT:
            @credibility.autocomplete("founder")
            async def _founder_suggestions(self, interaction: discord.Interaction,
                                           current: str) -> list[app_commands.Choice[str]]:
                return suggest(founders, current)

        @app_commands.command(
            name="experts",
            description="A community's loudest voices: who to learn from, who to win over. Read-only.",
        )
        @app_commands.describe(community="The community (from the playbook)")
        @offer("community", communities)
        async def experts(self, interaction: discord.Interaction, community: str) -> None:
            try:
                config = self.bot.playbook.community(community.strip())
            except UnknownCommunity as error:
                raise InsightError(str(error)) from None
            await interaction.response.defer(thinking=True)
            found = await self.bot.run_reader(self.insights.experts, config.id, TOP_EXPERTS)
            await interaction.followup.send(
                embed=experts_embed(found, config.id, config.name or config.id),
                allowed_mentions=NO_MENTIONS,
            )

        if len(communities) > CHOICES_LIMIT:
            @experts.autocomplete("community")
            async def _community_suggestions(self, interaction: discord.Interaction,
                                             current: str) -> list[app_commands.Choice[str]]:
                return suggest(communities, current)

    return StandingCommands(bot)
