"""``beachhead bot`` as a library call: one process serving Discord and
running the watcher.

Everything that can be checked before connecting is (token present, channel
and role set in the playbook); the channel and role are then checked against
Discord itself before the bot serves anyone. Each failure is a
``BotConfigError`` naming the setting to fix.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import discord

from assistant import pipeline, upkeep
from assistant.bot.client import BeachheadBot, create_bot
from assistant.bot.exts.watcher._cog import WATCH_SERVICE
from assistant.bot.insights import INSIGHTS_SERVICE
from assistant.bot.settings import BotConfigError, BotSettings, check_token
from assistant.bot.store_backend import StoreBackend
from assistant.bot.store_insights import StoreInsights
from assistant.store import Store
from playbooks import Playbook


def watch_service(db_path: Path, playbook: Playbook) -> Callable[[], pipeline.RunReport]:
    """One watcher pass on its own connection: it runs in a worker thread
    while the bot's thread keeps using the main one."""

    def watch_once() -> pipeline.RunReport:
        store = Store(db_path)
        try:
            report = pipeline.run(store, playbook)
            # /credibility reads kept rows only: refresh them here, off its path.
            upkeep.after_pass(store, playbook,
                              every=timedelta(minutes=playbook.watch_interval_minutes))
            return report
        finally:
            store.close()

    return watch_once


def build_bot(store: Store, playbook: Playbook, *, watch: bool = True,
              **settings: Any) -> BeachheadBot:
    """The bot for this store and playbook; refuses a playbook whose
    ``[discord]`` section cannot work before anything connects."""
    bot_settings = BotSettings.from_playbook(playbook, **settings)
    services: dict[str, Any] = {INSIGHTS_SERVICE: StoreInsights(store.path, playbook)}
    if watch:
        services[WATCH_SERVICE] = watch_service(store.path, playbook)
    return create_bot(bot_settings, StoreBackend(store, playbook), playbook, services=services)


async def serve(bot: BeachheadBot, token: str) -> None:
    """Run until the process is stopped; a refused token is a config error."""
    try:
        async with bot:
            await bot.start(token)
    except discord.LoginFailure:
        raise BotConfigError(
            "Discord refused the token in DISCORD_TOKEN (401 Unauthorized): "
            "copy it again from the developer portal, Bot tab"
        ) from None


def run(store: Store, playbook: Playbook, token: str | None, *, watch: bool = True) -> None:
    token = check_token(token)
    bot = build_bot(store, playbook, watch=watch)
    if not logging.getLogger().handlers:
        discord.utils.setup_logging(level=logging.INFO, root=True)
    asyncio.run(serve(bot, token))
