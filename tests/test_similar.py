"""Solution memory: the solved threads most like a new one, with the text of
their solution and who gave it; the one-line "seen before"; FAQ and tool
candidates; and a candidate set that stays small on a large store.
Text here is invented for the tests."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant import pipeline, similar
from assistant.cli import cli
from assistant.store import Store
from playbooks import load_playbook
from tests.builders import member_line, post, thread_line, write_lines, write_playbook

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
ADA_FIX = ("Reconnect the mailbox under Admin > Channels > Mail: the fetcher keeps the old token "
           "after a password change, so MB-IMAP-401 stays until you sign in again.")

FORUM = [
    member_line("ana", location="Porto, Portugal"),
    member_line("bo", location="Berlin, Germany"),
    thread_line("s1", "Mailbox fetch fails with MB-IMAP-401 after the password change", "ana",
                "2026-10-01T08:00:00Z",
                "Since we changed the password the imap mailbox fetch fails with MB-IMAP-401.",
                posts=[post("s1-1", "ada_q", "2026-10-01T09:00:00Z", ADA_FIX),
                       post("s1-2", "ana", "2026-10-01T10:00:00Z", "That fixed it, thanks a lot!")]),
    thread_line("s2", "MB-IMAP-401 on the shared mailbox again", "bo", "2026-10-05T08:00:00Z",
                "The shared imap mailbox reports MB-IMAP-401 after the weekend.",
                posts=[post("s2-1", "kw", "2026-10-05T09:00:00Z",
                            "Clear the saved credentials and add the mailbox again.", accepted=True)]),
    thread_line("s3", "Export tickets to a spreadsheet", "cy", "2026-10-06T08:00:00Z",
                "Is there a way to export the ticket list as csv?",
                posts=[post("s3-1", "dee", "2026-10-06T09:00:00Z", "Reports > Export > CSV.",
                            accepted=True)]),
    thread_line("s4", "MB-IMAP-401 when polling the support mailbox", "dee", "2026-10-09T08:00:00Z",
                "Polling the support mailbox fails with MB-IMAP-401 every five minutes.",
                posts=[post("s4-1", "ada_q", "2026-10-09T09:00:00Z", ADA_FIX),
                       post("s4-2", "dee", "2026-10-09T11:00:00Z", "Works now, thank you.")]),
    thread_line("u2", "MB-IMAP-401 on our mailbox, still broken", "fay", "2026-11-10T08:00:00Z",
                "The mailbox fetch fails with MB-IMAP-401 and nobody knows why."),
    thread_line("u1", "Mailbox fetch fails with MB-IMAP-401 after changing the password", "eri",
                "2026-11-19T08:00:00Z",
                "We changed the mailbox password yesterday and now the imap fetch fails with "
                "MB-IMAP-401. How do we fix it?"),
]
FORO = [
    thread_line("e1", "Error MB-IMAP-401 en el buzón de soporte", "rosa", "2026-10-12T08:00:00Z",
                "El buzón imap falla con MB-IMAP-401 desde el cambio de contraseña.",
                posts=[post("e1-1", "ada_q", "2026-10-12T09:00:00Z",
                            "Vuelve a conectar el buzón en Admin > Canales > Correo."),
                       post("e1-2", "rosa", "2026-10-12T10:00:00Z", "¡Solucionado, gracias!")]),
]


@pytest.fixture
def world(tmp_path: Path):
    write_playbook(tmp_path)
    write_lines(tmp_path / "forum.jsonl", FORUM)
    write_lines(tmp_path / "foro.jsonl", FORO)
    store = Store(tmp_path / "s.db")
    playbook = load_playbook(tmp_path / "beachhead.toml")
    pipeline.run(store, playbook, now=NOW)
    yield store, playbook, tmp_path
    store.close()


def native(store: Store, thread_id: int) -> str:
    return store.scalar("SELECT native_id FROM threads WHERE id = ?", (thread_id,))


def test_similar_solved_threads_come_with_their_solution(world):
    store, playbook, _ = world
    found = similar.similar_solved(store, "forum:u1", playbook=playbook)
    names = [native(store, m.thread_id) for m in found]
    assert names[0] == "s1"
    assert set(names) <= {"s1", "s2", "s4", "e1"}
    assert "s3" not in names and "u2" not in names  # off topic; not solved
    assert [m.similarity for m in found] == sorted((m.similarity for m in found), reverse=True)
    best = found[0]
    assert (best.solved_by, best.founder, best.how) == ("ada_q", "Ada Quintero", "acknowledged")
    assert best.solution_text == ADA_FIX
    by_name = dict(zip(names, found, strict=True))
    assert (by_name["s2"].solved_by, by_name["s2"].founder, by_name["s2"].how) == ("kw", None,
                                                                                  "accepted")
    assert by_name["s2"].solution_text == "Clear the saved credentials and add the mailbox again."


def test_seen_before_is_one_line_or_nothing(world):
    store, playbook, _ = world
    best = similar.similar_solved(store, "forum:u1", playbook=playbook, limit=1)[0]
    line = similar.seen_before(store, "forum:u1", playbook=playbook)
    assert line == (
        f"Seen before ({best.similarity:.0%} alike): \"Mailbox fetch fails with MB-IMAP-401 after "
        "the password change\" in forum, 2026-10-01, solved by Ada Quintero (founder) — "
        f"{best.thread_id}"
    )
    assert similar.seen_before(store, "forum:s3", playbook=playbook) is None


def test_without_a_playbook_founders_are_known_from_the_judged_members(world):
    store, _, _ = world
    best = similar.similar_solved(store, "forum:u1", limit=1)[0]
    assert best.founder == "ada_q"


def test_faq_candidates_are_groups_the_founders_solved_three_times(world):
    store, playbook, _ = world
    (candidate,) = similar.faq_candidates(store, playbook)
    assert candidate.label == "MB-IMAP-401 · mailbox · fails"
    assert candidate.solved == 3
    assert candidate.founders == {"Ada Quintero": 3}
    assert candidate.communities == ["foro", "forum"]
    assert candidate.suggestion == "tool"
    assert sorted(t["id"] for t in candidate.threads) == sorted(
        store.scalar("SELECT id FROM threads WHERE native_id = ?", (n,)) for n in ("s1", "s4", "e1"))
    assert candidate.why.startswith("solved 3 times by Ada Quintero (3) in 2 communities;")
    assert similar.faq_candidates(store, playbook, min_solved=4) == []


def test_cli_similar_and_faq(world):
    _, _, tmp_path = world
    base = ["--db", str(tmp_path / "s.db"), "--playbook", str(tmp_path / "beachhead.toml")]
    shown = CliRunner().invoke(cli, [*base, "similar", "forum:u1"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    assert "solved by Ada Quintero (founder) (acknowledged)" in shown.output
    assert ADA_FIX in shown.output.replace("\n   ", " ")
    faq = CliRunner().invoke(cli, [*base, "faq"], env={"COLUMNS": "200"})
    assert "MB-IMAP-401 · mailbox · fails — write a tool" in faq.output
    missing = CliRunner().invoke(cli, [*base, "similar", "forum:nope"])
    assert missing.exit_code == 1
    assert missing.output.startswith("Error: thread 'forum:nope' does not exist")


def test_candidate_set_stays_small_on_a_large_store(tmp_path):
    store = Store(tmp_path / "big.db")
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
             "juliet", "kilo", "lima", "mike", "november", "oscar", "papa"]
    rows = []
    for n in range(20_000):
        text = " ".join(words[(n * k) % len(words)] for k in (1, 3, 5, 7)) + f" mailbox error {n % 97}"
        rows.append(("forum", str(n), f"Thread {n} {words[n % 16]} mailbox", text,
                     "2026-10-01T00:00:00+00:00", 1))
    with store.transaction():
        store.conn.executemany(
            "INSERT INTO threads (community_id, native_id, title, body_text, created_at, is_solved, "
            "content_hash, fetched_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, '', '', '')", rows)
        store.conn.execute(
            "INSERT INTO threads (community_id, native_id, title, body_text, created_at, "
            "content_hash, fetched_at, updated_at) VALUES ('forum', 'q', 'mailbox delta echo error', "
            "'the mailbox shows delta echo error 12', '2026-11-01T00:00:00+00:00', '', '', '')")
    query = store.scalar("SELECT id FROM threads WHERE native_id = 'q'")
    started = time.perf_counter()
    candidates = similar._candidates(store, store.query_one("SELECT * FROM threads WHERE id = ?",
                                                            (query,)))
    found = similar.similar_solved(store, query, limit=3)
    elapsed = time.perf_counter() - started
    assert 0 < len(candidates) <= similar.CANDIDATES
    assert len(found) == 3
    assert elapsed < 3.0
    store.close()


def test_terms_fold_case_and_accents_like_the_index():
    assert similar.terms_of("Migración del Buzón: the mailbox AND the Mailbox") == [
        "migracion", "buzon", "mailbox"]
    assert json.dumps(similar.terms_of("42 is 1234")) == "[]"
