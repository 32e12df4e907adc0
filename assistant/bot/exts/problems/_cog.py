"""``/problems``: what many members in several countries struggle with and we
can solve — where one written answer, or a product, would serve them all.

Read-only and open to everyone in the channel. The reply is posted in the
channel, not ephemeral: it is the team's list, meant to be talked about.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from assistant.bot.exts.problems._render import problems_embed
from assistant.bot.insights import INSIGHTS_SERVICE, Insights
from assistant.bot.render import NO_MENTIONS
from assistant.problems import DEFAULT_TOP

if TYPE_CHECKING:
    from assistant.bot.client import BeachheadBot

MAX_GROUPS = 10


class ProblemCommands(commands.Cog):
    def __init__(self, bot: BeachheadBot):
        self.bot = bot
        self.insights: Insights = bot.services[INSIGHTS_SERVICE]

    @app_commands.command(
        name="problems",
        description="Pervasive problems we can solve, most affected members first. Read-only, open to all.",
    )
    @app_commands.describe(top=f"How many groups to show (default {DEFAULT_TOP})")
    async def problems(self, interaction: discord.Interaction,
                       top: app_commands.Range[int, 1, MAX_GROUPS] = DEFAULT_TOP) -> None:
        await interaction.response.defer(thinking=True)
        found = await self.bot.run_reader(self.insights.problems, top)
        await interaction.followup.send(embed=problems_embed(found), allowed_mentions=NO_MENTIONS)
