"""/check: a draft answer against its community's etiquette, before posting."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from assistant.bot.exts.etiquette._cog import CheckCommands
from assistant.bot.insights import INSIGHTS_SERVICE

if TYPE_CHECKING:
    from assistant.bot.client import BeachheadBot

__all__ = ["CheckCommands", "setup"]

log = logging.getLogger(__name__)


async def setup(bot: BeachheadBot) -> None:
    if bot.services.get(INSIGHTS_SERVICE) is None:
        log.info("no insights service given: /check is not offered")
        return
    await bot.add_cog(CheckCommands(bot))
