"""/problems: the pervasive problem groups, the candidates for a product."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from assistant.bot.exts.problems._cog import ProblemCommands
from assistant.bot.insights import INSIGHTS_SERVICE

if TYPE_CHECKING:
    from assistant.bot.client import BeachheadBot

__all__ = ["ProblemCommands", "setup"]

log = logging.getLogger(__name__)


async def setup(bot: BeachheadBot) -> None:
    if bot.services.get(INSIGHTS_SERVICE) is None:
        log.info("no insights service given: /problems is not offered")
        return
    await bot.add_cog(ProblemCommands(bot))
