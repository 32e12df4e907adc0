"""/credibility and /experts: where the founders stand in each community, and
the members whose voice carries furthest there."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from assistant.bot.exts.credibility._cog import standing_commands
from assistant.bot.insights import INSIGHTS_SERVICE

if TYPE_CHECKING:
    from assistant.bot.client import BeachheadBot

__all__ = ["setup", "standing_commands"]

log = logging.getLogger(__name__)


async def setup(bot: BeachheadBot) -> None:
    if bot.services.get(INSIGHTS_SERVICE) is None:
        log.info("no insights service given: /credibility and /experts are not offered")
        return
    await bot.add_cog(standing_commands(bot))
