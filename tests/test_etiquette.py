"""The draft check: each etiquette and confidentiality rule flags the right
thing with the right severity, a clean draft passes, and the exit code says
whether anything blocks. All text here is invented for the tests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant import etiquette, pipeline
from assistant.cli import cli
from assistant.store import Store
from playbooks import load_playbook
from tests.builders import post, thread_line, write_lines, write_playbook

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)

PLAYBOOK = """\
version = 1

[startup]
name = "Tern Works"
domains = ["ternworks.example"]
disclosure = "Disclosure: I co-founded Tern Works."
home_country = "CO"

[[founders]]
name = "Ada Quintero"
discord = "ada"
[founders.handles]
jsonl = "ada_q"

[[founders]]
name = "Bruno Paz"
[founders.handles]
forum = "bruno_p"

[[capabilities]]
id = "mail"
description = "Mailbox channels and mail fetching."
keywords = ["imap", "mailbox", "smtp"]

[[communities]]
id = "forum"
platform = "jsonl"
locator = "forum.jsonl"
[communities.etiquette]
max_self_promotion_share = 0.10
disclosure_required = true
links_allowed = true

[[communities]]
id = "foro"
platform = "jsonl"
locator = "foro.jsonl"
[communities.etiquette]
max_self_promotion_share = 0.05
disclosure_required = true
links_allowed = false

[confidential]
customer_names = ["Gullwing Bank", "Harbour Hotels"]
terms = ["price list"]
"""

CLEAN = """\
The fetcher still holds the token from before the password change.

1. Open Admin > Channels > Mail and pick the mailbox.
2. Press Reconnect and sign in with the mailbox account.
3. Wait five minutes for the next fetch; new mail turns into tickets again.
"""


def _answers(count: int, start_day: int, *, link_every: int = 0) -> list[str]:
    lines = []
    for n in range(count):
        body = "Restart the fetcher and check the mailbox password."
        if link_every and n % link_every == 0:
            body += f" Details: https://ternworks.example/kb/{n}\n\nDisclosure: I co-founded Tern Works."
        lines.append(thread_line(
            f"h{n}", f"Mailbox question {n}", "someone", f"2026-11-{start_day + n:02d}T08:00:00Z",
            "The imap mailbox fails, how do I fix it?",
            posts=[post(f"h{n}-1", "ada_q", f"2026-11-{start_day + n:02d}T09:00:00Z", body)],
        ))
    return lines


@pytest.fixture
def world(tmp_path: Path):
    write_playbook(tmp_path, PLAYBOOK)
    forum = [
        thread_line("1", "Mailbox stopped fetching mail", "ana", "2026-11-19T08:00:00Z",
                    "Since Monday the imap mailbox creates no tickets. How can I fix it?"),
        # Nine plain answers by Ada this month, one older promotional post outside the window.
        *_answers(9, 2),
        thread_line("old", "Old mailbox question", "someone", "2026-09-01T08:00:00Z", "Help?",
                    posts=[post("old-1", "ada_q", "2026-09-01T09:00:00Z",
                                "See https://ternworks.example/old")]),
    ]
    write_lines(tmp_path / "forum.jsonl", forum)
    write_lines(tmp_path / "foro.jsonl", [
        thread_line("10", "El buzón no recibe correos", "rosa", "2026-11-19T08:00:00Z",
                    "¿Cómo arreglo el buzón imap?"),
    ])
    store = Store(tmp_path / "e.db")
    playbook = load_playbook(tmp_path / "beachhead.toml")
    pipeline.run(store, playbook, now=NOW)
    store.set_setting("clock.pinned", NOW.isoformat())
    yield store, playbook, tmp_path
    store.close()


def codes(result) -> dict[str, str]:
    return {f.code: f.severity for f in result.findings}


def test_clean_draft_passes(world):
    store, playbook, _ = world
    result = etiquette.check_draft(store, playbook, "forum:1", CLEAN, founder="ada", now=NOW)
    assert result.findings == []
    assert not result.blocked
    assert result.founder == "Ada Quintero"


def test_undisclosed_own_domain_link_blocks(world):
    store, playbook, _ = world
    draft = CLEAN + "\nMore in our guide: https://www.ternworks.example/guides/mail-fetch\n"
    result = etiquette.check_draft(store, playbook, "forum:1", draft, founder="bruno_p", now=NOW)
    assert codes(result)["undisclosed_link"] == "block"
    finding = next(f for f in result.findings if f.code == "undisclosed_link")
    assert finding.message == "links to www.ternworks.example (our own site) without saying who we are"
    assert finding.suggestion == "Add the disclosure line: Disclosure: I co-founded Tern Works."
    assert result.blocked


def test_disclosed_own_domain_link_within_the_share_is_only_noted(world):
    store, playbook, _ = world
    draft = CLEAN + "\nMore: https://ternworks.example/guides\n\nDisclosure: I co-founded Tern Works.\n"
    # Ada: 9 plain posts in the last 30 days + this one = 1 of 10 = 10%, the limit.
    result = etiquette.check_draft(store, playbook, "forum:1", draft, founder="ada", now=NOW)
    assert codes(result) == {"self_promotion_share": "info"}
    assert result.promotion == {"handle": "ada_q", "promoted": 1, "posts": 10, "share": 0.1,
                                "limit": 0.1, "days": 30}
    assert not result.blocked


def test_self_promotion_over_the_share_blocks(world):
    store, playbook, _ = world
    draft = CLEAN + "\nMore: https://ternworks.example/guides\n\nDisclosure: I co-founded Tern Works.\n"
    # Bruno has never posted: his first post would be 100% promotion.
    result = etiquette.check_draft(store, playbook, "forum:1", draft, founder="bruno_p", now=NOW)
    assert codes(result) == {"self_promotion_share": "block"}
    assert result.findings[0].message == (
        "with this draft, 1 of 1 posts (100%) in the last 30 days would point at our own site; "
        "forum allows 10%")


def test_customer_name_blocks(world):
    store, playbook, _ = world
    draft = CLEAN + "\nWe saw the same at Gullwing Bank last week.\n"
    result = etiquette.check_draft(store, playbook, "forum:1", draft, founder="ada", now=NOW)
    assert codes(result) == {"confidential_customer": "block"}
    assert result.findings[0].message == (
        "names the customer 'Gullwing Bank', which the playbook lists as confidential")


def test_bare_link_warns(world):
    store, playbook, _ = world
    result = etiquette.check_draft(store, playbook, "forum:1",
                                   "See https://docs.widget.example/mail", founder="ada", now=NOW)
    assert codes(result) == {"bare_link": "warn"}
    assert result.findings[0].message == "the answer is only a link (1 word besides it)"
    assert not result.blocked


def test_answer_without_steps_warns(world):
    store, playbook, _ = world
    result = etiquette.check_draft(store, playbook, "forum:1", "Probably a password thing.",
                                   founder="ada", now=NOW)
    assert codes(result) == {"answer_not_solution": "warn"}


def test_long_answer_without_steps_or_cause_is_noted(world):
    store, playbook, _ = world
    draft = ("I have seen a lot of installations with mailboxes in many different countries over "
             "the years, and in my experience this kind of trouble tends to come and go on its own.")
    result = etiquette.check_draft(store, playbook, "forum:1", draft, founder="ada", now=NOW)
    assert codes(result) == {"no_steps": "info"}


def test_roadmap_dates_and_contract_terms_warn(world):
    store, playbook, _ = world
    draft = CLEAN + ("\nA proper fix ships in Q3 2027, and the next release in March adds a "
                     "button. Ask us for the price list: 20% off this month.\n")
    result = etiquette.check_draft(store, playbook, "forum:1", draft, founder="ada", now=NOW)
    assert codes(result) == {"roadmap_date": "warn", "contract_terms": "warn"}
    roadmap, terms = result.findings
    assert roadmap.message == ("mentions a date for unreleased work: 'Q3 2027', "
                               "'next release in March'")
    assert terms.message == "mentions prices or contract terms: '20% off', 'price list'"


def test_links_where_links_are_not_allowed_block(world):
    store, playbook, _ = world
    draft = ("Revisa la contraseña del buzón:\n1. Abre Admin > Canales > Correo.\n"
             "2. Pulsa Reconectar.\nMás: https://docs.widget.example/correo\n")
    result = etiquette.check_draft(store, playbook, "foro:10", draft, now=NOW)
    assert codes(result) == {"links_not_allowed": "block"}
    assert result.founder == "Ada Quintero"  # the only founder with a handle there


def test_disclosure_in_another_language_counts(world):
    _, playbook, _ = world
    assert etiquette.has_disclosure("Soy cofundadora de Tern Works.", playbook.startup)
    assert etiquette.has_disclosure("disclosure:  i CO-FOUNDED   tern works.", playbook.startup)
    assert not etiquette.has_disclosure("Tern Works is great.", playbook.startup)


def test_empty_draft_is_refused(world):
    store, playbook, _ = world
    with pytest.raises(etiquette.EtiquetteError, match="the draft is empty"):
        etiquette.check_draft(store, playbook, "forum:1", "  \n", now=NOW)


def run_check(tmp_path: Path, *args: str, text: str | None = None):
    return CliRunner().invoke(
        cli, ["--db", str(tmp_path / "e.db"), "--playbook", str(tmp_path / "beachhead.toml"),
              "check", *args], input=text, env={"COLUMNS": "200"})


def test_cli_exit_code_follows_blocking_findings(world):
    _, _, tmp_path = world
    (tmp_path / "clean.md").write_text(CLEAN, encoding="utf-8")
    ok = run_check(tmp_path, str(tmp_path / "clean.md"), "--thread", "forum:1", "--as", "ada")
    assert ok.exit_code == 0, ok.output
    assert ok.output == "OK to post in forum.\n"

    bad = "We fixed this for Harbour Hotels: https://ternworks.example/fix"
    blocked = run_check(tmp_path, "-", "--thread", "forum:1", "--as", "ada", text=bad)
    assert blocked.exit_code == 1
    assert "BLOCK undisclosed_link" in blocked.output
    assert "BLOCK confidential_customer: names the customer 'Harbour Hotels'" in blocked.output
    assert blocked.output.rstrip().endswith("Do not post this draft as it is.")


def test_cli_names_a_missing_thread(world):
    _, _, tmp_path = world
    result = run_check(tmp_path, "-", "--thread", "forum:404", text=CLEAN)
    assert result.exit_code == 1
    assert result.output == (
        "Error: thread 'forum:404' does not exist (use the number Beachhead shows, "
        "COMMUNITY:NATIVE_ID, or the thread's URL)\n")


def test_audit_finds_past_posts_that_broke_the_rules(world):
    store, playbook, _ = world
    (finding,) = etiquette.audit_posts(store, playbook)
    assert (finding.community_id, finding.founder, finding.handle, finding.code) == (
        "forum", "Ada Quintero", "ada_q", "undisclosed_link")
    assert finding.created_at == "2026-09-01T09:00:00+00:00"
    assert finding.message == "links to ternworks.example without the disclosure"
    assert etiquette.audit_posts(store, playbook, since=NOW) == []
