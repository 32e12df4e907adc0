"""Value capture: leads validated and attributed, the review thread surfaced
with sentiment, international reach on a hand-built world and on the demo
database. Hand-written text here is invented for the tests."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant import pipeline, value
from assistant.cli import cli
from assistant.sentiment import score_text
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

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
CORPUS = Path(__file__).resolve().parent.parent / "assistant" / "demo" / "corpus"

FORUM = [
    member_line("ana", location="Porto, Portugal"),
    member_line("bo", location="Berlin, Germany"),
    member_line("cy", location="Medellín, Colombia"),
    member_line("dee"),
    thread_line("1", "Mailbox fetch fails with MB-IMAP-401", "ana", "2026-11-18T08:00:00Z",
                "Our imap mailbox stopped creating tickets. How can I fix it?",
                posts=[post("1-1", "ada_q", "2026-11-18T09:00:00Z", "Reconnect the mailbox.")]),
    thread_line("2", "MB-IMAP-401 on the shared mailbox", "bo", "2026-11-18T10:00:00Z",
                "imap fails with MB-IMAP-401 after a password change. Any idea?",
                posts=[post("2-1", "cy", "2026-11-18T11:00:00Z", "Same here, also after a reset."),
                       post("2-2", "ada_q", "2026-11-18T12:00:00Z", "Re-authorise it.",
                            parent="2-1")]),
    thread_line("3", "Export all tickets?", "dee", "2026-11-19T08:00:00Z", "How do I export tickets?",
                posts=[post("3-1", "ada_q", "2026-11-19T09:00:00Z", "Use the csv export.")]),
    thread_line("4", "Nobody answered this one", "cy", "2026-11-19T10:00:00Z", "Where is the log?"),
    thread_line("90", "Review of Tern Works", "ada_q", "2026-10-01T08:00:00Z",
                "Tell us how we did, good or bad.",
                posts=[post("90-1", "ana", "2026-10-02T08:00:00Z",
                            "Excellent work, they fixed our mailbox quickly. Highly recommended!"),
                       post("90-2", "bo", "2026-10-05T08:00:00Z",
                            "Slow to answer and the fix did not help."),
                       post("90-3", "ada_q", "2026-10-05T09:00:00Z", "Sorry, we will call you.")]),
]
PLAYBOOK = TEST_PLAYBOOK.replace(
    'locator = "forum.jsonl"', 'locator = "forum.jsonl"\nreview_thread = "90"', 1)


@pytest.fixture
def world(tmp_path: Path):
    write_playbook(tmp_path, PLAYBOOK)
    write_lines(tmp_path / "forum.jsonl", FORUM)
    write_lines(tmp_path / "foro.jsonl", [])
    store = Store(tmp_path / "v.db")
    playbook = load_playbook(tmp_path / "beachhead.toml")
    pipeline.run(store, playbook, now=NOW)
    yield store, playbook, tmp_path
    store.close()


# ------------------------------------------------------------------ leads


def test_lead_is_attributed_to_community_and_problem_group(world):
    store, playbook, _ = world
    lead = value.add_lead(store, playbook, thread="forum:2", member="@bo", stage="lead", value=1500,
                          note="asked for a quote", now=NOW)
    assert (lead.community_id, lead.member, lead.stage, lead.value) == ("forum", "bo", "lead", 1500.0)
    assert lead.country == "DE"  # from the member's stated location
    assert lead.abroad is True
    assert lead.problem_group == "MB-IMAP-401 · mailbox · fails"
    assert lead.cluster_id == store.scalar(
        "SELECT cluster_id FROM thread_clusters tc JOIN threads t ON t.id = tc.thread_id "
        "WHERE t.native_id = '2'")
    moved = value.set_stage(store, playbook, lead.id, "customer", value=2000, now=NOW)
    assert (moved.stage, moved.value) == ("customer", 2000.0)
    assert [x.id for x in value.list_leads(store, playbook, stage="customer")] == [lead.id]
    assert value.list_leads(store, playbook, stage="lead") == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"thread": "forum:404"}, "thread 'forum:404' does not exist"),
        ({"stage": "won"}, "stage 'won' is not one of contacted, lead, customer"),
        ({"country": "XX"}, "country 'XX' is not an ISO 3166 country code (e.g. DE, MX, USA)"),
        ({"value": -5}, "value -5 must be zero or more"),
    ],
)
def test_bad_leads_are_refused_with_the_input_quoted(world, kwargs, message):
    store, playbook, _ = world
    arguments = {"thread": "forum:1", "member": "ana", "stage": "lead", "value": 10,
                 "country": "PT"} | kwargs
    with pytest.raises(value.LeadError) as raised:
        value.add_lead(store, playbook, now=NOW, **arguments)
    assert str(raised.value).startswith(message)
    assert store.scalar("SELECT count(*) FROM leads") == 0


def test_alpha3_country_is_normalised_and_a_duplicate_is_refused(world):
    store, playbook, _ = world
    lead = value.add_lead(store, playbook, thread="forum:1", member="ana", stage="contacted",
                          country="prt", now=NOW)
    assert lead.country == "PT"
    with pytest.raises(value.DuplicateLead, match=f"'ana' is already lead #{lead.id}"):
        value.add_lead(store, playbook, thread="forum:1", member="ana", stage="lead", now=NOW)


def test_cli_lead_add_list_and_stage(world):
    store, _, tmp_path = world
    base = ["--db", str(tmp_path / "v.db"), "--playbook", str(tmp_path / "beachhead.toml"), "lead"]
    runner = CliRunner()
    added = runner.invoke(cli, [*base, "add", "--thread", "forum:3", "--member", "dee", "--stage",
                                "lead", "--value", "900", "--country", "GH"])
    assert added.exit_code == 0, added.output
    assert added.output == "Lead #1: dee (GH) lead, 900 — from forum, problem group export · tickets\n"
    bad = runner.invoke(cli, [*base, "add", "--thread", "forum:3", "--member", "dee", "--stage",
                              "lead", "--country", "Narnia"])
    assert bad.exit_code == 1
    assert bad.output == "Error: country 'Narnia' is not an ISO 3166 country code (e.g. DE, MX, USA)\n"
    staged = runner.invoke(cli, [*base, "stage", "1", "customer"])
    assert staged.output == "Lead #1: dee is now customer (900)\n"
    listed = runner.invoke(cli, [*base, "list"], env={"COLUMNS": "120"})
    assert "#1 dee · customer · 900 · GH (abroad)" in listed.output
    assert store.scalar("SELECT stage FROM leads WHERE id = 1") == "customer"


def test_leads_file_loads_once_and_reports_bad_entries(world, tmp_path):
    store, playbook, _ = world
    path = tmp_path / "extras.json"
    path.write_text(json.dumps({"leads": [
        {"community": "forum", "thread": "1", "member": "ana", "stage": "customer",
         "value_usd": 3000, "country": "PT", "founder": "ada", "created_at": "2026-11-19T10:00:00Z"},
        {"community": "forum", "thread": "999", "member": "zed", "stage": "lead"},
    ]}), encoding="utf-8")
    first = value.load_leads_file(store, playbook, path, now=NOW)
    assert (first.added, first.skipped) == (1, 0)
    assert first.problems == ["extras.json: leads[1]: thread 'forum:999' does not exist (use the "
                              "number Beachhead shows, COMMUNITY:NATIVE_ID, or the thread's URL)"]
    again = value.load_leads_file(store, playbook, path, now=NOW)
    assert (again.added, again.skipped) == (0, 1)
    (lead,) = value.list_leads(store, playbook)
    assert (lead.value, lead.note, lead.created_at) == (3000.0, "via ada", "2026-11-19T10:00:00+00:00")


# ------------------------------------------------------------------ reach


def test_reach_counts_engaged_members_leads_and_revenue_abroad(world):
    store, playbook, _ = world
    value.add_lead(store, playbook, thread="forum:1", member="ana", stage="customer", value=3000,
                   now=NOW)
    value.add_lead(store, playbook, thread="forum:2", member="cy", stage="customer", value=1000,
                   now=NOW)
    value.add_lead(store, playbook, thread="forum:3", member="dee", stage="lead", value=500, now=NOW)
    reach = value.international_reach(store, playbook)
    # Ada answered ana (PT), bo (DE), dee (unknown), and replied to cy (CO, home).
    assert (reach.engaged.total, reach.engaged.known, reach.engaged.abroad) == (4, 3, 2)
    assert reach.engaged.share == 0.6667
    assert reach.countries == {"PT": 1, "DE": 1, "CO": 1}
    assert (reach.leads.total, reach.leads.known, reach.leads.abroad) == (3, 2, 1)
    assert (reach.revenue.total, reach.revenue.abroad, reach.revenue.share) == (4000, 3000, 0.75)
    assert (reach.pipeline.total, reach.pipeline.known) == (4500, 4000)


def test_reach_needs_a_home_country(tmp_path):
    write_playbook(tmp_path, TEST_PLAYBOOK.replace('home_country = "CO"\n', ""))
    store = Store(tmp_path / "x.db")
    with pytest.raises(value.ReachError, match="home_country is not set"):
        value.international_reach(store, load_playbook(tmp_path / "beachhead.toml"))
    store.close()


# ------------------------------------------------------------ review thread


def test_review_thread_surfaces_new_posts_with_sentiment_once(world):
    store, playbook, _ = world
    (review,) = value.review_threads(store, playbook, mark_seen=True)
    assert review.title == "Review of Tern Works"
    assert [(p.author, p.label, p.by_founder) for p in review.posts] == [
        ("ana", "positive", False), ("bo", "negative", False), ("ada_q", "neutral", True)]
    assert review.posts[0].why == "excellent +3.0, fixed +2.0, quickly +2.0, recommended +2.0"
    assert [p.sentiment for p in review.posts] == [0.919, -0.459, 0.0]
    assert review.posts[1].why == "slow -2.0"
    assert review.mean_sentiment == 0.23  # the founders' own replies are left out
    (again,) = value.review_threads(store, playbook)
    assert again.posts == [] and again.total_posts == 3


def test_sentiment_reads_english_spanish_and_german():
    assert score_text("Very professional and helpful, thank you!").label == "positive"
    assert score_text("Not helpful at all, slow and expensive.").label == "negative"
    assert score_text("Muy buen servicio, lo recomiendo.").label == "positive"
    assert score_text("Lamentablemente no fue útil y el soporte es lento.").label == "negative"
    assert score_text("Super schnell und sehr kompetent.").label == "positive"
    assert score_text("Leider nicht hilfreich, sehr enttäuscht.").label == "negative"
    assert score_text("The thread is over there.").label == "neutral"
    negated = score_text("not good")
    assert (negated.score, negated.hits) == (-0.361, [("not good", -1.5)])


# --------------------------------------------------------------- the demo


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    if not (CORPUS / "extras.json").exists():
        pytest.skip("the demo corpus (assistant/demo/corpus/extras.json) is not there yet")
    from assistant.demo.runner import build_demo

    result = build_demo(tmp_path_factory.mktemp("demo") / "demo.db")
    yield result
    result.store.close()


def test_demo_loads_its_leads_and_measures_reach_abroad(demo_db):
    store, playbook = demo_db.store, demo_db.playbook
    leads = value.list_leads(store, playbook)
    assert len(leads) == 7
    assert demo_db.summary["leads_added"] == 7
    assert demo_db.summary["lead_problems"] == []
    assert {lead.community_id for lead in leads} == {"kestrel-forum", "r-kestreldesk", "kestrel-es",
                                                     "kestrel-de"}
    assert all(lead.problem_group for lead in leads)
    reach = value.international_reach(store, playbook)
    assert (reach.leads.total, reach.leads.abroad, reach.leads.share) == (7, 6, 0.8571)
    assert (reach.revenue.total, reach.revenue.abroad, reach.revenue.share) == (10200, 8400, 0.8235)
    assert (reach.pipeline.total, reach.pipeline.abroad) == (21400, 19600)
    # Engaged members: everyone a founder answered, shares over those whose country is known.
    known = [c for c in value.engaged_members(store, playbook).values() if c]
    assert reach.engaged.known == len(known)
    assert reach.engaged.abroad == sum(1 for c in known if c != "CO")


def test_demo_has_a_credibility_trend_for_every_founder_and_community(demo_db):
    store = demo_db.store
    rows = store.query("SELECT founder, community_id, count(*) AS weeks, max(week) AS last "
                       "FROM credibility_snapshots GROUP BY founder, community_id")
    assert len(rows) == 6
    # From the week of each founder's first post there to the demo's week, 2026-W47.
    assert {row["last"] for row in rows} == {"2026-W47"}
    assert max(row["weeks"] for row in rows) == 12
    assert min(row["weeks"] for row in rows) >= 5
    for standing in demo_db.summary["credibility"]:
        assert len(standing["sparkline"]) == 12
        assert standing["change"] > 0


def test_demo_summary_shows_etiquette_memory_and_scouting(demo_db):
    summary = demo_db.summary
    assert [(f["community_id"], f["code"]) for f in summary["etiquette"]] == [
        ("r-kestreldesk", "undisclosed_link")]
    assert summary["seen_before"]["line"].startswith("Seen before (")
    assert summary["faq"][0]["label"].startswith("KST-MAIL-401 · ")
    assert [fit["candidate"] for fit in summary["scout"]] == ["scout-helpdesk-pros",
                                                              "scout-local-chat"]
