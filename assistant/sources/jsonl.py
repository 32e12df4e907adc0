"""The JSON Lines archive source (format: docs/jsonl-format.md).

It reads a file from the byte offset its cursor remembers, so appending to an
archive and fetching again only reads the new lines. A malformed line is
reported with its line number and skipped; the lines around it are stored.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from assistant.domain import Batch, Member, Post, Thread, parse_timestamp
from assistant.sources.base import FetchRequest, SourceConfigError, SourceNotFound
from assistant.sources.text import to_text

DEMO_PREFIX = "demo:"
BATCH_LINES = 500
FORMATS = ("text", "markdown", "html")


class LineError(ValueError):
    """One line of an archive that cannot be read."""


def resolve_locator(locator: str, base_dir: Path | None) -> Path:
    """``demo:NAME`` is a file of the packaged demo corpus; other locators are
    paths, relative ones read against the playbook's directory."""
    if locator.startswith(DEMO_PREFIX):
        name = locator[len(DEMO_PREFIX) :]
        return Path(str(resources.files("assistant.demo").joinpath("corpus", name)))
    path = Path(locator).expanduser()
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    return path


def _text(value: Any, field: str, *, required: bool = True) -> str | None:
    if value is None:
        if required:
            raise LineError(f"'{field}' is missing")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise LineError(f"'{field}' must be a string")
    return str(value)


def _time(value: Any, field: str):
    if value is None:
        raise LineError(f"'{field}' is missing")
    try:
        return parse_timestamp(value)
    except (ValueError, OverflowError, OSError):
        raise LineError(f"'{field}' is not a timestamp: {value!r}") from None


def _int(value: Any, field: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise LineError(f"'{field}' must be a number")
    return int(value)


def _format(value: Any) -> str:
    fmt = value or "text"
    if fmt not in FORMATS:
        raise LineError(f"'format' {fmt!r} is not one of {', '.join(FORMATS)}")
    return fmt


def parse_member(data: dict[str, Any], community_id: str) -> Member:
    native_id = _text(data.get("id"), "id")
    joined = data.get("joined_at")
    return Member(
        community_id=community_id,
        native_id=native_id,
        handle=_text(data.get("handle"), "handle", required=False) or native_id,
        display_name=_text(data.get("display_name"), "display_name", required=False),
        location=_text(data.get("location"), "location", required=False),
        profile_url=_text(data.get("profile_url"), "profile_url", required=False),
        website=_text(data.get("website"), "website", required=False),
        about=_text(data.get("about"), "about", required=False),
        is_staff=bool(data.get("staff", False)),
        is_moderator=bool(data.get("moderator", False)),
        trust_level=_int(data.get("trust_level"), "trust_level"),
        reputation=_int(data.get("reputation"), "reputation"),
        joined_at=_time(joined, "joined_at") if joined is not None else None,
        raw=data,
    )


def parse_thread(data: dict[str, Any], community_id: str) -> Thread:
    native_id = _text(data.get("id"), "id")
    if "author" not in data:
        raise LineError("'author' is missing")
    fmt = _format(data.get("format"))
    body = _text(data.get("body"), "body", required=False) or ""
    posts_raw = data.get("posts") or []
    if not isinstance(posts_raw, list):
        raise LineError("'posts' must be a list")
    posts = []
    for index, raw in enumerate(posts_raw):
        if not isinstance(raw, dict):
            raise LineError(f"posts[{index}] must be an object")
        try:
            post_format = _format(raw.get("format"))
            post_body = _text(raw.get("body"), "body")
            if "author" not in raw:
                raise LineError("'author' is missing")
            posts.append(
                Post(
                    community_id=community_id,
                    native_id=_text(raw.get("id"), "id"),
                    thread_native_id=native_id,
                    author=_text(raw.get("author"), "author", required=False),
                    created_at=_time(raw.get("created_at"), "created_at"),
                    body_text=to_text(post_body, post_format),
                    body_markup=post_body if post_format != "text" else None,
                    markup_format=post_format,
                    parent_native_id=_text(raw.get("parent"), "parent", required=False),
                    score=_int(raw.get("score"), "score"),
                    is_accepted=bool(raw.get("accepted", False)),
                    author_is_staff=bool(raw.get("staff", False)),
                    position=index + 1,
                    url=_text(raw.get("url"), "url", required=False),
                )
            )
        except LineError as error:
            raise LineError(f"posts[{index}]: {error}") from None
    tags = data.get("tags") or []
    if not isinstance(tags, list):
        raise LineError("'tags' must be a list")
    last = data.get("last_activity_at")
    accepted = _text(data.get("accepted_post"), "accepted_post", required=False)
    return Thread(
        community_id=community_id,
        native_id=native_id,
        title=_text(data.get("title"), "title"),
        author=_text(data.get("author"), "author", required=False),
        created_at=_time(data.get("created_at"), "created_at"),
        body_text=to_text(body, fmt),
        body_markup=body if fmt != "text" else None,
        markup_format=fmt,
        url=_text(data.get("url"), "url", required=False),
        tags=[str(t) for t in tags],
        score=_int(data.get("score"), "score"),
        reply_count=len(posts),
        is_solved=bool(data.get("solved", False)) or accepted is not None
        or any(p.is_accepted for p in posts),
        accepted_post_native_id=accepted
        or next((p.native_id for p in posts if p.is_accepted), None),
        last_activity_at=_time(last, "last_activity_at") if last is not None
        else max([p.created_at for p in posts], default=None),
        author_is_staff=bool(data.get("staff", False)),
        posts=posts,
        raw=data,
    )


def parse_line(line: str, community_id: str) -> Thread | Member:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise LineError(f"not valid JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(data, dict):
        raise LineError("expected a JSON object")
    kind = data.get("type", "thread")
    if kind == "thread":
        return parse_thread(data, community_id)
    if kind == "member":
        return parse_member(data, community_id)
    raise LineError(f"'type' {kind!r} is not one of thread, member")


class JsonlSource:
    """Reads one archive file for one community."""

    def __init__(
        self,
        community_id: str,
        path: Path,
        *,
        stream: str = "archive",
        batch_lines: int = BATCH_LINES,
    ):
        self.community_id = community_id
        self.path = path
        self.stream = stream
        self.batch_lines = batch_lines

    def _start(self, cursor: dict[str, Any] | None) -> tuple[int, int]:
        """Offset and line number to resume from; a file that shrank or was
        replaced is read again from the top (upserts make that harmless)."""
        if not cursor:
            return 0, 0
        stat = os.stat(self.path)
        offset = int(cursor.get("offset", 0))
        if offset > stat.st_size or cursor.get("inode") not in (None, stat.st_ino):
            return 0, 0
        return offset, int(cursor.get("line", 0))

    def fetch(self, request: FetchRequest) -> Iterator[Batch]:
        if not self.path.exists():
            raise SourceNotFound(f"archive {self.path} does not exist", community=self.community_id)
        if self.path.is_dir():
            raise SourceConfigError(f"{self.path} is a directory, not a .jsonl file",
                                    community=self.community_id)
        cursor = request.cursors.get(self.stream)
        offset, line_number = self._start(cursor)
        inode = os.stat(self.path).st_ino
        batch = Batch(stream=self.stream)
        pending = 0
        with open(self.path, "rb") as handle:
            handle.seek(offset)
            for raw_line in handle:
                complete = raw_line.endswith(b"\n")
                text = raw_line.decode("utf-8", errors="replace").strip()
                try:
                    item = parse_line(text, self.community_id) if text else None
                except LineError as error:
                    if not complete:
                        # A writer may still be appending this last line: leave
                        # the cursor before it so the next pass reads it whole.
                        break
                    batch.problems.append(f"{self.path.name}: line {line_number + 1}: {error}")
                    item = None
                line_number += 1
                offset += len(raw_line)
                if isinstance(item, Member):
                    batch.members.append(item)
                elif item is not None and (request.since is None or item.created_at >= request.since):
                    batch.threads.append(item)
                pending += 1
                if pending >= self.batch_lines:
                    batch.cursor = self._cursor(offset, line_number, inode, request)
                    yield batch
                    batch = Batch(stream=self.stream)
                    pending = 0
        batch.cursor = self._cursor(offset, line_number, inode, request)
        yield batch

    @staticmethod
    def _cursor(offset: int, line: int, inode: int, request: FetchRequest) -> dict | None:
        """A pass limited by ``since`` skipped lines on purpose; it must not
        move the cursor past them, or a later full pass would never see them."""
        if request.since is not None:
            return None
        return {"offset": offset, "line": line, "inode": inode}

    def close(self) -> None:
        return None
