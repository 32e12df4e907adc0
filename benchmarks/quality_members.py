"""Quality and speed of the member-side judgement, each beside a simple baseline.

    python -m benchmarks.quality_members            # 10k and 100k history
    python -m benchmarks.quality_members --full     # adds the 1M history
    python -m benchmarks.quality_members --no-append

Measures, on the real dumps in ../shared/data (or BEACHHEAD_SHARED_DATA):
- voice vs reputation (Spearman, top-50 overlap) on Cardano and
  bicycles.meta, beside "number of answers" and "sum of post scores";
- same-problem grouping on Stack Exchange duplicate links and on an invented
  multilingual set, beside a keyword baseline (threads sharing an error code
  or quoted message) and word tf-idf pairs above a cosine (batch);
- geography accuracy and coverage without the Location field, beside
  "everyone is in the majority country";
- the time to place one new thread as history grows (10k, 100k, 1M invented
  threads) and its log-log slope;
- user type + grouping throughput per thread on one core.

Results are printed and appended to benchmarks/RESULTS.md with the machine.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import re
import statistics
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import psutil
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.stats import spearmanr
from sklearn.feature_extraction.text import TfidfVectorizer

from benchmarks.synthetic_problems import multilingual_set
from classifiers.clusters import GroupIndex, GroupingParams, SameProblemGrouper, ThreadRecord
from classifiers.evaluation.geography import evaluate_geography
from classifiers.evaluation.groups import score_grouping, true_labels_of
from classifiers.evaluation.members_dump import Dump, load_dump
from classifiers.evaluation.voice import evaluate_voice, posting_members
from classifiers.geography import GeoParams
from classifiers.users import MemberProfile, TypeHints, classify_member

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
SITES = ("cardano", "bicycles_meta")


def shared_data() -> Path:
    return Path(os.environ.get("BEACHHEAD_SHARED_DATA", ROOT.parent / "shared" / "data"))


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; load average {load:.1f} at start; "
        f"reference loop (10^6 integer additions) {reference_loop() * 1000:.0f} ms CPU"
    )


REFERENCE_SECONDS = 0.030


def reference_loop(repeats: int = 5) -> float:
    """CPU seconds for a fixed pure-Python loop, so that figures taken on a
    busy or slower machine can be scaled (about 30 ms on an idle 2020s core;
    on a shared virtual machine it swings several-fold within minutes)."""
    best = math.inf
    for _ in range(repeats):
        started = time.process_time()
        total = 0
        for i in range(1_000_000):
            total += i
        best = min(best, time.process_time() - started)
    return best


# --- voice -------------------------------------------------------------------


def voice_rows(dumps: dict[str, Dump]) -> list[str]:
    rows = ["| site | measure | Spearman vs reputation | top-50 overlap | members |", "|---|---|---|---|---|"]
    for site, dump in dumps.items():
        result = evaluate_voice(dump)
        rows.append(f"| {site} | **voice** (graph + merit) | {result['spearman']:.3f} | "
                    f"{result['top50_overlap']:.2f} | {result['n_members']} |")
        members = sorted(m for m in posting_members(dump) if m in dump.users)
        reputation = [dump.users[m].reputation for m in members]
        answers = Counter(p.owner for p in dump.posts.values() if not p.is_question)
        scores = Counter()
        for post in dump.posts.values():
            scores[post.owner] += post.score
        for name, values in (("baseline: number of answers", answers), ("baseline: sum of post scores", scores)):
            computed = [values.get(m, 0) for m in members]
            rho = spearmanr(computed, reputation)[0]
            top = set(sorted(members, key=lambda m: (-values.get(m, 0), m))[:50])
            truth = set(sorted(members, key=lambda m: (-dump.users[m].reputation, m))[:50])
            rows.append(f"| {site} | {name} | {rho:.3f} | {len(top & truth) / 50:.2f} | {len(members)} |")
    return rows


# --- grouping quality --------------------------------------------------------

_ANCHOR_RE = re.compile(r"0x[0-9A-Fa-f]{4,}|\b[A-Z]{1,6}[-_]?\d{2,6}\b|\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b|\"[^\"\n]{8,200}\"")


def anchor_baseline(texts: list[str]) -> list[int]:
    """Keyword baseline: threads sharing an error code or quoted message are
    one group (union-find); a thread with none stands alone."""
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_seen: dict[str, int] = {}
    for i, text in enumerate(texts):
        for anchor in set(_ANCHOR_RE.findall(text)):
            key = anchor.lower()
            if key in first_seen:
                parent[find(i)] = find(first_seen[key])
            else:
                first_seen[key] = i
    return [find(i) for i in range(len(texts))]


def tfidf_pairs_baseline(texts: list[str], threshold: float = 0.5) -> list[int]:
    """Word tf-idf fitted on all texts at once (batch), then every pair with a
    cosine of at least the threshold is joined (connected components)."""
    matrix = TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
    similar = (matrix @ matrix.T).tocoo()
    keep = similar.data >= threshold
    graph = sp.coo_matrix((np.ones(int(keep.sum())), (similar.row[keep], similar.col[keep])), shape=similar.shape)
    _, labels = connected_components(graph, directed=False)
    return labels.tolist()


def duplicate_rows(dump: Dump) -> list[dict]:
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for a, b in dump.duplicates:
        if a in dump.posts and b in dump.posts:
            parent[find(a)] = find(b)
    linked = {x for pair in dump.duplicates for x in pair if x in dump.posts}
    return [
        {"id": q.post_id, "text": f"{q.title}\n{q.text}", "group": find(q.post_id) if q.post_id in linked else None}
        for q in sorted(dump.questions(), key=lambda q: q.created_at)
    ]


def grouping_rows(dumps: dict[str, Dump]) -> list[str]:
    sets = {f"{site} duplicates (PostLinks type 3)": duplicate_rows(dump) for site, dump in dumps.items()}
    sets["invented multilingual, 7 languages, 3,000 threads"] = multilingual_set(3000, seed=7)
    rows = ["| data | method | ARI | pairwise P | pairwise R | pairwise F1 | groups (true) |",
            "|---|---|---|---|---|---|---|"]
    for name, data in sets.items():
        texts = [row["text"] for row in data]
        truth = true_labels_of(data)
        methods = {
            "**SameProblemGrouper** (incremental)": lambda t: SameProblemGrouper().fit_predict(t).tolist(),
            "baseline: shared code / quoted message": anchor_baseline,
            "baseline: word tf-idf pairs ≥ 0.5 (batch)": tfidf_pairs_baseline,
        }
        for method, run in methods.items():
            score = score_grouping(truth, run(texts))
            rows.append(
                f"| {name} | {method} | {score['ari']:.3f} | {score['pairwise_precision']:.3f} | "
                f"{score['pairwise_recall']:.3f} | {score['pairwise_f1']:.3f} | "
                f"{score['n_groups']} ({score['n_true_groups']}) |"
            )
    return rows


# --- geography -----------------------------------------------------------------


def geography_rows(dumps: dict[str, Dump]) -> list[str]:
    rows = ["| site | setting | accuracy | coverage | region accuracy | region coverage | members |",
            "|---|---|---|---|---|---|---|"]
    for site, dump in dumps.items():
        for label, params in (("**default** (min confidence 0.35)", GeoParams()),
                              ("every member guessed (min confidence 0)", GeoParams(min_confidence=0.0))):
            r = evaluate_geography(dump, params)
            rows.append(f"| {site} | {label} | {r['accuracy']:.3f} | {r['coverage']:.3f} | "
                        f"{r['region_accuracy']:.3f} | {r['region_coverage']:.3f} | {r['n_members']} |")
        rows.append(f"| {site} | baseline: everyone in {r['majority_country']} | {r['majority_accuracy']:.3f} | "
                    f"1.000 | – | – | {r['n_members']} |")
    return rows


# --- speed ----------------------------------------------------------------------


def timed(work) -> tuple[float, float]:
    """(CPU seconds ``work()`` took, how much slower than the reference the
    machine ran meanwhile — measured just before and just after)."""
    before = reference_loop(repeats=3)
    started = time.process_time()
    work()
    spent = time.process_time() - started
    after = reference_loop(repeats=3)
    return spent, (before + after) / 2 / REFERENCE_SECONDS


THREADS_PER_WEEK = 10_000
"""Invented threads arrive at the benchmark corpus's rate (``benchmarks.corpus``)."""
DATABASE_PARAMS = GroupingParams(active_days=180.0, track_members=False)
"""What ``assistant.grouping`` runs with: groups quiet for two lookback
windows (2 x 90 days) leave memory, members are counted in the database."""


def assign_cost(history: int, probes: int = 2000, repeats: int = 3) -> dict[str, float]:
    """µs to place one new thread (raw and normalised to the reference),
    µs per thread while building the history, resident memory afterwards and
    what the index added to it (per thread of history), groups in memory."""
    rows = multilingual_set(history + probes * repeats, seed=11)
    step = 7 * 86400.0 / THREADS_PER_WEEK

    def record(number: int, row: dict) -> ThreadRecord:
        return ThreadRecord(row["id"], row["text"], community="forum", author=f"m{number % 50_000}",
                            created_at=1.7e9 + number * step, language=row["language"])

    index = GroupIndex(DATABASE_PARAMS)
    before = psutil.Process().memory_info().rss / 2**20
    started = time.process_time()
    for number, row in enumerate(rows[:history]):
        index.add(record(number, row))
        if number % 5000 == 4999:
            index.pop_dirty()  # saved, as a pipeline pass does: quiet groups may now leave memory
    build = (time.process_time() - started) / max(history, 1) * 1e6
    index_mb = psutil.Process().memory_info().rss / 2**20 - before
    raw, normalised = [], []
    for r in range(repeats):
        first = history + r * probes
        batch = rows[first : first + probes]

        def place(batch=batch, first=first):
            for number, row in enumerate(batch, first):
                index.add(record(number, row))

        spent, slowdown = timed(place)
        raw.append(spent / probes * 1e6)
        normalised.append(spent / probes * 1e6 / slowdown)
    del rows
    return {
        "raw": statistics.median(raw),
        "normalised": statistics.median(normalised),
        "build": build,
        "rss": psutil.Process().memory_info().rss / 2**20,
        "index_mb": index_mb,
        "groups": len(index),
    }


def speed_rows(sizes: list[int]) -> list[str]:
    rows = ["| history (threads) | µs to place one new thread (raw CPU) | same, normalised to a 30 ms reference "
            "| µs/thread while building | process RSS | index (RSS growth while building) | groups in memory |",
            "|---|---|---|---|---|---|---|"]
    points = []
    for size in sizes:
        cost = assign_cost(size)
        points.append((size, cost["raw"], cost["normalised"]))
        rows.append(f"| {size:,} | {cost['raw']:.1f} | {cost['normalised']:.1f} | {cost['build']:.1f} | "
                    f"{cost['rss']:,.0f} MB | {cost['index_mb']:,.0f} MB "
                    f"({cost['index_mb'] * 2**20 / size:,.0f} B/thread) | {cost['groups']:,} |")
        print(f"  history {size:,}: {cost['raw']:.1f} µs/thread", file=sys.stderr, flush=True)
    if len(points) >= 2:
        xs = np.log([p[0] for p in points])
        raw_slope = float(np.polyfit(xs, np.log([p[1] for p in points]), 1)[0])
        slope = float(np.polyfit(xs, np.log([p[2] for p in points]), 1)[0])
        rows.append("")
        rows.append(f"log-log slope of time-to-place vs history size ({sizes[0]:,}→{sizes[-1]:,}): "
                    f"**{slope:.3f}** normalised, {raw_slope:.3f} raw (target ≤ 1.1; 0 means flat)")
    return rows


def throughput_rows(dumps: dict[str, Dump]) -> list[str]:
    hints = TypeHints(vendor_names=("Kestrel",), vendor_domains=("kestrel.io",),
                      competitor_names=("Falconry Cloud",), competitor_domains=("falconry.cloud",))
    sets = {
        "cardano questions (title + body, avg {:.0f} chars)": [
            (q.owner or "", f"{q.title}\n{q.text}") for q in dumps["cardano"].questions()
        ],
        "invented multilingual threads (avg {:.0f} chars)": [
            (f"m{i}", row["text"]) for i, row in enumerate(multilingual_set(5000, seed=3))
        ],
    }
    rows = ["| threads | user type only | grouping only | user type + grouping | same, normalised to a 30 ms reference |",
            "|---|---|---|---|---|"]
    for label, items in sets.items():
        label = label.format(statistics.mean(len(t) for _, t in items))
        results, normalised = [], 0.0
        for part in ("users", "groups", "both"):
            best = math.inf
            for _ in range(3):

                def judge(part=part, items=items):
                    index = GroupIndex()
                    for n, (author, text) in enumerate(items):
                        if part != "groups":
                            classify_member(MemberProfile(author, texts=(text,), questions=1), hints)
                        if part != "users":
                            index.add(ThreadRecord(str(n), text, author=author))

                spent, slowdown = timed(judge)
                if spent < best:
                    best = spent
                    if part == "both":
                        normalised = len(items) / (spent / slowdown)
            results.append(len(items) / best)
        rows.append(f"| {label} | {results[0]:,.0f}/s | {results[1]:,.0f}/s | **{results[2]:,.0f}/s** | "
                    f"{normalised:,.0f}/s |")
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="also measure a 1,000,000-thread history")
    parser.add_argument("--sizes", default="10000,100000", help="history sizes (comma-separated)")
    parser.add_argument("--no-append", action="store_true", help="print only; do not append to RESULTS.md")
    parser.add_argument("--only", choices=("grouping-cost",),
                        help="only the grouping cost as history grows (no shared data needed)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.full and 1_000_000 not in sizes:
        sizes.append(1_000_000)

    if args.only == "grouping-cost":
        title = "### Grouping cost as history grows (invented threads, one core, CPU time)"
        text = "\n".join([f"## Grouping cost only — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC", "",
                          f"Machine: {machine()}.", "Command: `python -m benchmarks.quality_members "
                          f"--only grouping-cost --sizes {args.sizes}`", "", title, "",
                          *speed_rows(sizes), ""]) + "\n"
        print(text)
        if not args.no_append:
            RESULTS.write_text(RESULTS.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + text, encoding="utf-8")
        return
    folder = shared_data() / "stackexchange"
    missing = [site for site in SITES if not (folder / site / "Posts.xml").is_file()]
    if missing:
        sys.exit(f"shared data not found for {', '.join(missing)} under {folder} (set BEACHHEAD_SHARED_DATA)")
    dumps = {site: load_dump(folder / site) for site in SITES}

    sections = [f"## Members side: voice, grouping, geography, user types — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
                "", f"Machine: {machine()}.", "Command: `python -m benchmarks.quality_members"
                + (" --full" if args.full else "") + "`", ""]
    for title, build in (
        ("### Voice vs reputation (Reputation never read)", lambda: voice_rows(dumps)),
        ("### Same-problem grouping quality", lambda: grouping_rows(dumps)),
        ("### Geography without the Location field", lambda: geography_rows(dumps)),
        ("### Grouping cost as history grows (invented threads, one core, CPU time)", lambda: speed_rows(sizes)),
        ("### Throughput per thread (one core, CPU time, best of 3)", lambda: throughput_rows(dumps)),
    ):
        print(title, file=sys.stderr, flush=True)
        sections += [title, "", *build(), ""]
    text = "\n".join(sections) + "\n"
    print(text)
    if not args.no_append:
        existing = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n\n"
        RESULTS.write_text(existing.rstrip("\n") + "\n\n" + text, encoding="utf-8")


if __name__ == "__main__":
    main()
