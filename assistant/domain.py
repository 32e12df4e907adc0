"""The shared vocabulary of Beachhead.

Every source produces these shapes and every later step reads them, so a new
platform only has to learn to speak this language once. Timestamps are always
timezone-aware UTC; text comes twice, as clean plain text for the models and as
the original markup so nothing is lost when a better normaliser arrives.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


class Platform(enum.StrEnum):
    REDDIT = "reddit"
    DISCOURSE = "discourse"
    STACKEXCHANGE = "stackexchange"
    FEED = "feed"
    JSONL = "jsonl"


class Category(enum.StrEnum):
    """Lesson 4 of the Dewak case: which problems are worth a founder's hour."""

    PERVASIVE_SOLVABLE = "pervasive_solvable"
    UNREWARDED = "unrewarded"
    UNSOLVABLE = "unsolvable"
    NOT_A_PROBLEM = "not_a_problem"


class UserType(enum.StrEnum):
    CUSTOMER = "customer"
    CHANNEL_PARTNER = "channel_partner"
    COMPLEMENTOR = "complementor"
    COMPETITOR = "competitor"
    EXPERT = "expert"
    VENDOR_STAFF = "vendor_staff"
    UNKNOWN = "unknown"


class ProblemKind(enum.StrEnum):
    BUG = "bug"
    HOWTO = "howto"
    FEATURE_REQUEST = "feature_request"
    OTHER = "other"


class QueueState(enum.StrEnum):
    NEW = "new"
    QUEUED = "queued"
    CLAIMED = "claimed"
    ANSWERED = "answered"
    DISMISSED = "dismissed"
    SNOOZED = "snoozed"
    EXPIRED = "expired"


def utc(value: datetime) -> datetime:
    """Normalise a datetime to aware UTC; naive values are taken as UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def parse_timestamp(value: Any) -> datetime:
    """Read the timestamps forums emit: ISO 8601 strings (with or without a zone,
    with a trailing Z) and Unix epoch seconds."""
    if isinstance(value, datetime):
        return utc(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(float(value), tz=UTC)
    if isinstance(value, str) and value.strip():
        text = value.strip()
        if text.endswith("Z") or text.endswith("z"):
            text = text[:-1] + "+00:00"
        return utc(datetime.fromisoformat(text))
    raise ValueError(f"not a timestamp: {value!r}")


def iso(value: datetime | None) -> str | None:
    """The one text form of a timestamp in the store: ISO 8601 UTC, seconds."""
    if value is None:
        return None
    return utc(value).isoformat(timespec="seconds")


@dataclass(slots=True)
class Member:
    """A member of one community, as the platform describes them.

    ``native_id`` is what the platform keys the account by (a Reddit or
    Discourse username, a Stack Exchange user id); ``handle`` is the name people
    see and the playbook refers to founders by.
    """

    community_id: str
    native_id: str
    handle: str
    display_name: str | None = None
    location: str | None = None
    profile_url: str | None = None
    website: str | None = None
    about: str | None = None
    is_staff: bool = False
    is_moderator: bool = False
    trust_level: int | None = None
    reputation: int | None = None
    joined_at: datetime | None = None
    raw: dict[str, Any] | None = None


@dataclass(slots=True)
class Post:
    """A reply inside a thread (the thread's opening text lives on the Thread)."""

    community_id: str
    native_id: str
    thread_native_id: str
    author: str | None
    created_at: datetime
    body_text: str
    body_markup: str | None = None
    markup_format: str = "text"
    parent_native_id: str | None = None
    score: int | None = None
    is_accepted: bool = False
    author_is_staff: bool = False
    position: int | None = None
    url: str | None = None
    raw: dict[str, Any] | None = None


@dataclass(slots=True)
class Thread:
    """A question, topic or submission with the replies fetched so far."""

    community_id: str
    native_id: str
    title: str
    author: str | None
    created_at: datetime
    body_text: str
    body_markup: str | None = None
    markup_format: str = "text"
    url: str | None = None
    tags: list[str] = field(default_factory=list)
    score: int | None = None
    reply_count: int | None = None
    is_solved: bool = False
    accepted_post_native_id: str | None = None
    last_activity_at: datetime | None = None
    author_is_staff: bool = False
    posts: list[Post] = field(default_factory=list)
    raw: dict[str, Any] | None = None

    @property
    def text(self) -> str:
        """Title and opening text: what the models judge a thread by."""
        return f"{self.title}\n\n{self.body_text}".strip()


@dataclass(slots=True)
class Batch:
    """What one step of a source yields: items to store and the cursor that is
    valid once they are stored. The pipeline writes both in one transaction, so
    a cursor can never run ahead of what is in the database."""

    threads: list[Thread] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    cursor: dict[str, Any] | None = None
    stream: str = "default"
    requests: int = 0
    problems: list[str] = field(default_factory=list)
