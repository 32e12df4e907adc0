"""The real discord.py client against the loopback fake Discord, serving a real
store filled by the real pipeline from a small invented forum: login, READY,
command sync, feed posts, every button, the modal, the select, slash
commands, refusals, a restart, hostile text, a dropped gateway, rate limits
and an outage — and nothing lost or posted twice."""

from __future__ import annotations

import asyncio
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from assistant import clock, pipeline
from assistant import queue as queue_service
from assistant.bot.gate import REFUSAL
from assistant.bot.render import ZWSP
from assistant.bot.runner import build_bot
from assistant.store import Store
from playbooks import load_playbook
from tests.builders import (
    TEST_PLAYBOOK,
    member_line,
    post,
    thread_line,
    write_lines,
    write_playbook,
)
from tests.fakes.discord_fixtures import pointed_at, running
from tests.fakes.discord_server import EPHEMERAL, FakeDiscord

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
DISCORD_SECTION = '\n[discord]\nchannel_id = {channel}\nfounder_role = "Founders"\npost_threshold = 0.3\n'

MEMBERS = [
    member_line("kim", location="Seoul, South Korea"),
    member_line("lou", location="Lyon, France"),
    member_line("max", location="Monterrey, Mexico"),
]
FORUM = [
    *MEMBERS,
    thread_line("101", "Mailbox import stalls with error WX-IMAP-17 after update", "kim",
                "2026-11-20T06:00:00Z",
                "Since the update our imap mailbox stalls on WX-IMAP-17. How do we fix it?",
                url="https://forum.example/t/101",
                posts=[post("101-1", "lou", "2026-11-20T07:00:00Z", "Same WX-IMAP-17 here"),
                       post("101-2", "max", "2026-11-20T08:00:00Z", "Me too, any workaround?")]),
    thread_line("102", "WX-IMAP-17 again on a second mailbox", "max", "2026-11-20T09:00:00Z",
                "A second imap mailbox now fails with WX-IMAP-17. Any idea how to fix?",
                url="https://forum.example/t/102"),
]
HOSTILE_TITLE = "@everyone <@&42> **URGENT** `imap` mailbox WX-IMAP-17 [win](https://evil.example) "
HOSTILE = [
    *MEMBERS,
    thread_line("201", HOSTILE_TITLE + "x" * 10_000, "kim", "2026-11-20T10:00:00Z",
                "@here our imap mailbox fails with WX-IMAP-17 <@123>. How to fix?"),
]
LATE = thread_line("103", "Shared mailbox stuck on WX-IMAP-17 since this morning", "lou",
                   "2026-11-20T11:00:00Z", "Our imap mailbox is stuck on WX-IMAP-17. How to fix it?")

_WORLDS: dict[str, Path] = {}


def _world(factory: pytest.TempPathFactory, name: str, lines: list[str]) -> Path:
    """Build a world once per module (pipeline included), copied per test."""
    if name not in _WORLDS:
        folder = factory.mktemp(name)
        write_playbook(folder, TEST_PLAYBOOK + DISCORD_SECTION.format(channel=1))
        write_lines(folder / "forum.jsonl", lines)
        write_lines(folder / "foro.jsonl", [])
        store = Store(folder / "bot.db")
        clock.pin(store, NOW)
        pipeline.run(store, load_playbook(folder / "beachhead.toml"))
        store.close()
        _WORLDS[name] = folder
    return _WORLDS[name]


class World:
    """The bot's store, and a second connection for everything the test does
    itself (as the CLI would, from another process)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.playbook = load_playbook(folder / "beachhead.toml")
        self.store = Store(folder / "bot.db")
        self.outside = Store(folder / "bot.db")

    def close(self) -> None:
        self.store.close()
        self.outside.close()

    def item(self, item_id: int) -> queue_service.QueueItem:
        return queue_service.get_item(self.outside, item_id)

    def message_of(self, item_id: int) -> int | None:
        value = self.item(item_id).discord_message_id
        return int(value) if value else None


def open_world(factory, tmp_path: Path, name: str = "forum", lines=FORUM) -> World:
    folder = tmp_path / "world"
    shutil.copytree(_world(factory, name, lines), folder)
    return World(folder)


@pytest.fixture
def world(tmp_path_factory, tmp_path):
    opened = open_world(tmp_path_factory, tmp_path)
    yield opened
    opened.close()


@pytest.fixture
async def fake():
    async with FakeDiscord() as server:
        server.ada = server.add_member("ada", founder=True)  # Ada Quintero in the playbook
        server.bruno = server.add_member("bruno", founder=True)  # founder role, not in playbook
        server.guest = server.add_member("guest", founder=False)
        with pointed_at(server):
            yield server


def make_bot(fake: FakeDiscord, world: World, *, watch: bool = False, **settings):
    values = dict(channel_id=fake.channel_id, retry_every=0.1, guild_ready_timeout=0.05,
                  snooze_for=timedelta(hours=6))
    values.update(settings)
    return build_bot(world.store, world.playbook, watch=watch, **values)


async def feed_posts(fake: FakeDiscord, world: World, count: int) -> list[dict]:
    """Wait until ``count`` posts exist and the store knows their messages."""

    def done():
        if len(fake.posts) < count:
            return None
        ids = {int(m["id"]) for m in fake.posts}
        known = {world.message_of(row["id"]) for row in world.outside.query(
            "SELECT id FROM queue_items WHERE discord_message_id IS NOT NULL")}
        return fake.posts if ids <= known else None

    return await fake.wait_until(done)


def post_of(fake: FakeDiscord, world: World, item_id: int) -> dict:
    return fake.messages[world.message_of(item_id)]


def state_field(message: dict) -> str:
    return message["embeds"][0]["fields"][-1]["value"]


async def test_login_ready_and_one_command_sync(fake, world):
    async with running(make_bot(fake, world), fake) as bot:
        assert bot.user.id == fake.bot_user_id
        assert bot.get_channel(fake.channel_id).name == "queue"
        await feed_posts(fake, world, 2)
    assert fake.identifies == 1
    [sync] = fake.command_syncs
    assert sync["guild_id"] == fake.guild_id
    commands = {c["name"]: c for c in sync["commands"]}
    assert sorted(commands) == ["answered", "check", "claim", "credibility", "experts",
                                "explain", "problems", "queue", "report"]
    assert [(o["name"], o["type"], o.get("required", False))
            for o in commands["answered"]["options"]] == [("id", 4, True), ("url", 3, True)]
    assert [(o["name"], o.get("required", False)) for o in commands["queue"]["options"]] == [
        ("community", False)]
    assert fake.unhandled == [] and fake.refused == []


async def test_feed_post_shows_the_item_with_its_buttons(fake, world):
    async with running(make_bot(fake, world), fake):
        first, second = await feed_posts(fake, world, 2)
    assert world.message_of(2) == int(first["id"])  # most urgent first
    embed = first["embeds"][0]
    assert embed["title"] == "WX-IMAP-17 again on a second mailbox"
    assert embed["author"] == {"name": "Widget Forum"}
    assert embed["description"] == (
        "Why: pervasive solvable +0.40 · 3h old +0.19 · unknown +0.07 · 3 countries +0.05 · "
        "3 members +0.03"
    )
    assert [(f["name"], f["value"]) for f in embed["fields"]] == [
        ("Category", "Pervasive, solvable"),
        ("Kind", "How-to"),
        ("Asker", "Unknown"),
        ("Affected", "3 members in 3 countries (FR, KR, MX)"),
        ("Answer by", "<t:1795262400:f> (<t:1795262400:R>)"),  # 2026-11-21 12:00 UTC
        ("State", "Open"),
    ]
    assert embed["footer"] == {"text": "Queue item #2 · priority 0.74"}
    assert embed["url"] == "https://forum.example/t/102"
    assert fake.custom_ids(first) == [
        "beachhead:claim:2", "beachhead:answered:2", "beachhead:snooze:2", "beachhead:dismiss:2",
    ]
    select = fake.components(first)[-1]
    assert [o["value"] for o in select["options"]] == [
        "unrewarded", "unsolvable", "not_a_problem", "competitor"]
    for request in fake.requests:
        if request.method == "POST" and request.path.endswith("/messages"):
            assert request.body["allowed_mentions"] == {"parse": []}
    assert fake.custom_ids(second)[0] == "beachhead:claim:1"


async def test_threshold_keeps_lower_items_out_of_the_channel(fake, world):
    with world.outside.transaction():
        world.outside.conn.execute("UPDATE queue_items SET priority = 0.3 WHERE id = 1")
    async with running(make_bot(fake, world, post_threshold=0.6), fake):
        await feed_posts(fake, world, 1)
        await asyncio.sleep(0.3)  # a few more passes
    assert len(fake.posts) == 1
    assert world.message_of(1) is None


async def test_claim_button_updates_the_post_in_place(fake, world):
    async with running(make_bot(fake, world), fake):
        await feed_posts(fake, world, 2)
        message_id = world.message_of(2)
        click = await fake.click(message_id, "beachhead:claim:2", fake.ada)
        assert (await fake.response(click))["type"] == 7

        def rendered() -> bool:  # recorded right after the post is updated
            return world.outside.scalar(
                "SELECT discord_rendered_event FROM queue_items WHERE id = 2") == str(
                world.outside.scalar("SELECT max(id) FROM queue_events WHERE item_id = 2"))

        await fake.wait_until(rendered)
    item = world.item(2)
    assert (item.state, item.claimed_by) == ("claimed", "Ada Quintero")
    shown = fake.messages[message_id]
    assert state_field(shown) == "Claimed by Ada Quintero"
    claim = fake.components(shown)[0]
    assert (claim["label"], claim["disabled"]) == ("Claimed by Ada Quintero", True)


async def test_non_founders_are_refused_and_nothing_changes(fake, world):
    async with running(make_bot(fake, world), fake):
        await feed_posts(fake, world, 2)
        message_id = world.message_of(2)
        click = await fake.click(message_id, "beachhead:claim:2", fake.guest)
        refusal = await fake.response(click)
        choice = await fake.select(message_id, "beachhead:dismiss:2", ["unsolvable"], fake.guest)
        await fake.response(choice)
        slash = await fake.slash("answered", fake.guest, id=2, url="https://forum.example/p/1")
        assert await fake.reply_text(slash) == REFUSAL
        assert fake.is_ephemeral(slash)
        unlisted = await fake.slash("claim", fake.bruno, id=2)
        assert await fake.reply_text(unlisted) == (
            "founder 'bruno' is not in the playbook (add discord = \"bruno\" to their "
            "[[founders]] entry)"
        )
    assert refusal["type"] == 4
    assert refusal["data"]["content"] == REFUSAL
    assert refusal["data"]["flags"] == EPHEMERAL
    assert world.item(2).state == "queued"
    assert world.outside.scalar("SELECT count(*) FROM labels") == 0
    assert fake.edits == []


async def test_answered_modal_records_the_answer(fake, world):
    async with running(make_bot(fake, world), fake):
        await feed_posts(fake, world, 2)
        message_id = world.message_of(2)
        click = await fake.click(message_id, "beachhead:answered:2", fake.ada)
        assert (await fake.response(click))["type"] == 9
        modal = fake.modal_of(click)
        assert modal["custom_id"] == "beachhead:answer:2"
        assert [c["custom_id"] for c in fake.components(modal)] == ["url"]
        bad = await fake.submit_modal(click, {"url": "my answer @everyone"}, fake.ada)
        assert await fake.reply_text(bad) == (
            f"'my answer @{ZWSP}everyone' is not a link to your answer "
            "(it must start with http:// or https://)"
        )
        assert fake.is_ephemeral(bad)
        good = await fake.submit_modal(click, {"url": "https://forum.example/t/102/3"}, fake.ada)
        assert (await fake.response(good))["type"] == 7
    item = world.item(2)
    assert (item.state, item.answered_by, item.answered_url) == (
        "answered", "Ada Quintero", "https://forum.example/t/102/3")
    shown = fake.messages[message_id]
    assert fake.components(shown) == []
    assert state_field(shown) == "Answered by Ada Quintero — [the answer](https://forum.example/t/102/3)"


async def test_not_for_us_select_dismisses_and_labels(fake, world):
    async with running(make_bot(fake, world), fake):
        await feed_posts(fake, world, 2)
        message_id = world.message_of(1)
        choice = await fake.select(message_id, "beachhead:dismiss:1", ["competitor"], fake.ada)
        await fake.response(choice)
    assert (world.item(1).state, world.item(1).dismissed_reason) == ("dismissed", "competitor")
    assert world.outside.query("SELECT kind, value, source, author FROM labels") == [
        {"kind": "user_type", "value": "competitor", "source": "dismiss", "author": "Ada Quintero"}]
    assert state_field(fake.messages[message_id]) == "Not for us: Competitor"


async def test_snooze_button_hides_the_item_for_the_configured_time(fake, world):
    async with running(make_bot(fake, world), fake):
        await feed_posts(fake, world, 2)
        message_id = world.message_of(2)
        await fake.response(await fake.click(message_id, "beachhead:snooze:2", fake.ada))
    assert world.item(2).state == "snoozed"
    assert world.item(2).snoozed_until == NOW + timedelta(hours=6)
    assert state_field(fake.messages[message_id]) == "Snoozed until <t:1795197600:f>"


async def test_buttons_keep_working_after_a_restart(fake, world):
    async with running(make_bot(fake, world), fake):
        await feed_posts(fake, world, 2)
    message_id = world.message_of(2)
    async with running(make_bot(fake, world), fake):
        click = await fake.click(message_id, "beachhead:claim:2", fake.ada)
        assert (await fake.response(click))["type"] == 7
        other = await fake.click(world.message_of(1), "beachhead:answered:1", fake.ada)
        assert (await fake.response(other))["type"] == 9  # the modal
    assert world.item(2).state == "claimed"
    assert len(fake.posts) == 2  # nothing posted twice


async def test_slash_commands_queue_claim_answered(fake, world):
    async with running(make_bot(fake, world), fake):
        await feed_posts(fake, world, 2)
        listing = await fake.slash("queue", fake.guest)
        text = await fake.reply_text(listing)
        assert fake.is_ephemeral(listing)
        assert text.splitlines()[0] == "Queue"
        assert text.splitlines()[1] == (
            "**#2** · [WX-IMAP-17 again on a second mailbox](https://forum.example/t/102) · "
            "forum · Pervasive, solvable · answer <t:1795262400:R>"
        )
        assert "**#1**" in text.splitlines()[2]
        unknown = await fake.slash("queue", fake.guest, community="r/nowhere")
        assert await fake.reply_text(unknown) == "community 'r/nowhere' is not in the playbook"
        empty = await fake.slash("queue", fake.guest, community="foro")
        assert "Nothing is waiting for an answer." in await fake.reply_text(empty)

        claim = await fake.slash("claim", fake.ada, id=1)
        assert (await fake.reply_text(claim)).startswith(
            "You claimed #1: [Mailbox import stalls with error WX-IMAP-17 after update](")
        assert fake.is_ephemeral(claim)
        await fake.wait_until(lambda: state_field(post_of(fake, world, 1))
                              == "Claimed by Ada Quintero")
        missing = await fake.slash("claim", fake.ada, id=999)
        assert await fake.reply_text(missing) == "queue item 999 does not exist"

        answered = await fake.slash("answered", fake.ada, id=1, url="https://forum.example/p/7")
        assert (await fake.reply_text(answered)).startswith("Marked #1 answered: [Mailbox")
        await fake.wait_until(lambda: fake.components(post_of(fake, world, 1)) == [])
        again = await fake.slash("claim", fake.ada, id=1)
        assert await fake.reply_text(again) == (
            "queue item 1 is answered; it cannot become claimed "
            "(from answered it can become: nothing (it is final))"
        )
    assert world.item(1).answered_url == "https://forum.example/p/7"


async def test_changes_made_elsewhere_update_the_post(fake, world):
    async with running(make_bot(fake, world), fake) as bot:
        await feed_posts(fake, world, 2)
        # A founder claims from the terminal; the clock then passes item 2's answer-by.
        queue_service.claim(world.outside, world.playbook, 1, "Ada Quintero")
        clock.pin(world.outside, NOW + timedelta(hours=25))
        bot.get_cog("Feed").wake()
        await fake.wait_until(lambda: state_field(post_of(fake, world, 2)).startswith("Expired"))
        await fake.wait_until(lambda: state_field(post_of(fake, world, 1))
                              == "Claimed by Ada Quintero")
    assert fake.components(post_of(fake, world, 2)) == []
    assert len(fake.posts) == 2


async def test_hostile_thread_text_is_posted_safely(fake, tmp_path_factory, tmp_path):
    world = open_world(tmp_path_factory, tmp_path, "hostile", HOSTILE)
    try:
        async with running(make_bot(fake, world), fake):
            [message] = await feed_posts(fake, world, 1)
            listing = await fake.slash("queue", fake.ada)
            text = await fake.reply_text(listing)
            raw_listing = str(listing.responses)
    finally:
        world.close()
    assert fake.refused == []  # every limit Discord checks was respected
    embed = message["embeds"][0]
    assert embed["title"].startswith(
        f"@{ZWSP}everyone \\<{ZWSP}@&42> \\*\\*URGENT\\*\\* \\`imap\\` mailbox WX-IMAP-17 "
        "\\[win\\](https://evil.example%29 xxx"
    )
    assert len(embed["title"]) == 256 and embed["title"].endswith("…")
    for raw in (str(message), raw_listing):
        assert "@everyone" not in raw and "@here" not in raw
        assert "<@&42>" not in raw and "[win](" not in raw
    # What a reader sees is the title as written, mentions broken, nothing hidden.
    assert f"@{ZWSP}everyone <{ZWSP}@&42> **URGENT** `imap` mailbox WX-IMAP-17 [win]" in text
    assert message["content"] == ""


async def test_dropped_gateway_loses_nothing(fake, world):
    async with running(make_bot(fake, world), fake) as bot:
        await feed_posts(fake, world, 2)
        fake.hold_gateway()
        await fake.drop_gateway()
        # While the bot is disconnected: a founder clicks, and the watcher queues a thread.
        click = await fake.click(world.message_of(2), "beachhead:claim:2", fake.ada)
        assert not fake.gateway_connected and click.responses == []
        with (world.folder / "forum.jsonl").open("a", encoding="utf-8") as archive:
            archive.write(LATE + "\n")
        await asyncio.to_thread(pipeline.run, world.outside, world.playbook)
        fake.release_gateway()
        assert (await fake.response(click))["type"] == 7
        bot.get_cog("Feed").wake()
        await feed_posts(fake, world, 3)
    assert fake.resumes == 1 and fake.identifies == 1
    assert world.item(2).state == "claimed"
    assert sorted(int(m["id"]) for m in fake.posts) == sorted(
        world.message_of(i) for i in (1, 2, 3))


async def test_rate_limits_delay_posts_but_lose_none(fake, world):
    fake.rate_limit_posts(1, retry_after=0.2)  # waited out inside discord.py
    fake.rate_limit_posts(1, retry_after=120)  # too long: left for the next pass
    async with running(make_bot(fake, world), fake):
        await feed_posts(fake, world, 2)
    assert fake.rate_limited_posts == 2
    assert len(fake.posts) == 2 and world.message_of(1) and world.message_of(2)


async def test_outage_then_recovery_posts_everything_once(fake, world):
    fake.start_outage(503)
    async with running(make_bot(fake, world), fake):
        await fake.wait_until(lambda: fake.failed_during_outage >= 2)
        assert fake.posts == [] and world.message_of(1) is None and world.message_of(2) is None
        fake.end_outage()
        await feed_posts(fake, world, 2)
        await asyncio.sleep(0.3)
    assert len(fake.posts) == 2


async def test_edit_during_an_outage_is_retried(fake, world):
    async with running(make_bot(fake, world), fake) as bot:
        await feed_posts(fake, world, 2)
        fake.start_outage(503)
        queue_service.claim(world.outside, world.playbook, 2, "Ada Quintero")
        bot.get_cog("Feed").wake()
        await fake.wait_until(lambda: fake.failed_during_outage >= 1)
        assert state_field(post_of(fake, world, 2)) == "Open"
        fake.end_outage()
        await fake.wait_until(lambda: state_field(post_of(fake, world, 2))
                              == "Claimed by Ada Quintero")


async def test_watcher_queues_in_a_worker_thread_and_the_feed_posts(fake, world):
    with (world.folder / "forum.jsonl").open("a", encoding="utf-8") as archive:
        archive.write(LATE + "\n")
    bot = make_bot(fake, world, watch=True, watch_interval=timedelta(minutes=15))
    async with running(bot, fake):
        await feed_posts(fake, world, 3)
        watcher = bot.get_cog("Watcher")
        assert (watcher.passes, watcher.failures) == (1, 0)
        assert watcher.last_result.judged.queued == [3]
    assert world.item(3).title == "Shared mailbox stuck on WX-IMAP-17 since this morning"


async def test_click_on_a_stale_post_explains_and_refreshes_it(fake, world):
    async with running(make_bot(fake, world, retry_every=60), fake):
        await feed_posts(fake, world, 2)
        queue_service.mark_answered(world.outside, world.playbook, 2, "https://forum.example/p/5",
                                    founder="Ada Quintero")
        click = await fake.click(world.message_of(2), "beachhead:claim:2", fake.ada)
        assert await fake.reply_text(click) == (
            "queue item 2 is answered; it cannot become claimed "
            "(from answered it can become: nothing (it is final))"
        )
        assert fake.is_ephemeral(click)
        await fake.wait_until(lambda: fake.components(post_of(fake, world, 2)) == [])
    assert state_field(post_of(fake, world, 2)).startswith("Answered by Ada Quintero")


async def test_an_internal_error_is_logged_and_answered_politely(fake, world, caplog):
    bot = make_bot(fake, world)

    def broken(item_id, founder):
        raise RuntimeError("disk on fire")

    bot.backend.claim = broken
    async with running(bot, fake):
        await feed_posts(fake, world, 2)
        click = await fake.click(world.message_of(2), "beachhead:claim:2", fake.ada)
        assert await fake.reply_text(click) == (
            "Something went wrong on our side; it has been logged and nothing was changed."
        )
        slash = await fake.slash("claim", fake.ada, id=2)
        assert await fake.reply_text(slash) == (
            "Something went wrong on our side; it has been logged and nothing was changed."
        )
    assert sum("disk on fire" in (r.exc_text or "") for r in caplog.records) == 2
    assert world.item(2).state == "queued"
