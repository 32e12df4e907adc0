"""praw objects → Beachhead's Thread, Post and Member.

Every attribute is read from the object's ``__dict__``: praw fetches a missing
attribute over the network on access, and a normaliser must never do I/O.

Deleted and removed content: Reddit replaces the author with ``[deleted]``
(praw turns it into ``None``) and the body with ``[deleted]`` or
``[removed]``. Those markers are not anybody's words, so ``body_text`` is
empty, and ``body_markup`` keeps the marker so later steps can tell a removed
reply from an empty one (see :func:`body_state`).
"""

from __future__ import annotations

import html
import json
import re
from datetime import datetime
from typing import Any

from assistant.domain import Member, Post, Thread, parse_timestamp

REDDIT_WEB = "https://www.reddit.com"
"""Public links point at Reddit itself, whichever host served the API."""
MARKERS = {"[deleted]": "deleted", "[removed]": "removed"}
STAFF_MARKS = {"moderator", "admin"}
SOLVED_FLAIR = re.compile(r"\b(solved|resolved|answered|fixed)\b", re.IGNORECASE)


def attr(obj: Any, name: str, default: Any = None) -> Any:
    """An attribute praw already holds; never a network fetch."""
    return vars(obj).get(name, default)


def author_of(obj: Any) -> str | None:
    author = attr(obj, "author")
    if author is None:
        return None
    name = attr(author, "name") if not isinstance(author, str) else author
    return None if not name or name == "[deleted]" else str(name)


def body_state(markup: str | None) -> str | None:
    """``"deleted"`` or ``"removed"`` when the platform withdrew the text."""
    return MARKERS.get((markup or "").strip())


def markdown_to_text(markdown: str) -> str:
    """Reddit markdown → plain text the models can read: link text kept, URLs,
    emphasis, quote and list markers dropped, code kept as is; what Reddit
    renders as emphasis (``__x__`` too) loses its markers, as on the page."""
    text = html.unescape(markdown.replace("\r\n", "\n"))
    text = re.sub(r"!?\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))+(?:\s+\"[^\"]*\")?\)", r"\1", text)
    text = re.sub(r"^[ \t]{0,3}#{1,6}[ \t]+", "", text, flags=re.MULTILINE)
    text = re.sub(r"^[ \t]{0,3}>[ \t]?", "", text, flags=re.MULTILINE)
    text = re.sub(r"^[ \t]{0,3}(?:[*+-]|\d+[.)])[ \t]+", "", text, flags=re.MULTILINE)
    text = re.sub(r"^[ \t]{0,3}(?:[-*_][ \t]*){3,}$", "", text, flags=re.MULTILINE)
    text = re.sub(r"^```[^\n]*$", "", text, flags=re.MULTILINE)
    text = re.sub(r"(\*\*|~~)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<!\w)__(\S.*?)__(?!\w)", r"\1", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)([^*\n]+?)\*(?!\w)", r"\1", text)
    text = re.sub(r"`([^`\n]+)`", r"\1", text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def _body(markdown: str | None) -> tuple[str, str | None]:
    if markdown is None or not markdown.strip():
        return "", None
    if body_state(markdown):
        return "", markdown.strip()
    return markdown_to_text(markdown), markdown


def _timestamp(value: Any) -> datetime:
    return parse_timestamp(float(value))


def raw_of(obj: Any) -> dict[str, Any]:
    """The JSON Reddit sent, rebuilt from praw's object: praw's own objects
    (authors, subreddits) go back to their names, comment trees are left out."""
    raw: dict[str, Any] = {}
    for key, value in vars(obj).items():
        if key.startswith("_") or key in {"comment_limit", "comment_sort"}:
            continue
        if value is None or isinstance(value, str | int | float | bool):
            raw[key] = value
        elif isinstance(value, list | dict):
            try:
                json.dumps(value)
            except (TypeError, ValueError):
                continue
            raw[key] = value
        elif key in {"author", "subreddit"}:
            raw[key] = attr(value, "name") or attr(value, "display_name") or str(value)
    return raw


def thread_from(submission: Any, community_id: str) -> Thread:
    native_id = str(attr(submission, "id"))
    selftext = attr(submission, "selftext")
    if attr(submission, "removed_by_category") and not body_state(selftext):
        selftext = "[removed]"
    body_text, body_markup = _body(selftext)
    flair = attr(submission, "link_flair_text")
    created = _timestamp(attr(submission, "created_utc"))
    edited = attr(submission, "edited")
    permalink = attr(submission, "permalink")
    return Thread(
        community_id=community_id,
        native_id=native_id,
        title=str(attr(submission, "title") or "").strip(),
        author=author_of(submission),
        created_at=created,
        body_text=body_text,
        body_markup=body_markup,
        markup_format="markdown",
        url=f"{REDDIT_WEB}{permalink}" if permalink else f"{REDDIT_WEB}/comments/{native_id}/",
        tags=[str(flair)] if flair else [],
        score=attr(submission, "score"),
        reply_count=attr(submission, "num_comments"),
        is_solved=bool(flair and SOLVED_FLAIR.search(str(flair))),
        last_activity_at=_timestamp(edited) if edited and not isinstance(edited, bool) else None,
        author_is_staff=attr(submission, "distinguished") in STAFF_MARKS,
        raw=raw_of(submission),
    )


def thread_id_of(comment: Any) -> str:
    return str(attr(comment, "link_id") or "").removeprefix("t3_")


def post_from(comment: Any, community_id: str, position: int | None = None) -> Post:
    native_id = str(attr(comment, "id"))
    thread_id = thread_id_of(comment)
    parent = str(attr(comment, "parent_id") or "")
    body_text, body_markup = _body(attr(comment, "body"))
    permalink = attr(comment, "permalink")
    return Post(
        community_id=community_id,
        native_id=native_id,
        thread_native_id=thread_id,
        author=author_of(comment),
        created_at=_timestamp(attr(comment, "created_utc")),
        body_text=body_text,
        body_markup=body_markup,
        markup_format="markdown",
        parent_native_id=parent.removeprefix("t1_") if parent.startswith("t1_") else None,
        score=attr(comment, "score"),
        author_is_staff=attr(comment, "distinguished") in STAFF_MARKS,
        position=position,
        url=f"{REDDIT_WEB}{permalink}"
        if permalink
        else f"{REDDIT_WEB}/comments/{thread_id}/_/{native_id}/",
        raw=raw_of(comment),
    )


def members_of(items: list[Any], community_id: str) -> list[Member]:
    """One Member per author seen, staff if any of their items says so."""
    members: dict[str, Member] = {}
    for item in items:
        handle = author_of(item)
        if handle is None:
            continue
        mark = attr(item, "distinguished")
        member = members.get(handle)
        if member is None:
            member = members[handle] = Member(
                community_id=community_id,
                native_id=handle,
                handle=handle,
                profile_url=f"{REDDIT_WEB}/user/{handle}",
                raw={
                    key: attr(item, key)
                    for key in ("author_fullname", "author_flair_text")
                    if attr(item, key) is not None
                }
                or None,
            )
        member.is_staff = member.is_staff or mark in STAFF_MARKS
        member.is_moderator = member.is_moderator or mark == "moderator"
    return list(members.values())
