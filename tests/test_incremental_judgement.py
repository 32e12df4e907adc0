"""Watcher passes cost what they bring, not what history holds: member links
looked for among the pass's own members, the group index kept between
passes, and only a group's recent threads re-judged when it grows. Each
shortcut must give what a full re-reading would."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from assistant import grouping, links, pipeline
from assistant.store import Store
from playbooks import load_playbook
from tests.builders import member_line, thread_line, write_lines, write_playbook


@pytest.fixture
def world(tmp_path: Path):
    write_playbook(tmp_path)
    write_lines(tmp_path / "forum.jsonl", [])
    write_lines(tmp_path / "foro.jsonl", [])
    store = Store(tmp_path / "i.db")
    yield tmp_path, store, load_playbook(tmp_path / "beachhead.toml")
    store.close()


def append(path: Path, *lines: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.writelines(line + "\n" for line in lines)


def links_now(store: Store) -> list[tuple]:
    return [tuple(row) for row in store.conn.execute(
        "SELECT a.community_id, a.native_id, b.community_id, b.native_id, l.reason "
        "FROM member_links l JOIN members a ON a.id = l.member_a JOIN members b ON b.id = l.member_b "
        "ORDER BY l.id")]


def test_an_account_met_in_a_later_pass_is_linked_to_one_judged_before(world):
    folder, store, playbook = world
    append(folder / "forum.jsonl",
           member_line("ana_silva_pt", website="https://anasilva.pt/about"),
           thread_line("1", "Export to CSV drops the last column", "ana_silva_pt",
                       "2026-11-18T09:00:00Z", "Every export loses its last column. Any idea?"))
    pipeline.run(store, playbook, now=datetime(2026, 11, 18, 12, tzinfo=UTC))
    assert links_now(store) == []

    append(folder / "foro.jsonl",
           member_line("ana.silva.pt", website="https://www.anasilva.pt"),
           thread_line("7", "La exportación CSV pierde la última columna", "ana.silva.pt",
                       "2026-11-19T09:00:00Z", "Cada exportación pierde la última columna."))
    pipeline.run(store, playbook, now=datetime(2026, 11, 19, 12, tzinfo=UTC))

    assert links_now(store) == [
        ("forum", "ana_silva_pt", "foro", "ana.silva.pt",
         "both profiles link to anasilva.pt; same handle 'ana_silva_pt' / 'ana.silva.pt'"),
    ]
    # Reading every member finds nothing the pass missed.
    assert links.propose(store, datetime(2026, 11, 19, 13, tzinfo=UTC)) == []


def test_a_profile_that_changed_without_a_post_is_looked_at_by_the_next_pass(world):
    folder, store, playbook = world
    append(folder / "forum.jsonl",
           member_line("kofi_builds", website="https://kofibuilds.example"),
           thread_line("1", "Webhook retries twice", "kofi_builds", "2026-11-18T09:00:00Z",
                       "Our webhook fires twice for one event."))
    append(folder / "foro.jsonl",
           thread_line("5", "Pregunta sobre webhooks", "k_mensah", "2026-11-18T10:00:00Z",
                       "¿Cómo se reintenta un webhook?"))
    pipeline.run(store, playbook, now=datetime(2026, 11, 18, 12, tzinfo=UTC))
    assert links_now(store) == []

    # k_mensah fills in the same site on their profile but writes nothing.
    append(folder / "foro.jsonl", member_line("k_mensah", website="https://kofibuilds.example/"))
    append(folder / "forum.jsonl",
           thread_line("2", "Unrelated question about invoices", "someone_else",
                       "2026-11-19T09:00:00Z", "How do I number invoices per year?"))
    pipeline.run(store, playbook, now=datetime(2026, 11, 19, 12, tzinfo=UTC))

    assert [row[:4] for row in links_now(store)] == [("forum", "kofi_builds", "foro", "k_mensah")]


def test_an_account_stored_with_an_older_clock_than_the_last_pass_is_still_linked(world):
    """An import of old data stamps its members with the data's time, before
    the last pass's mark: they are arrivals all the same."""
    folder, store, playbook = world
    append(folder / "forum.jsonl",
           member_line("lena_k", website="https://lenakraus.example"),
           thread_line("1", "Invoice numbering resets", "lena_k", "2026-11-18T09:00:00Z",
                       "Numbers restart at 1 each month."))
    pipeline.run(store, playbook, now=datetime(2026, 11, 20, 12, tzinfo=UTC))
    append(folder / "foro.jsonl",
           member_line("lena.k", website="https://www.lenakraus.example/"),
           thread_line("3", "Numeración de facturas", "lena.k", "2026-11-01T09:00:00Z",
                       "La numeración vuelve a 1 cada mes."))
    pipeline.run(store, playbook, now=datetime(2026, 11, 2, 12, tzinfo=UTC))

    assert [row[:4] for row in links_now(store)] == [("forum", "lena_k", "foro", "lena.k")]


def test_a_member_who_only_posts_again_is_not_looked_at_for_links(world):
    """Links come from profiles, so a pass leaves out members whose profile
    neither arrived nor changed since the last one, however much they write."""
    folder, store, playbook = world
    append(folder / "forum.jsonl",
           member_line("maria_lopez", website="https://marialopez.example"),
           thread_line("1", "Bank feed stuck", "maria_lopez", "2026-11-18T09:00:00Z",
                       "The bank feed has not updated since Monday."))
    pipeline.run(store, playbook, now=datetime(2026, 11, 18, 12, tzinfo=UTC))
    append(folder / "foro.jsonl",
           member_line("tomas_r", website="https://tomas.example"),
           thread_line("4", "Feed bancario parado", "tomas_r", "2026-11-18T20:00:00Z",
                       "No se actualiza desde el lunes."))
    pipeline.run(store, playbook, now=datetime(2026, 11, 18, 21, tzinfo=UTC))
    (maria,) = store.conn.execute(
        "SELECT id FROM members WHERE native_id = 'maria_lopez'").fetchone()
    assert store.get_setting(links.NEWEST_SETTING) == store.scalar("SELECT max(id) FROM members")
    # Her keys are gone behind the pass's back: only looking at her again
    # would write them back.
    keys = lambda: store.scalar(  # noqa: E731
        "SELECT count(*) FROM member_link_keys WHERE member_id = ?", (maria,))
    assert keys() > 0
    store.conn.execute("DELETE FROM member_link_keys WHERE member_id = ?", (maria,))

    append(folder / "forum.jsonl",
           thread_line("2", "Bank feed stuck again", "maria_lopez", "2026-11-19T09:00:00Z",
                       "Stuck again today."))
    pipeline.run(store, playbook, now=datetime(2026, 11, 19, 12, tzinfo=UTC))
    assert keys() == 0

    # Her profile changes (without a post of hers): the next pass looks again.
    append(folder / "forum.jsonl", member_line("maria_lopez", website="https://maria.example"),
           thread_line("3", "Receipts upload slowly", "someone_else", "2026-11-20T09:00:00Z",
                       "Uploading a receipt takes a minute."))
    pipeline.run(store, playbook, now=datetime(2026, 11, 20, 12, tzinfo=UTC))
    assert keys() > 0


def test_a_process_reuses_the_groups_it_saved_and_rereads_them_when_another_saved(world):
    folder, store, playbook = world
    append(folder / "forum.jsonl",
           thread_line("1", "Sync fails with TW-SYNC-77", "ana", "2026-11-18T09:00:00Z",
                       "Sync stops with TW-SYNC-77 every morning. How can I fix it?"))
    pipeline.run(store, playbook, now=datetime(2026, 11, 18, 12, tzinfo=UTC))
    saved = grouping.load_index(store)
    assert grouping.load_index(store) is saved

    store.set_setting(grouping.VERSION_SETTING, "written by another process")
    reread = grouping.load_index(store)
    assert reread is not saved
    assert (reread.n_threads, sorted(reread.groups)) == (saved.n_threads, sorted(saved.groups))


def test_a_growing_group_rejudges_its_threads_inside_the_lookback_window_only(world):
    folder, store, playbook = world
    report = ("Sync fails with TW-SYNC-77", "Sync stops with TW-SYNC-77 every morning. "
              "How can I fix it?")
    append(folder / "forum.jsonl", thread_line("1", *report[:1], "ana", "2026-05-04T09:00:00Z",
                                               report[1]))
    pipeline.run(store, playbook, now=datetime(2026, 5, 4, 12, tzinfo=UTC))
    append(folder / "forum.jsonl", thread_line("2", *report[:1], "bo", "2026-10-05T09:00:00Z",
                                               report[1]))
    pipeline.run(store, playbook, now=datetime(2026, 10, 5, 12, tzinfo=UTC))
    append(folder / "forum.jsonl", thread_line("3", *report[:1], "cy", "2026-11-19T09:00:00Z",
                                               report[1]))
    pipeline.run(store, playbook, now=datetime(2026, 11, 19, 12, tzinfo=UTC))

    rows = store.query("SELECT t.native_id, tc.cluster_id, c.scored_at FROM threads t "
                       "JOIN thread_clusters tc ON tc.thread_id = t.id "
                       "JOIN classifications c ON c.thread_id = t.id ORDER BY t.native_id")
    assert len({row["cluster_id"] for row in rows}) == 1
    # May's thread was still waiting in the queue at October's pass, so that
    # pass re-judged it; expired since and outside the 90 days of lookback, it
    # keeps October's judgement in November.
    assert [row["scored_at"] for row in rows] == [
        "2026-10-05T12:00:00+00:00", "2026-11-19T12:00:00+00:00", "2026-11-19T12:00:00+00:00",
    ]
    assert store.scalar("SELECT q.state FROM queue_items q JOIN threads t ON t.id = q.thread_id "
                        "WHERE t.native_id = '1'") == "expired"
    # A full recount still reaches every thread.
    pipeline.recount(store, playbook, now=datetime(2026, 11, 20, tzinfo=UTC))
    assert {row[0] for row in store.conn.execute("SELECT scored_at FROM classifications")} == {
        "2026-11-20T00:00:00+00:00"}


def test_older_threads_are_rejudged_when_their_group_turns_pervasive_and_kept_otherwise(world):
    folder, store, playbook = world
    title = "Mailbox stopped fetching mail: IMAP-ERR-42"
    body = "Since this morning the mailbox shows IMAP-ERR-42 and no mail arrives. How can I fix it?"
    steps = [("1", "ana", "Porto, Portugal", "2026-10-01T09:00:00Z", datetime(2026, 10, 1, 12, tzinfo=UTC)),
             ("2", "bo", "Bogotá, Colombia", "2026-10-20T09:00:00Z", datetime(2026, 10, 20, 12, tzinfo=UTC)),
             ("3", "cy", "Madrid, Spain", "2026-11-19T09:00:00Z", datetime(2026, 11, 19, 12, tzinfo=UTC)),
             ("4", "dee", "Lima, Peru", "2026-11-20T09:00:00Z", datetime(2026, 11, 20, 12, tzinfo=UTC))]

    def judged() -> dict[str, tuple[str, str]]:
        return {row["native_id"]: (row["category"], row["scored_at"]) for row in store.query(
            "SELECT t.native_id, c.category, c.scored_at FROM threads t "
            "JOIN classifications c ON c.thread_id = t.id")}

    for native_id, author, location, created_at, now in steps[:2]:
        append(folder / "forum.jsonl", member_line(author, location=location),
               thread_line(native_id, title, author, created_at, body))
        pipeline.run(store, playbook, now=now)
    assert {category for category, _ in judged().values()} == {"unrewarded"}

    # A third person in a third country: the group becomes pervasive, and its
    # older threads (past the queue, too old to be queued) follow it.
    native_id, author, location, created_at, now = steps[2]
    append(folder / "forum.jsonl", member_line(author, location=location),
           thread_line(native_id, title, author, created_at, body))
    pipeline.run(store, playbook, now=now)
    assert judged() == {key: ("pervasive_solvable", "2026-11-19T12:00:00+00:00") for key in "123"}

    # A fourth: the category of the old threads cannot change, so they keep
    # their judgement; the one still young enough to be queued is re-scored.
    native_id, author, location, created_at, now = steps[3]
    append(folder / "forum.jsonl", member_line(author, location=location),
           thread_line(native_id, title, author, created_at, body))
    pipeline.run(store, playbook, now=now)
    assert judged() == {
        "1": ("pervasive_solvable", "2026-11-19T12:00:00+00:00"),
        "2": ("pervasive_solvable", "2026-11-19T12:00:00+00:00"),
        "3": ("pervasive_solvable", "2026-11-20T12:00:00+00:00"),
        "4": ("pervasive_solvable", "2026-11-20T12:00:00+00:00"),
    }
    # A full recount agrees on every category.
    pipeline.recount(store, playbook, now=datetime(2026, 11, 20, 13, tzinfo=UTC))
    assert {category for category, _ in judged().values()} == {"pervasive_solvable"}


def test_a_pass_rejudges_a_member_once_their_activity_grew_by_a_quarter(world):
    folder, store, playbook = world
    append(folder / "forum.jsonl", member_line("rui_m", location="Porto, Portugal"),
           *(thread_line(str(n), f"Question {n} about invoices", "rui_m", f"2026-11-10T0{n}:00:00Z",
                         "How do I number invoices per year?") for n in range(1, 9)))
    pipeline.run(store, playbook, now=datetime(2026, 11, 10, 12, tzinfo=UTC))

    def judged() -> tuple:
        return tuple(store.conn.execute(
            "SELECT judged_at, judged_items, n_threads FROM members WHERE native_id = 'rui_m'").fetchone())

    assert judged() == ("2026-11-10T12:00:00+00:00", 8, 8)
    # A ninth thread (9 < 8 × 1.25): the judgement from eight stands.
    append(folder / "forum.jsonl", thread_line("9", "Question 9", "rui_m", "2026-11-11T09:00:00Z",
                                               "Where is the VAT report?"))
    pipeline.run(store, playbook, now=datetime(2026, 11, 11, 12, tzinfo=UTC))
    assert judged() == ("2026-11-10T12:00:00+00:00", 8, 9)
    # A tenth reaches the quarter: judged again.
    append(folder / "forum.jsonl", thread_line("10", "Question 10", "rui_m", "2026-11-12T09:00:00Z",
                                               "Where is the VAT report now?"))
    pipeline.run(store, playbook, now=datetime(2026, 11, 12, 12, tzinfo=UTC))
    assert judged() == ("2026-11-12T12:00:00+00:00", 10, 10)
    # A changed profile is judged again on the next pass, growth or not.
    append(folder / "forum.jsonl", member_line("rui_m", location="Lisbon, Portugal"),
           thread_line("11", "Question 11", "rui_m", "2026-11-13T09:00:00Z", "And the EC sales list?"))
    pipeline.run(store, playbook, now=datetime(2026, 11, 13, 12, tzinfo=UTC))
    assert judged() == ("2026-11-13T12:00:00+00:00", 11, 11)
    # Re-judging everything (``beachhead classify``) reaches everyone.
    pipeline.judge_threads(store, playbook, now=datetime(2026, 11, 14, tzinfo=UTC))
    assert judged() == ("2026-11-14T00:00:00+00:00", 11, 11)


def test_a_pass_rejudges_members_judged_by_other_models_and_labelled_members(world):
    folder, store, playbook = world
    append(folder / "forum.jsonl", member_line("sofia_b"),
           *(thread_line(str(n), f"Question {n}", "sofia_b", f"2026-11-10T0{n}:00:00Z",
                         "How do I export the ledger?") for n in range(1, 6)))
    pipeline.run(store, playbook, now=datetime(2026, 11, 10, 12, tzinfo=UTC))
    store.conn.execute("UPDATE members SET judged_with = 'an older model' WHERE native_id = 'sofia_b'")
    append(folder / "forum.jsonl", thread_line("6", "Question 6", "sofia_b", "2026-11-11T09:00:00Z",
                                               "And the journal?"))
    pipeline.run(store, playbook, now=datetime(2026, 11, 11, 12, tzinfo=UTC))
    row = store.conn.execute("SELECT id, judged_at, judged_with, user_type FROM members "
                             "WHERE native_id = 'sofia_b'").fetchone()
    assert row[1] == "2026-11-11T12:00:00+00:00" and row[2] != "an older model"

    with store.transaction():
        store.conn.execute("INSERT INTO labels (kind, value, member_id, source, created_at) "
                           "VALUES ('user_type', 'channel_partner', ?, 'analyst', '2026-11-11T13:00:00+00:00')",
                           (row[0],))
    append(folder / "forum.jsonl", thread_line("7", "Question 7", "sofia_b", "2026-11-12T09:00:00Z",
                                               "And the trial balance?"))
    pipeline.run(store, playbook, now=datetime(2026, 11, 12, 12, tzinfo=UTC))
    assert store.conn.execute("SELECT judged_at, user_type FROM members WHERE id = ?",
                              (row[0],)).fetchone() == ("2026-11-12T12:00:00+00:00", "channel_partner")


def test_the_person_keys_of_some_members_follow_their_links_and_agree_with_a_full_read(tmp_path):
    store = Store(tmp_path / "p.db")
    with store.transaction():
        for number in range(1, 9):
            store.conn.execute("INSERT INTO members (id, community_id, native_id, handle, first_seen_at, "
                               "updated_at) VALUES (?, 'forum', ?, ?, 'x', 'x')",
                               (number, f"m{number}", f"m{number}"))
        # 3-2 and 2-1: one person across three accounts, reached from 3 in two
        # steps; 4-5 another; 6-7 undone by an analyst; 8 alone.
        for a, b, state in ((2, 3, "linked"), (1, 2, "linked"), (4, 5, "linked"), (6, 7, "undone")):
            store.conn.execute("INSERT INTO member_links (member_a, member_b, reason, confidence, state, "
                               "created_at, updated_at) VALUES (?, ?, 'r', 1.0, ?, 'x', 'x')", (a, b, state))
    everyone = links.person_keys(store)
    assert everyone == {1: "person:1", 2: "person:1", 3: "person:1", 4: "person:4", 5: "person:4"}
    assert links.person_keys(store, [3]) == {1: "person:1", 2: "person:1", 3: "person:1"}
    assert links.person_keys(store, [5, 8]) == {4: "person:4", 5: "person:4"}
    assert links.person_keys(store, [6, 8]) == {}
    store.close()
