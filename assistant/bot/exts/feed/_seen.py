"""The "seen before" line of a feed post: the closest thread solved before,
so a founder answers in minutes and the same way.

It is looked up every time the post is drawn (posted, or updated after a
click), on a reader thread, so it appears as soon as a similar thread gets
solved. Looking it up can never hold a post back: if it fails, the post goes
out without the line.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING

from assistant.bot.insights import INSIGHTS_SERVICE
from assistant.bot.render import ItemCard

if TYPE_CHECKING:
    from assistant.bot.client import BeachheadBot

log = logging.getLogger(__name__)


async def with_seen_before(bot: BeachheadBot, card: ItemCard) -> ItemCard:
    """The card with its "seen before" line, when the bot has insights and
    something close was solved before."""
    insights = bot.services.get(INSIGHTS_SERVICE)
    if insights is None:
        return card
    try:
        line = await bot.run_reader(insights.seen_before, card.item_id)
    except Exception:
        log.exception("could not look up threads like queue item #%s", card.item_id)
        return card
    return dataclasses.replace(card, seen_before=line) if line else card
