"""What the bot asks of the queue, in the bot's own terms.

The bot never touches SQL: it talks to a ``QueueBackend``. Every method is
blocking (SQLite) and is called from the bot's store thread, never on the
event loop. Refusals a founder should read (an item already claimed, an
unknown id) are ``QueueActionError``s whose message is shown as is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from assistant.bot.render import ItemCard

DISMISS_REASONS = ("unrewarded", "unsolvable", "not_a_problem", "competitor")
"""The choices of "Not for us"; each is recorded as a label."""


class QueueActionError(Exception):
    """A queue action the founder asked for cannot be done; the message says why."""


@dataclass(frozen=True, slots=True)
class PostedCard:
    card: ItemCard
    message_id: int


class QueueBackend(Protocol):
    def card(self, item_id: int) -> ItemCard: ...

    def cards_to_post(self, threshold: float) -> Sequence[ItemCard]:
        """Open items at or above the threshold that have no Discord message
        yet, most urgent first."""
        ...

    def mark_rendered(self, item_id: int, message_id: int, version: str | None) -> None:
        """Remember the message showing an item and which version it shows."""
        ...

    def open_posts(self) -> Sequence[PostedCard]:
        """Posted items that are still open: their buttons must keep working."""
        ...

    def stale_posts(self) -> Sequence[PostedCard]:
        """Posted items whose message shows an older version than the item:
        changed by a founder elsewhere, by the CLI, or expired."""
        ...

    def open_cards(self, community: str | None, limit: int) -> Sequence[ItemCard]: ...

    def communities(self) -> Sequence[str]: ...

    def claim(self, item_id: int, founder: str) -> ItemCard: ...

    def answer(self, item_id: int, founder: str, url: str) -> ItemCard: ...

    def dismiss(self, item_id: int, founder: str, reason: str) -> ItemCard: ...

    def snooze(self, item_id: int, founder: str, duration: timedelta) -> ItemCard:
        """Hide the item for ``duration`` from now (the store's clock)."""
        ...
