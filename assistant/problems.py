"""The pervasive problem groups: the same problem, met by many members in
several countries, that the startup can solve — the candidates for a product.

The weekly report counts them for its week; founders also ask "what is
pervasive right now?" from the terminal (``beachhead problems``) and from
Discord (``/problems``). Both get the report's own numbers, counted for the
current ISO week up to now, so the three never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from assistant import clock
from assistant.report.data import pervasive_problems
from assistant.report.weeks import week_of
from assistant.store import Store
from playbooks import Playbook

DEFAULT_TOP = 5


@dataclass(frozen=True, slots=True)
class Example:
    thread_id: int
    community_id: str
    title: str
    url: str | None


@dataclass(frozen=True, slots=True)
class ProblemGroup:
    id: int
    label: str
    capability: str | None
    threads: int
    threads_week: int
    affected_members: int
    countries: tuple[str, ...]
    communities: tuple[str, ...]
    languages: tuple[str, ...]
    new_members_week: int
    new_members_previous: int
    growth: int
    """New members this week minus new members the week before."""
    examples: tuple[Example, ...]
    """The group's most recent threads, newest first."""


@dataclass(frozen=True, slots=True)
class PervasiveProblems:
    week: str
    lookback_days: int
    candidates: int
    """How many groups qualify; ``groups`` holds the top of them."""
    groups: tuple[ProblemGroup, ...]


def pervasive(store: Store, playbook: Playbook, *, now: datetime | None = None,
              top: int = DEFAULT_TOP) -> PervasiveProblems:
    """The top ``top`` groups by affected members (then countries, then
    growth), as the weekly report of the current week counts them."""
    now = now or clock.now(store)
    week = week_of(now)
    found = pervasive_problems(store, playbook, week, now, top=top)
    groups = tuple(
        ProblemGroup(
            id=group["id"],
            label=group["label"],
            capability=group["capability"],
            threads=group["threads"],
            threads_week=group["threads_week"],
            affected_members=group["affected_members"],
            countries=tuple(group["countries"]),
            communities=tuple(group["communities"]),
            languages=tuple(group["languages"]),
            new_members_week=group["new_members_week"],
            new_members_previous=group["new_members_previous"],
            growth=group["growth"],
            examples=tuple(
                Example(e["thread_id"], e["community"], e["title"], e["url"])
                for e in group["examples"]
            ),
        )
        for group in found["groups"]
    )
    return PervasiveProblems(str(week), found["lookback_days"], found["candidates"], groups)
