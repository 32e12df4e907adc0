"""`beachhead demo` end to end: offline, on the built-in corpus, asserting on
the database it built and the table it printed."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant import queue as q
from assistant.cli import cli
from assistant.store import Store

CORPUS = Path(__file__).resolve().parent.parent / "assistant" / "demo" / "corpus"


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    """One demo run shared by the module's tests, with the network off."""
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    real_connect = socket.socket.connect

    def refuse(self, address):
        raise AssertionError(f"the demo tried to reach the network: {address!r}")

    socket.socket.connect = refuse
    try:
        started = time.perf_counter()
        result = CliRunner().invoke(cli, ["demo", "--db", str(db)], env={"COLUMNS": "200"})
        elapsed = time.perf_counter() - started
    finally:
        socket.socket.connect = real_connect
    return result, db, elapsed


def test_demo_exits_zero_within_a_minute(demo_run):
    result, _, elapsed = demo_run
    assert result.exit_code == 0, result.output
    assert elapsed < 60


def test_demo_database_holds_the_whole_corpus(demo_run):
    _, db, _ = demo_run
    store = Store(db)
    expected = sum(
        1
        for path in ("kestrel-forum", "r-kestreldesk", "kestrel-es", "kestrel-de")
        for line in (CORPUS / f"{path}.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip() and json.loads(line).get("type", "thread") == "thread"
    )
    assert expected == 328
    assert store.scalar("SELECT count(*) FROM threads") == 328
    assert store.scalar("SELECT count(*) FROM posts") == 845
    assert store.scalar("SELECT count(*) FROM classifications") == 328
    assert store.scalar("SELECT count(DISTINCT community_id) FROM threads") == 4
    languages = {row[0] for row in store.conn.execute("SELECT DISTINCT language FROM classifications")}
    assert {"en", "es", "de"} <= languages
    assert store.scalar("SELECT count(*) FROM fetch_cursors") == 4
    store.close()


def test_demo_queue_puts_a_pervasive_solvable_problem_first(demo_run):
    result, db, _ = demo_run
    store = Store(db)
    items = q.list_items(store, limit=10)
    assert items, "the demo queue is empty"
    assert items[0].category == "pervasive_solvable"
    assert [i.priority for i in items] == sorted((i.priority for i in items), reverse=True)
    assert "Top of the queue" in result.output
    for item in items:
        assert item.title[:30] in result.output
    assert "Demo clock      2026-11-20 12:00 UTC (pinned in the database)" in result.output
    assert "Read            328 threads, 845 replies" in result.output
    store.close()


def test_demo_refuses_to_overwrite_a_database_it_did_not_make(tmp_path):
    precious = tmp_path / "real.db"
    Store(precious).close()
    result = CliRunner().invoke(cli, ["demo", "--db", str(precious)])
    assert result.exit_code == 1
    assert result.output == f"Error: {precious} exists and is not a demo database; choose another --db\n"
