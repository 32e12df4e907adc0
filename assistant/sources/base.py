"""The one small protocol every forum adapter speaks.

A source turns "what is new since this cursor" into batches of normalised
items. It never writes to the database: the pipeline stores each batch and
its cursor in the same transaction, which is what guarantees that a cursor
never advances past an item that was not stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from assistant.domain import Batch


class SourceError(Exception):
    """Base of every failure a source reports; the message names the community
    and, where there is one, the URL, so a user knows where to look."""

    def __init__(self, message: str, *, community: str | None = None, url: str | None = None):
        self.community = community
        self.url = url
        where = ", ".join(
            part
            for part in (f"community '{community}'" if community else "", url or "")
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)


class SourceConfigError(SourceError):
    """The playbook or environment does not say enough to reach the source."""


class SourceAuthError(SourceError):
    """Credentials are missing, wrong, or lack a permission."""


class SourceRateLimited(SourceError):
    """The platform kept refusing with 429 after every retry."""


class SourceUnavailable(SourceError):
    """Timeouts, connection failures and 5xx answers that outlived the retries."""


class SourceDataError(SourceError):
    """The platform answered, but with something that cannot be read
    (malformed JSON, a truncated page, a missing field)."""


class SourceNotFound(SourceError):
    """The community, thread or user does not exist (or is private)."""


@dataclass(slots=True)
class FetchRequest:
    """What the pipeline asks of a source on one pass."""

    cursors: dict[str, dict[str, Any]]
    """Stored cursors of this community, by stream name."""
    since: datetime | None = None
    """Do not go further back than this, even without a cursor."""
    limit: int | None = None
    """Stop after roughly this many threads (sources may overshoot to a page)."""
    watch: dict[str, int] = field(default_factory=dict)
    """Stored threads whose new replies matter now (open queue items, fresh
    unsolved problems): native id → replies stored so far. Sources whose
    listings do not surface new replies re-read these when they grew."""


@runtime_checkable
class Source(Protocol):
    """Anything that can read one community incrementally."""

    community_id: str

    def fetch(self, request: FetchRequest) -> Iterator[Batch]:
        """Yield batches, oldest useful work first; each carries the cursor that
        is valid once it and every batch before it are stored."""
        ...

    def close(self) -> None:
        """Release connections; called once the pass is over."""
        ...
