"""The real discord.py client against the loopback fake Discord: login, READY,
command sync, feed posts, buttons, the modal, the select, refusals, a restart,
a dropped gateway, a rate limit and an outage."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
from datetime import UTC, datetime, timedelta

import pytest

from assistant.bot import BotConfigError, BotSettings, PostedCard, QueueActionError, create_bot
from assistant.bot.gate import REFUSAL
from assistant.bot.render import ZWSP, ItemCard
from tests.fakes.discord_fixtures import pointed_at, running
from tests.fakes.discord_server import EPHEMERAL, FakeDiscord

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


class MemoryBackend:
    """A queue kept in a dict, standing in for the store in these tests."""

    def __init__(self, cards: list[ItemCard], communities=("kestrel-forum", "r-kestreldesk")):
        self.cards = {c.item_id: c for c in cards}
        self.messages: dict[int, int] = {}
        self.rendered: dict[int, str | None] = {}
        self.labels: list[tuple[int, str, str]] = []
        self._communities = list(communities)
        self._versions = itertools.count(1)

    def _bump(self, item_id: int, **changes) -> ItemCard:
        card = self.cards[item_id]
        self.cards[item_id] = dataclasses.replace(card, version=f"v{next(self._versions)}",
                                                  **changes)
        return self.cards[item_id]

    def card(self, item_id):
        try:
            return self.cards[item_id]
        except KeyError:
            raise QueueActionError(f"there is no queue item #{item_id}") from None

    def cards_to_post(self, threshold):
        return [c for c in self.cards.values()
                if c.item_id not in self.messages and c.is_open and (c.priority or 0) >= threshold]

    def mark_rendered(self, item_id, message_id, version):
        self.messages[item_id] = message_id
        self.rendered[item_id] = version

    def open_posts(self):
        return [PostedCard(self.cards[i], m) for i, m in self.messages.items()
                if self.cards[i].is_open]

    def stale_posts(self):
        return [PostedCard(self.cards[i], m) for i, m in self.messages.items()
                if self.rendered.get(i) != self.cards[i].version]

    def open_cards(self, community, limit):
        return [c for c in self.cards.values()
                if c.is_open and (community is None or c.community == community)][:limit]

    def communities(self):
        return self._communities

    def claim(self, item_id, founder):
        card = self.card(item_id)
        if card.state == "claimed":
            raise QueueActionError(f"#{item_id} is already claimed by {card.claimed_by}")
        return self._bump(item_id, state="claimed", claimed_by=founder)

    def answer(self, item_id, founder, url):
        self.card(item_id)
        return self._bump(item_id, state="answered", answered_by=founder, answer_url=url)

    def dismiss(self, item_id, founder, reason):
        self.card(item_id)
        self.labels.append((item_id, reason, founder))
        return self._bump(item_id, state="dismissed", dismissed_reason=reason)

    def snooze(self, item_id, founder, until):
        self.card(item_id)
        return self._bump(item_id, state="snoozed", snoozed_until=until)


def make_card(item_id: int, **changes) -> ItemCard:
    values = dict(
        item_id=item_id, community="kestrel-forum",
        title=f"Mailbox stops fetching after password change ({item_id})",
        url=f"https://forum.example/t/{item_id}", state="queued",
        category="pervasive_solvable", kind="bug", asker_type="customer",
        affected_members=4, countries=("DE", "CO"), answer_by=NOW + timedelta(hours=24),
        why="4 members in 2 countries; matches email-channels", priority=0.9, version="v0",
    )
    values.update(changes)
    return ItemCard(**values)


@pytest.fixture
async def fake():
    async with FakeDiscord() as server:
        server.lucia = server.add_member("lucia", founder=True)
        server.guest = server.add_member("guest", founder=False)
        with pointed_at(server):
            yield server


class Playbook:
    founders = (type("F", (), {"name": "Lucía Restrepo", "discord": "lucia"})(),)


def make_bot(fake: FakeDiscord, backend, services=None, **overrides):
    values = dict(channel_id=fake.channel_id, founder_role="Founders", post_threshold=0.5,
                  watch_interval=timedelta(minutes=15), retry_every=0.1,
                  guild_ready_timeout=0.05, snooze_for=timedelta(hours=6))
    values.update(overrides)
    return create_bot(BotSettings(**values), backend, Playbook(), clock=lambda: NOW,
                      services=services)


async def posted(fake: FakeDiscord, count: int) -> list[dict]:
    return await fake.wait_until(lambda: len(fake.posts) >= count and fake.posts[:count])


async def test_login_ready_and_command_sync(fake):
    backend = MemoryBackend([])
    async with running(make_bot(fake, backend), fake) as bot:
        assert bot.user.id == fake.bot_user_id
        assert bot.get_channel(fake.channel_id).name == "queue"
        assert fake.identifies == 1
        [sync] = fake.command_syncs
        assert sync["guild_id"] == fake.guild_id
        commands = {c["name"]: c for c in sync["commands"]}
        assert sorted(commands) == ["answered", "claim", "queue"]
        assert [(o["name"], o["type"], o.get("required", False))
                for o in commands["answered"]["options"]] == [("id", 4, True), ("url", 3, True)]
    assert fake.unhandled == [] and fake.refused == []


async def test_feed_posts_an_embed_with_buttons_and_no_mentions(fake):
    backend = MemoryBackend([make_card(1), make_card(2, priority=0.2)])
    async with running(make_bot(fake, backend), fake):
        [message] = await posted(fake, 1)
    post = next(r for r in fake.requests if r.method == "POST" and r.path.endswith("/messages"))
    assert post.body["allowed_mentions"] == {"parse": []}
    [embed] = message["embeds"]
    assert embed["title"] == "Mailbox stops fetching after password change (1)"
    assert embed["footer"]["text"] == "Queue item #1 · priority 0.90"
    assert fake.custom_ids(message) == [
        "beachhead:claim:1", "beachhead:answered:1", "beachhead:snooze:1", "beachhead:dismiss:1",
    ]
    assert backend.messages == {1: int(message["id"])}  # item 2 is below the threshold


async def test_claim_button_updates_the_post_in_place(fake):
    backend = MemoryBackend([make_card(1)])
    async with running(make_bot(fake, backend), fake):
        [message] = await posted(fake, 1)
        click = await fake.click(int(message["id"]), "beachhead:claim:1", fake.lucia)
        response = await fake.response(click)
    assert response["type"] == 7  # update the message the button is on
    assert backend.cards[1].claimed_by == "Lucía Restrepo"
    shown = fake.messages[int(message["id"])]
    assert shown["embeds"][0]["fields"][-1]["value"] == "Claimed by Lucía Restrepo"
    claim = fake.components(shown)[0]
    assert claim["label"] == "Claimed by Lucía Restrepo" and claim["disabled"] is True


async def test_non_founder_is_refused_ephemerally_and_nothing_changes(fake):
    backend = MemoryBackend([make_card(1)])
    async with running(make_bot(fake, backend), fake):
        [message] = await posted(fake, 1)
        click = await fake.click(int(message["id"]), "beachhead:claim:1", fake.guest)
        response = await fake.response(click)
        slash = await fake.slash("claim", fake.guest, id=1)
        assert await fake.reply_text(slash) == REFUSAL
        assert fake.is_ephemeral(slash)
    assert response == {"type": 4, "data": {"tts": False, "content": REFUSAL,
                                            "flags": EPHEMERAL, "allowed_mentions": {"parse": []}}}
    assert backend.cards[1].state == "queued"
    assert fake.edits == []


async def test_answered_modal_records_the_url(fake):
    backend = MemoryBackend([make_card(1)])
    async with running(make_bot(fake, backend), fake):
        [message] = await posted(fake, 1)
        click = await fake.click(int(message["id"]), "beachhead:answered:1", fake.lucia)
        await fake.response(click)
        modal = fake.modal_of(click)
        assert modal["custom_id"] == "beachhead:answer:1"
        bad = await fake.submit_modal(click, {"url": "not a link"}, fake.lucia)
        assert await fake.reply_text(bad) == (
            "'not a link' is not a link to your answer (it must start with http:// or https://)"
        )
        good = await fake.submit_modal(click, {"url": "https://forum.example/p/9"}, fake.lucia)
        assert (await fake.response(good))["type"] == 7
    assert backend.cards[1].state == "answered"
    assert backend.cards[1].answer_url == "https://forum.example/p/9"
    assert fake.components(fake.messages[int(message["id"])]) == []


async def test_not_for_us_select_becomes_a_label(fake):
    backend = MemoryBackend([make_card(1)])
    async with running(make_bot(fake, backend), fake):
        [message] = await posted(fake, 1)
        choice = await fake.select(int(message["id"]), "beachhead:dismiss:1", ["competitor"],
                                   fake.lucia)
        await fake.response(choice)
    assert backend.labels == [(1, "competitor", "Lucía Restrepo")]
    shown = fake.messages[int(message["id"])]
    assert shown["embeds"][0]["fields"][-1]["value"] == "Not for us: Competitor"


async def test_snooze_button(fake):
    backend = MemoryBackend([make_card(1)])
    async with running(make_bot(fake, backend), fake):
        [message] = await posted(fake, 1)
        await fake.response(await fake.click(int(message["id"]), "beachhead:snooze:1",
                                             fake.lucia))
    assert backend.cards[1].snoozed_until == NOW + timedelta(hours=6)


async def test_buttons_work_after_a_restart(fake):
    backend = MemoryBackend([make_card(1)])
    async with running(make_bot(fake, backend), fake):
        [message] = await posted(fake, 1)
    async with running(make_bot(fake, backend), fake):
        click = await fake.click(int(message["id"]), "beachhead:claim:1", fake.lucia)
        assert (await fake.response(click))["type"] == 7
    assert len(fake.posts) == 1
    assert backend.cards[1].state == "claimed"


async def test_slash_commands_queue_claim_answered(fake):
    backend = MemoryBackend([make_card(1), make_card(2, community="r-kestreldesk")])
    async with running(make_bot(fake, backend), fake):
        await posted(fake, 2)
        listing = await fake.slash("queue", fake.guest, community="r-kestreldesk")
        text = await fake.reply_text(listing)
        assert fake.is_ephemeral(listing)
        assert "**#2**" in text and "**#1**" not in text
        unknown = await fake.slash("queue", fake.guest, community="r/nowhere")
        assert await fake.reply_text(unknown) == "community 'r/nowhere' is not in the playbook"
        claim = await fake.slash("claim", fake.lucia, id=2)
        assert (await fake.reply_text(claim)).startswith("You claimed #2: [Mailbox")
        twice = await fake.slash("claim", fake.lucia, id=2)
        assert await fake.reply_text(twice) == "#2 is already claimed by Lucía Restrepo"
        answered = await fake.slash("answered", fake.lucia, id=2, url="https://f.example/p/1")
        await fake.reply_text(answered)
        second = int(backend.messages[2])
        await fake.wait_until(lambda: fake.components(fake.messages[second]) == [])
    assert backend.cards[2].state == "answered"


async def test_hostile_text_is_posted_safely(fake):
    hostile = make_card(1, title="@everyone <@&42> **look** " + "x" * 10_000,
                        why="@here [win](https://evil.example) " + "_" * 8000,
                        community="<#1> kestrel")
    backend = MemoryBackend([hostile])
    async with running(make_bot(fake, backend), fake):
        [message] = await posted(fake, 1)
    assert fake.refused == []
    embed = message["embeds"][0]
    assert embed["title"].startswith(f"@{ZWSP}everyone \\<{ZWSP}@&42> \\*\\*look\\*\\* xxx")
    assert len(embed["title"]) == 256 and embed["title"].endswith("…")
    assert "@here" not in embed["description"]


async def test_dropped_gateway_loses_nothing(fake):
    backend = MemoryBackend([make_card(1)])
    async with running(make_bot(fake, backend), fake) as bot:
        [message] = await posted(fake, 1)
        fake.hold_gateway()
        await fake.drop_gateway()
        # Sent while the bot is disconnected: Discord keeps it for the RESUME.
        click = await fake.click(int(message["id"]), "beachhead:claim:1", fake.lucia)
        assert not fake.gateway_connected and click.responses == []
        fake.release_gateway()
        assert (await fake.response(click))["type"] == 7
        assert fake.resumes == 1 and fake.identifies == 1
        backend.cards[2] = make_card(2)
        bot.get_cog("Feed").wake()
        await posted(fake, 2)
    assert backend.cards[1].state == "claimed"


async def test_rate_limited_post_is_retried(fake):
    fake.rate_limit_posts(1, retry_after=0.2)
    backend = MemoryBackend([make_card(1)])
    async with running(make_bot(fake, backend), fake):
        await posted(fake, 1)
    assert fake.rate_limited_posts == 1 and backend.messages.keys() == {1}


async def test_long_rate_limit_leaves_the_item_for_a_later_pass(fake):
    fake.rate_limit_posts(1, retry_after=120)  # longer than the bot will wait inline
    backend = MemoryBackend([make_card(1)])
    async with running(make_bot(fake, backend), fake):
        await posted(fake, 1)
    assert fake.rate_limited_posts == 1 and backend.messages.keys() == {1}


async def test_outage_then_recovery_posts_everything_once(fake):
    backend = MemoryBackend([make_card(1), make_card(2)])
    fake.start_outage(503)
    async with running(make_bot(fake, backend), fake):
        await fake.wait_until(lambda: fake.failed_during_outage >= 2)
        assert fake.posts == [] and backend.messages == {}
        fake.end_outage()
        await posted(fake, 2)
    assert sorted(backend.messages) == [1, 2]
    assert len(fake.posts) == 2


async def test_missing_channel_or_role_is_a_clear_error(fake):
    with pytest.raises(BotConfigError, match=r"channel 5 \(\[discord\] channel_id in the playbook\)"):
        async with running(make_bot(fake, MemoryBackend([]), channel_id=5), fake):
            pass
    with pytest.raises(BotConfigError, match="role 'Marketing'"):
        async with running(make_bot(fake, MemoryBackend([]), founder_role="Marketing"), fake):
            pass


async def test_watcher_runs_off_the_event_loop_and_feeds_the_channel(fake):
    backend = MemoryBackend([])
    runs: list[bool] = []

    def watch_once():
        try:
            asyncio.get_running_loop()
            runs.append(True)  # would mean: blocking work on the event loop
        except RuntimeError:
            runs.append(False)
        item_id = len(runs)
        if item_id == 2:
            raise OSError("forum down")  # one failed pass does not stop the watcher
        backend.cards[item_id] = make_card(item_id)
        return item_id

    bot = make_bot(fake, backend, services={"watch": watch_once},
                   watch_interval=timedelta(seconds=0.05))
    async with running(bot, fake):
        await posted(fake, 2)
        watcher = bot.get_cog("Watcher")
        assert watcher.failures == 1 and watcher.passes >= 2
    assert runs[:3] == [False, False, False]
    assert sorted(backend.messages)[:2] == [1, 3]
