"""The tables kept so that the founders' queries stay fast as history grows.

``cluster_people`` (m009: each member's first and last report per group, so
grouping recounts a group's members from the window only),
``pervasive_clusters`` (m010: how many of a group's threads are judged
pervasive) and ``cluster_threads`` (m012: one narrow row per grouped thread)
are written as the pipeline goes, by ``grouping.assign`` or by triggers,
instead of being recounted from every thread on every query. Each is only
worth keeping if it always equals what a full recount from the threads,
classifications and groups gives: these tests recount from scratch and
compare, after passes that turn groups pervasive, add a late "me too" and
merge two groups (moving a thread to another group), and after an old
database (at m006) is upgraded and backfilled.

Every thread, name and place here is invented for these tests.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from assistant import grouping, pipeline
from assistant.domain import parse_timestamp
from assistant.store import Store
from playbooks import load_playbook
from tests.builders import member_line, post, thread_line, write_lines, write_playbook

IMAP = ("Mailbox stopped fetching mail: IMAP-ERR-42",
        "Since this morning the mailbox shows IMAP-ERR-42 and no mail arrives. How can I fix it?")
LOCK = ('Vault refuses to open: "Lock held by another writer on vault.db"',
        'Since the update the vault refuses to open with "Lock held by another writer on vault.db". '
        "How can I fix it?")
CODE = ("Le coffre ne s'ouvre plus : code E7731",
        "Le coffre ne s'ouvre plus depuis hier soir : code E7731 à chaque lancement. Comment réparer ?")
BOTH = ('El cofre no abre: E7731 y "Lock held by another writer on vault.db"',
        'El cofre no abre con E7731 y "Lock held by another writer on vault.db" en el registro. '
        "¿Cómo lo arreglo?")
FIRST_PASS = datetime(2026, 11, 2, 12, tzinfo=UTC)
SECOND_PASS = datetime(2026, 11, 9, 12, tzinfo=UTC)


def append(path: Path, *lines: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.writelines(line + "\n" for line in lines)


def replies(*extra: dict) -> list[dict]:
    return [post("1a", "bo", "2026-11-01T10:00:00Z", "Same here, no mail since this morning."),
            post("1b", "kit", "2026-11-01T11:00:00Z", "Try removing the account and adding it again."),
            *extra]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """Two passes. First: a mail problem (ana, with bo saying "same here"), a
    vault lock message (cy) and, in the Spanish forum, a vault error code
    (dee, in French). Second: a late "me too" from eli on ana's thread, bo
    reporting the mail problem himself, and fer citing both the code and the
    lock message, which merges the code's group into the lock's."""
    folder = tmp_path_factory.mktemp("scale")
    write_playbook(folder)
    forum, foro = folder / "forum.jsonl", folder / "foro.jsonl"
    write_lines(forum, [])
    write_lines(foro, [])
    store = Store(folder / "w.db")
    playbook = load_playbook(folder / "beachhead.toml")
    append(forum, member_line("ana", location="Porto, Portugal"), member_line("bo", location="Bogotá, Colombia"),
           member_line("cy", location="Madrid, Spain"),
           thread_line("1", *IMAP[:1], "ana", "2026-11-01T09:00:00Z", IMAP[1], posts=replies()),
           thread_line("2", *LOCK[:1], "cy", "2026-11-02T09:00:00Z", LOCK[1]))
    append(foro, member_line("dee", location="Lima, Peru"),
           thread_line("3", *CODE[:1], "dee", "2026-11-02T10:00:00Z", CODE[1]))
    pipeline.run(store, playbook, now=FIRST_PASS)
    before = {row[0]: tuple(row[1:]) for row in store.conn.execute(
        "SELECT t.native_id, tc.cluster_id, c.category FROM threads t "
        "JOIN thread_clusters tc ON tc.thread_id = t.id JOIN classifications c ON c.thread_id = t.id")}

    append(forum, member_line("eli", location="Lagos, Nigeria"),
           thread_line("1", *IMAP[:1], "ana", "2026-11-01T09:00:00Z", IMAP[1], posts=replies(
               post("1c", "eli", "2026-11-09T10:00:00Z", "Me too, same problem here since Monday."))),
           thread_line("4", *IMAP[:1], "bo", "2026-11-09T09:00:00Z", IMAP[1]))
    append(foro, thread_line("5", *BOTH[:1], "fer", "2026-11-09T11:00:00Z", BOTH[1]))
    pipeline.run(store, playbook, now=SECOND_PASS)
    yield store, playbook, before
    store.close()


def copy_of(store: Store, folder: Path) -> Store:
    """A copy of the passes' database to change, leaving the module's own intact."""
    copy = folder / "copy.db"
    store.conn.execute("VACUUM INTO ?", (str(copy),))
    return Store(copy)


def rows(store: Store, sql: str, *args) -> list[tuple]:
    return sorted(tuple(row) for row in store.conn.execute(sql, args))


# --- recounts from scratch ------------------------------------------------------------

PEOPLE_REBUILD = """
SELECT cluster_id, member_id, min(created_at), max(created_at) FROM (
    SELECT tc.cluster_id, m.id AS member_id, t.created_at
    FROM thread_clusters tc JOIN threads t ON t.id = tc.thread_id
    JOIN members m ON m.community_id = t.community_id AND m.native_id = t.author
    UNION ALL
    SELECT tc.cluster_id, m.id, t.created_at
    FROM thread_clusters tc JOIN threads t ON t.id = tc.thread_id
    JOIN classifications c ON c.thread_id = t.id, json_each(c.signals_json, '$.me_too') j
    JOIN members m ON m.community_id = t.community_id AND m.native_id = j.value
) GROUP BY cluster_id, member_id
"""
PERVASIVE_REBUILD = """
SELECT tc.cluster_id, count(*) FROM thread_clusters tc JOIN classifications c ON c.thread_id = tc.thread_id
WHERE c.category = 'pervasive_solvable' GROUP BY tc.cluster_id
"""
THREADS_REBUILD = """
SELECT tc.cluster_id, t.created_at, t.id, t.community_id, t.author, c.capability_id,
       json_extract(c.signals_json, '$.me_too')
FROM thread_clusters tc JOIN threads t ON t.id = tc.thread_id LEFT JOIN classifications c ON c.thread_id = t.id
"""
# pervasive_clusters may keep a group at 0 (its pervasive threads left): the
# readers ask for threads > 0, so the kept table is compared on those rows.
PERVASIVE_KEPT = "SELECT cluster_id, threads FROM pervasive_clusters WHERE threads != 0"
THREADS_KEPT = ("SELECT cluster_id, created_at, thread_id, community_id, author, capability_id, me_too "
                "FROM cluster_threads")


def group_numbers_recounted(store: Store, lookback_days: int, now: datetime) -> dict[int, tuple]:
    """Each group's numbers from its threads, classifications and members
    alone (no cluster_people, no group index)."""
    since = now - timedelta(days=lookback_days)
    week_ago, fortnight_ago = now - timedelta(days=7), now - timedelta(days=14)
    numbers = {}
    for (cluster_id,) in store.conn.execute("SELECT id FROM problem_clusters"):
        threads = store.query(
            "SELECT t.community_id, t.author, t.created_at, c.language, c.signals_json "
            "FROM thread_clusters tc JOIN threads t ON t.id = tc.thread_id "
            "JOIN classifications c ON c.thread_id = t.id WHERE tc.cluster_id = ?", (cluster_id,))
        first_report: dict[int, datetime] = {}
        countries = set()
        for thread in threads:
            at = parse_timestamp(thread["created_at"])
            for name in [thread["author"], *json.loads(thread["signals_json"]).get("me_too", [])]:
                member = store.query_one("SELECT id, country FROM members WHERE community_id = ? "
                                         "AND native_id = ?", (thread["community_id"], name))
                if member is None or at < since:
                    continue
                first_report[member["id"]] = min(first_report.get(member["id"], at), at)
                if member["country"]:
                    countries.add(member["country"])
        dates = sorted(thread["created_at"] for thread in threads)
        numbers[cluster_id] = (
            len(threads), len(first_report), sorted(countries),
            sorted({thread["language"] for thread in threads if thread["language"]}),
            sorted({thread["community_id"] for thread in threads}), dates[0], dates[-1],
            sum(at >= week_ago for at in first_report.values())
            - sum(fortnight_ago <= at < week_ago for at in first_report.values()),
        )
    return numbers


def group_numbers_kept(store: Store) -> dict[int, tuple]:
    return {row[0]: (row[1], row[2], json.loads(row[3]), json.loads(row[4]), json.loads(row[5]),
                     row[6], row[7], row[8])
            for row in store.conn.execute(
                "SELECT id, thread_count, affected_members, countries_json, languages_json, "
                "communities_json, first_seen_at, last_seen_at, growth FROM problem_clusters")}


# --- cluster_people and refresh ----------------------------------------------------------


def test_the_passes_merged_a_group_and_moved_its_thread(world):
    store, _, before = world
    assert before == {"1": (1, "unrewarded"), "2": (2, "unrewarded"), "3": (3, "unsolvable")}
    assert rows(store, "SELECT t.native_id, tc.cluster_id, c.category FROM threads t "
                       "JOIN thread_clusters tc ON tc.thread_id = t.id "
                       "JOIN classifications c ON c.thread_id = t.id") == [
        ("1", 1, "pervasive_solvable"), ("2", 2, "pervasive_solvable"), ("3", 2, "unsolvable"),
        ("4", 1, "pervasive_solvable"), ("5", 2, "pervasive_solvable"),
    ]
    assert rows(store, "SELECT id FROM problem_clusters") == [(1,), (2,)]


def test_cluster_people_holds_each_members_first_and_last_report_per_group(world):
    store, _, _ = world
    assert rows(store, "SELECT cp.cluster_id, m.native_id, cp.first_at, cp.last_at FROM cluster_people cp "
                       "JOIN members m ON m.id = cp.member_id") == [
        (1, "ana", "2026-11-01T09:00:00+00:00", "2026-11-01T09:00:00+00:00"),
        # bo said "same here" on ana's thread, then reported it himself.
        (1, "bo", "2026-11-01T09:00:00+00:00", "2026-11-09T09:00:00+00:00"),
        # eli's late "me too" counts at the date of the thread it answers.
        (1, "eli", "2026-11-01T09:00:00+00:00", "2026-11-01T09:00:00+00:00"),
        (2, "cy", "2026-11-02T09:00:00+00:00", "2026-11-02T09:00:00+00:00"),
        # dee's group was merged into cy's: her row moved with it.
        (2, "dee", "2026-11-02T10:00:00+00:00", "2026-11-02T10:00:00+00:00"),
        (2, "fer", "2026-11-09T11:00:00+00:00", "2026-11-09T11:00:00+00:00"),
    ]
    assert rows(store, "SELECT * FROM cluster_people") == rows(store, PEOPLE_REBUILD)


def test_refreshed_group_numbers_equal_a_recount_from_scratch(world):
    store, playbook, _ = world
    kept = group_numbers_kept(store)
    assert kept == group_numbers_recounted(store, playbook.categories.lookback_days, SECOND_PASS)
    assert kept[1] == (2, 3, ["CO", "NG", "PT"], ["en"], ["forum"], "2026-11-01T09:00:00+00:00",
                       "2026-11-09T09:00:00+00:00", -3)
    assert kept[2][:3] == (3, 3, ["ES", "PE"])
    # A later refresh of every group (here without the index in memory, from
    # the saved states) and a recount at a later moment agree as well.
    grouping._LIVE.clear()
    later = SECOND_PASS + timedelta(days=5)
    grouping.refresh(store, playbook, [1, 2], now=later)
    assert group_numbers_kept(store) == group_numbers_recounted(store, playbook.categories.lookback_days, later)
    grouping.refresh(store, playbook, [1, 2], now=SECOND_PASS)
    assert group_numbers_kept(store) == kept


# --- trigger-kept tables ---------------------------------------------------------------


ACTIVITY_REBUILD = """
SELECT m.community_id, m.native_id,
       (SELECT count(*) FROM threads t WHERE t.community_id = m.community_id AND t.author = m.native_id),
       (SELECT count(*) FROM posts p WHERE p.community_id = m.community_id AND p.author = m.native_id),
       (SELECT total(p.is_accepted) FROM posts p WHERE p.community_id = m.community_id
        AND p.author = m.native_id)
FROM members m
"""
ACTIVITY_KEPT = "SELECT community_id, native_id, n_threads, n_posts, n_accepted FROM members"


def test_members_activity_counters_equal_a_recount(world, tmp_path):
    store, _, _ = world
    assert rows(store, ACTIVITY_KEPT) == rows(store, ACTIVITY_REBUILD)
    counts = {row[1]: row[2:] for row in rows(store, ACTIVITY_KEPT) if row[0] == "forum"}
    # ana opened thread 1, bo and eli replied to it (bo also opened thread 4).
    assert counts["ana"] == (1, 0, 0) and counts["bo"] == (1, 1, 0) and counts["eli"] == (0, 1, 0)
    # On a copy: an answer accepted, a post changing author, a thread deleted,
    # and a member row arriving after what they wrote.
    changed = copy_of(store, tmp_path)
    with changed.transaction():
        changed.conn.execute("UPDATE posts SET is_accepted = 1 WHERE author = 'bo'")
        changed.conn.execute("UPDATE posts SET author = 'gil' WHERE author = 'eli'")
        changed.conn.execute("DELETE FROM posts WHERE author = 'ana'")
        changed.conn.execute("UPDATE threads SET author = 'gil' WHERE native_id = '4'")
        changed.conn.execute("INSERT INTO threads (community_id, native_id, title, author, created_at, "
                             "content_hash, fetched_at, updated_at) SELECT community_id, '99', 'x', "
                             "'ana', created_at, 'h', fetched_at, updated_at FROM threads "
                             "WHERE native_id = '1'")
        changed.conn.execute("DELETE FROM threads WHERE native_id = '99'")
        changed.conn.execute("INSERT INTO members (community_id, native_id, handle, first_seen_at, "
                             "updated_at) VALUES ('forum', 'gil', 'gil', '2026-11-10', '2026-11-10')")
    assert rows(changed, ACTIVITY_KEPT) == rows(changed, ACTIVITY_REBUILD)
    counts = {row[1]: row[2:] for row in rows(changed, ACTIVITY_KEPT) if row[0] == "forum"}
    assert counts["bo"] == (0, 1, 1) and counts["gil"] == (1, 1, 0) and counts["eli"] == (0, 0, 0)
    assert counts["ana"] == (1, 0, 0)
    changed.close()


SPAN_KEPT = ("SELECT cluster_id, first_seen_at, last_seen_at, affected_members, countries, growth "
             "FROM pervasive_clusters")
SPAN_REBUILD = ("SELECT pv.cluster_id, pc.first_seen_at, pc.last_seen_at, pc.affected_members, "
                "json_array_length(pc.countries_json), pc.growth FROM pervasive_clusters pv "
                "LEFT JOIN problem_clusters pc ON pc.id = pv.cluster_id")


def test_trigger_kept_tables_equal_a_rebuild_after_the_passes(world):
    store, _, _ = world
    assert rows(store, SPAN_KEPT) == rows(store, SPAN_REBUILD)
    assert all(row[2] is not None for row in rows(store, SPAN_KEPT + " WHERE threads > 0"))
    assert rows(store, PERVASIVE_KEPT) == rows(store, PERVASIVE_REBUILD) == [(1, 2), (2, 2)]
    assert store.scalar("SELECT count(*) FROM pervasive_clusters WHERE threads < 0") == 0
    assert rows(store, THREADS_KEPT) == rows(store, THREADS_REBUILD)
    assert [(row[0], row[2]) for row in rows(store, THREADS_KEPT)] == [(1, 1), (1, 4), (2, 2), (2, 3), (2, 5)]


def test_kept_tables_follow_a_thread_that_changes_group_and_category(world, tmp_path):
    # On a copy: move the lock thread (pervasive) into the mail group, then
    # change the category of another, as an analyst's correction would.
    store = copy_of(world[0], tmp_path)
    with store.transaction():
        store.conn.execute("UPDATE thread_clusters SET cluster_id = 1 WHERE thread_id = 2")
        store.conn.execute("UPDATE classifications SET category = 'unsolvable' WHERE thread_id = 4")
        store.conn.execute("UPDATE classifications SET category = 'pervasive_solvable' WHERE thread_id = 3")
        store.conn.execute("UPDATE problem_clusters SET last_seen_at = '2026-11-30T00:00:00+00:00', "
                           "affected_members = 9, countries_json = '[\"AR\", \"PE\"]', growth = 3 "
                           "WHERE id = 2")
    assert rows(store, PERVASIVE_KEPT) == rows(store, PERVASIVE_REBUILD) == [(1, 2), (2, 2)]
    assert rows(store, SPAN_KEPT) == rows(store, SPAN_REBUILD)
    assert rows(store, SPAN_KEPT + " WHERE cluster_id = 2") == [
        (2, rows(store, SPAN_REBUILD)[1][1], "2026-11-30T00:00:00+00:00", 9, 2, 3)]
    assert rows(store, THREADS_KEPT) == rows(store, THREADS_REBUILD)
    with store.transaction():
        store.conn.execute("DELETE FROM thread_clusters WHERE thread_id = 5")
    assert rows(store, PERVASIVE_KEPT) == rows(store, PERVASIVE_REBUILD) == [(1, 2), (2, 1)]
    assert rows(store, THREADS_KEPT) == rows(store, THREADS_REBUILD)
    store.close()


def test_a_database_at_m006_upgrades_and_its_backfilled_tables_equal_the_rebuild(world, tmp_path):
    store, _, _ = world
    path = tmp_path / "m006.db"
    old = Store(path, migrate=False)
    old.migrate(stop_before="m007_queries")
    schema = old.conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                              "AND name NOT LIKE 'sqlite%' AND name NOT LIKE '\\_%' ESCAPE '\\' "
                              "ORDER BY rowid").fetchall()
    virtual = [name for name, sql in schema if sql.startswith("CREATE VIRTUAL")]
    # Full-text indexes are filled by their own triggers as rows go in.
    tables = [name for name, _ in schema if not any(name.startswith(v) for v in virtual)]
    assert "cluster_people" not in tables and "pervasive_clusters" not in tables
    old.close()
    # The same rows, as a database that stopped at m006 would hold them.
    connection = sqlite3.connect(path)
    connection.execute("ATTACH DATABASE ? AS world", (str(store.path),))
    for table in tables:
        old_columns = [row[1] for row in connection.execute(f"PRAGMA main.table_info({table})")]
        world_columns = {row[1] for row in connection.execute(f"PRAGMA world.table_info({table})")}
        columns = ", ".join(c for c in old_columns if c in world_columns)
        connection.execute(f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM world.{table}")
    connection.commit()
    connection.execute("DETACH DATABASE world")
    connection.close()

    upgraded = Store(path)
    assert upgraded.scalar("SELECT count(*) FROM thread_clusters") == 5
    assert rows(upgraded, "SELECT * FROM cluster_people") == rows(upgraded, PEOPLE_REBUILD)
    assert rows(upgraded, "SELECT * FROM cluster_people") == rows(store, "SELECT * FROM cluster_people")
    assert rows(upgraded, PERVASIVE_KEPT) == rows(upgraded, PERVASIVE_REBUILD) == [(1, 2), (2, 2)]
    assert rows(upgraded, THREADS_KEPT) == rows(upgraded, THREADS_REBUILD)
    assert rows(upgraded, THREADS_KEPT) == rows(store, THREADS_KEPT)
    assert rows(upgraded, ACTIVITY_KEPT) == rows(upgraded, ACTIVITY_REBUILD)
    assert rows(upgraded, ACTIVITY_KEPT) == rows(store, ACTIVITY_KEPT)
    assert rows(upgraded, SPAN_KEPT) == rows(upgraded, SPAN_REBUILD) == rows(store, SPAN_KEPT)
    # The triggers work on the upgraded database too.
    with upgraded.transaction():
        upgraded.conn.execute("UPDATE classifications SET category = 'unsolvable' WHERE thread_id = 1")
    assert rows(upgraded, PERVASIVE_KEPT) == rows(upgraded, PERVASIVE_REBUILD) == [(1, 1), (2, 2)]
    upgraded.close()
