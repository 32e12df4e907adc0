"""Discourse forums through their JSON API (the ``.json`` twin of every page).

Two streams per community:

- ``topics``: the topic list (``/latest.json``, or ``/c/{slug}/{id}.json``
  when the locator names a category), newest activity first, paged through
  ``more_topics_url``. Every topic whose activity is newer than the cursor is
  read whole: ``/t/{id}.json`` carries the first chunk of posts and the ids of
  all of them (``post_stream.stream``); the rest come from
  ``/t/{id}/posts.json?post_ids[]=…`` a chunk at a time. Topics are stored
  oldest activity first, one batch each, so the cursor —
  ``{"at": <activity>, "ids": [topic ids at that instant]}`` — is valid the
  moment its batch is stored. A topic's activity is the later of
  ``bumped_at`` and ``last_posted_at`` (either may be null), or its
  ``created_at``. Pinned topics head every list whatever their age, so they
  never end the paging; the first non-pinned topic older than the cursor does.
- ``user:<handle>``: each founder's own topics and replies
  (``/user_actions.json?filter=4,5``), so their contributions are stored even
  in threads the topic list no longer shows. Each new action's topic is read
  whole (once per pass); the cursor is the newest action time plus the post
  ids at that instant.

Post #1 becomes the Thread's body; later posts become Posts, with the replied-to
post as parent (none when replying to post #1, i.e. to the topic). Accepted
answers (the Solved plugin: ``accepted_answer`` on the topic and on posts),
staff/moderator/admin flags and trust levels are kept. ``Api-Key`` and
``Api-Username`` come from ``DISCOURSE_API_KEY``/``DISCOURSE_API_USERNAME``
when set (private forums, higher rate limits) and are never logged.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from assistant.domain import Batch, Member, Post, Thread, parse_timestamp
from assistant.sources.base import (
    FetchRequest,
    SourceAuthError,
    SourceConfigError,
    SourceDataError,
    SourceNotFound,
)
from assistant.sources.http import Backoff, HttpClient, counting_failures
from assistant.sources.text import html_to_text

FIRST_PASS_TOPICS = 100
"""Without a cursor, read at most this many of the most recently active topics."""
MAX_LIST_PAGES = 50
"""Never page further than this in one pass (30 topics a page on Discourse)."""
FIRST_PASS_ACTION_PAGES = 3
DEFAULT_CHUNK = 20
SMALL_ACTION = 3
"""post_type of "closed this topic"-style notices: not posts anyone wrote."""
USER_ACTION_FILTER = "4,5"
"""4 = new topic, 5 = reply."""
ACTIONS_PAGE = 30
"""Discourse answers user actions 30 at a time; a shorter page is the last."""


@dataclass(frozen=True, slots=True)
class Locator:
    """Where a community lives: a forum root, or one category of it."""

    base_url: str
    category: str | None = None
    """``slug/id`` (or ``parent/slug/id``) when only one category is watched."""

    @property
    def list_path(self) -> str:
        return f"/c/{self.category}.json" if self.category else "/latest.json"


def parse_locator(locator: str) -> Locator:
    """``https://forum.example.com``, ``https://example.com/forum`` (a
    subfolder install) or ``https://forum.example.com/c/support/5``."""
    text = locator.strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{locator!r} is not a forum URL (https://forum.example.com)")
    path = parts.path.rstrip("/")
    category = None
    if "/c/" in f"{path}/":
        path, _, rest = f"{path}/".partition("/c/")
        category = rest.strip("/").removesuffix(".json")
        if not category.split("/")[-1].isdigit():
            raise ValueError(f"{locator!r}: a category URL ends with its id (/c/support/5)")
    return Locator(f"{parts.scheme}://{parts.netloc}{path}", category)


def activity(topic: dict[str, Any]) -> datetime | None:
    """When a topic last moved, from whichever of its times the forum sent."""
    times = [parse_timestamp(topic[key]) for key in ("bumped_at", "last_posted_at")
             if topic.get(key)]
    if times:
        return max(times)
    return parse_timestamp(topic["created_at"]) if topic.get("created_at") else None


def _stamp(moment: datetime) -> str:
    """Cursor times keep the forum's milliseconds: two topics a few ms apart
    are different instants."""
    return moment.isoformat()


def _newer(moment: datetime, topic_id: int, at: datetime | None, ids: set[int]) -> bool:
    return at is None or moment > at or (moment == at and topic_id not in ids)


def _advance(at: datetime | None, ids: set[int], moment: datetime, item_id: int):
    if at is None or moment > at:
        return moment, {item_id}
    if moment == at:
        ids.add(item_id)
    return at, ids


def _tags(topic: dict[str, Any]) -> list[str]:
    """Tags are strings on older forums, objects (id, name, slug) on newer ones."""
    tags = []
    for tag in topic.get("tags") or []:
        if isinstance(tag, dict):
            tag = tag.get("name") or tag.get("slug")
        if tag:
            tags.append(str(tag))
    return tags


class DiscourseSource:
    """One Discourse forum (or one of its categories) for one community."""

    def __init__(
        self,
        community_id: str,
        locator: str,
        *,
        founders: Sequence[str] = (),
        api_key: str | None = None,
        api_username: str | None = None,
        first_pass_topics: int = FIRST_PASS_TOPICS,
        max_list_pages: int = MAX_LIST_PAGES,
        first_pass_action_pages: int = FIRST_PASS_ACTION_PAGES,
        backoff: Backoff | None = None,
        client: HttpClient | None = None,
        **client_options: Any,
    ):
        self.community_id = community_id
        try:
            self.locator = parse_locator(locator)
        except ValueError as error:
            raise SourceConfigError(str(error), community=community_id) from None
        self.founders = tuple(founders)
        self.first_pass_topics = first_pass_topics
        self.max_list_pages = max_list_pages
        self.first_pass_action_pages = first_pass_action_pages
        headers = {"Accept": "application/json"}
        if api_key:
            headers["Api-Key"] = api_key
            headers["Api-Username"] = api_username or "system"
        self.client = client or HttpClient(community_id, headers=headers, backoff=backoff,
                                           **client_options)
        self._read: set[int] = set()
        """Topics already read whole in this pass."""

    @property
    def base(self) -> str:
        return self.locator.base_url

    # -------------------------------------------------------------- fetch

    def fetch(self, request: FetchRequest) -> Iterator[Batch]:
        self._read = set()
        yield from counting_failures(self.client, self._fetch(request))

    def _fetch(self, request: FetchRequest) -> Iterator[Batch]:
        yield from self._topics(request)
        for handle in self.founders:
            yield from self._actions(handle, request)

    def _cursor(self, cursor: dict[str, Any] | None) -> tuple[datetime | None, set[int]]:
        if not cursor or not cursor.get("at"):
            return None, set()
        return parse_timestamp(cursor["at"]), {int(i) for i in cursor.get("ids", [])}

    def _topics(self, request: FetchRequest) -> Iterator[Batch]:
        stream = "topics"
        at, ids = self._cursor(request.cursors.get(stream))
        keep_cursor = request.since is None or at is None or request.since <= at
        changed, problems = self._changed_topics(at, ids, request)
        if request.limit is not None and len(changed) > request.limit:
            # With a cursor the oldest changes go first (the cursor may only
            # move past stored topics); a first pass takes the newest.
            changed = changed[: request.limit] if at is not None else changed[-request.limit:]
        if not changed:
            yield Batch(stream=stream, problems=problems, requests=self.client.take_requests())
            return
        for moment, topic in changed:
            batch = Batch(stream=stream, problems=problems)
            problems = []
            thread, members = self._read_topic(int(topic["id"]), batch, summary=topic)
            if thread is not None:
                batch.threads.append(thread)
                batch.members.extend(members)
            at, ids = _advance(at, ids, moment, int(topic["id"]))
            if keep_cursor:
                batch.cursor = {"at": _stamp(at), "ids": sorted(ids)}
            batch.requests = self.client.take_requests()
            yield batch

    def _changed_topics(self, at: datetime | None, ids: set[int], request: FetchRequest):
        """Topics newer than the cursor, oldest activity first."""
        found: dict[int, tuple[datetime, dict[str, Any]]] = {}
        problems: list[str] = []
        url: str | None = f"{self.base}{self.locator.list_path}"
        wanted = self.first_pass_topics if at is None else None
        if request.limit is not None and at is None:
            wanted = request.limit
        pages = 0
        while url and pages < self.max_list_pages:
            data = self.client.get_json(url)
            pages += 1
            topic_list = data.get("topic_list") if isinstance(data, dict) else None
            if not isinstance(topic_list, dict) or not isinstance(topic_list.get("topics"), list):
                raise SourceDataError("a topic list without 'topic_list.topics'",
                                      community=self.community_id, url=url)
            reached_old = False
            for topic in topic_list["topics"]:
                moment = activity(topic)
                if moment is None or "id" not in topic:
                    problems.append(f"topic {topic.get('id')!r} has no time; skipped")
                    continue
                pinned = bool(topic.get("pinned") or topic.get("pinned_globally"))
                too_old = request.since is not None and moment < request.since
                if _newer(moment, int(topic["id"]), at, ids) and not too_old:
                    known = found.get(int(topic["id"]))
                    if known is None or known[0] < moment:
                        found[int(topic["id"])] = (moment, topic)
                elif not pinned:
                    reached_old = True
            if reached_old or (wanted is not None and len(found) >= wanted):
                break
            url = self._next_page(topic_list.get("more_topics_url"))
        else:
            if url:
                problems.append(f"more than {self.max_list_pages} pages of topics changed since "
                                "the last pass; the oldest changes were not read")
        ordered = sorted(found.values(), key=lambda pair: (pair[0], int(pair[1]["id"])))
        if wanted is not None and len(ordered) > wanted:
            ordered = ordered[-wanted:]
        return ordered, problems

    def _next_page(self, more: str | None) -> str | None:
        """``more_topics_url`` names the HTML page (``/latest?page=1``); its
        JSON twin adds ``.json`` to the path. On a subfolder install the path
        may or may not repeat the subfolder."""
        if not more:
            return None
        parts, base = urlsplit(more), urlsplit(self.base)
        path = parts.path if parts.path.endswith(".json") else f"{parts.path}.json"
        if parts.netloc:
            origin = f"{parts.scheme or base.scheme}://{parts.netloc}"
        else:
            origin = f"{base.scheme}://{base.netloc}"
            if base.path and not path.startswith(f"{base.path}/"):
                path = f"{base.path}{path}"
        return f"{origin}{path}" + (f"?{parts.query}" if parts.query else "")

    # ------------------------------------------------------------ actions

    def _actions(self, handle: str, request: FetchRequest) -> Iterator[Batch]:
        stream = f"user:{handle}"
        at, ids = self._cursor(request.cursors.get(stream))
        keep_cursor = request.since is None or at is None or request.since <= at
        found: dict[int, tuple[datetime, dict[str, Any]]] = {}
        offset, pages = 0, 0
        limit_pages = self.first_pass_action_pages if at is None else self.max_list_pages
        url = f"{self.base}/user_actions.json"
        while pages < limit_pages:
            data = self.client.get_json(url, params={"username": handle, "filter": USER_ACTION_FILTER,
                                                     "offset": offset})
            pages += 1
            actions = data.get("user_actions") if isinstance(data, dict) else None
            if not isinstance(actions, list):
                raise SourceDataError("user actions without a 'user_actions' list",
                                      community=self.community_id, url=url)
            reached_old = False
            for action in actions:
                if not action.get("created_at") or action.get("post_id") is None:
                    continue
                moment = parse_timestamp(action["created_at"])
                post_id = int(action["post_id"])
                if request.since is not None and moment < request.since:
                    reached_old = True
                elif _newer(moment, post_id, at, ids):
                    found[post_id] = (moment, action)
                else:
                    reached_old = True
            if reached_old or len(actions) < ACTIONS_PAGE:
                break
            offset += len(actions)
        ordered = sorted(found.items(), key=lambda pair: (pair[1][0], pair[0]))
        if not ordered:
            yield Batch(stream=stream, requests=self.client.take_requests())
            return
        for post_id, (moment, action) in ordered:
            batch = Batch(stream=stream)
            topic_id = int(action["topic_id"])
            if topic_id not in self._read:
                thread, members = self._read_topic(topic_id, batch)
                if thread is not None:
                    batch.threads.append(thread)
                    batch.members.extend(members)
            at, ids = _advance(at, ids, moment, post_id)
            if keep_cursor:
                batch.cursor = {"at": _stamp(at), "ids": sorted(ids)}
            batch.requests = self.client.take_requests()
            yield batch

    # -------------------------------------------------------------- topic

    def _read_topic(self, topic_id: int, batch: Batch, summary: dict[str, Any] | None = None):
        """The whole topic as a Thread, or (None, []) when it is gone or
        private (reported in the batch, so the pass goes on)."""
        url = f"{self.base}/t/{topic_id}.json"
        try:
            topic = self.client.get_json(url)
        except (SourceNotFound, SourceAuthError) as error:
            batch.problems.append(f"topic {topic_id} skipped: {error}")
            return None, []
        stream = topic.get("post_stream") if isinstance(topic, dict) else None
        if not isinstance(stream, dict) or not isinstance(stream.get("posts"), list):
            raise SourceDataError("a topic without 'post_stream.posts'",
                                  community=self.community_id, url=url)
        posts = {int(p["id"]): p for p in stream["posts"] if "id" in p}
        for post in self._remaining(topic_id, topic, stream, posts):
            posts[int(post["id"])] = post
        self._read.add(topic_id)
        return self.thread(topic, list(posts.values()), summary), self.members(posts.values())

    def _remaining(self, topic_id: int, topic: dict[str, Any], stream: dict[str, Any],
                   loaded: dict[int, dict[str, Any]]) -> Iterable[dict[str, Any]]:
        """Posts listed in the stream but not carried by the topic page. The
        page carries the stream's first chunk, so its positions are skipped
        even when the ids disagree."""
        order = [int(i) for i in stream.get("stream") or []]
        missing = [i for i in order[len(loaded):] if i not in loaded]
        chunk = int(topic.get("chunk_size") or DEFAULT_CHUNK)
        url = f"{self.base}/t/{topic_id}/posts.json"
        for start in range(0, len(missing), chunk):
            wanted = missing[start : start + chunk]
            data = self.client.get_json(url, params=[("post_ids[]", i) for i in wanted])
            part = data.get("post_stream", {}).get("posts") if isinstance(data, dict) else None
            if not isinstance(part, list):
                raise SourceDataError("posts without 'post_stream.posts'",
                                      community=self.community_id, url=url)
            yield from (p for p in part if "id" in p)

    def _url(self, topic: dict[str, Any], post_number: int | None = None) -> str:
        slug = topic.get("slug") or "topic"
        url = f"{self.base}/t/{slug}/{topic['id']}"
        return f"{url}/{post_number}" if post_number and post_number > 1 else url

    def thread(self, topic: dict[str, Any], posts: list[dict[str, Any]],
               summary: dict[str, Any] | None = None) -> Thread:
        """A topic and all its posts in the normalised shape."""
        written = sorted((p for p in posts if p.get("post_type") != SMALL_ACTION
                          and not p.get("deleted_at")), key=lambda p: int(p.get("post_number", 0)))
        by_number = {int(p["post_number"]): p for p in written if p.get("post_number")}
        first = by_number.get(1)
        accepted = topic.get("accepted_answer") if isinstance(topic.get("accepted_answer"), dict) \
            else None
        accepted_post = next((p for p in written if p.get("accepted_answer")), None)
        if accepted_post is None and accepted and accepted.get("post_number") in by_number:
            accepted_post = by_number[accepted["post_number"]]
        replies = []
        for post in written:
            number = int(post.get("post_number") or 0)
            if number == 1:
                continue
            parent = by_number.get(post.get("reply_to_post_number") or 0)
            replies.append(self.post(topic, post, accepted_post,
                                     parent if parent is not None and parent is not first else None))
        creator = ((topic.get("details") or {}).get("created_by") or {}).get("username")
        moments = [m for m in (activity(topic), activity(summary or {})) if m is not None]
        moment = max(moments) if moments else None
        solved = bool(accepted or accepted_post or topic.get("has_accepted_answer")
                      or (summary or {}).get("has_accepted_answer"))
        raw = {k: v for k, v in topic.items() if k != "post_stream"}
        raw["post_stream"] = {"stream": (topic.get("post_stream") or {}).get("stream", [])}
        if first is not None:
            raw["first_post"] = {k: v for k, v in first.items() if k != "cooked"}
        cooked = first.get("cooked") if first else ""
        return Thread(
            community_id=self.community_id,
            native_id=str(topic["id"]),
            title=topic.get("title") or topic.get("fancy_title") or "",
            author=(first or {}).get("username") or creator,
            created_at=parse_timestamp(topic.get("created_at") or (first or {})["created_at"]),
            body_text=html_to_text(cooked),
            body_markup=cooked or None,
            markup_format="html",
            url=self._url(topic),
            tags=_tags(topic) or _tags(summary or {}),
            score=topic.get("like_count"),
            reply_count=max(0, int(topic.get("posts_count") or len(written)) - 1),
            is_solved=solved,
            accepted_post_native_id=str(accepted_post["id"]) if accepted_post else None,
            last_activity_at=moment,
            author_is_staff=_staff(first or {}),
            posts=replies,
            raw=raw,
        )

    def post(self, topic: dict[str, Any], post: dict[str, Any], accepted: dict[str, Any] | None,
             parent: dict[str, Any] | None) -> Post:
        cooked = post.get("cooked") or ""
        return Post(
            community_id=self.community_id,
            native_id=str(post["id"]),
            thread_native_id=str(topic["id"]),
            author=post.get("username"),
            created_at=parse_timestamp(post["created_at"]),
            body_text=html_to_text(cooked),
            body_markup=cooked or None,
            markup_format="html",
            parent_native_id=str(parent["id"]) if parent is not None else None,
            score=_likes(post),
            is_accepted=bool(post.get("accepted_answer")) or post is accepted,
            author_is_staff=_staff(post),
            position=int(post.get("post_number") or 0) or None,
            url=self._url(topic, post.get("post_number")),
            raw={k: v for k, v in post.items() if k != "cooked"},
        )

    def members(self, posts: Iterable[dict[str, Any]]) -> list[Member]:
        """Everyone who wrote in the topic, with what their posts say of them."""
        found: dict[str, Member] = {}
        for post in posts:
            username = post.get("username")
            if not username or username in found:
                continue
            found[username] = Member(
                community_id=self.community_id,
                native_id=username,
                handle=username,
                display_name=post.get("name") or post.get("display_username") or None,
                profile_url=f"{self.base}/u/{username}",
                is_staff=bool(post.get("staff") or post.get("admin")),
                is_moderator=bool(post.get("moderator")),
                trust_level=post.get("trust_level"),
                raw={k: post.get(k) for k in ("user_id", "name", "user_title", "primary_group_name",
                                              "admin", "moderator", "staff", "trust_level")
                     if post.get(k) is not None},
            )
        return list(found.values())

    def close(self) -> None:
        self.client.close()


def _staff(post: dict[str, Any]) -> bool:
    return bool(post.get("staff") or post.get("admin") or post.get("moderator"))


def _likes(post: dict[str, Any]) -> int | None:
    """Likes, from ``actions_summary`` (id 2 is "like") or ``like_count``."""
    if isinstance(post.get("like_count"), int):
        return post["like_count"]
    for action in post.get("actions_summary") or []:
        if action.get("id") == 2:
            return int(action.get("count") or 0)
    return None


def from_environment(community_id: str, locator: str, founders: Sequence[str],
                     **options: Any) -> DiscourseSource:
    """The source as the playbook and environment describe it."""
    options.setdefault("api_key", os.environ.get("DISCOURSE_API_KEY") or None)
    options.setdefault("api_username", os.environ.get("DISCOURSE_API_USERNAME") or None)
    return DiscourseSource(community_id, locator, founders=founders, **options)
