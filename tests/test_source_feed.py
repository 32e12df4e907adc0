"""RSS and Atom feeds through real httpx and feedparser, against a loopback
feed host serving feeds written for these tests: conditional requests
(ETag, Last-Modified), re-reads that add nothing, and broken feeds."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assistant import pipeline
from assistant.sources import FetchRequest, build_source
from assistant.sources.base import SourceConfigError
from assistant.sources.feed import FeedSource
from assistant.sources.http import Backoff
from assistant.store import Store, load_cursors
from playbooks import load_playbook
from tests.fakes.feed_server import DISCUSSIONS, RELEASES, Entry, Feed, FeedFake, atom, rss

NOW = datetime(2026, 3, 10, tzinfo=UTC)
FAST = Backoff(base_delay=0.001, timeout=2.0)
LAST_MODIFIED = "Mon, 02 Mar 2026 09:30:00 GMT"


@pytest.fixture
def fake():
    with FeedFake() as server:
        server.publish("/news.rss", Feed(rss("Kestrel news", "https://kestrel.example/news",
                                             RELEASES), "application/rss+xml", etag='"v1"'))
        server.publish("/discussions.atom", Feed(
            atom("Kestrel discussions", "https://github.com/kestrel/print/discussions",
                 DISCUSSIONS, "2026-03-05T12:40:00Z"),
            "application/atom+xml; charset=utf-8", last_modified=LAST_MODIFIED))
        yield server


@pytest.fixture
def store(tmp_path: Path):
    opened = Store(tmp_path / "f.db")
    yield opened
    opened.close()


def run(store: Store, fake: FeedFake, path: str, **request):
    source = FeedSource("news", f"{fake.url}{path}", backoff=FAST)
    return pipeline.pull(store, "news", source, FetchRequest(load_cursors(store, "news"), **request),
                         NOW)


def test_an_rss_feed_becomes_threads(fake, store):
    report = run(store, fake, "/news.rss")
    assert (report.new_threads, report.requests, report.error) == (2, 1, None)
    first = store.query_one("SELECT * FROM threads WHERE native_id = 'kestrel-print-5-2'")
    assert (first["title"], first["author"], first["url"], first["created_at"], first["tags_json"],
            first["markup_format"]) == (
        "Kestrel Print 5.2 released", "Kestrel Team", "https://kestrel.example/news/5-2",
        "2026-03-02T09:30:00+00:00", '["release"]', "html")
    assert first["body_text"] == ("Version 5.2 adds scan-to-mail retries.\n\n"
                                  "```\nkp-admin upgrade --to 5.2\n```")
    assert load_cursors(store, "news") == {"feed": {"etag": '"v1"'}}


def test_an_unchanged_feed_costs_one_request_and_yields_nothing(fake, store):
    run(store, fake, "/news.rss")
    again = run(store, fake, "/news.rss")
    assert (again.new_threads, again.updated_threads, again.requests) == (0, 0, 1)
    assert fake.seen[-1].headers["if-none-match"] == '"v1"'
    assert fake.seen[-1].status == 304

    newer = Entry("kestrel-print-5-3", "Kestrel Print 5.3 released",
                  "https://kestrel.example/news/5-3", "2026-03-09T08:00:00Z", "Kestrel Team",
                  "<p>5.3 brings ARM drivers.</p>", ("release",))
    fake.publish("/news.rss", Feed(rss("Kestrel news", "https://kestrel.example/news",
                                       [newer, *RELEASES]), "application/rss+xml", etag='"v2"'))
    changed = run(store, fake, "/news.rss")
    assert (changed.new_threads, changed.updated_threads, changed.requests) == (1, 0, 1)
    assert load_cursors(store, "news") == {"feed": {"etag": '"v2"'}}


def test_last_modified_is_sent_back_as_if_modified_since(fake, store):
    first = run(store, fake, "/discussions.atom")
    assert first.new_threads == 2
    row = store.query_one("SELECT * FROM threads WHERE native_id = ?", (DISCUSSIONS[0].id,))
    assert (row["author"], row["created_at"], row["last_activity_at"], row["body_text"]) == (
        "lucia-m", "2026-03-03T08:00:00+00:00", "2026-03-04T10:15:00+00:00",
        "Since 5.2 tray 3 always picks A4. Anyone else?")
    assert load_cursors(store, "news") == {"feed": {"modified": LAST_MODIFIED}}
    again = run(store, fake, "/discussions.atom")
    assert (again.new_threads, again.requests) == (0, 1)
    assert fake.seen[-1].headers["if-modified-since"] == LAST_MODIFIED
    assert fake.seen[-1].status == 304


def test_a_feed_without_validators_is_reread_and_adds_nothing(fake, store):
    fake.publish("/plain.rss", Feed(rss("Plain", "https://x.example", RELEASES), "text/xml"))
    assert run(store, fake, "/plain.rss").new_threads == 2
    again = run(store, fake, "/plain.rss")
    assert (again.new_threads, again.updated_threads, again.requests) == (0, 0, 1)
    assert "if-none-match" not in fake.seen[-1].headers
    assert load_cursors(store, "news") == {"feed": {}}


def test_since_skips_older_entries(fake, store):
    report = run(store, fake, "/news.rss", since=datetime(2026, 3, 1, tzinfo=UTC))
    assert report.new_threads == 1


def test_faults_are_retried(fake, store):
    fake.inject("500", "/news.rss")
    fake.inject("truncate", "/news.rss")
    fake.inject("429", "/news.rss", retry_after="0")
    report = run(store, fake, "/news.rss")
    assert (report.new_threads, report.requests, report.error) == (2, 4, None)


def test_something_that_is_not_a_feed_is_reported(fake, store):
    fake.publish("/page.html", Feed(b"<html><body><p>Maintenance</p>", "text/html"))
    report = run(store, fake, "/page.html")
    assert report.error.startswith(f"community 'news', {fake.url}/page.html: not an RSS or Atom "
                                   "feed (")
    assert report.requests == 1
    assert load_cursors(store, "news") == {}
    missing = run(store, fake, "/gone.rss")
    assert missing.error == f"community 'news', {fake.url}/gone.rss: nothing here (HTTP 404)"


def test_entries_without_a_date_fall_back_to_the_feed_time(fake, store):
    undated = replace(DISCUSSIONS[1], id="tag:github.com,2008:DiscussionComment/103")
    body = atom("Kestrel discussions", "https://github.com/kestrel/print/discussions",
                [undated], "2026-03-06T07:00:00Z")
    body = body.replace(b"<published>2026-03-05T12:40:00Z</published>", b"").replace(
        b"<updated>2026-03-05T12:40:00Z</updated>", b"")
    fake.publish("/undated.atom", Feed(body, "application/atom+xml"))
    run(store, fake, "/undated.atom")
    assert store.scalar("SELECT created_at FROM threads") == "2026-03-06T07:00:00+00:00"


def test_the_playbook_builds_feed_sources(fake, tmp_path):
    (tmp_path / "b.toml").write_text(f"""\
version = 1
[startup]
name = "Tern Works"
domains = ["ternworks.example"]
disclosure = "Disclosure: I co-founded Tern Works."
[[founders]]
name = "Ada Quintero"
[founders.handles]
feed = "ada"
[[capabilities]]
id = "print"
description = "Printing."
keywords = ["print"]
examples = ["Printing fails."]
[[communities]]
id = "news"
name = "Vendor news"
platform = "feed"
locator = "{fake.url}/news.rss"
[[communities]]
id = "bad"
name = "Not a URL"
platform = "feed"
locator = "news.rss"
[user_types]
vendor = {{ names = ["Kestrel"], domains = ["kestrel.example"] }}
[scoring]
answer_within_hours = 24
""")
    playbook = load_playbook(tmp_path / "b.toml")
    with Store(tmp_path / "p.db") as db:
        reports = pipeline.fetch(db, playbook, now=NOW, source_options={"backoff": FAST})
        assert [(r.community_id, r.new_threads, r.error) for r in reports] == [
            ("news", 2, None), ("bad", 0, "community 'bad': 'news.rss' is not a feed URL (https://…)")]
    with pytest.raises(SourceConfigError):
        build_source(playbook.community("bad"), playbook)
