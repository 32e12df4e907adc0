"""The corpus window, its weeks and its people's clocks.

Post hours are one of the signals that tell where a member lives, so every
time in the corpus is chosen as a local wall-clock time in the author's zone
and converted to UTC with that zone's daylight-saving rule for autumn 2026.
Hand-written rules rather than the system's tz database: the generator must
write the same bytes on every machine.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

START = datetime(2026, 8, 31, tzinfo=UTC)           # Monday of 2026-W36
END = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)     # nothing is later than this
DEMO_CLOCK = "2026-11-20T12:00:00Z"                 # the demo's "now"

# Time zones: UTC offset in hours and the daylight-saving rule that applies
# between September and November 2026 (so post hours stay true to each person).
ZONES: dict[str, tuple[float, str | None]] = {
    "EU0": (0, "eu"), "EU1": (1, "eu"), "EU2": (2, "eu"),
    "US-E": (-5, "us"), "US-C": (-6, "us"), "US-P": (-8, "us"),
    "CO": (-5, None), "PE": (-5, None), "EC": (-5, None), "MX": (-6, None),
    "AR": (-3, None), "CL": (-3, None), "UY": (-3, None), "BR": (-3, None),
    "IN": (5.5, None), "SG": (8, None), "PH": (8, None), "JP": (9, None), "AE": (4, None),
    "TR": (3, None), "ZA": (2, None), "GH": (0, None),
    "AU-S": (10, "au"), "AU-Q": (10, None), "AU-P": (8, None), "NZ": (12, "nz"),
}
DST_SWITCH = {
    "eu": (datetime(2026, 10, 25, 1, tzinfo=UTC), True),    # summer time ends
    "us": (datetime(2026, 11, 1, 7, tzinfo=UTC), True),
    "au": (datetime(2026, 10, 3, 16, tzinfo=UTC), False),   # summer time starts
    "nz": (datetime(2026, 9, 26, 14, tzinfo=UTC), False),
}


def utc_offset(zone: str, when: datetime) -> float:
    base, rule = ZONES[zone]
    if rule is None:
        return base
    switch, ends = DST_SWITCH[rule]
    in_summer = when < switch if ends else when >= switch
    return base + (1 if in_summer else 0)


def to_local(when: datetime, zone: str) -> datetime:
    return when + timedelta(hours=utc_offset(zone, when))


def from_local(wall: datetime, zone: str) -> datetime:
    """``wall`` is a naive-as-UTC wall-clock time in ``zone``."""
    guess = wall - timedelta(hours=ZONES[zone][0])
    return wall - timedelta(hours=utc_offset(zone, guess))


def awake(when: datetime, zone: str, rng: random.Random) -> datetime:
    """Moves a post written at night (local time) to the next morning, so that
    the hours people post at keep telling where they live."""
    hour = to_local(when, zone).hour
    if hour < 7:
        return when + timedelta(hours=7 - hour, minutes=rng.randint(0, 240))
    if hour >= 22:
        return when + timedelta(hours=31 - hour, minutes=rng.randint(0, 240))
    return when


def monday(week: int) -> datetime:
    return START + timedelta(days=7 * (week - 36))


def stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
