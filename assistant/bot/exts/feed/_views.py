"""The buttons under a feed post, and the modal that asks for the answer URL.

Custom ids are stable and carry the queue item id (``beachhead:claim:42``),
and views never time out, so a click still lands after a restart once the
view is re-attached with ``bot.add_view``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord

from assistant.bot.backend import DISMISS_REASONS, QueueActionError
from assistant.bot.exts.feed._seen import with_seen_before
from assistant.bot.gate import REFUSAL
from assistant.bot.render import (
    NO_MENTIONS,
    SELECT_LABEL_LIMIT,
    URL_LIMIT,
    ItemCard,
    item_embed,
    safe_url,
)

if TYPE_CHECKING:
    from assistant.bot.client import BeachheadBot

PREFIX = "beachhead"

DISMISS_CHOICES = {
    "unrewarded": ("Unrewarded", "We could solve it, but it brings nothing"),
    "unsolvable": ("Unsolvable", "Outside what we can do"),
    "not_a_problem": ("Not a problem", "News, show-and-tell or chat"),
    "competitor": ("Competitor", "The asker works for a competitor"),
}


def custom_id(action: str, item_id: int) -> str:
    return f"{PREFIX}:{action}:{item_id}"


async def refuse(interaction: discord.Interaction, text: str) -> None:
    """An ephemeral answer, whether or not the interaction was answered yet."""
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
    else:
        await interaction.response.send_message(text, ephemeral=True,
                                                allowed_mentions=NO_MENTIONS)


async def show(bot: BeachheadBot, interaction: discord.Interaction, card: ItemCard) -> None:
    """Answer a click on a feed post by updating that post in place."""
    card = await with_seen_before(bot, card)
    await interaction.response.edit_message(
        embed=item_embed(card), view=item_view(bot, card), allowed_mentions=NO_MENTIONS
    )
    if interaction.message is not None:
        await bot.run_store(bot.backend.mark_rendered, card.item_id, interaction.message.id,
                            card.version)


class _FounderOnly:
    bot: BeachheadBot

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if self.bot.gate.allows(interaction.user):
            return True
        await refuse(interaction, REFUSAL)
        return False

    async def on_error(self, interaction: discord.Interaction, error: Exception,
                       *_: Any) -> None:
        await self.bot.interaction_failed(interaction, error)
        if isinstance(error, QueueActionError):
            # The post may be behind (changed from the CLI): bring it up to date.
            feed = self.bot.get_cog("Feed")
            if feed is not None:
                feed.wake()  # type: ignore[attr-defined]


class ItemView(_FounderOnly, discord.ui.View):
    """Claim, Answered…, Snooze, and the Not-for-us select of one item."""

    def __init__(self, bot: BeachheadBot, card: ItemCard):
        super().__init__(timeout=None)
        self.bot = bot
        self.item_id = card.item_id
        claimed = card.state == "claimed"
        buttons = [
            ("claim", f"Claimed by {card.claimed_by}"[:80] if claimed else "Claim",
             discord.ButtonStyle.primary, claimed, self._claim),
            ("answered", "Answered…", discord.ButtonStyle.success, False, self._answered),
            ("snooze", "Snooze", discord.ButtonStyle.secondary, False, self._snooze),
        ]
        for action, label, style, disabled, callback in buttons:
            button: discord.ui.Button[ItemView] = discord.ui.Button(
                label=label, style=style, disabled=disabled, row=0,
                custom_id=custom_id(action, card.item_id),
            )
            button.callback = callback  # type: ignore[method-assign]
            self.add_item(button)
        select: discord.ui.Select[ItemView] = discord.ui.Select(
            custom_id=custom_id("dismiss", card.item_id),
            placeholder="Not for us…",
            row=1,
            options=[
                discord.SelectOption(label=label[:SELECT_LABEL_LIMIT], value=value,
                                     description=description)
                for value in DISMISS_REASONS
                for label, description in [DISMISS_CHOICES[value]]
            ],
        )
        select.callback = self._dismiss  # type: ignore[method-assign]
        self.add_item(select)
        self._select = select

    async def _claim(self, interaction: discord.Interaction) -> None:
        founder = self.bot.gate.founder_name(interaction.user)
        card = await self.bot.run_store(self.bot.backend.claim, self.item_id, founder)
        await show(self.bot, interaction, card)

    async def _answered(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(AnswerModal(self.bot, self.item_id))

    async def _snooze(self, interaction: discord.Interaction) -> None:
        founder = self.bot.gate.founder_name(interaction.user)
        card = await self.bot.run_store(self.bot.backend.snooze, self.item_id, founder,
                                        self.bot.settings.snooze_for)
        await show(self.bot, interaction, card)

    async def _dismiss(self, interaction: discord.Interaction) -> None:
        reason = self._select.values[0]
        founder = self.bot.gate.founder_name(interaction.user)
        card = await self.bot.run_store(self.bot.backend.dismiss, self.item_id, founder, reason)
        await show(self.bot, interaction, card)


class AnswerModal(_FounderOnly, discord.ui.Modal):
    """Asks for the link to the founder's answer on the forum."""

    url: discord.ui.TextInput[AnswerModal] = discord.ui.TextInput(
        label="Link to your answer", custom_id="url", placeholder="https://…",
        max_length=URL_LIMIT, required=True,
    )

    def __init__(self, bot: BeachheadBot, item_id: int):
        super().__init__(title=f"Answered #{item_id}", custom_id=custom_id("answer", item_id),
                         timeout=15 * 60)
        self.bot = bot
        self.item_id = item_id

    async def on_submit(self, interaction: discord.Interaction) -> None:
        given = self.url.value.strip()
        url = safe_url(given)
        if url is None:
            raise QueueActionError(
                f"'{given}' is not a link to your answer (it must start with http:// or https://)"
            )
        founder = self.bot.gate.founder_name(interaction.user)
        card = await self.bot.run_store(self.bot.backend.answer, self.item_id, founder, url)
        if interaction.message is not None:
            await show(self.bot, interaction, card)
        else:
            await refuse(interaction, f"Marked #{card.item_id} answered.")
            await self.bot.feed_refresh(card.item_id)


def item_view(bot: BeachheadBot, card: ItemCard) -> ItemView | None:
    """The buttons a post shows: none once the item is answered, dismissed or
    expired."""
    return ItemView(bot, card) if card.is_open else None
