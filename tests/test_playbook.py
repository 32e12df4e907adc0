"""Playbooks: every validation message is exact, and a broken playbook stops
before anything is stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import cli
from assistant.store import Store
from playbooks import PlaybookError, default_playbook_path, load_playbook, parse_playbook
from tests.builders import TEST_PLAYBOOK, write_lines, write_playbook


def problems_of(text: str) -> list[str]:
    with pytest.raises(PlaybookError) as caught:
        parse_playbook(text, "beachhead.toml")
    return caught.value.problems


def test_default_playbook_is_valid_and_teaches_the_four_communities():
    playbook = load_playbook(default_playbook_path())
    assert playbook.startup.name == "Corvina Labs"
    assert [c.id for c in playbook.communities] == [
        "kestrel-forum", "r-kestreldesk", "kestrel-es", "kestrel-de",
    ]
    assert {c.id for c in playbook.capabilities} == {
        "email-channels", "sla-automation", "migrations", "integrations-api",
    }
    assert playbook.scoring.answer_within_hours == 24
    lucia = playbook.founder("lucia")
    assert lucia.handle_in(playbook.community("kestrel-es")) == "lucia.restrepo"
    assert lucia.handle_in(playbook.community("kestrel-de")) is None


def test_misspelt_platform_names_the_file_path_and_choices():
    text = TEST_PLAYBOOK.replace('locator = "foro.jsonl"', 'locator = "foro.jsonl"').replace(
        'id = "foro"\nplatform = "jsonl"', 'id = "foro"\nplatform = "redit"'
    )
    assert problems_of(text) == [
        "beachhead.toml: communities[1].platform: 'redit' is not one of "
        "reddit, discourse, stackexchange, feed, jsonl"
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('name = "Tern Works"\n', ""), ["beachhead.toml: startup.name: missing (required)"]),
        (('name = "Tern Works"', 'nmae = "Tern Works"'), [
            "beachhead.toml: startup.nmae: unknown key (expected one of name, domains, disclosure, "
            "home_country)",
            "beachhead.toml: startup.name: missing (required)",
        ]),
        (('home_country = "CO"', 'home_country = "Colombia"'), [
            "beachhead.toml: startup.home_country: 'Colombia' is not an ISO 3166 country code like CO"
        ]),
        (('home_country = "CO"', 'home_country = "XX"'), [
            "beachhead.toml: startup.home_country: 'XX' is not an ISO 3166 country code"
        ]),
        (('domains = ["ternworks.example"]', 'domains = ["tern works"]'), [
            "beachhead.toml: startup.domains[0]: 'tern works' is not a domain name like example.com"
        ]),
        (('answer_within_hours = 24', 'answer_within_hours = "soon"'), [
            "beachhead.toml: scoring.answer_within_hours: expected a number, got 'soon'"
        ]),
        (('queue_threshold = 0.25', 'queue_threshold = 1.5'), [
            "beachhead.toml: scoring.queue_threshold: 1.5 is not between 0 and 1"
        ]),
        (('min_countries = 2', 'min_countries = 2.5'), [
            "beachhead.toml: categories.min_countries: expected an integer, got 2.5"
        ]),
        (('id = "foro"', 'id = "forum"'), [
            "beachhead.toml: communities[1].id: 'forum' is already used by communities[0]"
        ]),
        (('forum = "bruno_p"', 'forums = "bruno_p"'), [
            "beachhead.toml: founders[1].handles.forums: is neither a community id of this "
            "playbook nor a platform (reddit, discourse, stackexchange, feed, jsonl)"
        ]),
        (('[categories]', '[categories]\nlookback_days = 0'), [
            "beachhead.toml: categories.lookback_days: 0 is less than 1"
        ]),
        (('[scoring]', '[scoring.weights]\nfreshnes = 0.2\n[scoring]'), None),
        (('keywords = ["imap", "mailbox", "smtp"]', 'keywords = "imap"'), [
            "beachhead.toml: capabilities[0].keywords: expected a list, got 'imap'"
        ]),
        (('languages = ["es"]', 'languages = ["Spanish"]'), [
            "beachhead.toml: communities[1].languages[0]: 'Spanish' is not a language code like en"
        ]),
    ],
)
def test_each_validation_error_is_reported_exactly(change, expected):
    old, new = change
    assert old in TEST_PLAYBOOK
    text = TEST_PLAYBOOK.replace(old, new, 1)
    if expected is None:  # a TOML-level error: the table is defined twice
        assert problems_of(text)[0].startswith("beachhead.toml: ")
        return
    assert problems_of(text) == expected


def test_unknown_weight_name_is_refused():
    text = TEST_PLAYBOOK + "\n[scoring.weights]\nfreshnes = 0.2\n"
    text = text.replace("[scoring]\nanswer_within_hours = 24\nqueue_threshold = 0.25\n", "")
    text += "[scoring.category_values]\npervasive = 1.0\n"
    assert problems_of(text) == [
        "beachhead.toml: scoring.weights.freshnes: is not one of category, affected_members, "
        "countries, asker_value, freshness, answered_penalty, expert_answered_penalty, "
        "competitor_penalty",
        "beachhead.toml: scoring.category_values.pervasive: is not one of pervasive_solvable, "
        "unrewarded, unsolvable, not_a_problem",
    ]


def test_invalid_toml_is_reported_with_its_position():
    problems = problems_of('[startup\nname = "x"\n')
    assert len(problems) == 1
    assert problems[0].startswith("beachhead.toml: invalid TOML: ")
    assert "line 1" in problems[0]


def test_missing_file_is_a_clear_error(tmp_path: Path):
    with pytest.raises(PlaybookError) as caught:
        load_playbook(tmp_path / "nope.toml")
    assert caught.value.problems == [f"{tmp_path / 'nope.toml'}: cannot read (No such file or directory)"]


def test_playbook_check_command(tmp_path: Path):
    path = write_playbook(tmp_path)
    runner = CliRunner()
    result = runner.invoke(cli, ["playbook", "check", str(path)])
    assert result.exit_code == 0
    assert result.output == f"{path}: ok — 2 communities, 2 founders, 1 capabilities\n"

    broken = write_playbook(tmp_path, TEST_PLAYBOOK.replace('platform = "jsonl"', 'platform = "redit"', 1),
                            name="broken.toml")
    result = runner.invoke(cli, ["playbook", "check", str(broken)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {broken}: communities[0].platform: 'redit' is not one of "
        "reddit, discourse, stackexchange, feed, jsonl\n"
    )


def test_broken_playbook_exits_non_zero_and_stores_nothing(tmp_path: Path):
    write_lines(tmp_path / "forum.jsonl", ['{"id": "1", "title": "t", "author": "a", '
                                           '"created_at": "2026-11-01T00:00:00Z"}'])
    broken = write_playbook(tmp_path, TEST_PLAYBOOK.replace("[scoring]", "[scoring]\nbogus = 1"))
    db = tmp_path / "b.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "--playbook", str(broken), "fetch"])
    assert result.exit_code == 1
    assert "scoring.bogus: unknown key" in result.output
    if db.exists():
        store = Store(db)
        assert store.scalar("SELECT count(*) FROM threads") == 0
        store.close()


def test_init_writes_a_valid_starter_and_refuses_to_overwrite(tmp_path: Path, monkeypatch):
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)
    first = runner.invoke(cli, ["init"])
    assert first.exit_code == 0
    assert first.output == "Wrote beachhead.toml. Edit it, then run: beachhead playbook check beachhead.toml\n"
    assert load_playbook("beachhead.toml").startup.name == "Your Startup"
    second = runner.invoke(cli, ["init"])
    assert second.exit_code == 1
    assert second.output == "Error: beachhead.toml already exists (use --force to overwrite)\n"
