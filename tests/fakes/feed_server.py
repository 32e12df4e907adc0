"""A loopback feed host: RSS 2.0 and Atom documents written for these tests.

Each feed can carry validators: with an ``etag`` it answers ``If-None-Match``
with 304, with a ``last_modified`` it answers ``If-Modified-Since`` with 304
when nothing changed since; ``publish`` swaps in a new version (new entries,
new validators). Entries are invented release notes and forum posts of a
made-up product, in the shapes of a vendor announcement feed (RSS), a forum
feed and a GitHub Discussions feed (Atom).
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import format_datetime, parsedate_to_datetime
from html import escape

from tests.fakes.loopback_http import LoopbackServer, Reply, Seen


@dataclass(slots=True)
class Entry:
    id: str
    title: str
    link: str
    published: str
    """RFC 3339 (``2026-03-02T09:30:00Z``)."""
    author: str
    body_html: str
    tags: tuple[str, ...] = ()
    updated: str | None = None


@dataclass(slots=True)
class Feed:
    body: bytes
    content_type: str
    etag: str | None = None
    last_modified: str | None = None
    """An HTTP date."""


def _http_date(rfc3339: str) -> str:
    from datetime import datetime

    return format_datetime(datetime.fromisoformat(rfc3339.replace("Z", "+00:00")), usegmt=True)


def rss(title: str, link: str, entries: list[Entry]) -> bytes:
    items = "".join(
        f"<item><title>{escape(e.title)}</title><link>{escape(e.link)}</link>"
        f"<guid isPermaLink=\"false\">{escape(e.id)}</guid>"
        f"<pubDate>{_http_date(e.published)}</pubDate>"
        f"<author>{escape(e.author)}</author>"
        + "".join(f"<category>{escape(t)}</category>" for t in e.tags)
        + f"<description>{escape(e.body_html)}</description></item>"
        for e in entries
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{escape(title)}</title><link>{escape(link)}</link>"
            f"<description>{escape(title)}</description>{items}</channel></rss>").encode()


def atom(title: str, link: str, entries: list[Entry], updated: str) -> bytes:
    body = "".join(
        f"<entry><id>{escape(e.id)}</id><title type=\"text\">{escape(e.title)}</title>"
        f"<link rel=\"alternate\" href=\"{escape(e.link)}\"/>"
        f"<published>{e.published}</published><updated>{e.updated or e.published}</updated>"
        f"<author><name>{escape(e.author)}</name></author>"
        + "".join(f"<category term=\"{escape(t)}\"/>" for t in e.tags)
        + f"<content type=\"html\">{escape(e.body_html)}</content></entry>"
        for e in entries
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<id>{escape(link)}</id><title>{escape(title)}</title><updated>{updated}</updated>"
            f"<link rel=\"alternate\" href=\"{escape(link)}\"/>{body}</feed>").encode()


RELEASES = [
    Entry("kestrel-print-5-2", "Kestrel Print 5.2 released", "https://kestrel.example/news/5-2",
          "2026-03-02T09:30:00Z", "Kestrel Team",
          "<p>Version 5.2 adds <strong>scan-to-mail</strong> retries.</p>"
          "<pre><code>kp-admin upgrade --to 5.2</code></pre>", ("release",)),
    Entry("kestrel-print-5-1-3", "Security fix 5.1.3 for the badge reader",
          "https://kestrel.example/news/5-1-3", "2026-02-10T16:00:00Z", "Kestrel Team",
          "<p>Fixes a badge reader bypass. Upgrade soon.</p>", ("security", "release")),
]

DISCUSSIONS = [
    Entry("tag:github.com,2008:DiscussionComment/101", "Tray 3 ignores the paper size",
          "https://github.com/kestrel/print/discussions/101", "2026-03-03T08:00:00Z",
          "lucia-m", "<p>Since 5.2 tray 3 always picks A4. Anyone else?</p>",
          updated="2026-03-04T10:15:00Z"),
    Entry("tag:github.com,2008:DiscussionComment/102", "Driver for ARM laptops?",
          "https://github.com/kestrel/print/discussions/102", "2026-03-05T12:40:00Z",
          "tomasz", "<p>Is there a driver for ARM Windows laptops yet?</p>"),
]


class FeedFake(LoopbackServer):
    def __init__(self) -> None:
        super().__init__()
        self.feeds: dict[str, Feed] = {}

    def publish(self, path: str, feed: Feed) -> None:
        self.feeds[path] = feed

    def route(self, seen: Seen) -> Reply:
        feed = self.feeds.get(seen.path)
        if feed is None:
            return Reply(404, b"no such feed", {"Content-Type": "text/plain"})
        headers = {"Content-Type": feed.content_type}
        if feed.etag:
            headers["ETag"] = feed.etag
        if feed.last_modified:
            headers["Last-Modified"] = feed.last_modified
        if feed.etag and seen.headers.get("if-none-match") == feed.etag:
            return Reply(304, b"", headers)
        since = seen.headers.get("if-modified-since")
        if feed.last_modified and since and not feed.etag:
            try:
                if parsedate_to_datetime(since) >= parsedate_to_datetime(feed.last_modified):
                    return Reply(304, b"", headers)
            except (TypeError, ValueError):
                pass
        return Reply(200, feed.body, headers)
