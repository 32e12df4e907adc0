"""Slash commands over the queue: /queue, /claim, /answered."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.bot.exts.queue._cog import QueueCommands

if TYPE_CHECKING:
    from assistant.bot.client import BeachheadBot

__all__ = ["QueueCommands", "setup"]


async def setup(bot: BeachheadBot) -> None:
    await bot.add_cog(QueueCommands(bot))
