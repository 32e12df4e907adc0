"""Judging on every core: worker processes must store exactly what one
process stores, keep the parts' order, survive a worker that dies, and
never start for work too small to pay for them."""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant import members, pipeline, workers
from assistant.cli import cli
from assistant.demo.runner import DEMO_CLOCK, build_demo
from assistant.store import Store
from playbooks import default_playbook_path, load_playbook


@pytest.fixture(autouse=True)
def fresh_workers():
    workers.choose(None)
    yield
    workers.shutdown()
    workers.choose(None)


def _in_worker() -> bool:
    return multiprocessing.parent_process() is not None


def doubled(models, playbook, part):
    return [models + playbook + 2 * value for value in part]


def pid_of(models, playbook, part):
    return [os.getpid() for _ in part]


def exits_in_worker(models, playbook, part):
    if _in_worker():
        os._exit(3)
    return doubled(models, playbook, part)


def refuses_part_three(models, playbook, part):
    if 3 in part:
        raise ValueError(f"part {part} is malformed")
    return doubled(models, playbook, part)


PARTS = [[1, 2], [3], [4, 5, 6], [7], [8, 9], [10], [11, 12], [13], [14]]
DOUBLED = [[2 * v + 100 + 10 for v in part] for part in PARTS]


def test_parts_come_back_in_order_from_two_workers():
    workers.choose(2)
    results = list(workers.judge_parts(doubled, iter(PARTS), 100, 10, items=10_000))
    assert results == DOUBLED
    assert len(workers.pids()) == 2


def test_the_parts_are_judged_in_the_workers_not_here():
    workers.choose(2)
    seen = {pid for part in workers.judge_parts(pid_of, PARTS, 0, 0, items=10_000) for pid in part}
    assert os.getpid() not in seen
    assert seen <= set(workers.pids())


def pids_judging(items: int) -> set[int]:
    return {pid for part in workers.judge_parts(pid_of, PARTS, 0, 0, items=items) for pid in part}


def test_workers_start_only_for_work_that_pays_for_their_start():
    workers.choose(2)
    assert pids_judging(workers.START_FROM - 1) == {os.getpid()}
    assert workers.pids() == []
    started = pids_judging(workers.START_FROM)
    assert os.getpid() not in started and started <= set(workers.pids())
    # Running workers take smaller work too, down to one part each.
    assert os.getpid() not in pids_judging(workers.MIN_PARALLEL)
    assert pids_judging(workers.MIN_PARALLEL - 1) == {os.getpid()}


def test_one_worker_means_this_process():
    workers.choose(1)
    assert pids_judging(10_000) == {os.getpid()}
    assert workers.pids() == []


def test_a_dead_worker_costs_time_not_results(caplog):
    workers.choose(2)
    with caplog.at_level(logging.WARNING, logger="assistant.workers"):
        results = list(workers.judge_parts(exits_in_worker, PARTS, 100, 10, items=10_000))
    assert results == DOUBLED
    assert [r.getMessage() for r in caplog.records] == [
        "a judging worker stopped; judging the rest in this process"]
    # The next call starts a fresh pool, which works.
    assert list(workers.judge_parts(doubled, PARTS, 100, 10, items=10_000)) == DOUBLED
    assert len(workers.pids()) == 2


def test_an_error_in_a_worker_reaches_the_caller_as_itself():
    workers.choose(2)
    with pytest.raises(ValueError, match=r"part \[3\] is malformed"):
        list(workers.judge_parts(refuses_part_three, PARTS, 0, 0, items=10_000))
    # The pool is still good for the next pass.
    assert list(workers.judge_parts(doubled, PARTS, 100, 10, items=10_000)) == DOUBLED


def test_workers_stopped_midway_by_another_caller_cost_time_not_results():
    workers.choose(2)
    results = workers.judge_parts(doubled, PARTS, 100, 10, items=10_000)
    workers.shutdown()  # as the end of a watcher pass does, from its thread
    assert list(results) == DOUBLED


def test_new_models_start_workers_that_hold_them():
    workers.choose(2)
    assert list(workers.judge_parts(doubled, PARTS[:1], 100, 10, items=10_000)) == [[112, 114]]
    first = workers.pids()
    assert list(workers.judge_parts(doubled, PARTS[:1], 200, 10, items=10_000)) == [[212, 214]]
    assert set(workers.pids()).isdisjoint(first)


def test_the_worker_count_comes_from_the_option_then_the_environment_then_the_cores(monkeypatch):
    monkeypatch.delenv(workers.WORKERS_ENV, raising=False)
    assert workers.count_workers() == workers.cores()
    monkeypatch.setenv(workers.WORKERS_ENV, "3")
    assert workers.count_workers() == 3
    workers.choose(1)
    assert workers.count_workers() == 1
    monkeypatch.setenv(workers.WORKERS_ENV, "many")
    workers.choose(None)
    with pytest.raises(workers.WorkersError, match="workers must be a whole number, not 'many'"):
        workers.count_workers()
    with pytest.raises(workers.WorkersError, match="workers must be at least 1, not 0"):
        workers.choose(0)


def test_the_command_line_refuses_a_worker_count_below_one(tmp_path):
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.db"), "--workers", "0", "queue"])
    assert result.exit_code == 2
    assert "Invalid value for '--workers': 0 is not in the range x>=1." in result.output
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.db"), "queue"],
                                env={workers.WORKERS_ENV: "two"})
    assert result.exit_code == 2
    assert "Invalid value for '--workers': 'two' is not a valid integer range." in result.output


# ------------------------------------------------------- the whole judgement


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("workers") / "demo.db"
    build_demo(path).store.close()
    return path


def _copy(source: Path, target: Path) -> Path:
    with sqlite3.connect(source) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(source, target)
    shutil.copytree(source.parent / f"{source.stem}.models", target.parent / f"{target.stem}.models")
    return target


def _judged(path: Path) -> tuple[list, list]:
    store = Store(path)
    try:
        classifications = [tuple(row) for row in store.conn.execute(
            "SELECT * FROM classifications ORDER BY thread_id")]
        judged_members = [tuple(row) for row in store.conn.execute(
            "SELECT id, user_type, user_value, country, country_confidence, language, "
            "judgement_json, judged_at, judged_items, judged_with FROM members ORDER BY id")]
    finally:
        store.close()
    return classifications, judged_members


def _judge_everything(path: Path, count: int) -> None:
    workers.choose(count)
    store = Store(path)
    try:
        pipeline.judge_threads(store, load_playbook(default_playbook_path()), now=DEMO_CLOCK)
    finally:
        store.close()


def test_two_workers_store_what_one_process_stores(demo_database, tmp_path, monkeypatch):
    # Small parts and no minimum, so the demo's few hundred threads and
    # members are spread over both workers in many parts.
    monkeypatch.setattr(workers, "MIN_PARALLEL", 1)
    monkeypatch.setattr(workers, "START_FROM", 1)
    monkeypatch.setattr(pipeline, "JUDGE_PART", 17)
    monkeypatch.setattr(members, "JUDGE_PART", 13)
    alone = _copy(demo_database, tmp_path / "alone.db")
    spread = _copy(demo_database, tmp_path / "spread.db")
    with sqlite3.connect(alone) as conn:
        conn.execute("DELETE FROM classifications")
        conn.execute("UPDATE members SET user_type = NULL, judgement_json = NULL, judged_at = NULL")
    with sqlite3.connect(spread) as conn:
        conn.execute("DELETE FROM classifications")
        conn.execute("UPDATE members SET user_type = NULL, judgement_json = NULL, judged_at = NULL")

    _judge_everything(alone, 1)
    assert workers.pids() == []
    _judge_everything(spread, 2)
    assert len(workers.pids()) == 2

    classifications, judged_members = _judged(spread)
    assert (classifications, judged_members) == _judged(alone)
    assert len(classifications) == 328
    # Everyone who wrote in a thread; the demo's two members who only
    # have a profile are nobody's asker or helper.
    assert sum(row[1] is not None for row in judged_members) == 141


def test_a_watcher_pass_stops_its_workers_when_it_ends(tmp_path, monkeypatch):
    from datetime import UTC, datetime

    from tests.builders import thread_line, write_lines, write_playbook

    monkeypatch.setattr(workers, "MIN_PARALLEL", 1)
    monkeypatch.setattr(workers, "START_FROM", 1)
    workers.choose(2)
    write_playbook(tmp_path)
    write_lines(tmp_path / "forum.jsonl", [
        thread_line(str(n), f"Export number {n} drops the last column", f"user{n}",
                    f"2026-11-18T09:{n:02d}:00Z", "Every export loses its last column. Any idea?")
        for n in range(12)])
    write_lines(tmp_path / "foro.jsonl", [])
    seen_during: list[list[int]] = []

    def progress(step, done, total):
        if step == "classify":
            seen_during.append(workers.pids())

    store = Store(tmp_path / "w.db")
    try:
        report = pipeline.run(store, load_playbook(tmp_path / "beachhead.toml"),
                              now=datetime(2026, 11, 18, 12, tzinfo=UTC), progress=progress)
    finally:
        store.close()
    assert report.judged.classified == 12
    # One part of twelve threads: the pool started one worker for it.
    assert [len(pids) for pids in seen_during] == [1]
    assert workers.pids() == []
