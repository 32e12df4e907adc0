"""The Discord client: built from what it is given, checked before it serves.

``create_bot`` takes its settings, the queue backend and the playbook as
arguments (nothing is read from the environment here). At start the bot
checks the channel and the founder role exist, loads one extension per
feature, and syncs slash commands once, to the channel's server, after all
extensions are loaded. Errors from commands, buttons and modals are answered
in one place.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from assistant.bot.backend import QueueActionError, QueueBackend
from assistant.bot.gate import REFUSAL, FounderGate, NotFounder, resolve_role
from assistant.bot.insights import InsightError
from assistant.bot.render import NO_MENTIONS, plain
from assistant.bot.settings import BotConfigError, BotSettings

log = logging.getLogger(__name__)

T = TypeVar("T")

EXTENSIONS: tuple[str, ...] = (
    "assistant.bot.exts.feed",
    "assistant.bot.exts.queue",
    "assistant.bot.exts.watcher",
    "assistant.bot.exts.problems",
    "assistant.bot.exts.credibility",
    "assistant.bot.exts.explain",
    "assistant.bot.exts.report",
    "assistant.bot.exts.etiquette",
)
"""Every feature the bot serves. A new slash command family is a new package
under ``assistant/bot/exts`` with a ``setup(bot)``, listed here."""

FAILURE = "Something went wrong on our side; it has been logged and nothing was changed."

READERS = 2
"""Threads for the read-only commands' heavier reads (a week's report, a
community's reply graph); two at a time at most, whoever asks."""


class BeachheadBot(commands.Bot):
    def __init__(
        self,
        settings: BotSettings,
        backend: QueueBackend,
        playbook: Any = None,
        *,
        extensions: Sequence[str] = EXTENSIONS,
        services: dict[str, Any] | None = None,
    ):
        intents = discord.Intents.none()
        intents.guilds = True
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            help_command=None,
            allowed_mentions=NO_MENTIONS,
            guild_ready_timeout=settings.guild_ready_timeout,
            max_ratelimit_timeout=settings.max_ratelimit_wait,
        )
        self.settings = settings
        self.backend = backend
        self.playbook = playbook
        self.services: dict[str, Any] = dict(services or {})
        """Optional services extensions use when present (a watcher, a report
        builder…), by name."""
        self.extension_names = tuple(extensions)
        # One thread owns every store call: the SQLite connection is shared,
        # and the event loop must never wait on a query.
        self._store_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="beachhead-store")
        self._readers = ThreadPoolExecutor(max_workers=READERS, thread_name_prefix="beachhead-reader")
        self.gate = FounderGate(0, playbook)
        self.feed_channel: discord.abc.Messageable | None = None
        self.tree.on_error = self._on_app_command_error  # type: ignore[method-assign]

    async def run_store(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a blocking store call on the store thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._store_thread, functools.partial(function, *args, **kwargs)
        )

    async def run_reader(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a blocking read that opens its own connection on a reader
        thread: it may take seconds without delaying a click on the store
        thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._readers, functools.partial(function, *args, **kwargs)
        )

    async def setup_hook(self) -> None:
        guild = await self._check_channel_and_role()
        for name in self.extension_names:
            await self.load_extension(name)
        self.tree.copy_global_to(guild=guild)
        await self.tree.sync(guild=guild)

    async def _check_channel_and_role(self) -> discord.Guild:
        settings = self.settings
        try:
            channel = await self.fetch_channel(settings.channel_id)
        except (discord.NotFound, discord.Forbidden):
            raise BotConfigError(
                f"channel {settings.channel_id} ([discord] channel_id in the playbook) "
                "does not exist or the bot cannot see it"
            ) from None
        if not isinstance(channel, discord.TextChannel):
            raise BotConfigError(
                f"channel {settings.channel_id} ([discord] channel_id in the playbook) "
                "is not a text channel in a server"
            )
        roles = await channel.guild.fetch_roles()
        role = resolve_role(roles, settings.founder_role)
        if role is None:
            raise BotConfigError(
                f"role '{settings.founder_role}' ([discord] founder_role in the playbook) "
                f"does not exist in the server of channel #{channel.name}"
            )
        self.gate.role_id = role.id
        self.feed_channel = channel
        return channel.guild

    async def feed_refresh(self, item_id: int) -> None:
        """Update the feed post of an item now, when the feed is loaded."""
        feed = self.get_cog("Feed")
        if feed is not None:
            await feed.refresh(item_id)  # type: ignore[attr-defined]

    async def interaction_failed(self, interaction: discord.Interaction,
                                 error: BaseException) -> None:
        """The one answer to anything that went wrong while serving someone:
        their own mistakes are explained, ours are logged."""
        if isinstance(error, app_commands.CommandInvokeError):
            error = error.original
        if isinstance(error, NotFounder):
            text = REFUSAL
        elif (isinstance(error, QueueActionError | InsightError | app_commands.AppCommandError)
              and str(error)):
            text = str(error)
        else:
            log.error("error serving %s", interaction.data, exc_info=error)
            text = FAILURE
        try:
            if interaction.response.is_done():
                await interaction.followup.send(plain(text), ephemeral=True,
                                                allowed_mentions=NO_MENTIONS)
            else:
                await interaction.response.send_message(plain(text), ephemeral=True,
                                                        allowed_mentions=NO_MENTIONS)
        except discord.HTTPException:
            log.warning("could not tell %s: %s", interaction.user, text)

    async def _on_app_command_error(self, interaction: discord.Interaction,
                                    error: app_commands.AppCommandError) -> None:
        await self.interaction_failed(interaction, error)

    async def close(self) -> None:
        await super().close()
        self._store_thread.shutdown(wait=False, cancel_futures=True)
        self._readers.shutdown(wait=False, cancel_futures=True)


def create_bot(
    settings: BotSettings,
    backend: QueueBackend,
    playbook: Any = None,
    **options: Any,
) -> BeachheadBot:
    """The bot, ready for ``await bot.start(token)``."""
    return BeachheadBot(settings, backend, playbook, **options)
