"""The modal that takes a long draft: slash-command options are one line,
answers are not."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord

from assistant.bot.gate import REFUSAL
from assistant.bot.render import NO_MENTIONS, neutralise, one_line

if TYPE_CHECKING:
    from assistant.bot.client import BeachheadBot
    from assistant.bot.exts.etiquette._cog import CheckCommands

DRAFT_LIMIT = 4000
"""Discord's limit on a modal text input."""
MODAL_TITLE_LIMIT = 45


class DraftModal(discord.ui.Modal):
    draft: discord.ui.TextInput[DraftModal] = discord.ui.TextInput(
        label="Your draft answer", custom_id="draft", style=discord.TextStyle.paragraph,
        max_length=DRAFT_LIMIT, required=True,
        placeholder="Paste the answer you are about to post…",
    )

    def __init__(self, cog: CheckCommands, reference: str, title: str):
        # Plain text (a modal renders no markdown), but mentions are broken all the same.
        heading = "Check: " + neutralise(one_line(title))
        if len(heading) > MODAL_TITLE_LIMIT:
            heading = heading[: MODAL_TITLE_LIMIT - 1].rstrip() + "…"
        super().__init__(title=heading, custom_id="beachhead:check", timeout=30 * 60)
        self.cog = cog
        self.bot: BeachheadBot = cog.bot
        self.reference = reference
        self.thread_title = title

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if self.bot.gate.allows(interaction.user):
            return True
        await interaction.response.send_message(REFUSAL, ephemeral=True,
                                                allowed_mentions=NO_MENTIONS)
        return False

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await self.cog.answer(interaction, self.reference, self.draft.value, self.thread_title)

    async def on_error(self, interaction: discord.Interaction, error: Exception,
                       *_: Any) -> None:
        await self.bot.interaction_failed(interaction, error)
