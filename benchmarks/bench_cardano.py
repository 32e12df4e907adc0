"""Real data: the Cardano Stack Exchange dump imported and judged, as
``beachhead import stackexchange DIR --community cardano`` does it (the dump
source drained into the store, then every step of ``judge_threads`` on what
it stored), measured in threads per second.

The dump is read at run time from the shared data folder (never copied);
without it the benchmark reports why it skipped.

    python -m benchmarks.bench_cardano --out cardano.json
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2022, 1, 1, tzinfo=UTC)
"""Just after the dump's last post (December 2021)."""

PLAYBOOK = """\
version = 1

[startup]
name = "Tallyfin Labs"
domains = ["tallyfin.example"]
disclosure = "Disclosure: I co-founded Tallyfin Labs."

[[founders]]
name = "Nadia Ferreira"
[founders.handles]
cardano = "nadia-tallyfin"

[[capabilities]]
id = "stake-pools"
description = "Running a stake pool: node configuration, relays, keys, rewards and pool registration."
keywords = ["stake pool", "relay", "cardano-node", "kes", "pledge"]

[[capabilities]]
id = "wallets"
description = "Wallets, addresses, transactions stuck or missing, and restoring from a seed phrase."
keywords = ["wallet", "daedalus", "yoroi", "address", "seed phrase"]

[[communities]]
id = "cardano"
platform = "stackexchange"
locator = "cardano"
"""


def dump_dir() -> Path:
    base = os.environ.get("BEACHHEAD_SHARED_DATA")
    root = Path(base) if base else ROOT.parent / "shared" / "data"
    return root / "stackexchange" / "cardano"


def run() -> dict:
    from assistant import models as model_store
    from assistant import pipeline
    from assistant.sources import FetchRequest
    from assistant.sources.stackexchange_dump import StackExchangeDumpSource
    from assistant.store import Store, sync_communities
    from playbooks import load_playbook

    dump = dump_dir()
    if not (dump / "Posts.xml").exists():
        return {"skipped": f"the Cardano dump is not at {dump} "
                           "(set BEACHHEAD_SHARED_DATA to the shared/data folder)"}
    with tempfile.TemporaryDirectory(prefix="beachhead-cardano-") as temp:
        path = Path(temp) / "beachhead.toml"
        path.write_text(PLAYBOOK, encoding="utf-8")
        playbook = load_playbook(path)
        store = Store(Path(temp) / "cardano.db")
        sync_communities(store, playbook.communities, NOW)
        started = time.perf_counter()
        models = model_store.current(store, playbook)
        setup = time.perf_counter() - started
        source = StackExchangeDumpSource("cardano", dump, site_url="https://cardano.stackexchange.com",
                                         parallel=None)
        started = time.perf_counter()
        fetched = pipeline.pull(store, "cardano", source, FetchRequest({}), NOW)
        imported = time.perf_counter() - started
        if fetched.error:
            raise RuntimeError(fetched.error)
        started = time.perf_counter()
        judged = pipeline.judge_threads(store, playbook, fetched.thread_ids, now=NOW, models=models)
        judging = time.perf_counter() - started
        threads = len(fetched.thread_ids)
        result = {
            "threads": threads,
            "posts": fetched.new_posts,
            "members": fetched.new_members,
            "import_seconds": round(imported, 2),
            "judge_seconds": round(judging, 2),
            "model_setup_seconds": round(setup, 2),
            "import_threads_per_second": round(threads / imported, 1),
            "judge_threads_per_second": round(threads / judging, 1),
            "threads_per_second": round(threads / (imported + judging), 1),
            "queued": len(judged.queued),
            "groups": store.scalar("SELECT count(*) FROM problem_clusters"),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
        store.close()
    return result


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
