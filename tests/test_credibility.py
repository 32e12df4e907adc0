"""Founders' credibility on a small hand-built history: every component and
term asserted exactly, as of now and as of a past week; snapshots weekly and
idempotent; contributions recorded once; experts and interactions.

All forum text here is invented for the tests.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant import credibility, experts, pipeline
from assistant.cli import cli
from assistant.store import Store
from playbooks import load_playbook
from tests.builders import member_line, post, thread_line, write_lines, write_playbook

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # a Friday in ISO week 2026-W47
DISCLOSURE = "Disclosure: I co-founded Tern Works."

FORUM = [
    member_line("kw_staff", staff=True, display_name="Widget Co support"),
    member_line("ana", location="Porto, Portugal"),
    member_line("bo", location="Berlin, Germany"),
    member_line("cy", location="Lima, Peru"),
    member_line("dee", location="Accra, Ghana"),
    # W45: solved by Ada, the asker says so; staff confirm under her post.
    thread_line(
        "1", "Mailbox fetch fails with MB-IMAP-401 since Monday", "ana", "2026-11-02T08:00:00Z",
        "Our imap mailbox stopped creating tickets. How can I fix it?",
        posts=[
            post("1-1", "ada_q", "2026-11-02T10:00:00Z",
                 "Open Admin > Channels > Mail, press Reconnect and sign in again: the stored "
                 "token expired when the password changed.", score=4),
            post("1-2", "ana", "2026-11-02T12:00:00Z", "That fixed it, thank you!"),
            post("1-3", "kw_staff", "2026-11-02T13:00:00Z",
                 "Confirming: reconnecting refreshes the token.", parent="1-1"),
        ],
    ),
    # W46: someone else tries first; Ada's answer is accepted; staff follow up on it.
    thread_line(
        "2", "SMTP relay rejects replies from the mailbox", "bo", "2026-11-09T09:00:00Z",
        "Outgoing smtp replies bounce since the upgrade. Any idea?",
        posts=[
            post("2-1", "cy", "2026-11-09T10:00:00Z", "Have you tried restarting the server?"),
            post("2-2", "ada_q", "2026-11-10T09:00:00Z",
                 "Set the relay port to 587 and turn on STARTTLS; the upgrade dropped port 25. "
                 f"Our checklist: https://ternworks.example/smtp-relay\n\n{DISCLOSURE}",
                 score=6, accepted=True),
            post("2-3", "kw_staff", "2026-11-10T10:00:00Z", "Adding this to our known issues."),
        ],
    ),
    # W47: a link to our own site without the disclosure; a non-expert follows up.
    thread_line(
        "3", "How do I export tickets to csv?", "dee", "2026-11-16T08:00:00Z",
        "Is there a way to export every ticket to a csv file?",
        posts=[
            post("3-1", "ada_q", "2026-11-17T20:00:00Z",
                 "We wrote up how: https://ternworks.example/export", score=-1),
            post("3-2", "cy", "2026-11-17T21:00:00Z", "Nice, bookmarking this."),
        ],
    ),
    # W47: Ada's own thread; staff answer her.
    thread_line(
        "4", "Tip: keep imap connections alive behind a proxy", "ada_q", "2026-11-18T10:00:00Z",
        "Raising the proxy idle timeout above the fetch interval stops the reconnect storms.",
        posts=[post("4-1", "kw_staff", "2026-11-18T11:00:00Z", "Good tip, thanks for sharing.")],
    ),
]


@pytest.fixture
def world(tmp_path: Path):
    write_playbook(tmp_path)
    write_lines(tmp_path / "forum.jsonl", FORUM)
    write_lines(tmp_path / "foro.jsonl", [])
    store = Store(tmp_path / "c.db")
    playbook = load_playbook(tmp_path / "beachhead.toml")
    pipeline.run(store, playbook, now=NOW)
    # The queue's verdicts, pinned: only the first thread was worth the hour.
    with store.transaction():
        store.conn.execute("UPDATE classifications SET category = 'unrewarded'")
        store.conn.execute(
            "UPDATE classifications SET category = 'pervasive_solvable' WHERE thread_id = "
            "(SELECT id FROM threads WHERE native_id = '1')"
        )
        store.conn.execute("DELETE FROM queue_events")
        store.conn.execute("DELETE FROM queue_items")
    yield store, playbook, tmp_path
    store.close()


def ada_forum(store, playbook):
    (standing,) = credibility.standings(store, playbook, founder="ada", community="forum", now=NOW)
    return standing


def test_experts_of_the_hand_built_forum_are_the_staff(world):
    store, playbook, _ = world
    assert experts.expert_handles(store, playbook, "forum") == {"kw_staff"}


def test_components_and_terms_are_exact(world):
    store, playbook, _ = world
    standing = ada_forum(store, playbook)
    assert standing.components == {
        "posts": 4,                  # three answers and her own thread
        "answers": 3,
        "solutions": 2,              # thanked in thread 1, accepted in thread 2
        "score_received": 9,         # 4 + 6 − 1
        "expert_replies": 3,         # under her post, right after it, in her own thread
        "median_hours_to_answer": 24.0,  # 2h, 24h, 36h
        "worth_answers": 1,
        "worth_share": 0.3333,
        "promo_posts": 2,
        "promo_share": 0.5,
        "disclosed": 1,
        "disclosure_share": 0.5,
    }
    assert standing.terms == {
        "solutions": 0.2421,    # 1 − ½^(2/5)
        "answers": 0.1877,      # 1 − ½^(3/10)
        "reception": 0.2208,    # 1 − ½^(9/25)
        "experts": 0.5,         # 1 − ½^(3/3)
        "timeliness": 1.0,      # median 24h within the playbook's 24h
        "worth": 0.3333,
        "etiquette": 0.0,       # 50% self-promotion is beyond twice the 10% limit
    }
    # 100 × (.30·.2421 + .15·.1877 + .10·.2208 + .10·.5 + .10·1 + .15·.3333 + .10·0)
    assert standing.score == 32.3
    assert standing.handle == "ada_q"
    assert standing.week == "2026-W47"


def test_credibility_as_of_a_past_week_ignores_what_came_later(world):
    store, playbook, _ = world
    history = credibility.load_history(store, playbook, playbook.founder("ada"),
                                       playbook.community("forum"))
    past = credibility.compute(history, credibility.week_end("2026-W45")
                               - timedelta(seconds=1), playbook)
    assert past.week == "2026-W45"
    assert past.components.answers == 1
    assert past.components.solutions == 1
    assert past.components.score_received == 4
    assert past.components.expert_replies == 1
    assert past.components.median_hours_to_answer == 2.0
    assert past.components.promo_posts == 0
    assert past.terms == {"solutions": 0.1294, "answers": 0.067, "reception": 0.105,
                          "experts": 0.2063, "timeliness": 1.0, "worth": 1.0, "etiquette": 1.0}
    # 100 × (.30·.1294 + .15·.067 + .10·.105 + .10·.2063 + .10 + .15 + .10)
    assert past.score == 43.0


def test_snapshots_cover_every_week_and_are_idempotent(world):
    store, playbook, _ = world
    written = credibility.take_snapshots(store, playbook, now=NOW, founder="ada", community="forum")
    assert written == 3  # W45, W46, W47
    rows = store.query("SELECT week, score FROM credibility_snapshots ORDER BY week")
    assert [r["week"] for r in rows] == ["2026-W45", "2026-W46", "2026-W47"]
    assert rows[0]["score"] == 43.0
    # Again: past weeks are kept, only the current week is re-taken.
    assert credibility.take_snapshots(store, playbook, now=NOW, founder="ada", community="forum") == 1
    assert store.scalar("SELECT count(*) FROM credibility_snapshots") == 3
    # A frozen past week survives a change of history unless rebuilt.
    store.conn.execute("UPDATE posts SET score = 29 WHERE native_id = '1-1'")
    credibility.take_snapshots(store, playbook, now=NOW, founder="ada", community="forum")
    assert store.scalar("SELECT score FROM credibility_snapshots WHERE week = '2026-W45'") == 43.0
    credibility.take_snapshots(store, playbook, now=NOW, founder="ada", community="forum",
                               rebuild=True)
    assert store.scalar("SELECT score FROM credibility_snapshots WHERE week = '2026-W45'") > 43.0


def test_trend_reads_snapshots_and_draws_a_sparkline(world):
    store, playbook, _ = world
    credibility.take_snapshots(store, playbook, now=NOW)
    standing = ada_forum(store, playbook)
    assert [week for week, _ in standing.trend[-3:]] == ["2026-W45", "2026-W46", "2026-W47"]
    assert [score for _, score in standing.trend[:-3]] == [0.0] * 9
    assert standing.trend[-1][1] == standing.score
    assert len(standing.sparkline) == 12
    assert standing.sparkline[0] == "▁"
    assert standing.change == standing.score  # from nothing, twelve weeks ago


def test_contributions_are_recorded_once(world):
    store, playbook, _ = world
    assert credibility.record_contributions(store, playbook) == 4
    assert credibility.record_contributions(store, playbook) == 0
    kinds = store.query(
        "SELECT c.kind, coalesce(p.native_id, 't' || t.native_id) AS what FROM contributions c "
        "LEFT JOIN posts p ON p.id = c.post_id JOIN threads t ON t.id = c.thread_id "
        "WHERE c.founder = 'Ada Quintero' ORDER BY what"
    )
    assert [(k["what"], k["kind"]) for k in kinds] == [
        ("1-1", "answer"), ("2-2", "answer"), ("3-1", "answer"), ("t4", "thread"),
    ]


def test_sparkline_scales_to_its_own_range():
    assert credibility.sparkline([0, 10, 20, 30, 40, 50, 60, 70]) == "▁▂▃▄▅▆▇█"
    assert credibility.sparkline([5, 5, 5]) == "▅▅▅"
    assert credibility.sparkline([0, 0]) == "▁▁"
    assert credibility.sparkline([1, None, 3]) == "▁ █"


def test_weeks_are_iso_weeks():
    assert credibility.week_of(NOW) == "2026-W47"
    assert credibility.week_start("2026-W47") == datetime(2026, 11, 16, tzinfo=UTC)
    assert credibility.weeks_between(datetime(2026, 11, 2, tzinfo=UTC), NOW) == [
        "2026-W45", "2026-W46", "2026-W47"]
    with pytest.raises(credibility.CredibilityError, match="'W47' is not an ISO week"):
        credibility.week_start("W47")


def test_experts_show_voice_relation_and_interactions(world):
    store, playbook, _ = world
    found = experts.experts(store, playbook, "forum")
    staff = next(e for e in found if e.handle == "kw_staff")
    assert staff.user_type == "vendor_staff"
    assert staff.relation.startswith("vendor staff")
    assert (staff.founder_replies_to, staff.replies_to_founders, staff.shared_threads) == (0, 3, 3)
    assert "ada_q" not in {e.handle for e in found}
    voice = "SELECT voice FROM members WHERE community_id = 'forum' AND native_id = ?"
    assert store.scalar(voice, (found[0].handle,)) == found[0].voice
    assert store.scalar(voice, ("ada_q",)) == 1.0  # the founder is the loudest here


def test_graph_voice_is_the_documented_formula(world):
    store, _, _ = world
    members = experts.graph_voice(store, "forum")
    ada = members["ada_q"]
    assert (ada.answers, ada.helped, ada.solutions, ada.score) == (3, 3, 2, 9)
    # 3·2 + 3 + 3 + ln(1 + 9)
    assert ada.voice_raw == pytest.approx(12 + 2.302585, abs=1e-6)
    assert ada.voice == 1.0


def test_cli_credibility_shows_score_trend_and_rank(world):
    store, _, tmp_path = world
    store.set_setting("clock.pinned", NOW.isoformat())
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "c.db"), "--playbook", str(tmp_path / "beachhead.toml"),
              "credibility", "--founder", "ada", "--community", "forum"],
        env={"COLUMNS": "120"},
    )
    assert result.exit_code == 0, result.output
    assert "Ada Quintero · forum (ada_q)  32.3  ▁▁▁▁▁▁▁▁▁" in result.output
    assert "2 solutions acknowledged of 3 answers" in result.output
    assert "voice rank #" in result.output
    assert store.scalar("SELECT count(*) FROM credibility_snapshots WHERE founder = 'Ada Quintero' "
                        "AND community_id = 'forum'") == 3


def test_cli_credibility_names_a_founder_without_a_handle(world):
    _, _, tmp_path = world
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "c.db"), "--playbook", str(tmp_path / "beachhead.toml"),
              "credibility", "--founder", "bruno_p", "--community", "foro"],
    )
    assert result.exit_code == 1
    assert result.output == "Error: founder 'Bruno Paz' has no handle in community 'foro'\n"


def _fresh(store, playbook):
    """Standings with every kept thread share dropped (worked out from scratch)."""
    with store.transaction():
        store.conn.execute("DELETE FROM credibility_parts")
    return ada_forum(store, playbook)


def test_kept_thread_shares_are_reused_and_dropped_when_the_thread_changes(world):
    store, playbook, _ = world
    first = ada_forum(store, playbook)
    kept = store.scalar("SELECT count(*) FROM credibility_parts")
    assert kept >= 4  # every thread of her history, one step or more each
    assert ada_forum(store, playbook) == first
    assert store.scalar("SELECT count(*) FROM credibility_parts") == kept

    def thread_of(native_id):
        return store.scalar("SELECT id FROM threads WHERE native_id = ?", (native_id,))

    def kept_for(native_id):
        return store.scalar("SELECT count(*) FROM credibility_parts WHERE thread_id = ?",
                            (thread_of(native_id),))

    changes = [
        ("1", "UPDATE posts SET score = score + 10 WHERE native_id = '1-1'"),
        ("2", "UPDATE classifications SET category = 'pervasive_solvable' WHERE thread_id = "
              "(SELECT id FROM threads WHERE native_id = '2')"),
        ("3", "INSERT INTO queue_items (thread_id, community_id, state, priority, "
              "components_json, why, answer_by, created_at, updated_at) SELECT id, community_id, "
              "'new', 1, '{}', '', created_at, created_at, created_at FROM threads "
              "WHERE native_id = '3'"),
        ("1", "UPDATE threads SET accepted_post_native_id = NULL, is_solved = 0 "
              "WHERE native_id = '1'"),
        ("2", "DELETE FROM posts WHERE native_id = '2-3'"),
    ]
    for native_id, change in changes:
        ada_forum(store, playbook)
        assert kept_for(native_id) > 0
        with store.transaction():
            store.conn.execute(change)
        assert kept_for(native_id) == 0
        assert ada_forum(store, playbook) == _fresh(store, playbook)
    assert ada_forum(store, playbook) != first  # the changes did count
    # the experts are read when the shares are: a staff member no longer staff
    with store.transaction():
        store.conn.execute("UPDATE members SET is_staff = 0 WHERE native_id = 'kw_staff'")
    assert ada_forum(store, playbook) == _fresh(store, playbook)


def test_threads_settled_before_the_trend_are_kept_as_one_sum_equal_to_a_full_count(world):
    store, playbook, _ = world
    founder, community = playbook.founder("ada"), playbook.community("forum")
    before = ada_forum(store, playbook)
    later = NOW + timedelta(weeks=20)  # every thread of hers is older than the trend

    def standing(now):
        (found,) = credibility.standings(store, playbook, founder="ada", community="forum", now=now)
        return found

    def from_scratch(now):
        history = credibility.load_history(store, playbook, founder, community)
        return credibility.compute(history, now, playbook)

    def settled():
        return [(row[0], len(json.loads(row[1]))) for row in store.conn.execute(
            "SELECT handle, thread_ids FROM credibility_settled")]

    first = standing(later)
    assert settled() == [("ada_q", 4)]
    assert store.scalar("SELECT count(*) FROM credibility_parts WHERE settled = 0") == 0
    expected = from_scratch(later)
    assert (first.score, first.components) == (expected.score, asdict(expected.components))
    assert first.score == before.score > 0
    assert standing(later) == first  # read back from the sum

    # A late reply from staff to her answer in thread 2: the sum is dropped,
    # then added up again with it.
    with store.transaction():
        store.conn.execute(
            "INSERT INTO posts (community_id, native_id, thread_native_id, thread_id, parent_native_id, "
            "author, created_at, body_text, content_hash, fetched_at, updated_at, position) "
            "SELECT community_id, '2-9', native_id, id, '2-2', 'kw_staff', ?, 'Still the fix.', 'h', "
            "fetched_at, updated_at, 9 FROM threads WHERE native_id = '2'",
            ((later - timedelta(weeks=16)).isoformat(),))
    assert settled() == []
    assert store.scalar("SELECT count(*) FROM credibility_parts WHERE settled = 1") == 0
    again = standing(later)
    expected = from_scratch(later)
    assert (again.score, again.components) == (expected.score, asdict(expected.components))
    assert again.components["expert_replies"] == first.components["expert_replies"] + 1
    assert settled() == [("ada_q", 4)]

    # An earlier clock asks for moments the sum cannot serve: counted in full.
    assert standing(NOW).score == before.score
    # A clock far enough ahead adds the sum up again for its own trend.
    (through,) = store.conn.execute("SELECT through FROM credibility_settled").fetchone()
    standing(later + timedelta(weeks=3))
    assert store.scalar("SELECT through FROM credibility_settled") > through


def test_experts_louder_than_a_founder_read_down_the_ranking_equal_a_full_read(world):
    store, playbook, _ = world
    with store.transaction():
        store.conn.execute("UPDATE members SET user_type = 'expert' WHERE native_id IN ('bo', 'cy')")
    experts.refresh_stale_voices(store, playbook, every=timedelta(0))
    voice = experts.stored_voice(store, "forum")
    everyone = experts.expert_handles(store, playbook, "forum", stored=voice)
    assert {"kw_staff", "bo", "cy"} <= everyone
    ranked = sorted((rank, member.handle) for member, rank in voice.members(
        store, [h for h in everyone]).values() if rank is not None)
    assert ranked  # some experts have a voice
    for above in (None, ranked[-1][0], ranked[0][0]):
        expected = [handle for rank, handle in ranked if above is None or rank < above][:5]
        found = experts.louder_experts(store, playbook, voice, above=above)
        assert [member.handle for _, member in found] == expected
    assert experts.louder_experts(store, playbook, voice, above=ranked[0][0]) == []
    # A voice that could not be kept (read-only connection) ranks the same.
    memory = experts.StoredVoice("forum", voice.computed_at, voice.ranked, True,
                                 experts.VOICE(store, "forum"))
    assert [(rank, member.handle) for rank, member in
            experts.louder_experts(store, playbook, memory, above=None)] == [
        (rank, member.handle) for rank, member in
        experts.louder_experts(store, playbook, voice, above=None)]
    (standing,) = credibility.standings(store, playbook, founder="ada", community="forum", now=NOW)
    assert [entry["handle"] for entry in standing.louder] == [
        handle for rank, handle in ranked if standing.rank is None or rank < standing.rank][:5]
