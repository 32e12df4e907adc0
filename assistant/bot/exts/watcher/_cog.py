"""Runs one watch pass at start and then every ``watch_interval``.

A pass (fetching forums, classifying, scoring, queueing) is blocking work
that can take minutes; it runs in a worker thread so the bot keeps answering
clicks meanwhile, and the feed is woken when it ends so new items are posted
at once. A failed pass is logged and the next one runs on time: one forum
being down never stops the watcher.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from discord.ext import commands

if TYPE_CHECKING:
    from assistant.bot.client import BeachheadBot

log = logging.getLogger(__name__)

WATCH_SERVICE = "watch"
"""The name of the service (a blocking callable) that runs one pass."""


class Watcher(commands.Cog):
    def __init__(self, bot: BeachheadBot):
        self.bot = bot
        self.passes = 0
        self.failures = 0
        self.last_result: Any = None
        self._task: asyncio.Task[None] | None = None

    @property
    def watch_once(self) -> Callable[[], Any] | None:
        return self.bot.services.get(WATCH_SERVICE)

    async def cog_load(self) -> None:
        if self.watch_once is None:
            log.info("no watch service given: the bot only serves what is already queued")
            return
        self._task = asyncio.create_task(self._run(), name="beachhead-watcher")

    async def cog_unload(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def run_pass(self) -> Any:
        """One pass in a worker thread, then wake the feed."""
        watch_once = self.watch_once
        if watch_once is None:
            return None
        try:
            result = await asyncio.to_thread(watch_once)
        except Exception:
            self.failures += 1
            log.exception("watch pass failed; the next one runs in %s",
                          self.bot.settings.watch_interval)
            return None
        self.passes += 1
        self.last_result = result
        feed = self.bot.get_cog("Feed")
        if feed is not None:
            feed.wake()  # type: ignore[attr-defined]
        return result

    async def _run(self) -> None:
        await self.bot.wait_until_ready()
        interval = self.bot.settings.watch_interval.total_seconds()
        loop = asyncio.get_running_loop()
        while not self.bot.is_closed():
            started = loop.time()
            await self.run_pass()
            await asyncio.sleep(max(0.0, interval - (loop.time() - started)))
