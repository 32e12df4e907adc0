"""``/explain id``: every reason behind a thread's category and priority.

``id`` is what a founder has in front of them: the queue item number of a
feed post (``#12`` or ``12``), or a thread itself (``COMMUNITY:NATIVE_ID`` or
its URL). Read-only and open to everyone; the answer is a lookup for the one
who asked, so it is ephemeral.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from assistant.bot.exts.explain._render import explain_embed
from assistant.bot.insights import INSIGHTS_SERVICE, Insights
from assistant.bot.render import NO_MENTIONS, URL_LIMIT

if TYPE_CHECKING:
    from assistant.bot.client import BeachheadBot


class ExplainCommands(commands.Cog):
    def __init__(self, bot: BeachheadBot):
        self.bot = bot
        self.insights: Insights = bot.services[INSIGHTS_SERVICE]

    @app_commands.command(
        name="explain",
        description="Every reason behind a queue item's category and priority. Read-only, open to all.",
    )
    @app_commands.rename(reference="id")
    @app_commands.describe(
        reference="Queue item number (#12), or a thread: COMMUNITY:NATIVE_ID or its URL")
    async def explain(self, interaction: discord.Interaction,
                      reference: app_commands.Range[str, 1, URL_LIMIT]) -> None:
        await interaction.response.defer(thinking=True, ephemeral=True)
        found = await self.bot.run_reader(self.insights.explain, reference)
        await interaction.followup.send(embed=explain_embed(found), ephemeral=True,
                                        allowed_mentions=NO_MENTIONS)
