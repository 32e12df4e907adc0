"""Reddit as a Beachhead source: one subreddit, read incrementally.

The community's locator is a subreddit (``r/KestrelDesk``, ``KestrelDesk`` or
a reddit.com URL). Credentials come from the environment or praw.ini (see
``reddit_client``). A pass yields these streams, each with its own cursor:

``submissions``
    The subreddit's ``/new`` listing. Cursor: ``{"fullname", "created_utc"}``
    of the newest submission stored. A pass walks ``/new`` from the top in
    pages of 100 and stops at the first item at or before the cursor (by
    name, or by time when that submission has since been deleted), so N new
    submissions cost ceil((N + 1) / 100) requests and history is never
    re-read. The walk runs newest → oldest, but a cursor may only move once
    everything newer than its old value is stored, so a pass collects first
    and then yields oldest first, 100 threads a batch, each batch's cursor
    being its newest thread. A failed walk yields nothing, and the next pass
    starts again from the same cursor. With a cursor, ``FetchRequest.limit``
    keeps the *oldest* new submissions, so the cursor never skips any.

``search`` (when the playbook's capabilities give keywords)
    This subreddit's submissions that mention any keyword, newest first, same
    cursor rules (the cursor also remembers the query: new keywords start
    afresh). On a first pass it reaches matching threads older than the
    1,000 that ``/new`` lists; afterwards it costs one request a pass.

``user:<handle>`` (one per founder handle in this community)
    The founder's recent comments and submissions, kept when they are in this
    subreddit, with the threads their comments answer.

Watched threads (``FetchRequest.watch``: open queue items, fresh problems)
    ``/new`` never shows that an old thread got replies, so these are checked
    with ``/api/info`` (100 a request) and the ones whose comment count grew
    are read again with their comments. No cursor: the store knows them.

Comments: for up to ``comment_threads`` of a pass's new threads that have
replies (newest first) the comment tree comes along (see ``reddit_reader`` for
the ``replace_more`` bound). Comments that fail are reported in
``Batch.problems``; the threads are stored regardless.

praw blocks: :func:`fetch_async` and :func:`in_thread` run it in a worker
thread for the Discord bot.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import Any, TypeVar

from assistant.domain import Batch, Thread
from assistant.sources.base import (
    FetchRequest,
    Source,
    SourceAuthError,
    SourceError,
    SourceNotFound,
    SourceRateLimited,
)
from assistant.sources.reddit_client import RedditSettings
from assistant.sources.reddit_http import RetryPolicy
from assistant.sources.reddit_normalise import attr, members_of, thread_from
from assistant.sources.reddit_reader import PAGE, RedditReader, age, keyword_queries, subreddit_of

SUBMISSIONS = "submissions"
SEARCH = "search"
LISTING_DEPTH = 1000
"""Reddit lists about this many items, however far ``after`` pages; a walk
that ends near it without meeting its cursor has missed something."""
T = TypeVar("T")


def _cursor(item: Any, **extra: Any) -> dict[str, Any]:
    return {
        "fullname": str(attr(item, "name")),
        "created_utc": float(attr(item, "created_utc")),
        **extra,
    }


class RedditSource(RedditReader):
    """One subreddit, incrementally; see the module docstring."""

    def __init__(
        self,
        community_id: str,
        locator: str,
        *,
        settings: RedditSettings | None = None,
        founders: Sequence[str] = (),
        keywords: Sequence[str] = (),
        comment_threads: int = 10,
        replace_more_limit: int | None = 8,
        first_pass_limit: int = 1000,
        retry: RetryPolicy | None = None,
    ) -> None:
        super().__init__(
            community_id,
            locator,
            settings=settings,
            replace_more_limit=replace_more_limit,
            retry=retry,
        )
        self.founders = tuple(founders)
        self.keywords = tuple(keywords)
        self.comment_threads = comment_threads
        self.first_pass_limit = first_pass_limit

    def fetch(self, request: FetchRequest) -> Iterator[Batch]:
        yield from self._incremental(
            SUBMISSIONS, f"/r/{self.subreddit}/new", {}, request, comments=True
        )
        for index, query in enumerate(keyword_queries(self.keywords)):
            stream = SEARCH if index == 0 else f"{SEARCH}:{index + 1}"
            params = {"q": query, "sort": "new", "t": "all", "restrict_sr": True}
            yield from self._incremental(
                stream, f"/r/{self.subreddit}/search", params, request, query=query
            )
        for handle in self.founders:
            yield from self._founder(handle, request)
        if request.watch:
            yield from self._watched(request.watch)

    def _watched(self, watch: dict[str, int]) -> Iterator[Batch]:
        """New replies to the threads that matter now: one ``/api/info``
        request per 100 tells which grew, and only those are read again."""
        ids = list(watch)
        grown: list[str] = []
        for start in range(0, len(ids), PAGE):
            try:
                batch = self.refresh(ids[start : start + PAGE])
            except SourceError as exc:
                yield Batch(stream="refresh", problems=[f"watched threads not refreshed: {exc}"])
                return
            grown.extend(
                thread.native_id for thread in batch.threads
                if (thread.reply_count or 0) > watch.get(thread.native_id, 0)
            )
            yield batch
        yield from self.fetch_threads(grown)

    def _incremental(
        self,
        stream: str,
        path: str,
        params: dict[str, Any],
        request: FetchRequest,
        *,
        comments: bool = False,
        **remember: Any,
    ) -> Iterator[Batch]:
        """One newest-first listing, from its cursor; see the module docstring."""
        cursor = request.cursors.get(stream) or None
        if cursor and any(cursor.get(key) != value for key, value in remember.items()):
            cursor = None  # the question changed: its old answer is no bound
        since = request.since.timestamp() if request.since else None
        cap = None if cursor else (request.limit or self.first_pass_limit)
        walk = self._walk(path, params, stop=cursor, since=since, cap=cap)
        problems: list[str] = []
        if cursor and not walk.reached and len(walk.items) >= LISTING_DEPTH - PAGE:
            problems.append(
                f"{self._url(path)} ended before the stored cursor {cursor.get('fullname')}: "
                f"more was posted since the last pass than the {LISTING_DEPTH} Reddit lists, "
                "and the oldest of it was not read"
            )
        found = sorted(walk.items, key=age)
        if cursor and request.limit:
            found = found[: request.limit]  # the oldest first, so the cursor skips nothing
        if not found:
            yield Batch(stream=stream, cursor=cursor, requests=walk.requests, problems=problems)
            return
        with_replies = [item for item in reversed(found) if (attr(item, "num_comments") or 0) > 0]
        wanted = (
            {attr(item, "id") for item in with_replies[: self.comment_threads]}
            if comments
            else set()
        )
        owed = walk.requests
        for start in range(0, len(found), PAGE):
            chunk = found[start : start + PAGE]
            before = self.log.total
            threads, authored = self._threads(chunk, wanted, problems)
            yield Batch(
                threads=threads,
                members=members_of(authored, self.community_id),
                cursor=_cursor(chunk[-1], **remember),
                stream=stream,
                requests=owed + self.log.total - before,
                problems=problems,
            )
            owed, problems = 0, []

    def _threads(
        self, chunk: list[Any], wanted: set[str], problems: list[str]
    ) -> tuple[list[Thread], list[Any]]:
        """Threads of one batch, the wanted ones with their comment trees.
        ``wanted`` empties when Reddit refuses, so the pass stops asking."""
        threads: list[Thread] = []
        authored: list[Any] = list(chunk)
        for item in chunk:
            thread = thread_from(item, self.community_id)
            if thread.native_id in wanted:
                try:
                    thread, comments = self._thread_with_comments(thread.native_id)
                except (SourceRateLimited, SourceAuthError) as exc:
                    problems.append(f"comments skipped for the rest of the pass: {exc}")
                    wanted.clear()
                except SourceError as exc:
                    problems.append(f"comments of thread {thread.native_id} not read: {exc}")
                else:
                    authored.extend(comments)
            threads.append(thread)
        return threads, authored

    def _founder(self, handle: str, request: FetchRequest) -> Iterator[Batch]:
        stream = f"user:{handle.lower()}"
        cursor = request.cursors.get(stream) or None
        since = request.since.timestamp() if request.since else None
        start = self.log.total
        try:
            walk = self._walk(
                f"/user/{handle}/overview",
                {"sort": "new"},
                stop=cursor,
                since=since,
                cap=None if cursor else self.first_pass_limit,
            )
        except SourceNotFound as exc:
            yield Batch(
                stream=stream, cursor=cursor, requests=self.log.total - start, problems=[str(exc)]
            )
            return
        here = [item for item in walk.items if subreddit_of(item) == self.subreddit.lower()]
        batch = self._history(sorted(here, key=age), with_threads=True)
        batch.stream = stream
        batch.cursor = _cursor(walk.items[0]) if walk.items else cursor
        batch.requests = self.log.total - start
        yield batch


OPTIONS = frozenset(
    {
        "settings",
        "founders",
        "keywords",
        "comment_threads",
        "replace_more_limit",
        "first_pass_limit",
    }
)


def from_playbook(community: Any, playbook: Any, **options: Any) -> RedditSource:
    """The source for one playbook community: its founders' handles there,
    and its capabilities' keywords for the search stream. The pipeline hands
    every source the same options, so those meant for others are left alone."""
    mine = {key: value for key, value in options.items() if key in OPTIONS}
    if isinstance(options.get("retry"), RetryPolicy):
        mine["retry"] = options["retry"]
    mine.setdefault("founders", sorted(playbook.founder_handles(community)))
    mine.setdefault(
        "keywords",
        [keyword for capability in playbook.capabilities for keyword in capability.keywords],
    )
    return RedditSource(community.id, community.locator, **mine)


async def in_thread(func: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """Run a blocking praw call without stalling the event loop."""
    return await asyncio.to_thread(func, *args, **kwargs)


async def fetch_async(source: Source, request: FetchRequest) -> AsyncIterator[Batch]:
    """``source.fetch`` for asyncio code: each batch is produced in a worker
    thread, one at a time (praw is not thread-safe, so never two at once)."""
    batches = iter(source.fetch(request))
    done = object()
    while True:
        batch = await asyncio.to_thread(next, batches, done)
        if batch is done:
            return
        yield batch  # type: ignore[misc]
