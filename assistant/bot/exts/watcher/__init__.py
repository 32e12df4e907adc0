"""The watcher: fetch → judge → queue on the playbook's interval, inside the
bot's process, with the blocking work in a worker thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.bot.exts.watcher._cog import Watcher

if TYPE_CHECKING:
    from assistant.bot.client import BeachheadBot

__all__ = ["Watcher", "setup"]


async def setup(bot: BeachheadBot) -> None:
    await bot.add_cog(Watcher(bot))
