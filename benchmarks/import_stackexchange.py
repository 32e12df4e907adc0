"""How fast, and in how much memory, a Stack Exchange dump is imported.

The Cardano dump (2,630 posts) is replicated into a temporary directory with
every id shifted per copy (posts, comments, users, votes, links), so ×40 is a
~105k-post dump with the same shape and no collisions. Each size is imported
in its own subprocess into a fresh database, so the peak RSS read there
(``resource.getrusage``) belongs to that import alone.

"posts/s" counts rows of Posts.xml (questions, answers and the few other post
types) per second of the whole import (users, index, posts, comments, all
stored); "rows/s" counts every row of Users, Posts and Comments.

Run:  python benchmarks/import_stackexchange.py [--copies 1 40] [--record]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FILES = ("Users.xml", "Posts.xml", "Comments.xml", "Votes.xml", "PostLinks.xml")
POST_KEYS = ("ParentId", "AcceptedAnswerId", "PostId", "RelatedPostId")
USER_KEYS = ("OwnerUserId", "LastEditorUserId", "UserId", "AccountId")
TARGET_POSTS_PER_SECOND = 5000
TARGET_PEAK_MB = 300


def shared_dump() -> Path:
    base = os.environ.get("BEACHHEAD_SHARED_DATA")
    root = Path(base) if base else ROOT.parent / "shared" / "data"
    return root / "stackexchange" / "cardano"


def _shifter(name: str, copy: int, spans: dict[str, int]):
    """A substitution that moves one row's ids into copy ``copy``'s range."""
    own = {"Posts.xml": "post", "Comments.xml": "comment", "Users.xml": "user",
           "Votes.xml": "vote", "PostLinks.xml": "link"}[name]

    def shift(match: re.Match[bytes]) -> bytes:
        key, value = match.group(1).decode(), int(match.group(2))
        if key == "Id":
            space = own
        elif key in POST_KEYS:
            space = "post"
        else:
            space = "user"
        return b'%s="%d"' % (match.group(1), value + copy * spans[space])

    return shift


ID_ATTRIBUTE = re.compile(
    rb'(?<=\s)(Id|' + b"|".join(k.encode() for k in POST_KEYS + USER_KEYS) + rb')="(-?\d+)"'
)


def replicate(source: Path, target: Path, copies: int) -> dict[str, int]:
    """Write ``copies`` id-shifted copies of the dump; returns row counts."""
    target.mkdir(parents=True, exist_ok=True)
    spans = {}
    rows_by_file = {}
    for name, space in (("Posts.xml", "post"), ("Comments.xml", "comment"), ("Users.xml", "user"),
                        ("Votes.xml", "vote"), ("PostLinks.xml", "link")):
        lines = (source / name).read_bytes().splitlines(keepends=True)
        rows = [line for line in lines if line.lstrip().startswith(b"<row ")]
        rows_by_file[name] = (lines, rows)
        spans[space] = max(int(re.search(rb'\sId="(-?\d+)"', r).group(1)) for r in rows) + 10
    counts = {}
    for name, (lines, rows) in rows_by_file.items():
        head = [line for line in lines[:3] if not line.lstrip().startswith(b"<row ")]
        tail = lines[-1] if not lines[-1].lstrip().startswith(b"<row ") else b""
        with open(target / name, "wb") as out:
            out.writelines(head)
            for copy in range(copies):
                shift = _shifter(name, copy, spans)
                out.writelines(ID_ATTRIBUTE.sub(shift, row) if copy else row for row in rows)
            out.write(tail)
        counts[name] = len(rows) * copies
    return counts


class ReaderMemory:
    """The largest RSS of this process's children while the import runs,
    sampled every 50 ms. ``RUSAGE_CHILDREN`` cannot tell it: a spawned
    reader is forked from this process before it execs, and the kernel keeps
    that moment's size as the child's peak."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.wait(0.05):
            for child in me.children():
                try:
                    if len(child.cmdline()) > 1:  # exec'd already: its own memory
                        self.peak = max(self.peak, child.memory_info().rss)
                except psutil.Error:
                    continue

    def __enter__(self) -> ReaderMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run_import(directory: Path, database: Path, parallel: bool | None) -> dict:
    """One import, measured from inside the process that does it."""
    from assistant import pipeline
    from assistant.sources import FetchRequest
    from assistant.sources.stackexchange_dump import StackExchangeDumpSource
    from assistant.store import Store

    store = Store(database)
    source = StackExchangeDumpSource("bench", directory, parallel=parallel,
                                     site_url="https://cardano.stackexchange.com")
    baseline = psutil.Process().memory_info().rss
    started, cpu = time.perf_counter(), time.process_time()
    with ReaderMemory() as reader:
        report = pipeline.pull(store, "bench", source, FetchRequest({}),
                               datetime(2026, 1, 1, tzinfo=UTC))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    store.close()
    two = source._use_worker()
    if report.error:
        raise SystemExit(report.error)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "threads": report.new_threads,
        "posts": report.new_posts,
        "members": report.new_members,
        "counts": dict(source.counts),
        "baseline_rss_mb": round(baseline / 2**20, 1),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "reader_peak_rss_mb": round(reader.peak / 2**20, 1) if two else 0.0,
        "reader_cpu_seconds": round(children.ru_utime + children.ru_stime, 2) if two else 0.0,
        "mode": "two processes" if two else "one process",
    }


def measure(copies: int, serial: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix="beachhead-bench-") as temp:
        base = Path(temp)
        dump = base / f"dump-x{copies}"
        rows = replicate(shared_dump(), dump, copies)
        database = base / f"import-x{copies}.db"
        command = [sys.executable, __file__, "--run", str(dump), "--db", str(database)]
        if serial:
            command.append("--serial")
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        result = json.loads(output.strip().splitlines()[-1])
        result["copies"] = copies
        result["posts_xml_rows"] = rows["Posts.xml"]
        result["rows"] = rows["Posts.xml"] + rows["Comments.xml"] + rows["Users.xml"]
        result["posts_per_second"] = round(rows["Posts.xml"] / result["seconds"])
        result["rows_per_second"] = round(result["rows"] / result["seconds"])
        result["db_mb"] = round(database.stat().st_size / 1e6, 1)
        return result


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"SQLite {__import__('sqlite3').sqlite_version}, {platform.system()} {platform.release()}")


def table(results: list[dict]) -> str:
    lines = ["| size | mode | posts | all rows | seconds (CPU store + reader) | posts/s | rows/s "
             "| peak RSS store (before import) + reader | database |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        reader = f" + {r['reader_peak_rss_mb']} MB" if r["reader_peak_rss_mb"] else ""
        cpu = f"{r['cpu_seconds']}" + (f" + {r['reader_cpu_seconds']}"
                                       if r["reader_cpu_seconds"] else "")
        lines.append(
            f"| ×{r['copies']} | {r['mode']} | {r['posts_xml_rows']:,} | {r['rows']:,} | "
            f"{r['seconds']} ({cpu}) | {r['posts_per_second']:,} | "
            f"{r['rows_per_second']:,} | {r['peak_rss_mb']} MB ({r['baseline_rss_mb']} MB){reader} "
            f"| {r['db_mb']} MB |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 40])
    parser.add_argument("--record", action="store_true",
                        help="append the results to benchmarks/RESULTS.md")
    parser.add_argument("--label", default="", help="a note for the recorded section")
    parser.add_argument("--serial", action="store_true",
                        help="read and store in one process (by default a big dump is read in a "
                        "second process, as `beachhead import stackexchange` does)")
    parser.add_argument("--run", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(run_import(args.run, args.db, parallel=False if args.serial else None)))
        return
    if not shared_dump().exists():
        raise SystemExit(f"the Cardano dump is not at {shared_dump()} (set BEACHHEAD_SHARED_DATA)")
    results = [measure(copies, serial=args.serial) for copies in args.copies]
    text = table(results)
    print(text)
    ok = all(r["posts_per_second"] >= TARGET_POSTS_PER_SECOND
             and r["peak_rss_mb"] + r["reader_peak_rss_mb"] < TARGET_PEAK_MB for r in results)
    print(f"targets (≥ {TARGET_POSTS_PER_SECOND:,} posts/s, peak RSS < {TARGET_PEAK_MB} MB): "
          f"{'met' if ok else 'MISSED'}")
    if args.record:
        with open(ROOT / "benchmarks" / "RESULTS.md", "a", encoding="utf-8") as out:
            out.write(f"\n## Stack Exchange dump import {args.label}\n\n"
                      f"{datetime.now(UTC):%Y-%m-%d}, {machine()}, load average "
                      f"{os.getloadavg()[0]:.1f} at the end.\n"
                      f"`python benchmarks/import_stackexchange.py --copies "
                      f"{' '.join(map(str, args.copies))}{' --serial' if args.serial else ''}`"
                      f"\n\n{text}\n")


if __name__ == "__main__":
    main()
