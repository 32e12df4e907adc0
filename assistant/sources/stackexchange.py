"""Stack Exchange through its public API (v2.3): questions of a site, by tag,
with their answers, comments and the people who wrote them.

The API is generous with data and strict with manners: a daily quota per IP
(300 requests without a key, 10,000 with ``STACKEXCHANGE_KEY``), and a
``backoff`` field that forbids calling the same method again for a while. The
shared HTTP client honours ``backoff`` per method; this module logs the quota
left after every pass (and reports it as a problem once under 10 %).

Incremental reading uses the ``activity`` sort, oldest first, keyed on
``min`` (inclusive): each request starts at the newest activity already
stored, so questions that gain activity while we page cannot slip between two
pages, and each page's batch carries a cursor that is valid once it is stored:
``{"activity": <epoch seconds>, "ids": [question ids seen at that second]}``.
One stream per playbook tag (``questions:<tag>``), because the API's
``tagged`` means *all* of the tags; a site without tags has one stream,
``questions``.

Native ids are shared with the dump importer: question id (thread), answer id
(post), ``c<comment id>`` (post), user id (member). A post with no parent
replies to the question itself; a comment on an answer has the answer as
parent.
"""

from __future__ import annotations

import html
import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx

from assistant.domain import Batch, Member, Post, Thread, parse_timestamp
from assistant.sources.base import (
    FetchRequest,
    SourceAuthError,
    SourceConfigError,
    SourceDataError,
    SourceNotFound,
    SourceRateLimited,
    SourceUnavailable,
)
from assistant.sources.http import Backoff, HttpClient, Refusal, counting_failures
from assistant.sources.text import html_to_text

log = logging.getLogger(__name__)

API_URL = "https://api.stackexchange.com/2.3"
FILTER = "withbody"
"""The built-in filter that adds ``body`` to questions, answers and comments."""
PAGE_SIZE = 100
IDS_PER_CALL = 100
FIRST_PASS_DAYS = 7
QUOTA_WARNING = 0.10
OWN_DOMAINS = {
    "stackoverflow": "stackoverflow.com",
    "serverfault": "serverfault.com",
    "superuser": "superuser.com",
    "askubuntu": "askubuntu.com",
    "mathoverflow": "mathoverflow.net",
    "stackapps": "stackapps.com",
}
"""The sites that do not live under ``<name>.stackexchange.com``."""


def comment_native_id(comment_id: int | str) -> str:
    """Comments have their own id space on Stack Exchange: prefixed so that
    comment 8 and answer 8 never collide."""
    return f"c{comment_id}"


def split_tags(value: str | None) -> list[str]:
    """Dump tags come as ``<a><b>`` (older dumps) or ``|a|b|`` (newer ones)."""
    if not value:
        return []
    if value.startswith("<"):
        return [tag for tag in value.strip("<>").split("><") if tag]
    return [tag for tag in value.strip("|").split("|") if tag]


def site_name(locator: str) -> str:
    """The API's ``site`` parameter from a playbook locator: ``superuser``,
    ``superuser.com``, ``https://cardano.stackexchange.com`` …"""
    text = locator.strip()
    host = urlsplit(text).hostname if "://" in text else text.split("/")[0]
    host = (host or "").lower()
    if not host:
        raise ValueError(f"{locator!r} names no Stack Exchange site")
    for name, domain in OWN_DOMAINS.items():
        if host in (domain, f"meta.{domain}"):
            return name if not host.startswith("meta.") else f"meta.{name}"
    if host.endswith(".stackexchange.com"):
        return host[: -len(".stackexchange.com")]
    return host


def site_base_url(locator: str) -> str:
    """Where the site's pages live, for thread and answer URLs."""
    name = site_name(locator)
    meta = name.startswith("meta.")
    plain = name.removeprefix("meta.")
    if plain in OWN_DOMAINS:
        domain = OWN_DOMAINS[plain]
        return f"https://{'meta.' if meta else ''}{domain}"
    return f"https://{plain}{'.meta' if meta else ''}.stackexchange.com"


def stackexchange_refusal(response: httpx.Response) -> Refusal | None:
    """Stack Exchange explains refusals in an error wrapper
    (``error_id``/``error_name``/``error_message``), not only in the status."""
    try:
        data = response.json()
    except ValueError:
        return None
    if not isinstance(data, dict) or "error_id" not in data:
        return None
    error_id = data.get("error_id")
    name = data.get("error_name") or "error"
    message = str(data.get("error_message") or "")
    detail = f"{name} (error {error_id}): {message}".strip()
    if error_id == 502 or name == "throttle_violation":
        seconds = re.search(r"(\d+)\s*seconds", message)
        return Refusal(SourceRateLimited, detail, retry=True,
                       wait=float(seconds.group(1)) if seconds else None)
    if error_id in (500, 503):
        return Refusal(SourceUnavailable, detail, retry=True)
    if error_id in (401, 402, 403, 405, 406):
        return Refusal(SourceAuthError, detail)
    if error_id == 404:
        return Refusal(SourceNotFound, detail)
    if error_id == 400 and "site" in message.lower():
        return Refusal(SourceNotFound, detail)
    if error_id == 400:
        return Refusal(SourceConfigError, detail)
    return Refusal(SourceDataError, detail)


def method_key(path: str) -> str:
    """``backoff`` applies per method: /questions/1;2/answers and
    /questions/3/answers are the same method."""
    return re.sub(r"/[\d;]+(?=/|$)", "/{ids}", path)


def _time(value: Any) -> datetime | None:
    return parse_timestamp(value) if value is not None else None


def _owner(item: dict[str, Any]) -> str | None:
    owner = item.get("owner") or {}
    user_id = owner.get("user_id")
    return str(user_id) if user_id is not None else None


def _without_body(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in ("body", "body_markdown")}


class StackExchangeSource:
    """Questions of one site (optionally by tag) for one community."""

    def __init__(
        self,
        community_id: str,
        site: str,
        tags: Sequence[str] = (),
        *,
        api_url: str = API_URL,
        key: str | None = None,
        site_url: str | None = None,
        filter: str = FILTER,
        page_size: int = PAGE_SIZE,
        first_pass_days: float = FIRST_PASS_DAYS,
        backoff: Backoff | None = None,
        wallclock: Callable[[], datetime] = lambda: datetime.now(UTC),
        client: HttpClient | None = None,
        **client_options: Any,
    ):
        self.community_id = community_id
        self.site = site
        self.tags = tuple(tags)
        self.api_url = api_url.rstrip("/")
        self.key = key
        self.site_url = (site_url or site_base_url(site)).rstrip("/")
        self.filter = filter
        self.page_size = page_size
        self.first_pass_days = first_pass_days
        self.wallclock = wallclock
        self.client = client or HttpClient(
            community_id, backoff=backoff, refusal=stackexchange_refusal, backoff_field="backoff",
            hold_key=method_key, **client_options,
        )
        self.quota_remaining: int | None = None
        self.quota_max: int | None = None
        self._done: set[int] = set()
        self._users: set[str] = set()

    # -------------------------------------------------------------- calls

    def _call(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        query = {"site": self.site, **params}
        if self.key:
            query["key"] = self.key
        data = self.client.get_json(f"{self.api_url}{path}", params=query)
        if not isinstance(data, dict) or not isinstance(data.get("items"), list):
            raise SourceDataError("answer without an 'items' list", community=self.community_id,
                                  url=f"{self.api_url}{path}")
        if isinstance(data.get("quota_remaining"), int):
            self.quota_remaining = data["quota_remaining"]
            self.quota_max = data.get("quota_max") if isinstance(data.get("quota_max"), int) \
                else self.quota_max
        return data

    def _paged(self, path: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        page = 1
        while True:
            data = self._call(path, {**params, "page": page, "pagesize": self.page_size})
            yield from data["items"]
            if not data.get("has_more") or not data["items"]:
                return
            page += 1

    def _by_ids(self, template: str, ids: Sequence[int | str], params: dict[str, Any]) \
            -> Iterator[dict[str, Any]]:
        unique = list(dict.fromkeys(str(i) for i in ids))
        for start in range(0, len(unique), IDS_PER_CALL):
            chunk = ";".join(unique[start : start + IDS_PER_CALL])
            yield from self._paged(template.format(ids=chunk), params)

    # -------------------------------------------------------------- fetch

    def streams(self) -> list[tuple[str, str | None]]:
        if not self.tags:
            return [("questions", None)]
        return [(f"questions:{tag}", tag) for tag in self.tags]

    def fetch(self, request: FetchRequest) -> Iterator[Batch]:
        yield from counting_failures(self.client, self._fetch(request))

    def _fetch(self, request: FetchRequest) -> Iterator[Batch]:
        for stream, tag in self.streams():
            yield from self._questions(stream, tag, request)
        if self.quota_remaining is not None:
            log.info("%s: Stack Exchange quota: %d of %s requests left today",
                     self.community_id, self.quota_remaining, self.quota_max or "?")
            if self.quota_max and self.quota_remaining < QUOTA_WARNING * self.quota_max:
                yield Batch(stream="quota", problems=[
                    f"Stack Exchange quota low: {self.quota_remaining} of {self.quota_max} "
                    "requests left today"
                    + ("" if self.key else " (set STACKEXCHANGE_KEY for 10,000 a day)")
                ], requests=self.client.take_requests())

    def _start(self, cursor: dict[str, Any] | None, request: FetchRequest) \
            -> tuple[int, set[int], bool]:
        """Where to start, and whether this pass may move the cursor."""
        since = int(request.since.timestamp()) if request.since else None
        if cursor and isinstance(cursor.get("activity"), int):
            at, ids = cursor["activity"], {int(i) for i in cursor.get("ids", [])}
            if since is not None and since > at:
                # A pass told to skip history must not mark it as read.
                return since, set(), False
            return at, ids, True
        if since is not None:
            return since, set(), True
        first = self.wallclock() - timedelta(days=self.first_pass_days)
        return int(first.timestamp()), set(), True

    def _questions(self, stream: str, tag: str | None, request: FetchRequest) -> Iterator[Batch]:
        at, ids_at, keep_cursor = self._start(request.cursors.get(stream), request)
        low, page, taken = at, 1, 0
        while True:
            params = {"sort": "activity", "order": "asc", "min": low, "filter": self.filter,
                      "page": page, "pagesize": self.page_size}
            if tag:
                params["tagged"] = tag
            data = self._call("/questions", params)
            items = data["items"]
            fresh = []
            for item in items:
                question_id, activity = int(item["question_id"]), int(item["last_activity_date"])
                newer = activity > at or (activity == at and question_id not in ids_at)
                if newer and question_id not in self._done:
                    fresh.append(item)
                if activity > at:
                    at, ids_at = activity, {question_id}
                elif activity == at:
                    ids_at.add(question_id)
            batch = self._build(fresh)
            batch.stream = stream
            if keep_cursor:
                batch.cursor = {"activity": at, "ids": sorted(ids_at)}
            batch.requests = self.client.take_requests()
            yield batch
            taken += len(fresh)
            if not data.get("has_more") or not items:
                return
            if request.limit is not None and taken >= request.limit:
                return
            last = int(items[-1]["last_activity_date"])
            if last == low:
                page += 1  # a whole page within one second: step through it
            else:
                low, page = last, 1

    # -------------------------------------------------------- normalising

    def _build(self, questions: list[dict[str, Any]]) -> Batch:
        batch = Batch()
        if not questions:
            return batch
        question_ids = [int(q["question_id"]) for q in questions]
        answered = [int(q["question_id"]) for q in questions if q.get("answer_count")]
        answers = list(self._by_ids("/questions/{ids}/answers", answered,
                                    {"filter": self.filter, "sort": "creation", "order": "asc"})) \
            if answered else []
        answer_thread = {int(a["answer_id"]): int(a["question_id"]) for a in answers}
        comments = list(self._by_ids("/posts/{ids}/comments", question_ids + list(answer_thread),
                                     {"filter": self.filter, "sort": "creation", "order": "asc"}))
        threads = {}
        for item in questions:
            thread = self.thread(item)
            threads[thread.native_id] = thread
            self._done.add(int(item["question_id"]))
        for item in answers:
            post = self.answer(item)
            if post.thread_native_id in threads:
                threads[post.thread_native_id].posts.append(post)
        for item in comments:
            post_id = int(item["post_id"])
            thread_id = answer_thread.get(post_id, post_id)
            thread = threads.get(str(thread_id))
            if thread is None:
                batch.problems.append(f"comment {item.get('comment_id')} is on post {post_id}, "
                                      "which this page did not fetch")
                continue
            thread.posts.append(self.comment(item, thread_id, post_id if post_id in answer_thread
                                             else None))
        batch.threads = list(threads.values())
        owners = [_owner(item) for item in (*questions, *answers, *comments)]
        wanted = [o for o in dict.fromkeys(owners) if o and o not in self._users]
        if wanted:
            for item in self._by_ids("/users/{ids}", wanted, {}):
                batch.members.append(self.member(item))
            self._users.update(wanted)
        return batch

    def thread(self, item: dict[str, Any]) -> Thread:
        question_id = int(item["question_id"])
        body = item.get("body") or ""
        accepted = item.get("accepted_answer_id")
        return Thread(
            community_id=self.community_id,
            native_id=str(question_id),
            title=html.unescape(item.get("title") or ""),
            author=_owner(item),
            created_at=parse_timestamp(item["creation_date"]),
            body_text=html_to_text(body),
            body_markup=body,
            markup_format="html",
            url=item.get("link") or f"{self.site_url}/questions/{question_id}",
            tags=[str(t) for t in item.get("tags") or []],
            score=item.get("score"),
            reply_count=item.get("answer_count"),
            is_solved=accepted is not None,
            accepted_post_native_id=str(accepted) if accepted is not None else None,
            last_activity_at=_time(item.get("last_activity_date")),
            raw=_without_body(item),
        )

    def answer(self, item: dict[str, Any]) -> Post:
        answer_id = int(item["answer_id"])
        body = item.get("body") or ""
        return Post(
            community_id=self.community_id,
            native_id=str(answer_id),
            thread_native_id=str(item["question_id"]),
            author=_owner(item),
            created_at=parse_timestamp(item["creation_date"]),
            body_text=html_to_text(body),
            body_markup=body,
            markup_format="html",
            score=item.get("score"),
            is_accepted=bool(item.get("is_accepted")),
            url=f"{self.site_url}/a/{answer_id}",
            raw=_without_body(item),
        )

    def comment(self, item: dict[str, Any], thread_id: int, parent_id: int | None) -> Post:
        comment_id = int(item["comment_id"])
        body = item.get("body") or ""
        return Post(
            community_id=self.community_id,
            native_id=comment_native_id(comment_id),
            thread_native_id=str(thread_id),
            author=_owner(item),
            created_at=parse_timestamp(item["creation_date"]),
            body_text=html_to_text(body),
            body_markup=body,
            markup_format="html",
            parent_native_id=str(parent_id) if parent_id is not None else None,
            score=item.get("score"),
            url=f"{self.site_url}/posts/comments/{comment_id}",
            raw={**_without_body(item), "kind": "comment"},
        )

    def member(self, item: dict[str, Any]) -> Member:
        user_id = str(item["user_id"])
        name = html.unescape(item.get("display_name") or "") or user_id
        return Member(
            community_id=self.community_id,
            native_id=user_id,
            handle=name,
            display_name=name,
            location=html.unescape(item["location"]) if item.get("location") else None,
            profile_url=item.get("link"),
            website=item.get("website_url") or None,
            about=html_to_text(item["about_me"]) if item.get("about_me") else None,
            is_staff=bool(item.get("is_employee")),
            is_moderator=item.get("user_type") == "moderator",
            reputation=item.get("reputation"),
            joined_at=_time(item.get("creation_date")),
            raw=item,
        )

    def close(self) -> None:
        self.client.close()


def from_environment(community_id: str, locator: str, tags: Iterable[str], **options: Any) \
        -> StackExchangeSource:
    """The source as the playbook and environment describe it: ``STACKEXCHANGE_KEY``
    raises the daily quota; ``STACKEXCHANGE_API_URL`` points at another API
    (a mirror, or the test fake)."""
    try:
        site = site_name(locator)
    except ValueError as error:
        raise SourceConfigError(str(error), community=community_id) from None
    options.setdefault("key", os.environ.get("STACKEXCHANGE_KEY") or None)
    options.setdefault("api_url", os.environ.get("STACKEXCHANGE_API_URL") or API_URL)
    return StackExchangeSource(community_id, site, tuple(tags), **options)
