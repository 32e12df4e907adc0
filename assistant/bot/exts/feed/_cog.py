"""The feed: every queue item worth a founder's hour, posted to the channel
and kept up to date.

Posting is a pass over what the store says is unposted, so nothing depends
on Discord being up at the moment an item is queued: an item a failed post
left behind (outage, rate limit, dropped connection) is simply still unposted
on the next pass. Passes run when the watcher queues something, when the
gateway comes back, and every ``retry_every`` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import aiohttp
import discord
from discord.ext import commands

from assistant.bot.exts.feed._seen import with_seen_before
from assistant.bot.exts.feed._views import item_view
from assistant.bot.render import NO_MENTIONS, ItemCard, item_embed

if TYPE_CHECKING:
    from assistant.bot.client import BeachheadBot

log = logging.getLogger(__name__)

STOP_GRACE = 10.0
"""Seconds a pass in flight may take to finish when the bot stops."""

UNREACHABLE = (discord.DiscordException, aiohttp.ClientError, OSError, TimeoutError)
"""What a post or edit raises when Discord, not the message, is the problem."""


@dataclass(slots=True)
class FeedPass:
    posted: int = 0
    edited: int = 0
    waiting: int = 0
    """Items left for the next pass because Discord could not be reached."""


def _refused_for_good(error: BaseException) -> bool:
    """A 4xx other than a rate limit: this message will never be accepted,
    which must not hold back the items after it."""
    return (isinstance(error, discord.HTTPException)
            and 400 <= error.status < 500 and error.status != 429)


class Feed(commands.Cog):
    def __init__(self, bot: BeachheadBot):
        self.bot = bot
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    async def cog_load(self) -> None:
        # Buttons under posts made before a restart keep working.
        for posted in await self.bot.run_store(self.bot.backend.open_posts):
            view = item_view(self.bot, posted.card)
            if view is not None:
                self.bot.add_view(view, message_id=posted.message_id)
        self._task = asyncio.create_task(self._run(), name="beachhead-feed")

    async def cog_unload(self) -> None:
        # Let a post in flight be recorded: cancelling between Discord's
        # answer and the store write would post the item twice after a restart.
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            if not self.bot.is_ready():
                self._task.cancel()  # still waiting for READY: nothing in flight
            try:
                await asyncio.wait_for(asyncio.shield(self._task), STOP_GRACE)
            except TimeoutError:
                self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def wake(self) -> None:
        """Ask for a pass now (something was queued, or Discord is back)."""
        self._wake.set()

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        self.wake()

    @commands.Cog.listener()
    async def on_resumed(self) -> None:
        self.wake()

    async def _run(self) -> None:
        await self.bot.wait_until_ready()
        while not self._stopping:
            self._wake.clear()
            try:
                await self.run_pass()
            except Exception:
                log.exception("feed pass failed; retrying in %ss", self.bot.settings.retry_every)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.bot.settings.retry_every)

    async def run_pass(self) -> FeedPass:
        """Post what is unposted, then bring stale posts up to date."""
        async with self._lock:
            result = FeedPass()
            await self._post_new(result)
            if not result.waiting:
                await self._edit_stale(result)
            return result

    def _channel(self) -> discord.abc.Messageable:
        channel = self.bot.get_channel(self.bot.settings.channel_id)
        return channel if channel is not None else self.bot.feed_channel  # type: ignore[return-value]

    async def _post_new(self, result: FeedPass) -> None:
        backend = self.bot.backend
        cards = await self.bot.run_store(backend.cards_to_post, self.bot.settings.post_threshold)
        for index, card in enumerate(cards):
            if self._stopping:
                return
            card = await with_seen_before(self.bot, card)
            try:
                message = await self._channel().send(
                    embed=item_embed(card), view=item_view(self.bot, card),
                    allowed_mentions=NO_MENTIONS,
                )
            except UNREACHABLE as error:
                if _refused_for_good(error):
                    log.error("Discord refused the post of queue item #%s: %s", card.item_id, error)
                    continue
                result.waiting = len(cards) - index
                log.warning("Discord unreachable (%s); %d item(s) wait for the next pass",
                            error, result.waiting)
                return
            await self.bot.run_store(backend.mark_rendered, card.item_id, message.id, card.version)
            result.posted += 1

    async def _edit_stale(self, result: FeedPass) -> None:
        for posted in await self.bot.run_store(self.bot.backend.stale_posts):
            if self._stopping:
                return
            if not await self._edit(posted.card, posted.message_id):
                result.waiting += 1
                return
            result.edited += 1

    async def _edit(self, card: ItemCard, message_id: int) -> bool:
        message = self._channel().get_partial_message(message_id)  # type: ignore[attr-defined]
        card = await with_seen_before(self.bot, card)
        try:
            await message.edit(embed=item_embed(card), view=item_view(self.bot, card),
                               allowed_mentions=NO_MENTIONS)
        except UNREACHABLE as error:
            if isinstance(error, discord.NotFound) or _refused_for_good(error):
                # The post is gone or cannot be edited: stop trying, nothing to update.
                log.warning("cannot update the post of queue item #%s: %s", card.item_id, error)
            else:
                log.warning("Discord unreachable (%s); the post of #%s waits", error, card.item_id)
                return False
        await self.bot.run_store(self.bot.backend.mark_rendered, card.item_id, message_id,
                                 card.version)
        return True

    async def refresh(self, item_id: int) -> None:
        """Bring the post of one item up to date now (after a slash command);
        if Discord is unreachable the next pass does it."""
        async with self._lock:
            for posted in await self.bot.run_store(self.bot.backend.stale_posts):
                if posted.card.item_id == item_id:
                    await self._edit(posted.card, posted.message_id)
