"""Community scouting: where should the founders show up next?

Lesson 1 of the Dewak case: go where international users solve problems. A
candidate community is read through the same sources and judged by the same
pipeline as a watched one, but into a throw-away database (in memory unless
``store_path`` is given), so the user's own database never fills with
communities nobody chose. Its fit is a documented 0–100 score:

    fit = 100 × ( 0.20 · problems      share of sampled threads that are problems
                + 0.25 · solvable      share that are problems the startup can solve
                + 0.20 · unanswered    share of problems nobody but the asker replied to
                + 0.20 · international ½·min(1, countries/6) + ¼·min(1, languages/3)
                                       + ¼·share of members outside the home country
                + 0.05 · experts       min(1, experts per active member / 0.10)
                + 0.10 · volume        1 − ½^(threads per day / 5) )

An expert here is a member who, within the sample, answered three problem
threads or more, had two answers acknowledged, or is flagged staff: people the founders
can learn from and whose hierarchy they can join.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant import clock, pipeline
from assistant.domain import parse_timestamp
from assistant.sources import FetchRequest, SourceError, build_source
from assistant.store import Store, sync_communities
from playbooks import CommunityConfig, Playbook
from playbooks.model import PLATFORMS

DEFAULT_SAMPLE = 200
WEIGHTS = {
    "problems": 0.20,
    "solvable": 0.25,
    "unanswered": 0.20,
    "international": 0.20,
    "experts": 0.05,
    "volume": 0.10,
}
EXPERT_ANSWERS = 3
EXPERT_SOLUTIONS = 2
LANGUAGE_MIN_SHARE = 0.05


class ScoutError(Exception):
    """A candidate written in a form scouting cannot read."""


@dataclass
class Fit:
    spec: str
    platform: str
    locator: str
    fit: float = 0.0
    sampled: int = 0
    per_day: float = 0.0
    problem_share: float = 0.0
    solvable_share: float = 0.0
    unanswered_share: float = 0.0
    countries: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    abroad_share: float | None = None
    active_members: int = 0
    experts: list[str] = field(default_factory=list)
    capabilities: dict[str, int] = field(default_factory=dict)
    terms: dict[str, float] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def parse_spec(spec: str, index: int = 1, *, base_dir: Path | None = None) -> CommunityConfig:
    """``platform:locator`` (``reddit:r/sysadmin``, ``discourse:https://…``,
    ``stackexchange:superuser``, ``jsonl:path/to/file.jsonl``) as a transient
    community that exists only for this scouting run."""
    platform, sep, locator = spec.partition(":")
    platform = platform.strip().lower()
    if not sep or not locator.strip():
        raise ScoutError(f"candidate {spec!r} is not PLATFORM:LOCATOR (e.g. reddit:r/sysadmin)")
    if platform not in PLATFORMS:
        raise ScoutError(f"candidate {spec!r}: platform {platform!r} is not one of {', '.join(PLATFORMS)}")
    return CommunityConfig(id=f"scout-{index}", platform=platform, locator=locator.strip(), name=spec,
                           base_dir=base_dir or Path.cwd())


def _sample(store: Store, community_id: str, size: int) -> list[int]:
    return [row[0] for row in store.conn.execute(
        "SELECT id FROM threads WHERE community_id = ? ORDER BY created_at DESC, id DESC LIMIT ?",
        (community_id, size))]


def measure(store: Store, playbook: Playbook, community_id: str, ids: list[int], fit: Fit) -> Fit:
    """Fill ``fit`` from the judged sample ``ids`` in ``store``."""
    marks = ",".join("?" * len(ids))
    rows = store.query(
        "SELECT t.id, t.author, t.created_at, t.author_is_staff, c.is_problem, c.capability_id, "
        "c.capability_score, c.language, c.signals_json FROM threads t "
        f"JOIN classifications c ON c.thread_id = t.id WHERE t.id IN ({marks})", ids,
    )
    fit.sampled = n = len(rows)
    if not n:
        fit.reasons.append("no threads to read")
        return fit
    times = [parse_timestamp(r["created_at"]) for r in rows]
    span_days = max(1.0, (max(times) - min(times)).total_seconds() / 86400)
    fit.per_day = round(n / span_days, 2)
    threshold = playbook.categories.capability_threshold
    problems = [r for r in rows if r["is_problem"]]
    solvable = [r for r in problems if r["capability_score"] >= threshold]
    unanswered = 0
    for row in problems:
        signals = json.loads(row["signals_json"])
        if not signals.get("answered_by") and not signals.get("solved"):
            unanswered += 1
    fit.problem_share = round(len(problems) / n, 4)
    fit.solvable_share = round(len(solvable) / n, 4)
    fit.unanswered_share = round(unanswered / len(problems), 4) if problems else 0.0
    fit.capabilities = dict(Counter(r["capability_id"] for r in solvable).most_common())

    languages = Counter(r["language"] for r in rows if r["language"])
    fit.languages = sorted(lang for lang, count in languages.items()
                           if count >= max(1, LANGUAGE_MIN_SHARE * n))
    authors = store.query(
        f"SELECT DISTINCT m.native_id, m.country, m.is_staff FROM members m WHERE m.community_id = ? "
        f"AND m.native_id IN (SELECT author FROM threads WHERE id IN ({marks}) "
        f"UNION SELECT author FROM posts WHERE thread_id IN ({marks}))",
        (community_id, *ids, *ids),
    )
    fit.active_members = len(authors)
    countries = [a["country"] for a in authors if a["country"]]
    fit.countries = sorted(set(countries))
    home = playbook.startup.home_country
    if countries and home:
        fit.abroad_share = round(sum(1 for c in countries if c != home) / len(countries), 4)

    problem_ids = [r["id"] for r in problems]
    answers = Counter(
        row[0] for row in store.conn.execute(
            f"SELECT DISTINCT p.author, p.thread_id FROM posts p JOIN threads t ON t.id = p.thread_id "
            f"WHERE p.thread_id IN ({','.join('?' * len(problem_ids))}) AND p.author IS NOT NULL "
            f"AND (t.author IS NULL OR p.author != t.author)", problem_ids)
    )
    solved = Counter(
        json.loads(r["signals_json"]).get("solved_by") for r in rows
        if json.loads(r["signals_json"]).get("solved_by")
    )
    staff = {a["native_id"] for a in authors if a["is_staff"]}
    fit.experts = sorted(
        {m for m, count in answers.items() if count >= EXPERT_ANSWERS}
        | {m for m, count in solved.items() if count >= EXPERT_SOLUTIONS}
        | staff
    )
    density = len(fit.experts) / fit.active_members if fit.active_members else 0.0

    international = (
        0.5 * min(1.0, len(fit.countries) / 6)
        + 0.25 * min(1.0, len(fit.languages) / 3)
        + 0.25 * (fit.abroad_share or 0.0)
    )
    fit.terms = {
        "problems": fit.problem_share,
        "solvable": fit.solvable_share,
        "unanswered": fit.unanswered_share,
        "international": round(international, 4),
        "experts": round(min(1.0, density / 0.10), 4),
        "volume": round(1 - 0.5 ** (fit.per_day / 5), 4),
    }
    fit.fit = round(100 * sum(WEIGHTS[k] * v for k, v in fit.terms.items()), 1)
    capability_text = ", ".join(f"{k} {v}" for k, v in list(fit.capabilities.items())[:3])
    fit.reasons = [
        f"{fit.problem_share:.0%} of {n} threads are problems",
        f"{fit.solvable_share:.0%} are problems we can solve"
        + (f" ({capability_text})" if capability_text else ""),
        f"{fit.unanswered_share:.0%} of problems unanswered",
        f"members in {len(fit.countries)} countries, {len(fit.languages)} language(s)"
        + (f", {fit.abroad_share:.0%} outside {home}" if fit.abroad_share is not None else ""),
        f"{len(fit.experts)} experts among {fit.active_members} active members",
        f"≈{fit.per_day:g} threads/day",
    ]
    return fit


def scout_one(playbook: Playbook, config: CommunityConfig, *, sample: int, now: datetime,
              store: Store, source_options: dict[str, Any] | None = None) -> Fit:
    fit = Fit(config.name, config.platform, config.locator)
    try:
        source = build_source(config, playbook, **(source_options or {}))
    except SourceError as error:
        fit.error = str(error)
        return fit
    sync_communities(store, [config], now)
    report = pipeline.pull(store, config.id, source, FetchRequest({}, limit=sample), now)
    ids = _sample(store, config.id, sample)
    if report.error and not ids:
        fit.error = report.error
        return fit
    pipeline.judge_threads(store, playbook, ids, now=now)
    measure(store, playbook, config.id, ids, fit)
    if report.error:
        fit.reasons.append(f"read stopped early: {report.error}")
    return fit


def scout(
    playbook: Playbook,
    specs: list[str],
    *,
    sample: int = DEFAULT_SAMPLE,
    now: datetime | None = None,
    store_path: Path | None = None,
    source_options: dict[str, Any] | None = None,
) -> list[Fit]:
    """Read up to ``sample`` recent threads of each candidate, judge them with
    the playbook's capabilities, and rank the candidates by fit (best first;
    candidates that could not be read come last, with the error)."""
    if sample < 1:
        raise ScoutError(f"sample {sample!r} must be at least 1")
    configs = [parse_spec(spec, index) for index, spec in enumerate(specs, start=1)]
    now = now or clock.now()
    store = Store(store_path) if store_path else Store.memory()
    try:
        fits = [scout_one(playbook, config, sample=sample, now=now, store=store,
                          source_options=source_options) for config in configs]
    finally:
        store.close()
    return sorted(fits, key=lambda f: (f.error is not None, -f.fit, f.spec))
