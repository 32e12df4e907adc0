"""RSS and Atom feeds: vendor announcements, forum feeds, GitHub Discussions.

The feed is fetched with the shared HTTP client (so retries, counts and error
messages are those of every other source) and parsed by feedparser from the
bytes. The cursor keeps the validators the server sent — ``ETag`` and
``Last-Modified`` — and sends them back as ``If-None-Match`` and
``If-Modified-Since``: an unchanged feed answers 304, which costs one request
and yields nothing. Feeds without validators are read whole each time; the
store's upserts make a re-read entry cost nothing.

Each entry becomes a Thread (a feed has no replies): its id is the entry's
``id``/``guid`` (else its link), its body the entry's content (else its
summary), its time ``published`` (else ``updated``, else the feed's own time).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import feedparser

from assistant.domain import Batch, Thread
from assistant.sources.base import FetchRequest, SourceConfigError, SourceDataError
from assistant.sources.http import Backoff, HttpClient, counting_failures
from assistant.sources.text import html_to_text

STREAM = "feed"


def _when(parsed: Any) -> datetime | None:
    """feedparser's ``*_parsed`` values are UTC ``struct_time``s."""
    if not parsed:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)


def _plain(entry: Any, key: str) -> Any:
    """The value itself: feedparser's own ``get`` maps a missing ``updated``
    to ``published`` (with a deprecation warning), which would blur the two."""
    return dict.get(entry, key)


def _body(entry: Any) -> tuple[str, str]:
    """The richest text the entry carries, and whether it is HTML."""
    for content in entry.get("content") or []:
        if content.get("value"):
            kind = content.get("type") or "text/html"
            return content["value"], "html" if "html" in kind else "text"
    summary = entry.get("summary") or ""
    detail = entry.get("summary_detail") or {}
    kind = detail.get("type") or "text/html"
    return summary, "html" if "html" in kind else "text"


def _title(entry: Any) -> str:
    title = entry.get("title") or ""
    if "html" in ((entry.get("title_detail") or {}).get("type") or ""):
        title = html_to_text(title)
    return title.strip() or "(untitled)"


class FeedSource:
    """One RSS/Atom feed for one community."""

    def __init__(self, community_id: str, url: str, *, backoff: Backoff | None = None,
                 client: HttpClient | None = None, **client_options: Any):
        if not url.startswith(("http://", "https://")):
            raise SourceConfigError(f"{url!r} is not a feed URL (https://…)", community=community_id)
        self.community_id = community_id
        self.url = url
        self.client = client or HttpClient(
            community_id, backoff=backoff,
            headers={"Accept": "application/atom+xml, application/rss+xml, application/xml;q=0.9, "
                               "*/*;q=0.5"},
            **client_options,
        )

    def fetch(self, request: FetchRequest) -> Iterator[Batch]:
        yield from counting_failures(self.client, self._fetch(request))

    def _fetch(self, request: FetchRequest) -> Iterator[Batch]:
        cursor = request.cursors.get(STREAM) or {}
        headers = {}
        if cursor.get("etag"):
            headers["If-None-Match"] = cursor["etag"]
        if cursor.get("modified"):
            headers["If-Modified-Since"] = cursor["modified"]
        response = self.client.get(self.url, headers=headers, accept=(200, 304))
        if response.status_code == 304:
            yield Batch(stream=STREAM, requests=self.client.take_requests())
            return
        parsed = feedparser.parse(
            response.content,
            response_headers={k.lower(): v for k, v in response.headers.items()}
            | {"content-location": str(response.url)},
        )
        if parsed.bozo and not parsed.entries and not parsed.get("version"):
            detail = str(parsed.get("bozo_exception") or "unreadable")[:200]
            raise SourceDataError(f"not an RSS or Atom feed ({detail})",
                                  community=self.community_id, url=self.url)
        batch = Batch(stream=STREAM)
        fallback = _when(_plain(parsed.feed, "updated_parsed")
                         or _plain(parsed.feed, "published_parsed"))
        for position, entry in enumerate(parsed.entries, start=1):
            thread = self.thread(entry, fallback)
            if thread is None:
                batch.problems.append(f"entry {position} has neither a date nor an id; skipped")
                continue
            if request.since is not None and thread.created_at < request.since:
                continue
            batch.threads.append(thread)
        validators = {
            "etag": response.headers.get("ETag"),
            "modified": response.headers.get("Last-Modified"),
        }
        batch.cursor = {k: v for k, v in validators.items() if v}
        batch.requests = self.client.take_requests()
        yield batch

    def thread(self, entry: Any, fallback: datetime | None) -> Thread | None:
        native_id = entry.get("id") or entry.get("link")
        created = _when(_plain(entry, "published_parsed")) \
            or _when(_plain(entry, "updated_parsed")) or fallback
        if not native_id or created is None:
            return None
        body, markup = _body(entry)
        author = entry.get("author") or (entry.get("author_detail") or {}).get("name")
        updated = _when(_plain(entry, "updated_parsed"))
        return Thread(
            community_id=self.community_id,
            native_id=str(native_id),
            title=_title(entry),
            author=author or None,
            created_at=created,
            body_text=html_to_text(body) if markup == "html" else body.strip(),
            body_markup=body if markup == "html" else None,
            markup_format=markup,
            url=entry.get("link"),
            tags=[t.get("term") for t in entry.get("tags") or [] if t.get("term")],
            last_activity_at=max(created, updated) if updated else created,
            raw={k: _plain(entry, k) for k in ("id", "link", "title", "author", "published",
                                               "updated", "comments") if _plain(entry, k)},
        )

    def close(self) -> None:
        self.client.close()
