"""/explain: every reason behind a queue item's category and priority."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from assistant.bot.exts.explain._cog import ExplainCommands
from assistant.bot.insights import INSIGHTS_SERVICE

if TYPE_CHECKING:
    from assistant.bot.client import BeachheadBot

__all__ = ["ExplainCommands", "setup"]

log = logging.getLogger(__name__)


async def setup(bot: BeachheadBot) -> None:
    if bot.services.get(INSIGHTS_SERVICE) is None:
        log.info("no insights service given: /explain is not offered")
        return
    await bot.add_cog(ExplainCommands(bot))
