"""A Stack Exchange dump as the member-side evaluations need it: who asked,
who answered whom, which answers were accepted, up-voted or thanked, when
members post, and what their profiles say.

Streams the XML files once (``classifiers.datasets.iter_dump_rows``) and keeps
only small records; bodies are reduced to plain text, with code kept, because
error messages and identifiers live in code blocks.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from classifiers.datasets import iter_dump_rows


class DumpError(ValueError):
    """A folder that is not a readable Stack Exchange dump."""


@dataclass(slots=True)
class DumpPost:
    post_id: str
    is_question: bool
    parent_id: str | None
    owner: str | None
    created_at: float
    score: int
    title: str
    text: str
    accepted_answer_id: str | None = None
    upvotes: int = 0
    downvotes: int = 0


@dataclass(slots=True)
class DumpComment:
    comment_id: str
    post_id: str
    user: str | None
    created_at: float
    score: int
    text: str


@dataclass(slots=True)
class DumpUser:
    user_id: str
    display_name: str
    location: str | None
    website: str | None
    about: str
    reputation: int


@dataclass(slots=True)
class Dump:
    posts: dict[str, DumpPost] = field(default_factory=dict)
    comments: list[DumpComment] = field(default_factory=list)
    users: dict[str, DumpUser] = field(default_factory=dict)
    duplicates: list[tuple[str, str]] = field(default_factory=list)

    def questions(self) -> Iterable[DumpPost]:
        return (post for post in self.posts.values() if post.is_question)


_SPACE_RE = re.compile(r"\s+")


def html_to_text(markup: str) -> str:
    """Visible text of a post body, code included."""
    if not markup:
        return ""
    if "<" not in markup:
        return _SPACE_RE.sub(" ", html.unescape(markup)).strip()
    text = LexborHTMLParser(markup).text(separator=" ")
    return _SPACE_RE.sub(" ", text).strip()


def _timestamp(value: str | None) -> float:
    if not value:
        return 0.0
    return datetime.fromisoformat(value).replace(tzinfo=UTC).timestamp()


def _int(value: str | None) -> int:
    try:
        return int(value) if value else 0
    except ValueError:
        return 0


def load_dump(folder: str | Path, *, with_text: bool = True) -> Dump:
    """Read Posts, Comments, Users, Votes and PostLinks of one site."""
    folder = Path(folder)
    posts_file = folder / "Posts.xml"
    if not posts_file.is_file():
        raise DumpError(f"'{folder}' has no Posts.xml (expected a Stack Exchange dump folder)")
    dump = Dump()
    for row in iter_dump_rows(posts_file):
        kind = row.get("PostTypeId")
        if kind not in ("1", "2"):
            continue
        dump.posts[row["Id"]] = DumpPost(
            post_id=row["Id"],
            is_question=kind == "1",
            parent_id=row.get("ParentId"),
            owner=row.get("OwnerUserId"),
            created_at=_timestamp(row.get("CreationDate")),
            score=_int(row.get("Score")),
            title=row.get("Title", ""),
            text=html_to_text(row.get("Body", "")) if with_text else "",
            accepted_answer_id=row.get("AcceptedAnswerId"),
        )
    comments_file = folder / "Comments.xml"
    if comments_file.is_file():
        for row in iter_dump_rows(comments_file):
            dump.comments.append(
                DumpComment(
                    comment_id=row["Id"],
                    post_id=row.get("PostId", ""),
                    user=row.get("UserId"),
                    created_at=_timestamp(row.get("CreationDate")),
                    score=_int(row.get("Score")),
                    text=html.unescape(row.get("Text", "")) if with_text else "",
                )
            )
    users_file = folder / "Users.xml"
    if users_file.is_file():
        for row in iter_dump_rows(users_file):
            dump.users[row["Id"]] = DumpUser(
                user_id=row["Id"],
                display_name=row.get("DisplayName", ""),
                location=row.get("Location") or None,
                website=row.get("WebsiteUrl") or None,
                about=html_to_text(row.get("AboutMe", "")) if with_text else "",
                reputation=_int(row.get("Reputation")),
            )
    votes_file = folder / "Votes.xml"
    if votes_file.is_file():
        for row in iter_dump_rows(votes_file):
            post = dump.posts.get(row.get("PostId", ""))
            if post is None:
                continue
            if row.get("VoteTypeId") == "2":
                post.upvotes += 1
            elif row.get("VoteTypeId") == "3":
                post.downvotes += 1
    links_file = folder / "PostLinks.xml"
    if links_file.is_file():
        for row in iter_dump_rows(links_file):
            if row.get("LinkTypeId") == "3":
                dump.duplicates.append((row.get("PostId", ""), row.get("RelatedPostId", "")))
    return dump
