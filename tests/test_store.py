"""The store: idempotent upserts, concurrent writers and readers, migrations."""

from __future__ import annotations

import multiprocessing
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assistant.domain import Batch, Member, Post, Thread
from assistant.store import Store, load_cursors, store_batch
from assistant.store.migrations import migrations

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def make_batch(n: int = 3, prefix: str = "t", cursor: dict | None = None) -> Batch:
    threads = []
    for i in range(n):
        created = datetime(2026, 11, 1 + i, 9, 0, tzinfo=UTC)
        threads.append(
            Thread(
                community_id="forum",
                native_id=f"{prefix}{i}",
                title=f"Widget {i} will not start",
                author=f"user{i}",
                created_at=created,
                body_text="It crashes at boot.",
                tags=["boot"],
                posts=[
                    Post("forum", f"{prefix}{i}-p1", f"{prefix}{i}", f"helper{i}",
                         created.replace(hour=10), "Try a reset.", position=1),
                ],
            )
        )
    return Batch(
        threads=threads,
        members=[Member("forum", "user0", "user0", location="Lima, Peru")],
        cursor=cursor or {"page": n},
        stream="latest",
    )


def counts(store: Store) -> dict[str, int]:
    return {
        table: store.scalar(f"SELECT count(*) FROM {table}")
        for table in ("threads", "posts", "members", "fetch_cursors")
    }


def test_upserting_the_same_batch_twice_changes_nothing(tmp_path: Path):
    store = Store(tmp_path / "s.db")
    first = store_batch(store, make_batch(), "forum", NOW)
    assert (first.new_threads, first.new_posts, first.new_members) == (3, 3, 6)
    snapshot = store.query("SELECT * FROM threads ORDER BY id")
    second = store_batch(store, make_batch(), "forum", NOW.replace(hour=13))
    assert (second.new_threads, second.updated_threads, second.new_posts, second.updated_posts) == (0, 0, 0, 0)
    assert second.thread_ids == []
    assert store.query("SELECT * FROM threads ORDER BY id") == snapshot
    assert counts(store) == {"threads": 3, "posts": 3, "members": 6, "fetch_cursors": 1}


def test_changed_thread_is_updated_in_place_and_reported(tmp_path: Path):
    store = Store(tmp_path / "s.db")
    store_batch(store, make_batch(), "forum", NOW)
    batch = make_batch()
    batch.threads[1].title = "Widget 1 will not start (solved)"
    batch.threads[1].is_solved = True
    result = store_batch(store, batch, "forum", NOW)
    assert (result.new_threads, result.updated_threads) == (0, 1)
    row = store.query_one("SELECT id, title, is_solved FROM threads WHERE native_id = 't1'")
    assert result.thread_ids == [row["id"]]
    assert row["title"] == "Widget 1 will not start (solved)" and row["is_solved"] == 1
    assert counts(store)["threads"] == 3


def test_bare_author_reference_never_erases_a_profile(tmp_path: Path):
    store = Store(tmp_path / "s.db")
    store_batch(store, make_batch(), "forum", NOW)
    store_batch(store, Batch(members=[Member("forum", "user0", "user0")]), "forum", NOW)
    assert store.scalar("SELECT location FROM members WHERE native_id = 'user0'") == "Lima, Peru"


def test_reply_stored_before_its_thread_is_attached_when_the_thread_arrives(tmp_path: Path):
    store = Store(tmp_path / "s.db")
    early = Post("forum", "x-p9", "x", "ada", NOW, "I answered this")
    store_batch(store, Batch(posts=[early]), "forum", NOW)
    assert store.scalar("SELECT thread_id FROM posts WHERE native_id = 'x-p9'") is None
    store_batch(store, Batch(threads=[Thread("forum", "x", "Late thread", "bo", NOW, "")]), "forum", NOW)
    thread_id = store.scalar("SELECT id FROM threads WHERE native_id = 'x'")
    assert store.scalar("SELECT thread_id FROM posts WHERE native_id = 'x-p9'") == thread_id


def test_cursor_moves_with_its_batch_or_not_at_all(tmp_path: Path):
    store = Store(tmp_path / "s.db")
    store_batch(store, make_batch(cursor={"after": "t2"}), "forum", NOW)
    assert load_cursors(store, "forum") == {"latest": {"after": "t2"}}
    broken = make_batch(prefix="u", cursor={"after": "u2"})
    broken.threads[2].created_at = None  # cannot be stored: NOT NULL created_at
    with pytest.raises(sqlite3.IntegrityError):
        store_batch(store, broken, "forum", NOW)
    assert load_cursors(store, "forum") == {"latest": {"after": "t2"}}
    assert store.scalar("SELECT count(*) FROM threads WHERE native_id LIKE 'u%'") == 0


def test_full_text_search_covers_titles_and_bodies(tmp_path: Path):
    store = Store(tmp_path / "s.db")
    store_batch(store, make_batch(), "forum", NOW)
    hits = store.query(
        "SELECT t.native_id FROM threads_fts JOIN threads t ON t.rowid = threads_fts.rowid "
        "WHERE threads_fts MATCH 'crashes' ORDER BY t.native_id"
    )
    assert [h["native_id"] for h in hits] == ["t0", "t1", "t2"]


def _writer(path: str, prefix: str, rounds: int, errors) -> None:
    try:
        store = Store(path)
        for i in range(rounds):
            store_batch(store, make_batch(n=5, prefix=f"{prefix}{i}-"), "forum", NOW)
        store.close()
    except Exception as error:  # reported to the parent, which asserts none happened
        errors.put(f"{prefix}: {error!r}")


def _reader(path: str, rounds: int, errors) -> None:
    try:
        store = Store(path)
        for _ in range(rounds):
            store.scalar("SELECT count(*) FROM threads")
            store.query("SELECT * FROM posts ORDER BY id DESC LIMIT 5")
        store.close()
    except Exception as error:
        errors.put(f"reader: {error!r}")


def test_two_writer_processes_and_a_reader_never_see_database_is_locked(tmp_path: Path):
    path = str(tmp_path / "shared.db")
    Store(path).close()
    context = multiprocessing.get_context("spawn")
    errors = context.Queue()
    workers = [
        context.Process(target=_writer, args=(path, "a", 40, errors)),
        context.Process(target=_writer, args=(path, "b", 40, errors)),
        context.Process(target=_reader, args=(path, 400, errors)),
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    found = []
    while not errors.empty():
        found.append(errors.get())
    assert found == []
    assert all(worker.exitcode == 0 for worker in workers)
    store = Store(path)
    assert store.scalar("SELECT count(*) FROM threads") == 2 * 40 * 5


def test_database_at_migration_1_upgrades_and_keeps_its_rows(tmp_path: Path):
    path = tmp_path / "old.db"
    old = Store(path, migrate=False)
    old.migrate(stop_before="m002_member_judgement")
    assert "user_type" not in old.db["members"].columns_dict
    store_batch(old, make_batch(), "forum", NOW)
    old.close()

    upgraded = Store(path)
    applied = [m.name for m in migrations.applied(upgraded.db)]
    assert applied[:2] == ["m001_core", "m002_member_judgement"]
    assert migrations.pending(upgraded.db) == []  # and every later one
    assert "user_type" in upgraded.db["members"].columns_dict
    assert upgraded.db["member_links"].exists()
    assert counts(upgraded) == {"threads": 3, "posts": 3, "members": 6, "fetch_cursors": 1}
    assert upgraded.scalar("SELECT location FROM members WHERE native_id = 'user0'") == "Lima, Peru"
    upgraded.close()
    # Opening again applies nothing twice.
    again = Store(path)
    assert [m.name for m in migrations.applied(again.db)] == applied
