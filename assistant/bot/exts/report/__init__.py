"""/report: this week's summary, with the full HTML report attached."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from assistant.bot.exts.report._cog import ReportCommands
from assistant.bot.insights import INSIGHTS_SERVICE

if TYPE_CHECKING:
    from assistant.bot.client import BeachheadBot

__all__ = ["ReportCommands", "setup"]

log = logging.getLogger(__name__)


async def setup(bot: BeachheadBot) -> None:
    if bot.services.get(INSIGHTS_SERVICE) is None:
        log.info("no insights service given: /report is not offered")
        return
    await bot.add_cog(ReportCommands(bot))
