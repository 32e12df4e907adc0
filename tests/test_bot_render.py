"""Forum text is hostile: what the bot renders can never ping, never break out
of its field and never exceed Discord's limits."""

from __future__ import annotations

from datetime import UTC, datetime

import discord
import pytest

from assistant.bot.render import (
    ZWSP,
    Field,
    ItemCard,
    Markup,
    build_embed,
    clip,
    escape,
    item_embed,
    link,
    neutralise,
    queue_line,
    safe_url,
)
from tests.fakes.discord_server import check_message_payload


def card(**changes) -> ItemCard:
    values = dict(
        item_id=7,
        community="kestrel-forum",
        title="SLA timers run through the weekend",
        url="https://forum.example/t/sla-timers/7001",
        state="queued",
        category="pervasive_solvable",
        kind="bug",
        asker_type="customer",
        affected_members=9,
        countries=("DE", "MX", "JP"),
        answer_by=datetime(2025, 3, 4, 12, 0, tzinfo=UTC),
        why="9 members in 3 countries report it; we fixed this for two clients",
        priority=0.8125,
    )
    values.update(changes)
    return ItemCard(**values)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hi @everyone", f"hi @{ZWSP}everyone"),
        ("@HERE now", f"@{ZWSP}HERE now"),
        ("ping <@123456789012345678>", f"ping <{ZWSP}@123456789012345678>"),
        ("nick <@!123>", f"nick <{ZWSP}@!123>"),
        ("role <@&42>", f"role <{ZWSP}@&42>"),
        ("chan <#99>", f"chan <{ZWSP}#99>"),
        ("mail me at a@b.example", "mail me at a@b.example"),
    ],
)
def test_mentions_are_broken_by_a_zero_width_space(text, expected):
    assert neutralise(text) == expected


def test_markdown_is_escaped_and_links_cannot_be_masked():
    assert escape("**bold** _it_ `code` ~~s~~ ||spoiler||") == (
        r"\*\*bold\*\* \_it\_ \`code\` \~\~s\~\~ \|\|spoiler\|\|"
    )
    assert escape("[click](https://evil.example/x)") == r"\[click\](https://evil.example/x%29"
    assert escape("# Heading\n> quote\n- item\n12. twelve") == (
        "\\# Heading\n\\> quote\n\\- item\n12\\. twelve"
    )
    # URLs stay clickable; their brackets cannot open a masked link.
    assert escape("see https://a.example/x_(y)") == "see https://a.example/x%5F%28y%29"
    assert escape("<@&1> and <t:0:R>") == f"\\<{ZWSP}@&1> and \\<t:0:R>"
    assert escape(Markup("**ours**")) == "**ours**"


def test_clip_ends_with_an_ellipsis_and_never_splits_an_escape():
    assert clip("abcdef", 6) == "abcdef"
    assert clip("abcdefg", 6) == "abcde…"
    assert clip("ab\\*cd", 4) == "ab…"
    assert clip("a\\\\bcd", 4) == "a\\\\…"


def test_safe_url_accepts_only_http_links():
    assert safe_url("https://forum.example/t/1") == "https://forum.example/t/1"
    assert safe_url("http://forum.example/t/a b") is None
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("ftp://forum.example/") is None
    assert safe_url("https://forum.example/t/(1)") == "https://forum.example/t/%281%29"
    assert link("a [title]", "javascript:x") == r"a \[title\]"
    assert link("ok", "https://x.example/") == "[ok](https://x.example/)"


def test_item_embed_shows_the_item():
    embed = item_embed(card()).to_dict()
    assert embed["title"] == "SLA timers run through the weekend"
    assert embed["url"] == "https://forum.example/t/sla-timers/7001"
    assert embed["author"] == {"name": "kestrel-forum"}
    assert embed["description"] == "Why: 9 members in 3 countries report it; we fixed this for two clients"
    assert [(f["name"], f["value"]) for f in embed["fields"]] == [
        ("Category", "Pervasive, solvable"),
        ("Kind", "Bug"),
        ("Asker", "Customer"),
        ("Affected", "9 members in 3 countries (DE, MX, JP)"),
        ("Answer by", "<t:1741089600:f> (<t:1741089600:R>)"),
        ("State", "Open"),
    ]
    assert embed["footer"] == {"text": "Queue item #7 · priority 0.81"}


@pytest.mark.parametrize(
    ("changes", "state"),
    [
        ({"state": "claimed", "claimed_by": "Lucía"}, "Claimed by Lucía"),
        ({"state": "answered", "answered_by": "Mateo", "answer_url": "https://f.example/p/2"},
         "Answered by Mateo — [the answer](https://f.example/p/2)"),
        ({"state": "dismissed", "dismissed_reason": "not_a_problem"}, "Not for us: Not a problem"),
        ({"state": "expired"}, "Expired: the answer-by time passed"),
        ({"state": "snoozed", "snoozed_until": datetime(2025, 3, 5, tzinfo=UTC)},
         "Snoozed until <t:1741132800:f>"),
    ],
)
def test_item_embed_state_line(changes, state):
    fields = item_embed(card(**changes)).to_dict()["fields"]
    assert fields[-1] == {"name": "State", "value": state, "inline": True}


def test_hostile_item_fits_every_limit_and_pings_no_one():
    title = "@everyone **URGENT** <@&1234> " + "A" * 10_000
    hostile = card(
        title=title,
        community="@here" + "c" * 400,
        why="[free money](https://evil.example) " + "*" * 9000,
        countries=tuple(f"<@{n}>" for n in range(400)),
        url="javascript:alert(1)",
    )
    embed = item_embed(hostile)
    data = embed.to_dict()
    check_message_payload({"embeds": [data]})  # what the real Discord checks
    assert len(data["title"]) == 256 and data["title"].endswith("…")
    assert data["title"].startswith(f"@{ZWSP}everyone \\*\\*URGENT\\*\\* \\<{ZWSP}@&1234> AAA")
    assert len(data["author"]["name"]) == 256
    assert "url" not in data
    assert len(embed) <= 6000
    assert all(len(f["value"]) <= 1024 for f in data["fields"])
    everything = str(data)
    assert "@everyone" not in everything and "@here" not in everything
    assert "<@" not in everything.replace(f"<{ZWSP}@", "")
    assert "[free money](" not in everything


def test_build_embed_keeps_the_total_under_6000_and_25_fields():
    fields = [Field(f"name {i} " + "n" * 300, "v" * 2000) for i in range(40)]
    embed = build_embed(title="t" * 300, description="d" * 5000, fields=fields,
                        footer="f" * 3000, author="a" * 300)
    data = embed.to_dict()
    check_message_payload({"embeds": [data]})
    assert len(data["fields"]) <= 25
    assert len(embed) <= 6000
    assert len(data["footer"]["text"]) == 2048


def test_queue_line_is_one_safe_line():
    line = queue_line(card(title="line one\nline two @everyone", state="claimed",
                           claimed_by="Mateo"))
    assert line == (
        f"**#7** · [line one line two @{ZWSP}everyone](https://forum.example/t/sla-timers/7001)"
        " · kestrel-forum · Pervasive, solvable · claimed by Mateo · answer <t:1741089600:R>"
    )


def test_no_mentions_object_allows_nothing():
    from assistant.bot.render import NO_MENTIONS

    assert NO_MENTIONS.to_dict() == discord.AllowedMentions.none().to_dict() == {"parse": []}
