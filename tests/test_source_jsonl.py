"""The jsonl archive: bad lines reported by number, good lines kept, nothing
duplicated on a re-run, appends read incrementally."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from assistant.cli import cli
from assistant.sources import FetchRequest
from assistant.sources.jsonl import JsonlSource, parse_line
from assistant.store import Store
from tests.builders import member_line, post, thread_line, write_lines, write_playbook

GOOD = [
    member_line("ana", location="Porto, Portugal", trust_level=2),
    thread_line("1", "Mailbox stops fetching", "ana", "2026-11-16T09:00:00Z", "IMAP error since Monday",
                posts=[post("1-1", "bo", "2026-11-16T10:00:00Z", "Same here"),
                       post("1-2", "cy", "2026-11-16T11:00:00Z", "Re-authorise the mailbox",
                            accepted=True)]),
    thread_line("2", "Where is the **logo** setting?", "bo", 1763370000, "Looking for it", format="markdown"),
]


def run(args, tmp_path: Path):
    return CliRunner().invoke(cli, ["--db", str(tmp_path / "t.db"), "--playbook",
                                    str(tmp_path / "beachhead.toml"), *args])


def test_parse_thread_normalises_fields():
    thread = parse_line(GOOD[1], "forum")
    assert thread.native_id == "1" and thread.author == "ana"
    assert thread.created_at.isoformat() == "2026-11-16T09:00:00+00:00"
    assert [p.native_id for p in thread.posts] == ["1-1", "1-2"]
    assert [p.position for p in thread.posts] == [1, 2]
    assert thread.is_solved and thread.accepted_post_native_id == "1-2"
    assert thread.last_activity_at.isoformat() == "2026-11-16T11:00:00+00:00"
    markdown = parse_line(GOOD[2], "forum")
    assert markdown.title == "Where is the **logo** setting?"
    assert markdown.created_at.isoformat() == "2025-11-17T09:00:00+00:00"
    assert markdown.markup_format == "markdown" and markdown.body_text == "Looking for it"


def test_malformed_lines_are_reported_by_number_and_the_rest_is_stored(tmp_path: Path):
    write_playbook(tmp_path)
    write_lines(tmp_path / "forum.jsonl", [
        GOOD[0],
        GOOD[1],
        '{"id": "3", "title": "broken", ',
        '{"id": "4", "author": "dee", "created_at": "2026-11-17T09:00:00Z"}',
        '{"id": "5", "title": "Bad time", "author": "dee", "created_at": "last tuesday"}',
        "[1, 2]",
        '{"type": "poll", "id": "6"}',
        GOOD[2],
    ])
    result = run(["fetch", "--community", "forum"], tmp_path)
    assert result.exit_code == 0, result.output
    assert "forum.jsonl: line 3: not valid JSON (Expecting property name enclosed in double quotes" in result.output
    assert "forum.jsonl: line 4: 'title' is missing" in result.output
    assert "forum.jsonl: line 5: 'created_at' is not a timestamp: 'last tuesday'" in result.output
    assert "forum.jsonl: line 6: expected a JSON object" in result.output
    assert "forum.jsonl: line 7: 'type' 'poll' is not one of thread, member" in result.output
    store = Store(tmp_path / "t.db")
    assert [r["native_id"] for r in store.query("SELECT native_id FROM threads ORDER BY native_id")] == ["1", "2"]
    assert store.scalar("SELECT count(*) FROM posts") == 2
    assert store.scalar("SELECT location FROM members WHERE native_id = 'ana'") == "Porto, Portugal"
    store.close()

    # Fixing the file and importing it whole again stores the fixed lines once
    # and duplicates nothing.
    write_lines(tmp_path / "fixed.jsonl", [*GOOD, thread_line("4", "Now with a title", "dee",
                                                            "2026-11-17T09:00:00Z")])
    again = run(["import", "jsonl", str(tmp_path / "fixed.jsonl"), "--community", "forum"], tmp_path)
    assert again.exit_code == 0, again.output
    store = Store(tmp_path / "t.db")
    assert [r["native_id"] for r in store.query("SELECT native_id FROM threads ORDER BY native_id")] == ["1", "2", "4"]
    assert store.scalar("SELECT count(*) FROM posts") == 2
    store.close()


def test_second_fetch_reads_only_appended_lines(tmp_path: Path):
    path = write_lines(tmp_path / "forum.jsonl", GOOD)
    source = JsonlSource("forum", path)
    first = list(source.fetch(FetchRequest({})))
    assert sum(len(b.threads) for b in first) == 2
    cursor = first[-1].cursor
    assert cursor["line"] == 3
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(thread_line("9", "Appended", "ana", "2026-11-18T09:00:00Z") + "\n")
    second = list(source.fetch(FetchRequest({"archive": cursor})))
    assert [t.native_id for b in second for t in b.threads] == ["9"]
    assert second[-1].cursor["line"] == 4


def test_half_written_last_line_is_left_for_the_next_pass(tmp_path: Path):
    path = tmp_path / "forum.jsonl"
    complete = thread_line("9", "Appended", "ana", "2026-11-18T09:00:00Z")
    path.write_text(GOOD[1] + "\n" + complete[:30], encoding="utf-8")
    source = JsonlSource("forum", path)
    batches = list(source.fetch(FetchRequest({})))
    assert [t.native_id for b in batches for t in b.threads] == ["1"]
    assert all(not b.problems for b in batches)
    cursor = batches[-1].cursor
    path.write_text(GOOD[1] + "\n" + complete + "\n", encoding="utf-8")
    later = list(source.fetch(FetchRequest({"archive": cursor})))
    assert [t.native_id for b in later for t in b.threads] == ["9"]


def test_since_limited_pass_does_not_move_the_cursor(tmp_path: Path):
    from assistant.domain import parse_timestamp

    path = write_lines(tmp_path / "forum.jsonl", GOOD)
    batches = list(JsonlSource("forum", path).fetch(FetchRequest({}, since=parse_timestamp("2026-01-01"))))
    assert [t.native_id for b in batches for t in b.threads] == ["1"]
    assert all(b.cursor is None for b in batches)


def test_missing_archive_is_an_error_naming_the_community(tmp_path: Path):
    write_playbook(tmp_path)
    write_lines(tmp_path / "forum.jsonl", GOOD)
    result = run(["fetch"], tmp_path)
    assert result.exit_code == 1
    assert f"error: community 'foro': archive {tmp_path / 'foro.jsonl'} does not exist" in result.output
    store = Store(tmp_path / "t.db")
    assert store.scalar("SELECT count(*) FROM threads WHERE community_id = 'forum'") == 2
