"""The bot's queue backend over the SQLite store and ``assistant.queue``.

State changes go through the queue service (the same transitions, events and
labels as the CLI); this module only adds what the feed needs to remember
about Discord: which message shows an item and which version of it
(``discord_message_id``, ``discord_rendered_event``). An item's version is
the id of its last queue event: every state change adds one, while the
priority refreshes of each watcher pass do not (they would otherwise edit
every post on every pass).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any, TypeVar

from assistant import clock
from assistant import queue as queue_service
from assistant.bot.backend import PostedCard, QueueActionError
from assistant.bot.render import ItemCard
from assistant.store import Store
from playbooks import Playbook, UnknownCommunity, UnknownFounder

T = TypeVar("T")

POSTABLE_STATES = ("queued", "claimed")
"""An item is posted once it is in one of these; a snoozed item waits until
it wakes, a closed one is never posted."""


def _refusal(call: Callable[[], T]) -> T:
    """Run a queue call, turning its refusals into messages for the founder."""
    try:
        return call()
    except UnknownFounder as error:
        raise QueueActionError(
            f"{error} (add discord = \"{error.name}\" to their [[founders]] entry)"
        ) from None
    except (queue_service.QueueError, UnknownCommunity) as error:
        raise QueueActionError(str(error)) from None


class StoreBackend:
    """Serves the bot from one store; every call runs on the bot's store thread."""

    def __init__(self, store: Store, playbook: Playbook):
        self.store = store
        self.playbook = playbook

    def _card(self, item: queue_service.QueueItem) -> ItemCard:
        try:
            name: str | None = self.playbook.community(item.community_id).name
        except UnknownCommunity:
            name = None
        return ItemCard(
            item_id=item.id,
            community=item.community_id,
            community_name=name if name and name != item.community_id else None,
            title=item.title,
            url=item.url,
            state=item.state,
            category=item.category,
            kind=item.kind,
            asker_type=item.asker_type,
            affected_members=item.affected_members,
            countries=tuple(item.countries),
            answer_by=item.answer_by,
            why=item.why,
            priority=item.priority,
            claimed_by=item.claimed_by,
            answered_by=item.answered_by,
            answer_url=item.answered_url,
            dismissed_reason=item.dismissed_reason,
            snoozed_until=item.snoozed_until,
            version=self._version(item.id),
        )

    def _version(self, item_id: int) -> str | None:
        last = self.store.scalar(
            "SELECT max(id) FROM queue_events WHERE item_id = ?", (item_id,))
        return None if last is None else str(last)

    def _cards(self, sql: str, params: Sequence[Any] = ()) -> list[ItemCard]:
        return [self._card(queue_service.get_item(self.store, row["id"]))
                for row in self.store.query(sql, params)]

    def _settle(self) -> None:
        """Let time act first (answer-by expiry, snoozes ending), so the feed
        shows it."""
        queue_service.expire_due(self.store, clock.now(self.store))

    def card(self, item_id: int) -> ItemCard:
        return _refusal(lambda: self._card(queue_service.get_item(self.store, item_id)))

    def cards_to_post(self, threshold: float) -> list[ItemCard]:
        self._settle()
        marks = ",".join("?" * len(POSTABLE_STATES))
        return self._cards(
            "SELECT id FROM queue_items WHERE discord_message_id IS NULL "
            f"AND state IN ({marks}) AND priority >= ? "
            "ORDER BY priority DESC, answer_by ASC, id ASC",
            [*POSTABLE_STATES, threshold],
        )

    def mark_rendered(self, item_id: int, message_id: int, version: str | None) -> None:
        with self.store.transaction():
            self.store.conn.execute(
                "UPDATE queue_items SET discord_message_id = ?, discord_rendered_event = ? "
                "WHERE id = ?",
                (str(message_id), version, item_id),
            )

    def open_posts(self) -> list[PostedCard]:
        marks = ",".join("?" * len(queue_service.OPEN_STATES))
        return self._posted(
            f"SELECT id FROM queue_items WHERE discord_message_id IS NOT NULL "
            f"AND state IN ({marks}) ORDER BY id",
            queue_service.OPEN_STATES,
        )

    def stale_posts(self) -> list[PostedCard]:
        self._settle()
        return self._posted(
            "SELECT q.id FROM queue_items q WHERE q.discord_message_id IS NOT NULL "
            "AND q.discord_rendered_event IS NOT (SELECT CAST(max(e.id) AS TEXT) "
            "FROM queue_events e WHERE e.item_id = q.id) ORDER BY q.id",
        )

    def _posted(self, sql: str, params: Sequence[Any] = ()) -> list[PostedCard]:
        posted = []
        for row in self.store.query(sql, params):
            item = queue_service.get_item(self.store, row["id"])
            posted.append(PostedCard(self._card(item), int(item.discord_message_id or 0)))
        return posted

    def open_cards(self, community: str | None, limit: int) -> list[ItemCard]:
        if community is not None:
            _refusal(lambda: self.playbook.community(community))
        items = queue_service.list_items(self.store, community=community, limit=limit,
                                         now=clock.now(self.store))
        return [self._card(item) for item in items]

    def communities(self) -> list[str]:
        return [community.id for community in self.playbook.communities]

    def claim(self, item_id: int, founder: str) -> ItemCard:
        return self._card(_refusal(
            lambda: queue_service.claim(self.store, self.playbook, item_id, founder)))

    def answer(self, item_id: int, founder: str, url: str) -> ItemCard:
        return self._card(_refusal(lambda: queue_service.mark_answered(
            self.store, self.playbook, item_id, url, founder=founder)))

    def dismiss(self, item_id: int, founder: str, reason: str) -> ItemCard:
        return self._card(_refusal(lambda: queue_service.dismiss(
            self.store, self.playbook, item_id, reason, actor=founder)))

    def snooze(self, item_id: int, founder: str, duration: timedelta) -> ItemCard:
        def act() -> queue_service.QueueItem:
            person = self.playbook.founder(founder).name
            until = clock.now(self.store) + duration
            return queue_service.snooze(self.store, item_id, until, actor=person)

        return self._card(_refusal(act))
