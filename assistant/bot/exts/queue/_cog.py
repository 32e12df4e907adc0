"""``/queue``, ``/claim`` and ``/answered``: the queue from the keyboard.

Replies concern only the caller and are ephemeral; the feed post of an item
a command changed is updated in place for everyone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from assistant.bot.backend import QueueActionError
from assistant.bot.gate import founders_only
from assistant.bot.render import (
    NO_MENTIONS,
    URL_LIMIT,
    Markup,
    build_embed,
    escape,
    link,
    queue_line,
    safe_url,
)

if TYPE_CHECKING:
    from assistant.bot.client import BeachheadBot


class QueueCommands(commands.Cog):
    def __init__(self, bot: BeachheadBot):
        self.bot = bot

    async def _communities(self) -> list[str]:
        return list(await self.bot.run_store(self.bot.backend.communities))

    @app_commands.command(name="queue", description="The open queue, most urgent first.")
    @app_commands.describe(community="Only this community (its id in the playbook)")
    async def queue(self, interaction: discord.Interaction, community: str | None = None) -> None:
        community = community.strip() if community else None
        cards = await self.bot.run_store(
            self.bot.backend.open_cards, community, self.bot.settings.queue_page
        )
        title = "Queue" + (f" · {community}" if community else "")
        lines = Markup("\n".join(queue_line(card) for card in cards))
        embed = build_embed(
            title=title,
            description=lines or "Nothing is waiting for an answer.",
            footer=f"{len(cards)} item(s) shown · /claim id to take one",
        )
        await interaction.response.send_message(embed=embed, ephemeral=True,
                                                allowed_mentions=NO_MENTIONS)

    @queue.autocomplete("community")
    async def _community_choices(self, interaction: discord.Interaction,
                                 current: str) -> list[app_commands.Choice[str]]:
        wanted = current.casefold()
        return [app_commands.Choice(name=c[:100], value=c[:100])
                for c in await self._communities() if wanted in c.casefold()][:25]

    @app_commands.command(name="claim", description="Take a queue item so no one else answers it.")
    @app_commands.rename(item_id="id")
    @app_commands.describe(item_id="The queue item number (#42 in its post)")
    @founders_only()
    async def claim(self, interaction: discord.Interaction,
                    item_id: app_commands.Range[int, 1]) -> None:
        founder = self.bot.gate.founder_name(interaction.user)
        card = await self.bot.run_store(self.bot.backend.claim, item_id, founder)
        await interaction.response.send_message(
            Markup(escape(f"You claimed #{card.item_id}: ") + link(card.title, card.url)),
            ephemeral=True, allowed_mentions=NO_MENTIONS,
        )
        await self.bot.feed_refresh(card.item_id)

    @app_commands.command(name="answered", description="Mark a queue item answered, with the link to your answer.")
    @app_commands.rename(item_id="id")
    @app_commands.describe(item_id="The queue item number", url="Link to your answer on the forum")
    @founders_only()
    async def answered(self, interaction: discord.Interaction,
                       item_id: app_commands.Range[int, 1],
                       url: app_commands.Range[str, 1, URL_LIMIT]) -> None:
        target = safe_url(url)
        if target is None:
            raise QueueActionError(
                f"'{url}' is not a link to your answer (it must start with http:// or https://)"
            )
        founder = self.bot.gate.founder_name(interaction.user)
        card = await self.bot.run_store(self.bot.backend.answer, item_id, founder, target)
        await interaction.response.send_message(
            Markup(escape(f"Marked #{card.item_id} answered: ") + link(card.title, card.url)),
            ephemeral=True, allowed_mentions=NO_MENTIONS,
        )
        await self.bot.feed_refresh(card.item_id)
