"""The HTTP layer under praw: retries, request counts, and error translation.

prawcore retries 5xx answers on its own schedule (fixed sleeps of up to four
seconds) and not 429 at all, and it ignores ``Retry-After``. Beachhead plugs a
requestor into praw's documented ``requestor_class`` hook instead, so one place
decides what is worth retrying: 429 (waiting what ``Retry-After`` asks),
5xx, timeouts and connections cut mid-answer, with exponential backoff and
jitter. When the retries run out it raises :class:`GaveUp` through praw, and
:func:`reddit_errors` turns that and every prawcore failure into the
``SourceError`` family, naming the community and the URL.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import praw.exceptions
import prawcore
import requests
from prawcore.requestor import Requestor

from assistant.sources.base import (
    SourceAuthError,
    SourceDataError,
    SourceError,
    SourceNotFound,
    SourceRateLimited,
    SourceUnavailable,
)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 520, 522})
RETRY_EXCEPTIONS = (
    requests.exceptions.Timeout,
    requests.exceptions.ConnectionError,
    requests.exceptions.ChunkedEncodingError,
)
TOKEN_PATH = "/api/v1/access_token"


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How patient to be with Reddit. Tests shrink the delays and pass a
    ``sleep`` that records instead of waiting."""

    attempts: int = 4
    """Tries per request, the first one included."""
    base_delay: float = 1.0
    """Seconds before the first retry; doubles for each retry after it."""
    max_delay: float = 60.0
    """No single wait is longer; a ``Retry-After`` beyond it is not waited for."""
    jitter: float = 0.25
    """Up to this fraction of a backoff delay is added at random, so several
    watchers that failed together do not come back together."""
    timeout: float = 16.0
    """Seconds to wait for Reddit to start and finish an answer."""
    sleep: Callable[[float], None] = time.sleep

    def backoff(self, retry: int) -> float:
        delay = self.base_delay * 2 ** (retry - 1)
        return min(self.max_delay, delay * (1 + self.jitter * random.random()))


@dataclass(slots=True)
class RequestLog:
    """Counts of requests actually sent, retries included, by method and path."""

    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    delays: list[float] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count(self, path: str | None = None) -> int:
        return sum(n for (_, p), n in self.counts.items() if path is None or p == path)


class GaveUp(Exception):
    """Reddit kept failing a request after every retry."""

    def __init__(self, url: str, reason: str, *, rate_limited: bool, attempts: int):
        self.url = url
        self.reason = reason
        self.rate_limited = rate_limited
        self.attempts = attempts
        super().__init__(f"{reason} ({attempts} attempts)")


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def public_url(url: str, params: Any = None) -> str:
    """The URL as a person would retype it: prawcore's ``raw_json`` dropped."""
    if isinstance(params, dict):
        shown = {k: v for k, v in params.items() if k != "raw_json" and v is not None}
        if shown:
            return f"{url}?{urlencode(shown)}"
    return url


class RetryingRequestor(Requestor):
    """praw's requestor with Beachhead's retry policy; see the module docstring."""

    def __init__(self, *, policy: RetryPolicy, log: RequestLog, **kwargs: Any) -> None:
        kwargs.setdefault("timeout", policy.timeout)
        super().__init__(**kwargs)
        self._policy = policy
        self._log = log

    def request(self, *args: Any, timeout: float | None = None, **kwargs: Any) -> requests.Response:
        method, url = str(args[0]).upper(), str(args[1])
        shown = public_url(url, kwargs.get("params"))
        path = urlsplit(url).path.rstrip("/") or "/"
        policy = self._policy
        attempt = 0
        while True:
            attempt += 1
            self._log.counts[(method, path)] += 1
            wait: float | None
            try:
                response = super().request(*args, timeout=policy.timeout, **kwargs)
            except prawcore.RequestException as exc:
                if not isinstance(exc.original_exception, RETRY_EXCEPTIONS):
                    raise
                reason = _describe(exc.original_exception, policy.timeout)
                rate_limited, wait = False, None
            else:
                if response.status_code not in RETRY_STATUSES:
                    return response
                rate_limited = response.status_code == 429
                wait = _retry_after(response)
                reason = f"HTTP {response.status_code}" + (
                    f" with Retry-After {wait:g}s" if wait is not None else ""
                )
            if attempt >= policy.attempts:
                raise GaveUp(shown, reason, rate_limited=rate_limited, attempts=attempt)
            if wait is None:
                wait = policy.backoff(attempt)
            elif wait > policy.max_delay:
                raise GaveUp(shown, reason, rate_limited=rate_limited, attempts=attempt)
            self._log.delays.append(wait)
            policy.sleep(wait)


def _describe(error: BaseException, timeout: float) -> str:
    if isinstance(error, requests.exceptions.Timeout):
        return f"no answer within {timeout:g}s"
    if isinstance(error, requests.exceptions.ChunkedEncodingError):
        return "the answer was cut off before its end"
    return f"connection failed ({type(error).__name__})"


@contextmanager
def reddit_errors(community: str) -> Iterator[None]:
    """Translate whatever praw raises into the ``SourceError`` family."""
    try:
        yield
    except SourceError:
        raise
    except GaveUp as exc:
        kind = SourceRateLimited if exc.rate_limited else SourceUnavailable
        raise kind(f"Reddit kept failing: {exc}", community=community, url=exc.url) from exc
    except prawcore.OAuthException as exc:
        raise SourceAuthError(
            f"Reddit refused the login ({exc.error}): check REDDIT_USERNAME and REDDIT_PASSWORD",
            community=community,
            url=exc.response.url,
        ) from exc
    except prawcore.ResponseException as exc:
        raise _from_response(exc, community) from exc
    except prawcore.RequestException as exc:
        raise SourceUnavailable(
            f"could not reach Reddit: {exc.original_exception}",
            community=community,
            url=public_url(str(exc.request_args[1]), exc.request_kwargs.get("params"))
            if len(exc.request_args) > 1
            else None,
        ) from exc
    except praw.exceptions.PRAWException as exc:
        raise SourceDataError(
            f"Reddit answered something praw cannot use: {exc}", community=community
        ) from exc


def _without_raw_json(url: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "raw_json"]
    return parts._replace(query=urlencode(query)).geturl()


def _from_response(exc: prawcore.ResponseException, community: str) -> SourceError:
    response = exc.response
    url, status = _without_raw_json(response.url), response.status_code
    if isinstance(exc, prawcore.BadJSON):
        return SourceDataError("Reddit answered with malformed JSON", community=community, url=url)
    if urlsplit(url).path.rstrip("/") == TOKEN_PATH:
        return SourceAuthError(
            f"Reddit rejected the application credentials (HTTP {status}): "
            "check REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET",
            community=community,
            url=url,
        )
    if isinstance(exc, prawcore.InvalidToken | prawcore.InsufficientScope):
        return SourceAuthError(
            f"Reddit refused the access token (HTTP {status})", community=community, url=url
        )
    if isinstance(exc, prawcore.Redirect):
        return SourceNotFound(
            f"Reddit redirected to {exc.path}: the subreddit does not exist",
            community=community,
            url=url,
        )
    if isinstance(exc, prawcore.NotFound):
        return SourceNotFound("Reddit has nothing here (HTTP 404)", community=community, url=url)
    if isinstance(exc, prawcore.Forbidden | prawcore.UnavailableForLegalReasons):
        return SourceNotFound(
            f"Reddit refused access (HTTP {status}): private, quarantined or banned",
            community=community,
            url=url,
        )
    if isinstance(exc, prawcore.TooManyRequests):
        return SourceRateLimited(
            "Reddit answered 429 Too Many Requests", community=community, url=url
        )
    return SourceUnavailable(f"Reddit answered HTTP {status}", community=community, url=url)
