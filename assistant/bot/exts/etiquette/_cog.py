"""``/check id [draft]``: a draft answer against the community's etiquette —
self-promotion share, disclosure, links, bare links, answer-not-solution,
confidential names, dates and terms — before a founder posts it.

Founders only: the draft is checked as the founder who calls (their Discord
account mapped to the playbook, as for /claim), and the self-promotion share
counts their own recent posts. Without the ``draft`` option a form opens for
a long draft. The result concerns only the caller and is ephemeral; nothing
is stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from assistant.bot.exts.etiquette._render import check_embed
from assistant.bot.exts.etiquette._views import DRAFT_LIMIT, DraftModal
from assistant.bot.gate import founders_only
from assistant.bot.insights import INSIGHTS_SERVICE, Insights
from assistant.bot.render import NO_MENTIONS, URL_LIMIT

if TYPE_CHECKING:
    from assistant.bot.client import BeachheadBot


class CheckCommands(commands.Cog):
    def __init__(self, bot: BeachheadBot):
        self.bot = bot
        self.insights: Insights = bot.services[INSIGHTS_SERVICE]

    @app_commands.command(
        name="check",
        description="Check your draft answer against the community's etiquette (founders only).",
    )
    @app_commands.rename(reference="id")
    @app_commands.describe(
        reference="The thread you answer: queue item number (#12), COMMUNITY:NATIVE_ID or URL",
        draft="Your draft (leave empty to paste a long one in a form)",
    )
    @founders_only()
    async def check(self, interaction: discord.Interaction,
                    reference: app_commands.Range[str, 1, URL_LIMIT],
                    draft: app_commands.Range[str, 1, DRAFT_LIMIT] | None = None) -> None:
        # A wrong thread is refused before anyone types a long draft.
        title = await self.bot.run_reader(self.insights.thread_title, reference)
        if draft is None:
            await interaction.response.send_modal(DraftModal(self, reference, title))
            return
        await self.answer(interaction, reference, draft, title)

    async def answer(self, interaction: discord.Interaction, reference: str, draft: str,
                     title: str) -> None:
        """Check the draft as the calling founder and tell only them."""
        await interaction.response.defer(thinking=True, ephemeral=True)
        founder = self.bot.gate.founder_name(interaction.user)
        result = await self.bot.run_reader(self.insights.check, reference, draft, founder)
        await interaction.followup.send(embed=check_embed(result, title), ephemeral=True,
                                        allowed_mentions=NO_MENTIONS)
