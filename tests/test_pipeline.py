"""The pipeline end to end on a small hand-written forum: what gets stored,
grouped, categorised and queued, and that re-running changes nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from assistant import pipeline
from assistant import queue as q
from assistant.cli import cli
from assistant.store import Store
from playbooks import load_playbook
from tests.builders import member_line, post, thread_line, write_lines, write_playbook

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)

FORUM = [
    member_line("ana", location="Porto, Portugal"),
    member_line("bo", location="Berlin, Germany"),
    member_line("cy", website="https://cyhelp.com.au"),
    member_line("dee", location="Lima, Peru"),
    member_line("rival_rep", about="Consultant at Rival Ltd, see rival.example"),
    thread_line("1", "Mailbox fetch fails with MB-IMAP-401 since Monday", "ana", "2026-11-19T08:00:00Z",
                "Our imap mailbox stopped creating tickets. How can I fix it?",
                posts=[post("1-1", "bo", "2026-11-19T09:00:00Z", "Same here, MB-IMAP-401 for us too"),
                       post("1-2", "cy", "2026-11-19T10:00:00Z", "Me too.")]),
    thread_line("2", "MB-IMAP-401 error on the shared mailbox", "dee", "2026-11-20T07:00:00Z",
                "imap says MB-IMAP-401 after we rotated the password. Any idea?"),
    thread_line("3", "Version 9 released", "bo", "2026-11-18T10:00:00Z",
                "The new version is out today with a redesigned inbox. Full release notes on the blog."),
    thread_line("4", "Phone app crash on login, why?", "cy", "2026-11-19T12:00:00Z",
                "The phone app crashes when I log in."),
    thread_line("5", "How do I rename a mailbox? (imap)", "rival_rep", "2026-11-19T13:00:00Z",
                "Is there a way to rename the imap mailbox?"),
    thread_line("6", "Mailbox question from last year", "dee", "2025-10-01T10:00:00Z",
                "imap mailbox fails, how to fix?"),
    thread_line("7", "smtp mailbox sends nothing, help?", "ana", "2026-11-20T09:00:00Z",
                "Our smtp mailbox sends nothing since the upgrade. How can I fix it?",
                posts=[post("7-1", "ada_q", "2026-11-20T10:00:00Z", "Check the relay settings: ...",
                            url="https://forum.example/t/7/2")]),
]


@pytest.fixture
def world(tmp_path: Path):
    write_playbook(tmp_path)
    write_lines(tmp_path / "forum.jsonl", FORUM)
    write_lines(tmp_path / "foro.jsonl", [])
    store = Store(tmp_path / "p.db")
    playbook = load_playbook(tmp_path / "beachhead.toml")
    yield store, playbook
    store.close()


def by_native(store: Store, sql: str) -> dict[str, dict]:
    return {row["native_id"]: row for row in store.query(sql)}


def test_run_stores_judges_groups_and_queues(world):
    store, playbook = world
    report = pipeline.run(store, playbook, now=NOW)
    forum = next(r for r in report.fetched if r.community_id == "forum")
    assert (forum.new_threads, forum.new_posts, forum.error, forum.problems) == (7, 3, None, [])

    rows = by_native(store, "SELECT t.native_id, c.* FROM threads t JOIN classifications c "
                            "ON c.thread_id = t.id")
    assert rows["1"]["category"] == "pervasive_solvable"
    assert rows["2"]["category"] == "pervasive_solvable"
    assert rows["3"]["category"] == "not_a_problem"
    assert rows["4"]["category"] == "unsolvable"
    assert rows["5"]["asker_type"] == "competitor"
    assert json.loads(rows["1"]["signals_json"])["me_too"] == ["bo", "cy"]

    group = store.query_one(
        "SELECT pc.* FROM problem_clusters pc JOIN thread_clusters tc ON tc.cluster_id = pc.id "
        "JOIN threads t ON t.id = tc.thread_id WHERE t.native_id = '1'"
    )
    assert group["label"].startswith("MB-IMAP-401")
    assert group["thread_count"] == 2
    assert group["affected_members"] == 4  # ana, bo, cy, dee
    assert json.loads(group["countries_json"]) == ["AU", "DE", "PE", "PT"]

    items = q.list_items(store, now=NOW, limit=None)
    queued = [item.thread_native_id for item in items]
    # The founder already answered 7, 6 is too old, 3 is not a problem.
    assert "7" not in queued and "6" not in queued and "3" not in queued
    assert queued[:2] == ["2", "1"]  # fresher first among equals
    assert all(item.answer_by == datetime(2026, 11, 21, 12, 0, tzinfo=UTC) for item in items)
    top = items[0]
    assert top.why.startswith("pervasive solvable +0.40")
    assert top.affected_members == 4 and top.countries == ["AU", "DE", "PE", "PT"]


def test_rerunning_the_pipeline_changes_nothing(world):
    store, playbook = world
    pipeline.run(store, playbook, now=NOW)
    before = {t: store.query(f"SELECT * FROM {t} ORDER BY 1") for t in
              ("threads", "posts", "members", "queue_items", "problem_clusters", "thread_clusters")}
    again = pipeline.run(store, playbook, now=NOW)
    assert sum(r.new_threads + r.updated_threads for r in again.fetched) == 0
    assert again.judged.queued == []
    after = {t: store.query(f"SELECT * FROM {t} ORDER BY 1") for t in before}
    assert after == before
    # Re-judging everything from stored data gives the same queue.
    pipeline.judge_threads(store, playbook, now=NOW)
    assert store.query("SELECT * FROM queue_items ORDER BY 1") == before["queue_items"]


def test_founder_reply_seen_later_closes_the_item(world, tmp_path):
    store, playbook = world
    pipeline.run(store, playbook, now=NOW)
    item = next(i for i in q.list_items(store, now=NOW) if i.thread_native_id == "2")
    with open(tmp_path / "forum.jsonl", "a", encoding="utf-8") as handle:
        handle.write(thread_line("2", "MB-IMAP-401 error on the shared mailbox", "dee",
                                 "2026-11-20T07:00:00Z",
                                 "imap says MB-IMAP-401 after we rotated the password. Any idea?",
                                 posts=[post("2-1", "ada_q", "2026-11-20T11:00:00Z", "Re-authorise it: ...",
                                             url="https://forum.example/t/2/2")]) + "\n")
    report = pipeline.run(store, playbook, now=NOW)
    assert report.judged.auto_answered == [item.id]
    closed = q.get_item(store, item.id)
    assert (closed.state, closed.answered_by, closed.answered_url) == (
        "answered", "Ada Quintero", "https://forum.example/t/2/2")


def test_every_command_has_help_with_an_example():
    missing = []

    def walk(command: click.Command, path: str) -> None:
        if not (command.help or "").strip():
            missing.append(path)
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(sub, f"{path} {name}")
        elif "Example" not in (command.help or ""):
            missing.append(f"{path} (no example)")

    walk(cli, "beachhead")
    assert missing == []
    assert CliRunner().invoke(cli, ["--help"]).exit_code == 0
