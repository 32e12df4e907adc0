"""What the generator writes before it becomes JSON: threads and replies with
their people as cast keys, their truth and their timing still open.

Keeping the draft separate from its rendering lets the storyline decide who
says what, and leaves ids, handles and timestamps to the last step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from assistant.demo import templates_de, templates_en, templates_es
from assistant.demo.cast import DE, ES, FORUM, REDDIT

COMMUNITIES = (FORUM, REDDIT, ES, DE)
LANG = {FORUM: "en", REDDIT: "en", ES: "es", DE: "de"}
T = {"en": templates_en, "es": templates_es, "de": templates_de}
DISCOURSE = (FORUM, ES, DE)        # forums with accepted answers and trust levels
FOUNDERS = ("lucia", "mateo")


class PlanError(ValueError):
    """The storyline asks for something the cast, the pools or the calendar cannot give."""


class Fill(dict):
    """str.format_map mapping that leaves unknown slots visible instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass
class Reply:
    author: str | None          # person key
    body: str
    role: str                   # metoo, answer, founder, ack, thanks, question, chat, ...
    delay: tuple[float, float]  # hours after the previous post
    parent: int | None = None   # index into the thread's replies
    accepted: bool = False
    fmt: str | None = None
    style: str | None = None
    lang: str | None = None
    created: datetime | None = None


@dataclass
class Draft:
    ref: str
    community: str
    kind: str
    week: int
    asker: str | None
    lang: str
    category: str
    group: str | None = None
    capability: str | None = None
    problem_kind: str = "other"
    title: str = ""
    body: str = ""
    days: tuple[int, ...] = (0, 1, 2, 3, 4)
    hours: tuple[int, int] = (8, 18)
    created: datetime | None = None
    fixed_time: datetime | None = None
    replies: list[Reply] = field(default_factory=list)
    fmt: str | None = None
    flags: list[str] = field(default_factory=list)
    langs: set[str] = field(default_factory=set)
    answer: str = ""            # the known answer of a one-off question
