"""The feed: queue items posted to the founders' channel with their buttons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.bot.exts.feed._cog import Feed, FeedPass

if TYPE_CHECKING:
    from assistant.bot.client import BeachheadBot

__all__ = ["Feed", "FeedPass", "setup"]


async def setup(bot: BeachheadBot) -> None:
    await bot.add_cog(Feed(bot))
