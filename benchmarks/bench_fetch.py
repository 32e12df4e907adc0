"""What an incremental Reddit pass costs in requests, through real praw and
the loopback Reddit (``tests/fakes/reddit_server.py``, which replays the
recorded responses in the shared data folder).

A subreddit already read once gets N new submissions (titles and bodies from
the benchmark corpus, so the capability keywords' search stream finds some of
them, and reply counts, so the pass reads the comment trees of up to
``comment_threads`` of them); one watcher pass (``pipeline.fetch`` with the
playbook's founders and keywords, as the watcher runs it) then stores them. The figure is the requests
that reached the server per 100 new items, by path; a pass with nothing new
is measured too. Reddit allows one client about 100 requests a minute.

    python -m benchmarks.bench_fetch --out fetch.json
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUBREDDIT = "LedgerlyBench"
COUNTS = (100, 1000)
RATE_LIMIT_PER_MINUTE = 100

PLAYBOOK = """\
version = 1

[startup]
name = "Tallyfin Labs"
domains = ["tallyfin.example"]
disclosure = "Disclosure: I co-founded Tallyfin Labs."

[[founders]]
name = "Nadia Ferreira"
[founders.handles]
r-ledgerly = "nadia-tallyfin"

[[founders]]
name = "Kofi Mensah"
[founders.handles]
r-ledgerly = "kofi_mensah"

[[capabilities]]
id = "sync"
description = "Ledgerly sync between devices."
keywords = ["sync", "timeout_ms"]

[[capabilities]]
id = "payments"
description = "Payment gateways and bank feeds."
keywords = ["payment gateway", "bank"]

[[communities]]
id = "r-ledgerly"
platform = "reddit"
locator = "r/{subreddit}"
"""


def cassette_dir() -> Path:
    base = os.environ.get("BEACHHEAD_SHARED_DATA")
    root = Path(base) if base else ROOT.parent / "shared" / "data"
    return root / "reddit" / "cassettes"


def _corpus_threads(count: int) -> list[dict]:
    from benchmarks.corpus import write_corpus

    with tempfile.TemporaryDirectory(prefix="beachhead-fetch-") as temp:
        write_corpus(temp, max(400, count * 3))
        threads = []
        for name in ("r-ledgerly.jsonl", "ledgerly-forum.jsonl"):
            with open(Path(temp) / name, encoding="utf-8") as handle:
                threads += [line for line in map(json.loads, handle) if line.get("type") != "member"]
    return threads[:count]


def _pass(store, playbook, fake, now) -> dict:
    from assistant import pipeline
    from tests.fakes.reddit_server import settings_for

    fake.reset_counts()
    started = time.perf_counter()
    (report,) = pipeline.fetch(store, playbook, now=now,
                               source_options={"settings": settings_for(fake)})
    seconds = time.perf_counter() - started
    if report.error:
        raise RuntimeError(report.error)
    paths = Counter("/comments/*" if request.path.startswith("/comments/") else request.path
                    for request in fake.requests)
    return {"new_threads": report.new_threads, "requests": fake.count(),
            "reported_requests": report.requests, "by_path": dict(paths.most_common()),
            "seconds": round(seconds, 2)}


def run() -> dict:
    from assistant.store import Store
    from playbooks import load_playbook
    from tests.fakes.reddit_server import RedditFake

    cassettes = cassette_dir()
    if not cassettes.exists():
        return {"skipped": f"the recorded Reddit responses are not at {cassettes} "
                           "(set BEACHHEAD_SHARED_DATA to the shared/data folder)"}
    corpus = _corpus_threads(max(COUNTS))
    results = []
    with tempfile.TemporaryDirectory(prefix="beachhead-fetch-") as temp, RedditFake(cassettes) as fake:
        path = Path(temp) / "beachhead.toml"
        path.write_text(PLAYBOOK.format(subreddit=SUBREDDIT), encoding="utf-8")
        playbook = load_playbook(path)
        store = Store(Path(temp) / "fetch.db")
        now = datetime(2026, 11, 20, tzinfo=UTC)
        fake.add_submissions(SUBREDDIT, 1)
        _pass(store, playbook, fake, now)  # the first pass: cursors set
        for count in COUNTS:
            chosen = corpus[:count]
            fake.add_submissions(
                SUBREDDIT, count, titles=[t["title"] for t in chosen],
                selftexts=[t["body"] for t in chosen], authors=[t["author"] for t in chosen],
                num_comments=[len(t["posts"]) for t in chosen],
            )
            measured = _pass(store, playbook, fake, now)
            measured["added"] = count
            measured["requests_per_100"] = round(measured["requests"] * 100 / count, 2)
            results.append(measured)
        idle = _pass(store, playbook, fake, now)
        store.close()
    return {"passes": results, "idle": idle, "rate_limit_per_minute": RATE_LIMIT_PER_MINUTE}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    text = json.dumps(run())
    if args.out:
        args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
