"""Reading Reddit through praw, on demand: the plumbing every read shares
(one client, request counts, error translation, paging) and the reads that
are asked for rather than streamed.

- ``thread``/``fetch_threads``: a thread with its comment tree, with
  ``replace_more`` bounded by ``replace_more_limit``. Each expansion is one
  request for up to 100 hidden comments (``/api/morechildren``, or the thread
  continued at a comment), so a thread costs at most 1 + ``replace_more_limit``
  requests; the default 8 reads about 800 comments beyond the first page,
  which is more than any support thread needs and keeps a pass predictable.
- ``refresh``: current scores, reply counts and removals, 100 threads a request.
- ``search``: submissions that mention any of some keywords, here or across
  subreddits.
- ``user_history``: a member's recent or top comments and submissions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import praw
import requests
from praw.models import Comment, Listing, Submission

from assistant.domain import Batch, Platform, Post, Thread
from assistant.sources.base import SourceConfigError, SourceDataError, SourceNotFound
from assistant.sources.reddit_client import RedditSettings, connect, subreddit_name
from assistant.sources.reddit_http import RequestLog, RetryPolicy, public_url, reddit_errors
from assistant.sources.reddit_normalise import (
    attr,
    members_of,
    post_from,
    thread_from,
    thread_id_of,
)

PAGE = 100
"""Reddit's largest page; every listing request asks for it."""
MAX_QUERY = 512
"""Reddit ignores search queries longer than this."""


@dataclass(slots=True)
class _Walk:
    items: list[Any]
    """Newest first, each once."""
    reached: bool
    """Stopped at the cursor, ``since`` or the cap, not at the listing's end."""
    requests: int


class RedditReader:
    """Reads one subreddit (and its members) through praw, on demand."""

    platform = Platform.REDDIT

    def __init__(
        self,
        community_id: str,
        locator: str,
        *,
        settings: RedditSettings | None = None,
        replace_more_limit: int | None = 8,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.community_id = community_id
        self.locator = locator
        self.subreddit = subreddit_name(locator, community=community_id)
        self.settings = settings if settings is not None else RedditSettings.from_env()
        self.replace_more_limit = replace_more_limit
        self.retry = retry or RetryPolicy()
        self.log = RequestLog()
        self._http: requests.Session | None = None
        self._reddit: praw.Reddit | None = None

    # -- plumbing ------------------------------------------------------------
    @property
    def reddit(self) -> praw.Reddit:
        """The praw client, made on first use so a bad setting surfaces as a
        ``SourceConfigError`` when the community is read, not when listed."""
        if self._reddit is None:
            self._http = requests.Session()
            self._reddit = connect(
                self.settings,
                community=self.community_id,
                policy=self.retry,
                log=self.log,
                session=self._http,
            )
        return self._reddit

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
        self._http = None
        self._reddit = None

    def _url(self, path: str, params: dict[str, Any] | None = None) -> str:
        base = str(self.reddit.config.oauth_url).rstrip("/")
        return public_url(f"{base}{path}", params)

    def _get(self, path: str, params: dict[str, Any]) -> Listing:
        with reddit_errors(self.community_id):
            try:
                answer = self.reddit.get(path, params=params)
            except (KeyError, TypeError, IndexError) as exc:
                raise SourceDataError(
                    f"Reddit's answer lacks what a listing needs ({exc!r})",
                    community=self.community_id,
                    url=self._url(path, params),
                ) from exc
        if not isinstance(answer, Listing):
            raise SourceDataError(
                "Reddit did not answer with a listing",
                community=self.community_id,
                url=self._url(path, params),
            )
        return answer

    def _walk(
        self,
        path: str,
        params: dict[str, Any],
        *,
        stop: dict[str, Any] | None = None,
        since: float | None = None,
        cap: int | None = None,
    ) -> _Walk:
        """Page through a newest-first listing until the cursor, ``since``
        (epoch seconds), ``cap`` items, or the listing's end."""
        items: list[Any] = []
        seen: set[str] = set()
        after: str | None = None
        start = self.log.total
        stop_name = (stop or {}).get("fullname")
        stop_time = (stop or {}).get("created_utc")
        while True:
            page = self._get(path, {**params, "limit": PAGE, **({"after": after} if after else {})})
            reached = False
            for item in page.children:
                name = str(attr(item, "name") or item.fullname)
                created = float(attr(item, "created_utc") or 0.0)
                if name == stop_name or (stop_time is not None and created < float(stop_time)):
                    reached = True
                    break
                if since is not None and created < since:
                    reached = True
                    break
                if name in seen:
                    continue
                seen.add(name)
                items.append(item)
                if cap is not None and len(items) >= cap:
                    reached = True
                    break
            after = attr(page, "after")
            if reached or not after or not page.children:
                return _Walk(items, reached, self.log.total - start)

    def _thread_with_comments(self, native_id: str) -> tuple[Thread, list[Any]]:
        url = self._url(f"/comments/{native_id}")
        with reddit_errors(self.community_id):
            try:
                submission = self.reddit.submission(native_id)
                forest = submission.comments  # one request: the thread and its first comments
                forest.replace_more(limit=self.replace_more_limit)
                comments = [c for c in forest.list() if isinstance(c, Comment)]
            except (KeyError, TypeError, IndexError, AssertionError) as exc:
                raise SourceDataError(
                    f"Reddit's comment tree is incomplete ({exc!r})",
                    community=self.community_id,
                    url=url,
                ) from exc
        comments.sort(key=age)
        thread = thread_from(submission, self.community_id)
        thread.posts = [
            post_from(comment, self.community_id, position)
            for position, comment in enumerate(comments, start=1)
        ]
        moments = [thread.created_at, *(post.created_at for post in thread.posts)]
        if thread.last_activity_at is not None:
            moments.append(thread.last_activity_at)
        thread.last_activity_at = max(moments)
        return thread, [submission, *comments]

    def thread(self, native_id: str) -> Thread:
        """One thread with its comment tree (``replace_more`` bounded)."""
        return self._thread_with_comments(native_id)[0]

    def fetch_threads(self, native_ids: Iterable[str]) -> Iterator[Batch]:
        """The comment trees of threads that matter, one batch each; a thread
        that is gone is reported, not raised."""
        for native_id in native_ids:
            before = self.log.total
            try:
                thread, authored = self._thread_with_comments(native_id)
            except SourceNotFound as exc:
                yield Batch(
                    stream="comments", requests=self.log.total - before, problems=[str(exc)]
                )
                continue
            yield Batch(
                threads=[thread],
                members=members_of(authored, self.community_id),
                stream="comments",
                requests=self.log.total - before,
            )

    def refresh(self, native_ids: Sequence[str]) -> Batch:
        """Current scores, reply counts and removals of stored threads."""
        before = self.log.total
        submissions = self._info([f"t3_{native_id}" for native_id in native_ids])
        return Batch(
            threads=[thread_from(item, self.community_id) for item in submissions],
            members=members_of(submissions, self.community_id),
            stream="refresh",
            requests=self.log.total - before,
        )

    def _info(self, fullnames: Sequence[str]) -> list[Any]:
        found: list[Any] = []
        for start in range(0, len(fullnames), PAGE):
            chunk = fullnames[start : start + PAGE]
            found.extend(self._get("/api/info", {"id": ",".join(chunk)}).children)
        return found

    def search(
        self,
        keywords: Sequence[str] = (),
        *,
        query: str | None = None,
        subreddits: Sequence[str] | None = None,
        sort: str = "new",
        time_filter: str = "month",
        limit: int = 100,
    ) -> Batch:
        """Submissions that mention any keyword (a capability's keywords), in
        this subreddit or across ``subreddits`` (``["all"]`` for all of Reddit)."""
        queries = [query] if query else keyword_queries(keywords)
        if not queries:
            raise SourceConfigError(
                "a Reddit search needs keywords or a query", community=self.community_id
            )
        names = [
            "all"
            if name.strip().lower() in {"all", "r/all"}
            else subreddit_name(name, community=self.community_id)
            for name in (subreddits or [self.subreddit])
        ]
        target = "+".join(names)
        before = self.log.total
        hits: dict[str, Any] = {}
        for text in queries:
            walk = self._walk(
                f"/r/{target}/search",
                {"q": text, "sort": sort, "t": time_filter, "restrict_sr": target != "all"},
                cap=limit,
            )
            for item in walk.items:
                if isinstance(item, Submission):
                    hits.setdefault(str(attr(item, "name")), item)
        items = list(hits.values())
        if len(queries) > 1 or sort == "new":
            items.sort(key=age, reverse=True)
        return Batch(
            threads=[thread_from(item, self.community_id) for item in items[:limit]],
            members=members_of(items[:limit], self.community_id),
            stream="search",
            requests=self.log.total - before,
        )

    def user_history(
        self,
        handle: str,
        *,
        kind: str = "overview",
        sort: str = "new",
        time_filter: str = "all",
        limit: int | None = 100,
        only_here: bool = False,
        with_threads: bool = False,
    ) -> Batch:
        """A member's recent (or top) comments and submissions: submissions as
        threads, comments as posts. ``only_here`` keeps this subreddit's;
        ``with_threads`` also reads the threads the comments answer."""
        if kind not in {"overview", "comments", "submitted"}:
            raise SourceConfigError(
                f"'{kind}' is not a Reddit user listing (overview, comments, submitted)",
                community=self.community_id,
            )
        before = self.log.total
        params: dict[str, Any] = {"sort": sort}
        if sort in {"top", "controversial"}:
            params["t"] = time_filter
        walk = self._walk(f"/user/{handle}/{kind}", params, cap=limit)
        items = walk.items
        if only_here:
            items = [item for item in items if subreddit_of(item) == self.subreddit.lower()]
        batch = self._history(items, with_threads=with_threads)
        batch.stream = f"user:{handle.lower()}"
        batch.requests = self.log.total - before
        return batch

    def _history(self, items: list[Any], *, with_threads: bool) -> Batch:
        submissions = [item for item in items if isinstance(item, Submission)]
        comments = [item for item in items if isinstance(item, Comment)]
        threads = {
            str(attr(item, "id")): thread_from(item, self.community_id) for item in submissions
        }
        parents: list[Any] = []
        if with_threads:
            missing = sorted({thread_id_of(c) for c in comments} - set(threads))
            parents = self._info([f"t3_{native_id}" for native_id in missing])
            for item in parents:
                threads.setdefault(str(attr(item, "id")), thread_from(item, self.community_id))
        posts: list[Post] = [post_from(comment, self.community_id) for comment in comments]
        return Batch(
            threads=list(threads.values()),
            posts=posts,
            members=members_of([*submissions, *comments, *parents], self.community_id),
        )


def keyword_queries(keywords: Iterable[str], max_length: int = MAX_QUERY) -> list[str]:
    """Keywords → Reddit search queries (``imap OR "email piping"``), split so
    none is longer than Reddit reads."""
    terms: list[str] = []
    for keyword in keywords:
        word = " ".join(keyword.replace('"', " ").split())
        if not word:
            continue
        term = word if re.fullmatch(r"\w+", word) else f'"{word}"'
        if term.lower() not in {t.lower() for t in terms}:
            terms.append(term)
    queries: list[str] = []
    current = ""
    for term in terms:
        candidate = f"{current} OR {term}" if current else term
        if current and len(candidate) > max_length:
            queries.append(current)
            candidate = term
        current = candidate
    if current:
        queries.append(current)
    return queries


def age(item: Any) -> tuple[float, str]:
    return float(attr(item, "created_utc") or 0.0), str(attr(item, "name") or "")


def subreddit_of(item: Any) -> str:
    subreddit = attr(item, "subreddit")
    if subreddit is None:
        return ""
    name = subreddit if isinstance(subreddit, str) else attr(subreddit, "display_name")
    return str(name or "").lower()
