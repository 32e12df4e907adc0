"""`beachhead demo`: the whole idea, offline, on a corpus written for it.

The demo database pins its clock to the corpus's "today", so its queue, its
answer-by times and its report read the same whenever you open it.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from assistant import clock, models, pipeline
from assistant.domain import iso
from assistant.store import Store
from playbooks import Playbook, default_playbook_path, load_playbook

DEMO_CLOCK = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
DEMO_MARK = "demo.database"


class DemoError(Exception):
    pass


@dataclass
class DemoResult:
    store: Store
    playbook: Playbook
    run: pipeline.RunReport
    summary: dict


def refuse_foreign_database(path: Path) -> None:
    """The demo replaces a database only if an earlier demo made it: it never
    overwrites real data."""
    if not path.exists():
        return
    try:
        existing = Store(path, migrate=False)
        is_demo = bool(existing.db["settings"].exists() and existing.get_setting(DEMO_MARK))
        existing.close()
    except Exception:
        is_demo = False
    if not is_demo:
        raise DemoError(f"{path} exists and is not a demo database; choose another --db")


def prepare_database(path: Path) -> Store:
    """A fresh demo database at ``path``, its clock pinned to the corpus's today."""
    refuse_foreign_database(path)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(path.parent / f"{path.stem}.models", ignore_errors=True)
    store = Store(path)
    store.set_setting(DEMO_MARK, True)
    clock.pin(store, DEMO_CLOCK)
    return store


TRIAGED_BEFORE = datetime(2026, 10, 26, tzinfo=UTC)
"""The demo's analysts ran the weekly triage up to week 43: half of the
threads before this moment carry their labels; the last four weeks are new."""


def build_demo(path: Path, *, progress: pipeline.Progress = pipeline._quiet) -> DemoResult:
    store = prepare_database(path)
    playbook = load_playbook(default_playbook_path())
    fetched = pipeline.fetch(store, playbook, now=DEMO_CLOCK, progress=progress)
    labelled = add_past_triage(store)
    models.retrain(store, playbook)
    judged = pipeline.judge_threads(store, playbook, now=DEMO_CLOCK, progress=progress)
    report = pipeline.RunReport(fetched, judged)
    captured = capture_value(store, playbook)
    return DemoResult(store, playbook, report, summarise(store) | captured | {"labels": labelled})


def add_past_triage(store: Store) -> int:
    """Labels the demo's analysts gave in earlier weekly triages: category
    and kind of every other thread older than ``TRIAGED_BEFORE``, taken from
    what the corpus's author wrote each thread to be (``corpus/truth.json``)."""
    from importlib import resources

    path = Path(str(resources.files("assistant.demo").joinpath("corpus", "truth.json")))
    if not path.exists():
        return 0
    truth = json.loads(path.read_text(encoding="utf-8"))["threads"]
    rows = store.query(
        "SELECT id, community_id, native_id FROM threads WHERE created_at < ? ORDER BY id",
        (iso(TRIAGED_BEFORE),),
    )
    labels = []
    for row in rows[::2]:
        written = truth.get(row["community_id"], {}).get(row["native_id"])
        if written:
            for kind in ("category", "kind"):
                labels.append((row["id"], kind, written[kind], "triage", "demo analyst",
                               iso(TRIAGED_BEFORE)))
    with store.transaction():
        store.conn.executemany(
            "INSERT INTO labels (thread_id, kind, value, source, author, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            labels,
        )
    return len(labels)


def capture_value(store: Store, playbook: Playbook) -> dict:
    """The demo's leads (``corpus/extras.json``, skipped when absent) and a
    credibility snapshot for every week of its history, so the trend, the
    leads and the reach abroad show from the first run."""
    from importlib import resources

    from assistant import credibility, etiquette, scout, similar, value
    from assistant import queue as queue_service

    corpus = resources.files("assistant.demo").joinpath("corpus")
    path = Path(str(corpus.joinpath("extras.json")))
    loaded = value.load_leads_file(store, playbook, path, now=DEMO_CLOCK) if path.exists() else None
    credibility.take_snapshots(store, playbook, now=DEMO_CLOCK)
    standings = credibility.standings(store, playbook, now=DEMO_CLOCK)
    seen = None
    for item in queue_service.list_items(store, limit=10, now=DEMO_CLOCK):
        line = similar.seen_before(store, item.thread_id, playbook=playbook)
        if line:
            seen = {"item": item.id, "line": line}
            break
    candidates = [Path(str(corpus.joinpath(name)))
                  for name in ("scout-helpdesk-pros.jsonl", "scout-local-chat.jsonl")]
    fits = scout.scout(playbook, [f"jsonl:{c}" for c in candidates if c.exists()], now=DEMO_CLOCK)
    return {
        "etiquette": [asdict(f) for f in etiquette.audit_posts(store, playbook)],
        "seen_before": seen,
        "faq": [c.as_dict() for c in similar.faq_candidates(store, playbook)],
        "scout": [{"candidate": Path(f.locator).stem, "fit": f.fit, "error": f.error} for f in fits],
        "leads_added": loaded.added if loaded else 0,
        "lead_problems": loaded.problems if loaded else [],
        "credibility": [
            {"founder": s.founder, "community": s.community_id, "score": s.score,
             "sparkline": s.sparkline, "change": s.change, "rank": s.rank, "ranked": s.ranked}
            for s in standings
        ],
        "reach": value.international_reach(store, playbook).as_dict(),
    }


def summarise(store: Store) -> dict:
    """The one-screen numbers of a database."""
    scalar = store.scalar
    categories = {
        row["category"]: row["n"]
        for row in store.query(
            "SELECT category, count(*) AS n FROM classifications GROUP BY category ORDER BY n DESC"
        )
    }
    states = {
        row["state"]: row["n"]
        for row in store.query("SELECT state, count(*) AS n FROM queue_items GROUP BY state")
    }
    top_groups = store.query(
        "SELECT id, label, affected_members, countries_json, communities_json, thread_count "
        "FROM problem_clusters WHERE thread_count > 1 "
        "ORDER BY affected_members DESC, thread_count DESC, id LIMIT 5"
    )
    return {
        "communities": scalar("SELECT count(DISTINCT community_id) FROM threads"),
        "threads": scalar("SELECT count(*) FROM threads"),
        "posts": scalar("SELECT count(*) FROM posts"),
        "members": scalar("SELECT count(*) FROM members"),
        "languages": [
            row[0]
            for row in store.conn.execute(
                "SELECT language FROM classifications WHERE language IS NOT NULL "
                "GROUP BY language HAVING count(*) >= 3 ORDER BY count(*) DESC"
            )
        ],
        "countries": scalar("SELECT count(DISTINCT country) FROM members WHERE country IS NOT NULL"),
        "categories": categories,
        "queue": states,
        "groups": [
            {
                "id": g["id"],
                "label": g["label"],
                "members": g["affected_members"],
                "countries": json.loads(g["countries_json"]),
                "communities": json.loads(g["communities_json"]),
                "threads": g["thread_count"],
            }
            for g in top_groups
        ],
    }
