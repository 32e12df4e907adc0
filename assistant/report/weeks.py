"""ISO weeks, the unit every weekly number is counted in.

A week runs from Monday 00:00 UTC to the next Monday 00:00 UTC, so a thread
belongs to exactly one week whatever the reader's time zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from assistant.domain import utc

_WEEK = re.compile(r"\s*(\d{4})-?W(\d{1,2})\s*", re.IGNORECASE)


class WeekError(ValueError):
    """A week the user typed that is not an ISO week."""


@dataclass(frozen=True, order=True)
class Week:
    year: int
    number: int

    def __str__(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    @property
    def start(self) -> datetime:
        monday = date.fromisocalendar(self.year, self.number, 1)
        return datetime(monday.year, monday.month, monday.day, tzinfo=UTC)

    @property
    def end(self) -> datetime:
        return self.start + timedelta(days=7)

    @property
    def previous(self) -> Week:
        return week_of(self.start - timedelta(days=1))

    def span(self) -> str:
        """Mon 16 Nov – Sun 22 Nov 2026: how a person reads a week."""
        last = self.end - timedelta(days=1)
        return f"{self.start:%a %d %b} – {last:%a %d %b %Y}"


def week_of(moment: datetime) -> Week:
    year, number, _ = utc(moment).isocalendar()
    return Week(year, number)


def parse_week(text: str) -> Week:
    """2026-W47 (also 2026W47, 2026-w7)."""
    match = _WEEK.fullmatch(text or "")
    if match:
        year, number = int(match.group(1)), int(match.group(2))
        try:
            date.fromisocalendar(year, number, 1)
        except ValueError:
            pass
        else:
            return Week(year, number)
    raise WeekError(f"week {text!r} is not an ISO week such as 2026-W47")


def week_key(value: str) -> Week | None:
    """Read a stored week label: an ISO week, or a date inside the week.
    Anything else is None, so one odd row cannot break a report."""
    try:
        return parse_week(value)
    except WeekError:
        pass
    try:
        return week_of(datetime.fromisoformat(str(value).strip().replace("Z", "+00:00")))
    except ValueError:
        return None
