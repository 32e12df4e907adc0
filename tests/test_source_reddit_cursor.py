"""Incremental Reddit passes: what they cost, where the cursor ends, and how
they survive the faults the loopback Reddit injects.

Submissions are synthesised by the fake from a real recorded submission, so
counts can be large. ``Store`` plays the pipeline's part: it applies a batch
and its cursor together, and keeps nothing from a batch that never arrived.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from assistant.domain import Batch, Thread
from assistant.sources.base import (
    FetchRequest,
    SourceDataError,
    SourceError,
    SourceRateLimited,
    SourceUnavailable,
)
from assistant.sources.reddit import RedditSource
from assistant.sources.reddit_http import RetryPolicy
from tests.fakes.reddit_server import RedditFake, settings_for
from tests.shared_data import shared_path

pytestmark = pytest.mark.shared_data
NEW = "/r/KestrelDesk/new"


class Store:
    """The pipeline's promise: a batch and its cursor are stored together."""

    def __init__(self) -> None:
        self.threads: dict[str, Thread] = {}
        self.writes: Counter[str] = Counter()
        self.cursors: dict[str, dict[str, Any]] = {}
        self.requests = 0

    def apply(self, batch: Batch) -> None:
        for thread in batch.threads:
            self.threads[thread.native_id] = thread
            self.writes[thread.native_id] += 1
        if batch.cursor is not None:
            self.cursors[batch.stream] = batch.cursor
        self.requests += batch.requests

    def run(self, source: RedditSource, **request: Any) -> list[Batch]:
        batches = []
        for batch in source.fetch(FetchRequest(cursors=dict(self.cursors), **request)):
            self.apply(batch)
            batches.append(batch)
        return batches

    def fails(self, source: RedditSource, **request: Any) -> SourceError:
        with pytest.raises(SourceError) as failure:
            self.run(source, **request)
        return failure.value


@pytest.fixture(scope="module")
def cassettes() -> Path:
    return shared_path("reddit", "cassettes")


@pytest.fixture
def fake(cassettes: Path):
    with RedditFake(cassettes) as server:
        yield server


class Waits(list):
    """Stands in for time.sleep: records what the policy asked for."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def waits() -> Waits:
    return Waits()


def make_source(fake: RedditFake, waits: Waits, **options: Any) -> RedditSource:
    policy = {"base_delay": 0.5, "jitter": 0.25, "timeout": 10.0, "sleep": waits}
    policy.update(options.pop("policy", {}))
    return RedditSource(
        "r-kestreldesk",
        "r/KestrelDesk",
        settings=settings_for(fake),
        retry=RetryPolicy(**policy),
        **options,
    )


@pytest.fixture
def watched(fake, waits) -> tuple[Store, RedditSource, list[dict[str, Any]]]:
    """A subreddit already read once: one old submission, cursor on it."""
    old = fake.add_submissions("KestrelDesk", 1)
    store, source = Store(), make_source(fake, waits)
    store.run(source)
    assert store.cursors["submissions"]["fullname"] == old[0]["name"]
    fake.reset_counts()
    store.requests = 0
    return store, source, old


def newest_cursor(posted: list[dict[str, Any]]) -> dict[str, Any]:
    return {"fullname": posted[-1]["name"], "created_utc": posted[-1]["created_utc"]}


def assert_stored_once(store: Store, posted: list[dict[str, Any]]) -> None:
    for data in posted:
        assert store.writes[data["id"]] == 1, data["id"]


# -- what a pass costs ----------------------------------------------------------
def test_a_thousand_new_submissions_take_eleven_listing_requests(fake, watched):
    store, source, old = watched
    posted = fake.add_submissions("KestrelDesk", 1000)

    batches = store.run(source)

    assert fake.count(NEW) == 11  # ten pages of new ones, the cursor on the eleventh
    assert len(batches) == 10
    assert [len(b.threads) for b in batches] == [100] * 10
    assert [t.native_id for b in batches for t in b.threads] == [p["id"] for p in posted]
    for batch in batches:
        assert batch.cursor == {
            "fullname": f"t3_{batch.threads[-1].native_id}",
            "created_utc": batch.threads[-1].created_at.timestamp(),
        }
    assert store.cursors["submissions"] == newest_cursor(posted)
    assert_stored_once(store, [*old, *posted])
    assert store.requests == fake.count() == 11


def test_a_pass_with_nothing_new_costs_one_listing_request(fake, watched):
    store, source, old = watched

    (batch,) = store.run(source)

    assert fake.count(NEW) == 1
    assert batch.threads == [] and batch.requests == 1
    assert store.cursors["submissions"] == newest_cursor(old)


def test_the_first_pass_reads_back_only_as_far_as_asked(fake, waits):
    posted = fake.add_submissions("KestrelDesk", 450)
    store = Store()

    store.run(make_source(fake, waits, first_pass_limit=250))

    assert sorted(store.threads) == sorted(p["id"] for p in posted[-250:])
    assert fake.count(NEW) == 3
    assert store.cursors["submissions"] == newest_cursor(posted)

    since = datetime.fromtimestamp(posted[400]["created_utc"], tz=UTC)
    other = Store()
    other.run(make_source(fake, waits), since=since)
    assert sorted(other.threads) == sorted(p["id"] for p in posted[400:])


def test_a_deleted_cursor_submission_still_stops_the_walk(fake, waits):
    old = fake.add_submissions("KestrelDesk", 3)
    store, source = Store(), make_source(fake, waits)
    store.run(source)
    fake.remove_submission("KestrelDesk", old[-1]["name"])
    posted = fake.add_submissions("KestrelDesk", 150)
    fake.reset_counts()

    batches = store.run(source)

    assert [t.native_id for b in batches for t in b.threads] == [p["id"] for p in posted]
    assert fake.count(NEW) == 2
    assert batches[0].problems == []
    assert store.cursors["submissions"] == newest_cursor(posted)


def test_a_limit_with_a_cursor_takes_the_oldest_so_nothing_is_skipped(fake, watched):
    store, source, _ = watched
    posted = fake.add_submissions("KestrelDesk", 250)

    store.run(source, limit=100)
    assert sorted(store.threads)[1:] == sorted(p["id"] for p in posted[:100])
    assert store.cursors["submissions"] == newest_cursor(posted[:100])

    store.run(source, limit=100)
    store.run(source, limit=100)
    assert_stored_once(store, posted)
    assert store.cursors["submissions"] == newest_cursor(posted)


def test_a_gap_longer_than_reddit_lists_is_reported(cassettes, waits):
    with RedditFake(cassettes, listing_depth=1000) as fake:
        store, source = Store(), make_source(fake, waits)
        fake.add_submissions("KestrelDesk", 1)
        store.run(source)
        posted = fake.add_submissions("KestrelDesk", 1100)
        fake.reset_counts()

        batches = store.run(source)

        assert sorted(store.threads)[1:] == sorted(p["id"] for p in posted[100:])
        assert fake.count(NEW) == 10
        (note,) = batches[0].problems
        assert note.startswith(f"{fake.url}{NEW} ended before the stored cursor t3_")
        assert "more was posted since the last pass than the 1000 Reddit lists" in note
        assert store.cursors["submissions"] == newest_cursor(posted)


# -- faults -------------------------------------------------------------------
def test_429_is_retried_after_the_time_reddit_asks(fake, watched, waits):
    store, source, _ = watched
    posted = fake.add_submissions("KestrelDesk", 300)
    fake.inject("429", path=NEW, skip=2, retry_after=7)

    store.run(source)

    assert waits == [7.0]
    assert fake.count(NEW) == 5  # four pages, one of them twice
    assert_stored_once(store, posted)
    assert store.cursors["submissions"] == newest_cursor(posted)


def test_429_that_does_not_stop_is_reported_and_the_cursor_stays(fake, watched, waits):
    store, source, old = watched
    posted = fake.add_submissions("KestrelDesk", 300)
    fake.inject("429", path=NEW, skip=1, times=4, retry_after=2)

    error = store.fails(source)

    assert isinstance(error, SourceRateLimited)
    after = posted[-100]["name"]
    assert str(error) == (
        f"community 'r-kestreldesk', {fake.url}{NEW}?limit=100&after={after}: "
        "Reddit kept failing: HTTP 429 with Retry-After 2s (4 attempts)"
    )
    assert waits == [2.0, 2.0, 2.0]
    assert sorted(store.threads) == [old[0]["id"]]
    assert store.cursors["submissions"] == newest_cursor(old)

    store.run(source)
    assert_stored_once(store, [*old, *posted])
    assert store.cursors["submissions"] == newest_cursor(posted)


def test_a_retry_after_beyond_patience_is_not_waited_for(fake, watched, waits):
    store, source, old = watched
    fake.add_submissions("KestrelDesk", 10)
    fake.inject("429", path=NEW, retry_after=3600)

    error = store.fails(source)

    assert isinstance(error, SourceRateLimited)
    assert "Retry-After 3600s (1 attempts)" in str(error)
    assert waits == [] and fake.count(NEW) == 1
    assert store.cursors["submissions"] == newest_cursor(old)


def test_500_is_retried_with_exponential_backoff(fake, watched, waits):
    store, source, _ = watched
    posted = fake.add_submissions("KestrelDesk", 120)
    fake.inject("500", path=NEW, times=2)

    store.run(source)

    assert len(waits) == 2
    assert 0.5 <= waits[0] <= 0.625 and 1.0 <= waits[1] <= 1.25
    assert fake.count(NEW) == 4
    assert_stored_once(store, posted)


def test_500_that_does_not_stop_is_unavailable(fake, watched, waits):
    store, source, old = watched
    fake.add_submissions("KestrelDesk", 10)
    fake.inject("500", path=NEW, times=4)

    error = store.fails(source)

    assert isinstance(error, SourceUnavailable)
    assert str(error) == (
        f"community 'r-kestreldesk', {fake.url}{NEW}?limit=100: "
        "Reddit kept failing: HTTP 500 (4 attempts)"
    )
    assert store.cursors["submissions"] == newest_cursor(old)


def test_a_slow_answer_times_out_and_is_retried(fake, watched, waits):
    store, _, _ = watched
    source = make_source(fake, waits, policy={"timeout": 0.3})
    posted = fake.add_submissions("KestrelDesk", 150)
    fake.inject("slow", path=NEW, skip=1, delay=2.0)

    store.run(source)

    assert fake.count(NEW) == 3
    assert_stored_once(store, posted)
    assert store.cursors["submissions"] == newest_cursor(posted)


def test_an_answer_that_never_comes_is_unavailable(fake, watched, waits):
    store, _, old = watched
    source = make_source(fake, waits, policy={"timeout": 0.2, "attempts": 2})
    fake.add_submissions("KestrelDesk", 10)
    fake.inject("slow", path=NEW, times=2, delay=2.0)

    error = store.fails(source)

    assert isinstance(error, SourceUnavailable)
    assert str(error).endswith("Reddit kept failing: no answer within 0.2s (2 attempts)")
    assert store.cursors["submissions"] == newest_cursor(old)


def test_malformed_json_is_reported_and_the_next_pass_recovers(fake, watched, waits):
    store, source, old = watched
    posted = fake.add_submissions("KestrelDesk", 250)
    fake.inject("malformed", path=NEW, skip=1)

    error = store.fails(source)

    assert isinstance(error, SourceDataError)
    after = posted[-100]["name"]
    assert str(error) == (
        f"community 'r-kestreldesk', {fake.url}{NEW}?limit=100&after={after}: "
        "Reddit answered with malformed JSON"
    )
    assert sorted(store.threads) == [old[0]["id"]]
    assert store.cursors["submissions"] == newest_cursor(old)

    store.run(source)
    assert_stored_once(store, [*old, *posted])
    assert store.cursors["submissions"] == newest_cursor(posted)


def test_a_page_cut_off_mid_answer_is_fetched_again(fake, watched, waits):
    store, source, _ = watched
    posted = fake.add_submissions("KestrelDesk", 250)
    fake.inject("truncate", path=NEW, skip=1)

    store.run(source)

    assert fake.count(NEW) == 4
    assert len(waits) == 1
    assert_stored_once(store, posted)


def test_pages_cut_off_every_time_are_unavailable(fake, watched, waits):
    store, source, old = watched
    fake.add_submissions("KestrelDesk", 10)
    fake.inject("truncate", path=NEW, times=4)

    error = store.fails(source)

    assert isinstance(error, SourceUnavailable)
    assert "the answer was cut off before its end (4 attempts)" in str(error)
    assert store.cursors["submissions"] == newest_cursor(old)


# -- comments within a pass ---------------------------------------------------------
def test_comments_of_new_threads_with_replies_come_along(fake, watched, waits):
    store, _, _ = watched
    source = make_source(fake, waits, comment_threads=2)
    posted = fake.add_submissions("KestrelDesk", 5, num_comments=[0, 3, 1, 4, 2])

    store.run(source)

    fetched = sorted(r.path for r in fake.requests if r.path.startswith("/comments/"))
    assert fetched == sorted(f"/comments/{posted[i]['id']}" for i in (3, 4))
    assert_stored_once(store, posted)


def test_comments_that_fail_are_reported_and_threads_still_stored(fake, watched, waits):
    store, _, _ = watched
    source = make_source(fake, waits, comment_threads=3)
    posted = fake.add_submissions("KestrelDesk", 4, num_comments=[2, 2, 2, 2])
    fake.inject("500", path=f"/comments/{posted[1]['id']}", times=4)
    fake.inject("429", path=f"/comments/{posted[2]['id']}", times=4, retry_after=1)

    (batch,) = store.run(source)

    assert batch.problems[0] == (
        f"comments of thread {posted[1]['id']} not read: community 'r-kestreldesk', "
        f"{fake.url}/comments/{posted[1]['id']}/?limit=2048&sort=confidence: "
        "Reddit kept failing: HTTP 500 (4 attempts)"
    )
    assert batch.problems[1].startswith("comments skipped for the rest of the pass: ")
    assert "HTTP 429 with Retry-After 1s (4 attempts)" in batch.problems[1]
    assert len(batch.problems) == 2
    assert fake.count(f"/comments/{posted[0]['id']}") == 0  # older than the three newest
    assert fake.count(f"/comments/{posted[3]['id']}") == 0  # not asked once Reddit said stop
    assert_stored_once(store, posted)
    assert store.cursors["submissions"] == newest_cursor(posted)


def test_watched_threads_are_reread_only_when_their_replies_grew(fake, watched, waits):
    store, source, _ = watched
    posted = fake.add_submissions("KestrelDesk", 3)
    store.run(source)
    fake.reset_counts()
    fake.things[posted[1]["name"]]["data"]["num_comments"] = 2  # replies arrived later

    batches = store.run(source, watch={data["id"]: 0 for data in posted})

    paths = [r.path for r in fake.requests]
    assert paths.count("/api/info") == 1
    assert [p for p in paths if p.startswith("/comments/")] == [f"/comments/{posted[1]['id']}"]
    refreshed = [b for b in batches if b.stream == "refresh"]
    assert [t.native_id for t in refreshed[0].threads] == [d["id"] for d in posted]
    assert all(b.cursor is None for b in batches if b.stream in ("refresh", "comments"))
