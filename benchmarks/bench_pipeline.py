"""End-to-end pipeline throughput on a generated corpus, stage by stage.

A watcher's life, replayed: the communities' archives are read batch by batch
(500 lines, the JSON Lines source's own batches) in the order their threads
were posted, each batch is stored with its cursor, and every ``pass_threads``
new threads the judging steps run on what arrived (``pipeline.judge_threads``:
members → links → classify → group → categorise → score → enqueue → expire),
with the clock at the newest thread of the pass. Each step is timed by
wrapping the function the pipeline calls (nothing is replaced), so the
breakdown adds up to the whole.

The models run in the judging workers (``assistant.workers``; one per core,
or ``BEACHHEAD_WORKERS``); their CPU time and peak RSS, read from /proc, are
added to this process's. Run in its own process (``benchmarks.run`` does
that) so that the peak RSS it reports belongs to this size alone:

    python -m benchmarks.bench_pipeline CORPUS_DIR DB_PATH --out result.json
"""

from __future__ import annotations

import argparse
import heapq
import json
import os
import resource
import sys
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

STAGES = ("read", "store", "members", "links", "classify", "group", "group_refresh",
          "categorise", "score", "enqueue", "expire", "other")
"""Stages in pipeline order; ``other`` is what judge_threads does between
the timed calls (finding the older threads of groups that grew)."""
JUDGE_STAGES = STAGES[2:]


class Stages:
    """Seconds spent in each wrapped function, by stage."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._restore: list[tuple[object, str, object]] = []

    def wrap(self, owner: object, name: str, stage: str) -> None:
        original = getattr(owner, name)
        seconds = self.seconds

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                seconds[stage] += time.perf_counter() - started

        self._restore.append((owner, name, original))
        setattr(owner, name, timed)

    def unwrap(self) -> None:
        for owner, name, original in reversed(self._restore):
            setattr(owner, name, original)
        self._restore.clear()

    def snapshot(self) -> dict[str, float]:
        return dict(self.seconds)


def instrument(stages: Stages) -> None:
    from assistant import grouping, links, pipeline
    from assistant import members as members_service
    from assistant import queue as queue_service

    stages.wrap(members_service, "members_of_threads", "members")
    stages.wrap(members_service, "judge_members", "members")
    stages.wrap(links, "propose", "links")
    stages.wrap(pipeline, "classify", "classify")
    stages.wrap(grouping, "assign", "group")
    stages.wrap(grouping, "refresh", "group_refresh")
    stages.wrap(pipeline, "categorise", "categorise")
    stages.wrap(pipeline, "score", "score")
    stages.wrap(pipeline, "enqueue", "enqueue")
    stages.wrap(queue_service, "expire_due", "expire")


def _batches_in_time_order(store, playbook):
    """Every community's batches, merged by the time of their first thread
    (member-only batches first): one watcher reading all communities."""
    from assistant.sources import FetchRequest, build_source
    from assistant.store import load_cursors

    streams = []
    for order, community in enumerate(playbook.communities):
        source = build_source(community, playbook)
        streams.append((order, community.id,
                        iter(source.fetch(FetchRequest(load_cursors(store, community.id))))))
    heap: list = []

    def push(order: int, community_id: str, stream) -> float:
        started = time.perf_counter()
        batch = next(stream, None)
        spent = time.perf_counter() - started
        if batch is not None:
            first = min((t.created_at.timestamp() for t in batch.threads), default=float("-inf"))
            heapq.heappush(heap, (first, order, community_id, batch, stream))
        return spent

    read = sum(push(order, community_id, stream) for order, community_id, stream in streams)
    while heap:
        _, order, community_id, batch, stream = heapq.heappop(heap)
        yield community_id, batch, read
        read = push(order, community_id, stream)


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def worker_usage(pid: int) -> tuple[float, float]:
    """(CPU seconds, peak RSS in MB) of a judging worker, from /proc: the
    workers are the fork server's children, so this process's rusage of
    its children never includes them."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rpartition(")")[2].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    peak_kb = 0
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                peak_kb = int(line.split()[1])
    return cpu, peak_kb / 1024


def run(corpus: Path, database: Path, *, pass_threads: int = 5000, progress: bool = False) -> dict:
    from assistant import models as model_store
    from assistant import pipeline, workers
    from assistant.domain import parse_timestamp
    from assistant.store import Store, store_batch, sync_communities
    from playbooks import load_playbook

    manifest = json.loads((corpus / "corpus.json").read_text())
    playbook = load_playbook(corpus / "beachhead.toml")
    store = Store(database)
    started = time.perf_counter()
    models = model_store.current(store, playbook)
    setup_seconds = time.perf_counter() - started

    stages = Stages()
    instrument(stages)
    passes = []
    pending: list[int] = []
    history = 0
    wall_started, cpu_started = time.perf_counter(), time.process_time()
    read_total = store_total = 0.0

    def judge() -> None:
        nonlocal history, pending
        before = stages.snapshot()
        now = newest + timedelta(minutes=5)
        started = time.perf_counter()
        pipeline.judge_threads(store, playbook, sorted(set(pending)), now=now, models=models, watcher=True)
        total = time.perf_counter() - started
        after = stages.snapshot()
        spent = {stage: after.get(stage, 0.0) - before.get(stage, 0.0) for stage in JUDGE_STAGES}
        spent["other"] = total - sum(spent.values())
        stages.seconds["other"] += spent["other"]
        passes.append({"history": history, "threads": len(set(pending)), "judge_seconds": total,
                       "stages": spent, "rss_mb": round(rss_mb(), 1)})
        if progress:
            print(f"pass {len(passes)}: {history + len(set(pending)):,} threads, judged in "
                  f"{total:.1f} s, RSS {passes[-1]['rss_mb']:,.0f} MB", file=sys.stderr, flush=True)
        history += len(set(pending))
        pending = []

    sync_communities(store, playbook.communities, parse_timestamp(manifest["start"]))
    newest = parse_timestamp(manifest["start"])
    try:
        for community_id, batch, read_seconds in _batches_in_time_order(store, playbook):
            read_total += read_seconds
            # A watcher stores what it just read: the batch's newest thread is "now".
            newest = max([newest, *(t.created_at for t in batch.threads)])
            started = time.perf_counter()
            counts = store_batch(store, batch, community_id, newest)
            store_total += time.perf_counter() - started
            pending.extend(counts.thread_ids)
            if len(pending) >= pass_threads:
                judge()
        if pending:
            judge()
    finally:
        stages.unwrap()
    wall = time.perf_counter() - wall_started
    cpu = time.process_time() - cpu_started
    usage = [worker_usage(pid) for pid in workers.pids()]
    workers.shutdown()
    stages.seconds["read"] = read_total
    stages.seconds["store"] = store_total
    counts = {table: store.scalar(f"SELECT count(*) FROM {table}") for table in
              ("threads", "posts", "members", "classifications", "problem_clusters",
               "thread_clusters", "queue_items", "member_links")}
    store.close()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "size": manifest["threads"],
        "threads": counts["threads"],
        "pass_threads": pass_threads,
        "passes": passes,
        "wall_seconds": round(wall, 3),
        "cpu_seconds": round(cpu + sum(seconds for seconds, _ in usage), 3),
        "main_cpu_seconds": round(cpu, 3),
        "workers": workers.count_workers(),
        "worker_peak_rss_mb": [round(peak, 1) for _, peak in usage],
        "setup_seconds": round(setup_seconds, 3),
        "stages": {stage: round(stages.seconds.get(stage, 0.0), 3) for stage in STAGES},
        "threads_per_second": round(counts["threads"] / wall, 1) if wall else None,
        # Main process plus every worker at its own peak: an upper bound.
        "peak_rss_mb": round(peak_kb / 1024 + sum(peak for _, peak in usage), 1),
        "main_peak_rss_mb": round(peak_kb / 1024, 1),
        "counts": counts,
        "db_mb": round(sum(p.stat().st_size for p in database.parent.glob(database.name + "*"))
                       / 2**20, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("database", type=Path)
    parser.add_argument("--pass-threads", type=int, default=5000)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--progress", action="store_true", help="a line per pass on stderr")
    args = parser.parse_args()
    result = run(args.corpus, args.database, pass_threads=args.pass_threads, progress=args.progress)
    text = json.dumps(result)
    if args.out:
        args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
