"""The Reddit source, driving real praw against a loopback Reddit that replays
the responses praw's own test-suite recorded from the real API.

Expected values are read straight from the cassette JSON here, independently
of the fake's own indexing.
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from assistant.sources.base import FetchRequest, SourceNotFound
from assistant.sources.reddit import RedditSource, fetch_async, in_thread
from assistant.sources.reddit_http import RetryPolicy
from tests.fakes.reddit_server import SYNTHETIC_START, RedditFake, settings_for
from tests.shared_data import shared_path

pytestmark = pytest.mark.shared_data


@pytest.fixture(scope="module")
def cassettes() -> Path:
    return shared_path("reddit", "cassettes")


@pytest.fixture
def fake(cassettes: Path):
    with RedditFake(cassettes) as server:
        yield server


def make_source(fake: RedditFake, locator: str = "r/KestrelDesk", **options: Any) -> RedditSource:
    options.setdefault("retry", RetryPolicy(base_delay=0.001, timeout=10.0, sleep=lambda _s: None))
    return RedditSource("reddit-test", locator, settings=settings_for(fake), **options)


def recorded(cassettes: Path, name: str, index: int = 1) -> Any:
    cassette = json.loads((cassettes / f"{name}.json").read_text(encoding="utf-8"))
    return json.loads(cassette["interactions"][index]["response"]["body"]["string"])


def recorded_things(cassettes: Path, name: str = "*") -> dict[str, dict[str, Any]]:
    """Every comment and submission anywhere in the cassettes' responses,
    replies included, by fullname."""
    found: dict[str, dict[str, Any]] = {}

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            if node.get("kind") in {"t1", "t3"}:
                found.setdefault(node["data"]["name"], node["data"])
                walk(node["data"].get("replies") or [])
            elif node.get("kind") == "Listing":
                walk(node["data"]["children"])
            elif "json" in node:
                walk(node["json"]["data"]["things"])

    for path in sorted(cassettes.glob(f"{name}.json")):
        cassette = json.loads(path.read_text(encoding="utf-8"))
        for interaction in cassette["interactions"][1:]:
            walk(json.loads(interaction["response"]["body"]["string"]))
    return found


def recorded_comments(cassettes: Path, name: str) -> dict[str, dict[str, Any]]:
    return {
        data["id"]: data
        for fullname, data in recorded_things(cassettes, name).items()
        if fullname.startswith("t1_")
    }


def at(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, tz=UTC)


# -- listings -----------------------------------------------------------------
def test_new_listing_page_becomes_threads_oldest_first(fake, cassettes):
    listing = recorded(cassettes, "TestSubredditListings.test_new")["data"]["children"]
    source = make_source(fake, "r/AskReddit", comment_threads=0)

    batches = list(source.fetch(FetchRequest(cursors={}, limit=100)))

    assert len(batches) == 1
    batch = batches[0]
    assert [t.native_id for t in batch.threads] == [c["data"]["id"] for c in reversed(listing)]
    newest = listing[0]["data"]
    assert batch.cursor == {"fullname": newest["name"], "created_utc": newest["created_utc"]}
    assert batch.stream == "submissions"
    first = listing[-1]["data"]
    thread = batch.threads[0]
    assert thread.title == first["title"]
    assert thread.author == first["author"]
    assert thread.created_at == at(first["created_utc"])
    assert thread.created_at.tzinfo is UTC
    assert thread.score == first["score"]
    assert thread.reply_count == first["num_comments"]
    assert thread.url == "https://www.reddit.com" + first["permalink"]
    assert thread.markup_format == "markdown"
    assert thread.raw["name"] == first["name"]
    selfposts = [c["data"] for c in listing if c["data"]["selftext"]]
    by_id = {t.native_id: t for t in batch.threads}
    for data in selfposts:
        assert by_id[data["id"]].body_markup == data["selftext"]
        assert by_id[data["id"]].body_text
    authors = {c["data"]["author"] for c in listing if c["data"]["author"] != "[deleted]"}
    assert {m.handle for m in batch.members} == authors
    assert fake.count("/r/AskReddit/new") == 1
    assert batch.requests == fake.count() == 2  # the token, then one page
    assert fake.unmatched == []


def test_distinguished_moderators_and_admins_are_staff(fake, cassettes):
    source = make_source(fake, "r/AskReddit")
    batch = source.user_history("spez", kind="submitted")
    listing = recorded(cassettes, "TestRedditorListings.test_submissions__new")["data"]["children"]
    marks = {c["data"]["id"]: c["data"]["distinguished"] for c in listing}
    assert len(batch.threads) == 100
    for thread in batch.threads:
        assert thread.author_is_staff == (marks[thread.native_id] in {"moderator", "admin"})
    assert sum(t.author_is_staff for t in batch.threads) == 14
    (spez,) = batch.members
    assert (spez.handle, spez.is_staff, spez.is_moderator) == ("spez", True, True)


# -- a submission and its comment tree -----------------------------------------
def test_comment_tree_expands_morechildren_and_continue_threads(fake, cassettes):
    expected = recorded_comments(cassettes, "TestCommentForest.test_replace__all")
    source = make_source(fake, "r/funny", replace_more_limit=32)

    thread = source.thread("3hahrw")

    assert len(thread.posts) == len(expected) == 541
    assert {p.native_id for p in thread.posts} == set(expected)
    assert fake.count("/api/morechildren", method="POST") == 12
    continued = [r for r in fake.requests if r.path.startswith("/comments/3hahrw/_/")]
    assert len(continued) == 6
    assert [p.position for p in thread.posts] == list(range(1, 542))
    times = [p.created_at for p in thread.posts]
    assert times == sorted(times)
    for post in thread.posts:
        data = expected[post.native_id]
        parent = data["parent_id"]
        assert post.parent_native_id == (parent[3:] if parent.startswith("t1_") else None)
        assert post.thread_native_id == "3hahrw"
        assert post.score == data["score"]
    top_level = sum(1 for d in expected.values() if d["parent_id"] == "t3_3hahrw")
    assert sum(1 for p in thread.posts if p.parent_native_id is None) == top_level
    assert thread.last_activity_at == max(times)
    assert fake.unmatched == []


def test_deleted_comments_keep_no_author_and_no_text(fake, cassettes):
    expected = recorded_comments(cassettes, "TestCommentForest.test_replace__all")
    source = make_source(fake, "r/funny", replace_more_limit=32)

    thread = source.thread("3hahrw")

    deleted = {i for i, d in expected.items() if d["body"] == "[deleted]"}
    anonymous = {i for i, d in expected.items() if d["author"] == "[deleted]"}
    assert (len(deleted), len(anonymous)) == (6, 16)
    by_id = {p.native_id: p for p in thread.posts}
    for native_id in deleted:
        assert by_id[native_id].body_text == ""
        assert by_id[native_id].body_markup == "[deleted]"
    assert {p.native_id for p in thread.posts if p.author is None} == anonymous
    kept = [p for i, p in by_id.items() if i not in deleted]
    assert all(p.body_markup == expected[p.native_id]["body"] for p in kept)


def test_replace_more_is_bounded(fake):
    source = make_source(fake, "r/funny", replace_more_limit=3)

    thread = source.thread("3hahrw")

    expansions = fake.count("/api/morechildren") + sum(
        1 for r in fake.requests if r.path.startswith("/comments/3hahrw/_/")
    )
    assert expansions == 3
    assert fake.count("/comments/3hahrw") == 1
    assert 0 < len(thread.posts) < 541


def test_removed_and_deleted_submissions_are_marked(fake, cassettes):
    things = []
    for index in (1, 2, 3):
        things += recorded(cassettes, "TestReddit.test_info", index)["data"]["children"]
    submissions = [t["data"] for t in things if t["kind"] == "t3"]
    source = make_source(fake, "r/AskReddit")

    batch = source.refresh([s["id"] for s in submissions])

    assert len(batch.threads) == len(submissions) == 97
    by_id = {t.native_id: t for t in batch.threads}
    withdrawn = [s for s in submissions if s["selftext"] in {"[deleted]", "[removed]"}]
    assert len(withdrawn) == 9
    for data in withdrawn:
        thread = by_id[data["id"]]
        assert thread.body_text == ""
        assert thread.body_markup == data["selftext"]
        assert thread.author == (None if data["author"] == "[deleted]" else data["author"])
    assert sum(1 for t in batch.threads if t.author is None) == 3
    assert None not in {m.handle for m in batch.members}
    assert fake.count("/api/info") == 1


def test_a_thread_that_does_not_exist_is_reported(fake):
    source = make_source(fake, "r/funny")
    with pytest.raises(SourceNotFound) as failure:
        source.thread("zzzzzz")
    message = str(failure.value)
    assert message.startswith(f"community 'reddit-test', {fake.url}/comments/zzzzzz/")
    assert "HTTP 404" in message
    (batch,) = source.fetch_threads(["zzzzzz"])
    assert batch.threads == [] and len(batch.problems) == 1


# -- a user's history ------------------------------------------------------------
def test_user_overview_splits_comments_and_submissions(fake, cassettes):
    listing = recorded(cassettes, "TestRedditorListings.test_overview__new")["data"]["children"]
    source = make_source(fake, "r/redditstock")

    batch = source.user_history("spez")

    comments = [c["data"] for c in listing if c["kind"] == "t1"]
    submissions = [c["data"] for c in listing if c["kind"] == "t3"]
    assert (len(batch.posts), len(batch.threads)) == (len(comments), len(submissions)) == (90, 10)
    assert [p.native_id for p in batch.posts] == [c["id"] for c in comments]
    post, data = batch.posts[0], comments[0]
    assert post.thread_native_id == data["link_id"][3:]
    assert post.body_markup == data["body"]
    assert post.created_at == at(data["created_utc"])
    assert post.url == "https://www.reddit.com" + data["permalink"]
    assert sum(p.author_is_staff for p in batch.posts) == 85
    assert batch.stream == "user:spez"
    assert fake.count("/user/spez/overview") == 1


def test_user_comments_listing(fake, cassettes):
    listing = recorded(cassettes, "TestRedditorListings.test_comments__new")["data"]["children"]
    source = make_source(fake, "r/AskReddit")

    batch = source.user_history("spez", kind="comments")

    assert [p.native_id for p in batch.posts] == [c["data"]["id"] for c in listing]
    assert batch.threads == []
    # comments recorded in 2016 carry no permalink: the link is rebuilt
    first = listing[0]["data"]
    assert batch.posts[0].url == (
        f"https://www.reddit.com/comments/{first['link_id'][3:]}/_/{first['id']}/"
    )


def test_pagination_follows_after_through_every_recorded_page(fake, cassettes):
    names = []
    for index in range(1, 12):
        names += [
            c["data"]["name"]
            for c in recorded(cassettes, "TestListingGenerator.test_exhaust_items", index)["data"][
                "children"
            ]
        ]
    source = make_source(fake, "r/AskReddit")

    batch = source.user_history("spez", sort="top", time_filter="all", limit=None)

    got = [f"t1_{p.native_id}" for p in batch.posts] + [f"t3_{t.native_id}" for t in batch.threads]
    assert sorted(got) == sorted(names)
    assert (len(batch.posts), len(batch.threads)) == (990, 11)
    assert fake.count("/user/spez/overview") == 11
    assert batch.requests == 12  # a token and eleven pages
    assert fake.unmatched == []


def test_founders_stream_keeps_this_subreddit_and_the_threads_answered(fake, cassettes):
    listing = recorded(cassettes, "TestRedditorListings.test_overview__new")["data"]["children"]
    here = [c for c in listing if c["data"]["subreddit"] == "redditstock"]
    everything = recorded_things(cassettes)
    cassette_threads = {
        c["data"]["link_id"][3:]
        for c in here
        if c["kind"] == "t1" and c["data"]["link_id"] in everything
    }
    source = make_source(fake, "r/redditstock", founders=["spez"], first_pass_limit=100)
    fake.add_submissions("redditstock", 0)  # an empty /new, so the pass reaches the founder

    batches = list(source.fetch(FetchRequest(cursors={})))

    founder = batches[-1]
    assert founder.stream == "user:spez"
    assert [p.native_id for p in founder.posts] == [
        c["data"]["id"]
        for c in sorted(here, key=lambda c: c["data"]["created_utc"])
        if c["kind"] == "t1"
    ]
    assert len(founder.posts) == 26
    submitted = {c["data"]["id"] for c in here if c["kind"] == "t3"}
    assert len(cassette_threads) == 3  # the others were never recorded: their posts stand alone
    assert {t.native_id for t in founder.threads} == submitted | cassette_threads
    assert fake.count("/api/info") == 1
    newest = listing[0]["data"]
    assert founder.cursor == {"fullname": newest["name"], "created_utc": newest["created_utc"]}

    fake.reset_counts()
    again = list(source.fetch(FetchRequest(cursors={"user:spez": founder.cursor})))
    assert again[-1].posts == [] and again[-1].cursor == founder.cursor
    assert fake.count("/user/spez/overview") == 1


# -- search --------------------------------------------------------------------
def test_recorded_search_across_all_of_reddit(fake, cassettes):
    listing = recorded(cassettes, "TestSubreddit.test_search")["data"]["children"]
    source = make_source(fake, "r/redditdev")

    batch = source.search(
        query="praw oauth search", subreddits=["all"], sort="relevance", time_filter="all"
    )

    assert [t.native_id for t in batch.threads] == [c["data"]["id"] for c in listing]
    assert [t.title for t in batch.threads] == [c["data"]["title"] for c in listing]
    (request,) = [r for r in fake.requests if r.path == "/r/all/search"]
    assert request.params["q"] == "praw oauth search"
    assert request.params["restrict_sr"] == "False"


def test_keyword_search_finds_any_capability_keyword(fake):
    fake.add_submissions(
        "KestrelDesk",
        4,
        titles=[
            "IMAP fetch stopped after password change",
            "Lunch thread",
            "SLA clock ignores business hours on Sundays",
            "Our imap mailbox duplicates tickets",
        ],
        selftexts=["My own words.", "Nothing to see.", "Timers keep running.", "Twice each mail."],
    )
    fake.add_submissions(
        "HelpDeskTalk",
        2,
        start=SYNTHETIC_START + 3600,
        titles=["Business hours per team?", "Hello"],
        selftexts=["", ""],
    )
    source = make_source(fake)

    batch = source.search(["imap", "business hours"], subreddits=["KestrelDesk", "r/HelpDeskTalk"])

    assert [t.title for t in batch.threads] == [
        "Business hours per team?",
        "Our imap mailbox duplicates tickets",
        "SLA clock ignores business hours on Sundays",
        "IMAP fetch stopped after password change",
    ]
    (request,) = [r for r in fake.requests if r.path.endswith("/search")]
    assert request.path == "/r/kestreldesk+helpdesktalk/search"
    assert request.params["q"] == 'imap OR "business hours"'


# -- asyncio -------------------------------------------------------------------
async def test_fetch_async_runs_praw_off_the_event_loop(fake, caplog):
    fake.add_submissions("KestrelDesk", 250)
    source = make_source(fake)
    caplog.set_level(logging.WARNING)

    batches = [batch async for batch in fetch_async(source, FetchRequest(cursors={}))]
    thread = await in_thread(source.refresh, [batches[0].threads[0].native_id])

    assert [len(b.threads) for b in batches] == [100, 100, 50]
    assert thread.threads[0].native_id == batches[0].threads[0].native_id
    assert "asynchronous environment" not in caplog.text
    assert asyncio.get_running_loop() is not None
