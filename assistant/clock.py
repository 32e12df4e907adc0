"""The one place Beachhead asks what time it is.

A database can pin its clock (the demo does, so its queue and report look the
same whenever you open it); everything else uses the real UTC time. Passing
``now`` explicitly always wins, which is how tests and `--as-of` options work.
"""

from __future__ import annotations

from datetime import UTC, datetime

from assistant.domain import parse_timestamp

CLOCK_SETTING = "clock.pinned"


def now(store=None) -> datetime:
    if store is not None:
        pinned = store.get_setting(CLOCK_SETTING)
        if pinned:
            return parse_timestamp(pinned)
    return datetime.now(UTC)


def pin(store, moment: datetime | None) -> None:
    """Pin (or, with None, unpin) the clock of a database."""
    store.set_setting(CLOCK_SETTING, moment.isoformat() if moment else None)
