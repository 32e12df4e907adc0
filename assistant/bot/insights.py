"""What the bot's read-only commands ask of the store, in the bot's terms.

``/problems``, ``/credibility``, ``/experts``, ``/explain``, ``/report``,
``/check`` and the feed's "seen before" line read a lot more than a queue
click does (a week of threads, a community's reply graph). They run on the
bot's reader threads, each call on a connection of its own, so the store
thread that serves clicks is never held up past Discord's three seconds.

Refusals a person should read (an unknown thread, community or founder) are
``InsightError``s whose message is shown as is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from assistant.credibility import Standing
from assistant.etiquette import CheckResult
from assistant.experts import Expert
from assistant.explain import Explanation
from assistant.problems import PervasiveProblems

INSIGHTS_SERVICE = "insights"
"""The name the insights are passed to the bot under (``bot.services``)."""

_ITEM = re.compile(r"#?\s*(\d+)")


class InsightError(Exception):
    """A question the bot cannot answer as asked; the message says why."""


@dataclass(frozen=True, slots=True)
class Reference:
    """What a person typed to name a thread in Discord: a queue item number
    (``#12`` or ``12``, as the feed shows it) or a thread
    (``COMMUNITY:NATIVE_ID`` or its URL)."""

    text: str
    item_id: int | None


def parse_reference(text: str) -> Reference:
    text = (text or "").strip()
    match = _ITEM.fullmatch(text)
    return Reference(text, int(match.group(1)) if match else None)


@dataclass(frozen=True, slots=True)
class WeeklyReport:
    week: str
    data: dict[str, Any]
    """The report's numbers (``assistant.report.data.build_report``)."""
    html: str


class Insights(Protocol):
    """Every method blocks and opens its own connection: call it from a
    worker thread (``bot.run_reader``)."""

    def problems(self, top: int) -> PervasiveProblems: ...

    def standings(self, founder: str | None) -> Sequence[Standing]: ...

    def experts(self, community: str, limit: int) -> Sequence[Expert]: ...

    def explain(self, reference: str) -> Explanation: ...

    def check(self, reference: str, text: str, founder: str) -> CheckResult: ...

    def thread_title(self, reference: str) -> str:
        """The title of the thread a reference names; refuses a bad one."""
        ...

    def weekly_report(self, week: str | None) -> WeeklyReport: ...

    def seen_before(self, item_id: int) -> str | None:
        """The "seen before" line of a queue item's thread, if any."""
        ...
