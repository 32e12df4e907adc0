"""The read-only slash commands and /check, the real discord.py against the
loopback fake Discord, on a store filled by the real pipeline from a small
invented forum where a founder has answered before: /problems, /credibility,
/experts, /explain, /report (the HTML attached), /check (typed and through
its form), who may use which, hostile forum text, and the feed's "seen
before" line. All forum text here is invented for the tests."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant import clock, pipeline
from assistant.bot.exts.problems._render import problems_embed
from assistant.bot.gate import REFUSAL
from assistant.bot.render import ZWSP, ItemCard, item_embed
from assistant.bot.runner import build_bot
from assistant.cli import cli
from assistant.problems import Example, PervasiveProblems, ProblemGroup
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
from tests.fakes.discord_server import EPHEMERAL, FakeDiscord, check_message_payload

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
DISCORD_SECTION = '\n[discord]\nchannel_id = 1\nfounder_role = "Founders"\npost_threshold = 0.3\n'
HOSTILE = "@everyone <@&42> **URGENT** `imap` mailbox WX-IMAP-17 [win](https://evil.example)"
FIX = ("Open Admin > Channels > Mail and press Reconnect: the fetcher keeps the old token after "
       "a password change, so WX-IMAP-17 stays until you sign in again.")
FORUM = [
    member_line("kim", location="Seoul, South Korea"),
    member_line("lou", location="Lyon, France"),
    member_line("max", location="Monterrey, Mexico"),
    member_line("kw_staff", staff=True, display_name="Widget Co support"),
    # October: Ada solves it, the asker says so, staff confirm under her answer.
    thread_line("90", "Mailbox fetch fails with WX-IMAP-17 after a password change", "lou",
                "2026-10-01T08:00:00Z",
                "Since we changed the password the imap mailbox fetch fails with WX-IMAP-17.",
                url="https://forum.example/t/90",
                posts=[post("90-1", "ada_q", "2026-10-01T09:00:00Z", FIX, score=3),
                       post("90-2", "lou", "2026-10-01T10:00:00Z", "That fixed it, thanks a lot!"),
                       post("90-3", "kw_staff", "2026-10-01T11:00:00Z",
                            "Confirming, reconnect refreshes the token.", parent="90-1")]),
    # Staff answer a relay question; the answer is accepted.
    thread_line("91", "SMTP relay rejects replies from the mailbox", "max", "2026-10-08T08:00:00Z",
                "Outgoing smtp replies bounce since the upgrade. Any idea?",
                url="https://forum.example/t/91",
                posts=[post("91-1", "kw_staff", "2026-10-08T09:00:00Z",
                            "Set the relay port to 587 and turn on STARTTLS.", accepted=True,
                            score=5)]),
    # This week: the same problem again, twice, one title written to do harm.
    thread_line("101", "Mailbox import stalls with error WX-IMAP-17 after update", "kim",
                "2026-11-20T06:00:00Z",
                "Since the update our imap mailbox stalls on WX-IMAP-17. How do we fix it?",
                url="https://forum.example/t/101",
                posts=[post("101-1", "lou", "2026-11-20T07:00:00Z", "Same WX-IMAP-17 here"),
                       post("101-2", "max", "2026-11-20T08:00:00Z", "Me too, any workaround?")]),
    thread_line("102", HOSTILE + " " + "x" * 10_000, "max", "2026-11-20T09:00:00Z",
                "A second imap mailbox now fails with WX-IMAP-17 after the password change. "
                "Any idea how to fix?",
                url="https://forum.example/t/102"),
]

_BUILT: dict[str, Path] = {}


@pytest.fixture
def world(tmp_path_factory, tmp_path):
    """The world is judged once per module (the pipeline is the slow part)
    and copied for each test."""
    if "world" not in _BUILT:
        folder = tmp_path_factory.mktemp("commands")
        write_playbook(folder, TEST_PLAYBOOK + DISCORD_SECTION)
        write_lines(folder / "forum.jsonl", FORUM)
        write_lines(folder / "foro.jsonl", [])
        store = Store(folder / "bot.db")
        clock.pin(store, NOW)
        pipeline.run(store, load_playbook(folder / "beachhead.toml"))
        store.close()
        _BUILT["world"] = folder
    folder = tmp_path / "world"
    shutil.copytree(_BUILT["world"], folder)
    store = Store(folder / "bot.db")
    yield store, load_playbook(folder / "beachhead.toml"), folder
    store.close()


@pytest.fixture
async def fake():
    async with FakeDiscord() as server:
        server.ada = server.add_member("ada", founder=True)  # Ada Quintero in the playbook
        server.bruno = server.add_member("bruno", founder=True)  # founder role, not in playbook
        server.guest = server.add_member("guest", founder=False)
        with pointed_at(server):
            yield server


def make_bot(fake: FakeDiscord, world):
    store, playbook, _ = world
    return build_bot(store, playbook, watch=False, channel_id=fake.channel_id, retry_every=0.1,
                     guild_ready_timeout=0.05)


def reply(sent) -> dict:
    """The message the person finally reads after a deferral."""
    if sent.followups:
        return sent.followups[0]
    return sent.original


def fields(message: dict) -> list[tuple[str, str]]:
    return [(f["name"], f["value"]) for f in message["embeds"][0].get("fields", [])]


def embed_of(message: dict) -> dict:
    [embed] = message["embeds"]
    return embed


async def answered(fake: FakeDiscord, sent) -> dict:
    """Wait for the reply, then return the message the person reads."""
    await fake.reply_text(sent)
    return reply(sent)


def assert_harmless(raw: str) -> None:
    """Nothing in a message can ping or smuggle a link in."""
    assert "@everyone" not in raw and "@here" not in raw
    assert "<@&42>" not in raw and "[win](" not in raw


# ------------------------------------------------------------------ sync


async def test_commands_offer_the_playbooks_founders_and_communities(fake, world):
    async with running(make_bot(fake, world), fake):
        pass
    [sync] = fake.command_syncs
    commands = {c["name"]: c for c in sync["commands"]}
    assert all(len(c["description"]) <= 100 for c in commands.values())
    [community] = commands["experts"]["options"]
    assert (community["name"], community["required"]) == ("community", True)
    assert community["choices"] == [{"name": "Widget Forum (forum)", "value": "forum"},
                                    {"name": "foro", "value": "foro"}]
    [founder] = commands["credibility"]["options"]
    assert founder.get("required", False) is False
    assert founder["choices"] == [{"name": "Ada Quintero", "value": "Ada Quintero"},
                                  {"name": "Bruno Paz", "value": "Bruno Paz"}]
    assert [(o["name"], o.get("required", False)) for o in commands["check"]["options"]] == [
        ("id", True), ("draft", False)]
    assert [o["name"] for o in commands["explain"]["options"]] == ["id"]
    assert [o["name"] for o in commands["report"]["options"]] == ["week"]
    assert [o["name"] for o in commands["problems"]["options"]] == ["top"]


# -------------------------------------------------------------- /problems


async def test_problems_lists_the_pervasive_groups_with_hostile_titles_made_safe(fake, world):
    async with running(make_bot(fake, world), fake):
        sent = await fake.slash("problems", fake.guest)
        message = await answered(fake, sent)
    assert not fake.is_ephemeral(sent)  # the team's list, posted in the channel
    embed = embed_of(message)
    assert embed["title"] == "Pervasive problems"
    assert embed["description"] == (
        "1 same-problem group pervasive and solvable in the last 90 days; the top 1, most "
        "affected members first.")
    assert fields(message) == [(
        "1\\. WX-IMAP-17 · mailbox · imap",
        "3 members in 3 countries (FR, KR, MX) · 1 community (forum) · 3 threads\n"
        "Growth +2: 2 new this week, 0 the week before · capability mail\n"
        f"• [@{ZWSP}everyone \\<{ZWSP}@&42> \\*\\*URGENT\\*\\* \\`imap\\` mailbox WX-IMAP-17 "
        "\\[win\\](https://evil.example%29 xxxx…](https://forum.example/t/102) (forum)\n"
        "• [Mailbox import stalls with error WX-IMAP-17 after update]"
        "(https://forum.example/t/101) (forum)\n"
        "• [Mailbox fetch fails with WX-IMAP-17 after a password change]"
        "(https://forum.example/t/90) (forum)",
    )]
    assert embed["footer"] == {"text": "Week 2026-W47 · the weekly report counts them the same way"}
    assert_harmless(str(message))
    assert message["flags"] == 0 and fake.refused == []


def test_problems_embed_stays_within_discords_limits():
    example = Example(1, "forum", HOSTILE + " x" * 5_000, "https://forum.example/t/1")
    group = ProblemGroup(1, "@here " + "label " * 2_000, "mail", 9, 3, 40, ("FR",) * 60,
                         ("forum",) * 30, ("en",), 5, 2, 3, (example,) * 3)
    embed = problems_embed(PervasiveProblems("2026-W47", 90, 10, (group,) * 10))
    check_message_payload({"embeds": [embed.to_dict()]})  # what Discord would refuse
    assert len(embed) <= 6000
    assert all(len(f.value) <= 1024 and len(f.name) <= 256 for f in embed.fields)
    assert_harmless(str(embed.to_dict()))
    # Cut between lines, never inside a link.
    assert all(line.endswith("(forum)") for line in embed.fields[0].value.splitlines()[2:])


def test_cli_problems_prints_the_groups(world):
    store, _, folder = world
    store.close()
    result = CliRunner().invoke(cli, ["--db", str(folder / "bot.db"), "--playbook",
                                      str(folder / "beachhead.toml"), "problems", "--top", "1"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:4] == [
        "Pervasive problems, 2026-W47 (last 90 days): 1 group",
        "1. WX-IMAP-17 · mailbox · imap",
        "   3 members in 3 countries (FR, KR, MX) · 1 community (forum) · 3 threads",
        "   growth +2: 2 new this week, 0 the week before · capability mail",
    ]
    assert lines[-1] == ("   - Mailbox fetch fails with WX-IMAP-17 after a password change "
                         "(forum) https://forum.example/t/90")


# ------------------------------------------------- /credibility, /experts

VOICE_AS_OF = " (voice as of 2026-11-20 12:00 UTC)"
"""When the kept voice was computed: by the first /credibility call, at the pinned clock."""
ADA_FORUM = (
    "**42.7**/100 `▁▁▁▁████████` +42.7 since 2026-W36\n"
    f"voice rank #2 of 5, behind experts kw\\_staff{VOICE_AS_OF}\n"
    "1 solution acknowledged of 1 answer · score 3 · 1 expert reply · median 1.0h to answer · "
    "100% on worth-it problems · self-promotion 0%"
)
NOBODY = ("0 solutions acknowledged of 0 answers · score 0 · 0 expert replies · no answer timed "
          "yet · — on worth-it problems · self-promotion —")


async def test_credibility_of_the_team_is_posted_for_everyone(fake, world):
    async with running(make_bot(fake, world), fake):
        sent = await fake.slash("credibility", fake.guest)
        message = await answered(fake, sent)
    assert not fake.is_ephemeral(sent)
    embed = embed_of(message)
    assert embed["title"] == "Credibility"
    assert embed["description"] == (
        "Score 0–100 from each founder's own posts; the trend covers the last 12 weeks.")
    assert fields(message) == [
        ("Ada Quintero · Widget Forum (ada\\_q)", ADA_FORUM),
        ("Ada Quintero · foro (ada\\_q)",
         f"**0.0**/100 `▁▁▁▁▁▁▁▁▁▁▁▁` +0.0 since 2026-W36\nno voice yet among 0 members{VOICE_AS_OF}\n"
         + NOBODY),
        ("Bruno Paz · Widget Forum (bruno\\_p)",
         "**0.0**/100 `▁▁▁▁▁▁▁▁▁▁▁▁` +0.0 since 2026-W36\n"
         f"no voice yet among 5 members, behind experts kw\\_staff{VOICE_AS_OF}\n" + NOBODY),
    ]


async def test_your_own_credibility_is_only_for_you(fake, world):
    async with running(make_bot(fake, world), fake):
        mine = await fake.slash("credibility", fake.ada, founder="Ada Quintero")
        own = await answered(fake, mine)
        other = await fake.slash("credibility", fake.bruno, founder="Ada Quintero")
        await answered(fake, other)
        unknown = await fake.slash("credibility", fake.ada, founder="Zed")
        refusal = await fake.reply_text(unknown)
    assert fake.is_ephemeral(mine) and own["flags"] == EPHEMERAL
    assert embed_of(own)["title"] == "Credibility · Ada Quintero"
    assert [name for name, _ in fields(own)] == ["Ada Quintero · Widget Forum (ada\\_q)",
                                                 "Ada Quintero · foro (ada\\_q)"]
    assert fields(own)[0][1] == ADA_FORUM
    assert not fake.is_ephemeral(other)  # bruno asking about Ada: for the channel
    assert refusal == "founder 'Zed' is not in the playbook"
    assert fake.is_ephemeral(unknown)


async def test_experts_of_a_community(fake, world):
    async with running(make_bot(fake, world), fake):
        sent = await fake.slash("experts", fake.guest, community="forum")
        message = await answered(fake, sent)
        empty = await fake.slash("experts", fake.guest, community="foro")
        nobody = await answered(fake, empty)
        unknown = await fake.slash("experts", fake.guest, community="r/nowhere")
        refusal = await fake.reply_text(unknown)
    assert not fake.is_ephemeral(sent)
    embed = embed_of(message)
    assert embed["title"] == "Experts of Widget Forum"
    assert embed["description"] == "Who to learn from and who to win over, loudest voice first."
    assert fields(message) == [(
        "1\\. kw\\_staff",
        "voice 1.00 · vendor staff\n"
        "1 answer, 1 solution, 1 person helped\n"
        "answers about: WX-IMAP-17 · mailbox · imap; smtp · replies · relay\n"
        "with founders: we replied 0×, they replied 1×, 1 thread together\n"
        "vendor staff — introduce yourselves early and keep them on side",
    )]
    assert embed_of(nobody)["description"] == "No one has answered anything in foro yet."
    assert refusal == "community 'r/nowhere' is not in the playbook"
    assert fake.is_ephemeral(unknown)


# --------------------------------------------------------------- /explain


async def test_explain_a_queue_item_with_a_hostile_title(fake, world):
    async with running(make_bot(fake, world), fake):
        sent = await fake.slash("explain", fake.guest, id="#2")
        message = await answered(fake, sent)
        by_thread = await fake.slash("explain", fake.guest, id="forum:101")
        other = await answered(fake, by_thread)
        plain_number = await fake.slash("explain", fake.guest, id="1")
        same = await answered(fake, plain_number)
    assert fake.is_ephemeral(sent) and message["flags"] == EPHEMERAL
    embed = embed_of(message)
    assert embed["title"].startswith(
        f"@{ZWSP}everyone \\<{ZWSP}@&42> \\*\\*URGENT\\*\\* \\`imap\\` mailbox WX-IMAP-17 "
        "\\[win\\](https://evil.example%29 x")
    assert len(embed["title"]) == 256 and embed["title"].endswith("…")
    assert embed["url"] == "https://forum.example/t/102"
    assert embed["author"] == {"name": "forum:102"}
    assert embed["description"] == (
        "Why: pervasive solvable +0.40 · 3h old +0.19 · customer +0.08 · 3 countries +0.05 · "
        "3 members +0.03")
    shown = dict(fields(message))
    assert list(shown) == ["Category", "Kind", "Reasons", "Asker", "Same-problem group",
                           "Priority", "Queue"]
    assert shown["Category"] == (
        "Pervasive, solvable (pervasive, solvable 47%, not a problem 41%, unrewarded 11%, "
        "unsolvable 0%)")
    assert shown["Kind"] == "Other · problem 53% · capability mail 1.00 · language zxx"
    assert shown["Asker"].splitlines()[0] == "max: customer (value 0.76), country MX"
    assert shown["Same-problem group"].splitlines()[0] == (
        "#1 WX-IMAP-17 · mailbox · imap: 3 members in 3 countries (FR, KR, MX), 3 threads")
    assert shown["Priority"] == ("0.75 = category +0.40 · affected members +0.03 · countries "
                                 "+0.05 · asker value +0.08 · freshness +0.19")
    assert shown["Queue"] == "#2 queued, answer by <t:1795262400:f>"  # 2026-11-21 12:00 UTC
    assert all(line.startswith("• ") for line in shown["Reasons"].splitlines())
    assert_harmless(str(message))
    assert fake.refused == []
    assert embed_of(other)["title"] == "Mailbox import stalls with error WX-IMAP-17 after update"
    assert embed_of(same)["title"] == embed_of(other)["title"]  # item 1 is thread forum:101


async def test_explain_names_what_it_could_not_find(fake, world):
    async with running(make_bot(fake, world), fake):
        missing = await fake.slash("explain", fake.guest, id="#999")
        nowhere = await fake.slash("explain", fake.guest, id="nowhere:1 @everyone")
        texts = [await fake.reply_text(missing), await fake.reply_text(nowhere)]
    assert texts == [
        "queue item 999 does not exist",
        f"'nowhere:1 @{ZWSP}everyone' is neither a queue item (#12) nor a thread "
        "(COMMUNITY:NATIVE_ID or the thread's URL)",
    ]
    assert fake.is_ephemeral(missing) and fake.is_ephemeral(nowhere)


# ---------------------------------------------------------------- /report


async def test_report_summary_with_the_html_report_attached(fake, world):
    async with running(make_bot(fake, world), fake):
        sent = await fake.slash("report", fake.guest)
        message = await answered(fake, sent)
        wrong = await fake.slash("report", fake.guest, week="W99")
        refusal = await fake.reply_text(wrong)
    assert not fake.is_ephemeral(sent)
    assert sent.responses[0]["type"] == 5  # deferred first: the report takes a moment
    [(name, content)] = fake.files_of(sent)
    assert name == "beachhead-report-2026-W47.html"
    html = content.decode("utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<h1>Weekly report 2026-W47</h1>" in html
    embed = embed_of(message)
    assert embed["title"] == "Weekly report 2026-W47 · Tern Works"
    assert embed["description"] == "Mon 16 Nov – Sun 22 Nov 2026 (as of 2026-11-20 12:00 UTC)"
    assert fields(message) == [
        ("Threads", "2 new (+2 on 2026-W46): 2 pervasive, solvable"),
        ("Pervasive problems", "1 group pervasive and solvable:\n"
                               "1\\. WX-IMAP-17 · mailbox · imap — 3 members in 3 countries, "
                               "growth +2"),
        ("Queue", "2 queued · 0 of 0 due answered on time (–) · 2 still open"),
        ("Credibility", "No snapshot yet: beachhead credibility takes the first one."),
        ("Reach", "0 members engaged, – outside CO · 0 leads worth 0"),
    ]
    assert embed["footer"] == {"text": "The full report is attached "
                                       "(beachhead-report-2026-W47.html)"}
    assert refusal == "week 'W99' is not an ISO week such as 2026-W47"
    assert fake.is_ephemeral(wrong) and fake.files_of(wrong) == []


# ----------------------------------------------------------------- /check

LEAKY = ("Fix: https://ternworks.example/fix — open Admin > Channels > Mail and press "
         "Reconnect.")
CLEAN = ("Open Admin > Channels > Mail and press Reconnect, then sign in again: the fetcher "
         "keeps the old token after a password change.")


async def test_check_blocks_an_undisclosed_link_to_our_own_site(fake, world):
    async with running(make_bot(fake, world), fake):
        sent = await fake.slash("check", fake.ada, id="#1", draft=LEAKY)
        message = await answered(fake, sent)
    assert fake.is_ephemeral(sent) and message["flags"] == EPHEMERAL
    embed = embed_of(message)
    assert embed["title"] == "Do not post this draft as it is"
    assert embed["description"] == (
        "Your draft for “Mailbox import stalls with error WX-IMAP-17 after update” in forum")
    assert fields(message) == [
        ("⛔ BLOCK · undisclosed\\_link",
         "links to ternworks.example (our own site) without saying who we are\n"
         "→ Add the disclosure line: Disclosure: I co-founded Tern Works."),
        ("⛔ BLOCK · self\\_promotion\\_share",
         "with this draft, 1 of 1 posts (100%) in the last 30 days would point at our own site; "
         "forum allows 10%\n"
         "→ Drop the link to our site from this answer, or post more answers without one first."),
    ]
    assert embed["footer"] == {"text": "Checked as Ada Quintero · thread 3"}


async def test_check_takes_a_long_draft_through_a_form(fake, world):
    async with running(make_bot(fake, world), fake):
        opened = await fake.slash("check", fake.ada, id="forum:102")
        assert (await fake.response(opened))["type"] == 9
        modal = fake.modal_of(opened)
        assert modal["custom_id"] == "beachhead:check"
        assert modal["title"] == f"Check: @{ZWSP}everyone <{ZWSP}@&42> **URGENT** `imap`…"
        assert [c["custom_id"] for c in fake.components(modal) if c.get("type") == 4] == ["draft"]
        submitted = await fake.submit_modal(opened, {"draft": CLEAN}, fake.ada)
        message = await answered(fake, submitted)
    assert fake.is_ephemeral(submitted)
    embed = embed_of(message)
    assert embed["title"] == "OK to post in forum"
    assert embed.get("fields", []) == []
    assert embed["footer"] == {"text": "Checked as Ada Quintero · thread 4"}
    assert_harmless(str(message))


async def test_check_is_for_founders_in_the_playbook(fake, world):
    async with running(make_bot(fake, world), fake):
        guest = await fake.slash("check", fake.guest, id="#1", draft=LEAKY)
        refused = await fake.reply_text(guest)
        form = await fake.slash("check", fake.guest, id="#1")
        refused_form = await fake.reply_text(form)
        bruno = await fake.slash("check", fake.bruno, id="#1", draft=LEAKY)
        unlisted = await fake.reply_text(bruno)
        wrong = await fake.slash("check", fake.ada, id="#999")
        missing = await fake.reply_text(wrong)
    assert refused == refused_form == REFUSAL
    assert fake.is_ephemeral(guest) and fake.is_ephemeral(form)
    assert unlisted == ("founder 'bruno' is not in the playbook (add discord = \"bruno\" to "
                        "their [[founders]] entry)")
    assert missing == "queue item 999 does not exist"  # before any form opens
    assert wrong.responses[0]["type"] == 4


# ------------------------------------------------------- feed: seen before

SEEN = ("(48% alike): \"Mailbox fetch fails with WX-IMAP-17 after a password change\" in forum, "
        "2026-10-01, solved by Ada Quintero (founder) — https://forum.example/t/90")


async def test_feed_posts_say_when_the_problem_was_solved_before(fake, world):
    store, _, _ = world
    async with running(make_bot(fake, world), fake):
        await fake.wait_until(lambda: len(fake.posts) >= 2 and store.scalar(
            "SELECT count(*) FROM queue_items WHERE discord_message_id IS NOT NULL") == 2)
        message_id = int(store.scalar("SELECT discord_message_id FROM queue_items WHERE id = 2"))
        posted = fields(fake.messages[message_id])
        click = await fake.click(message_id, "beachhead:claim:2", fake.ada)
        assert (await fake.response(click))["type"] == 7
    assert posted[-1] == ("Seen before", SEEN)
    assert fake.messages[message_id]["embeds"][0]["fields"][-1]["inline"] is False
    # The line stays when the post is drawn again after a click.
    after = fields(fake.messages[message_id])
    assert after[-2] == ("State", "Claimed by Ada Quintero")
    assert after[-1] == ("Seen before", SEEN)


def test_a_hostile_seen_before_line_is_cut_and_harmless():
    line = f'Seen before (91% alike): "{HOSTILE}{" y" * 6_000}" in forum, 2026-10-01, solved by x'
    card = ItemCard(item_id=7, community="forum", title=HOSTILE, url="https://forum.example/t/7",
                    state="queued", seen_before=line)
    embed = item_embed(card)
    check_message_payload({"embeds": [embed.to_dict()]})
    seen = embed.fields[-1]
    assert seen.name == "Seen before" and len(seen.value) <= 1024 and seen.value.endswith("…")
    assert seen.value.startswith(f'(91% alike): "@{ZWSP}everyone \\<{ZWSP}@&42> \\*\\*URGENT')
    assert_harmless(str(embed.to_dict()))
