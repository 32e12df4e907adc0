"""Which reply solved a thread, and who wrote it.

"Solutions to problems, not just answers to questions": credibility, voice,
solution memory and the FAQ candidates all need to point at the one post that
solved a thread. The forum may say so itself (an accepted answer); otherwise
the asker does, by thanking someone ("that fixed it"). Reading only posts up
to a moment gives the answer as it stood then, which is what lets credibility
be recomputed for past weeks.

How a reply is recognised as an acknowledgement or a "me too" is one
swappable detector (``Detectors``); the default reads the multilingual rules
of ``classifiers.signals``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from assistant.domain import parse_timestamp
from classifiers import signals

SCAN_CHARS = signals.REPLY_SCAN_CHARS
""""Me too" and "that fixed it" open a reply; the rest of a long answer is
not read for them."""


@dataclass(frozen=True)
class Detectors:
    """Text → bool tests for the two reply signals solutions depend on."""

    acknowledges: Callable[[str], bool]
    me_too: Callable[[str], bool]


def _signal_detectors() -> Detectors:
    return Detectors(
        acknowledges=lambda text: bool(signals.resolution((text or "")[:SCAN_CHARS])),
        me_too=lambda text: bool(signals.me_too((text or "")[:SCAN_CHARS])),
    )


DETECTORS: Detectors = _signal_detectors()
"""The detectors in use; assign another ``Detectors`` to swap them everywhere."""


@dataclass(frozen=True)
class Solution:
    """The post that solved a thread (None when only the thread says it is
    solved), its author, and how we know: ``accepted`` (the forum's mark),
    ``acknowledged`` (the asker thanked it) or ``marked`` (solved flag only)."""

    post: dict[str, Any] | None
    solver: str | None
    how: str
    acknowledgement: dict[str, Any] | None = None


def is_me_too(post: dict[str, Any], asker: str | None, detectors: Detectors | None = None) -> bool:
    detectors = detectors or DETECTORS
    return bool(post.get("author")) and post.get("author") != asker and detectors.me_too(
        post.get("body_text") or ""
    )


def _created(post: dict[str, Any]) -> datetime:
    return parse_timestamp(post["created_at"])


def ordered(posts: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Posts in reading order: forum position when known, else time."""
    return sorted(
        posts, key=lambda p: (_created(p), p.get("position") if p.get("position") is not None else 0)
    )


def solution_of(
    thread: dict[str, Any],
    posts: Sequence[dict[str, Any]],
    *,
    until: datetime | None = None,
    detectors: Detectors | None = None,
) -> Solution | None:
    """The thread's solution as it stood at ``until`` (default: now).

    An accepted post wins. Otherwise the asker's first acknowledgement names
    the post it replies to (when that is not the asker's own), else the latest
    earlier reply by someone other than the asker that is not a "me too".
    A thread flagged solved with no such post gives a solution without a post.
    """
    detectors = detectors or DETECTORS
    asker = thread.get("author")
    visible = [p for p in ordered(posts) if until is None or _created(p) <= until]
    accepted_native = thread.get("accepted_post_native_id")
    for post in visible:
        if post.get("is_accepted") or (accepted_native and post["native_id"] == accepted_native):
            return Solution(post, post.get("author"), "accepted")
    by_native = {p["native_id"]: p for p in visible}
    for index, post in enumerate(visible):
        if not asker or post.get("author") != asker:
            continue
        if not detectors.acknowledges(post.get("body_text") or ""):
            continue
        parent = by_native.get(post.get("parent_native_id") or "")
        if parent is not None and parent.get("author") not in (None, asker):
            return Solution(parent, parent.get("author"), "acknowledged", post)
        for earlier in reversed(visible[:index]):
            author = earlier.get("author")
            if author and author != asker and not is_me_too(earlier, asker, detectors):
                return Solution(earlier, author, "acknowledged", post)
    if thread.get("is_solved") and until is None:
        return Solution(None, None, "marked")
    return None


def replied_to(
    post: dict[str, Any],
    thread: dict[str, Any],
    previous: dict[str, Any] | None,
    by_native: dict[str, dict[str, Any]],
) -> str | None:
    """Whom a post answers. Its parent post says so when the forum records
    one; otherwise the asker answers the latest reply before theirs, and
    anyone else follows up on the latest reply by a third person, or else
    answers the asker."""
    parent = by_native.get(post.get("parent_native_id") or "")
    if parent is not None:
        return parent.get("author")
    asker, author = thread.get("author"), post.get("author")
    if author == asker:
        return previous.get("author") if previous and previous.get("author") != asker else None
    if previous is not None and previous.get("author") not in (None, asker, author):
        return previous.get("author")
    return asker

