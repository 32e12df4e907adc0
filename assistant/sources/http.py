"""The one HTTP client every httpx-based source talks through.

Forums fail in ordinary ways: they rate-limit (429 and ``Retry-After``, or
Stack Exchange's ``backoff`` field), they have bad minutes (5xx, timeouts,
connections dropped), and now and then they send half a page. This layer
decides once, for every source, what is worth another try and how long to
wait (exponential backoff with jitter, never longer than a cap in total), and
turns whatever is left into the ``SourceError`` family with a message that
names the community and the URL. It counts every request it sends, retries
included, because a watcher's request budget is what keeps its owner's keys
from being banned.

Secrets (API keys in headers, ``key``/``access_token`` query parameters) never
appear in messages or logs: URLs are shown with those values replaced.
"""

from __future__ import annotations

import inspect
import json
import logging
import random
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx

from assistant.domain import Batch
from assistant.sources.base import (
    SourceAuthError,
    SourceConfigError,
    SourceDataError,
    SourceError,
    SourceNotFound,
    SourceRateLimited,
    SourceUnavailable,
)

log = logging.getLogger(__name__)

USER_AGENT = "beachhead/0.1 (+https://github.com/beachhead; forum watcher, read-only)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
SECRET_PARAMS = frozenset({"key", "access_token", "api_key", "api_username", "token"})
Params = Mapping[str, Any] | list[tuple[str, Any]] | None


@dataclass(frozen=True, slots=True)
class Backoff:
    """How patient to be with a forum. Tests shrink every delay; the defaults
    suit a watcher that runs every few minutes."""

    attempts: int = 5
    """Tries per request, the first one included."""
    base_delay: float = 1.0
    """Seconds before the first retry; doubled for each retry after it."""
    max_delay: float = 60.0
    """No single wait is longer. A server asking for more (``Retry-After``,
    ``backoff``) is not waited for: the request fails as rate-limited."""
    max_total_wait: float = 180.0
    """Waiting for one request, all retries together, stops here."""
    jitter: float = 0.25
    """Up to this fraction of a backoff delay is added at random, so watchers
    that failed together do not come back together."""
    timeout: float = 30.0
    """Seconds to wait for a connection, and between bytes of an answer."""

    def delay(self, retry: int, draw: float) -> float:
        """The wait before retry number ``retry`` (1 for the first retry);
        ``draw`` is a random number in [0, 1)."""
        base = self.base_delay * 2 ** (retry - 1)
        return min(self.max_delay, base * (1 + self.jitter * draw))


@dataclass(frozen=True, slots=True)
class Refusal:
    """What a platform meant by an answer that is not the data asked for."""

    error: type[SourceError]
    detail: str
    retry: bool = False
    wait: float | None = None
    """Seconds the server asked to wait before retrying, when it said."""


RefusalReader = Callable[[httpx.Response], Refusal | None]
"""Reads a platform's own error body (e.g. Stack Exchange's ``error_id``);
returning None leaves the decision to the status code."""


def redact(url: str) -> str:
    """The URL with secret query values replaced, safe for messages and logs."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    query = [
        (name, "***" if name.lower() in SECRET_PARAMS else value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
    ]
    return parts._replace(query=urlencode(query, safe="[]*;,:")).geturl()


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """``Retry-After`` as seconds from ``now``: it is either a number of
    seconds or an HTTP date."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def _detail(response: httpx.Response) -> str:
    """A short reason from an error body, when the platform gave one."""
    try:
        data = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        return ""
    if isinstance(data, dict):
        for key in ("error_message", "message", "error"):
            if isinstance(data.get(key), str):
                return data[key][:200]
        errors = data.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], str):
            return "; ".join(errors)[:200]
    return ""


def status_refusal(response: httpx.Response) -> Refusal | None:
    """The meaning of an HTTP status, for platforms that say nothing more."""
    status = response.status_code
    if status < 300 or status == 304:
        return None
    detail = _detail(response)
    said = f": {detail}" if detail else ""
    if status == 429:
        return Refusal(SourceRateLimited, f"rate limited (HTTP 429){said}", retry=True)
    if status in RETRY_STATUSES or status >= 500:
        return Refusal(SourceUnavailable, f"server error (HTTP {status}){said}",
                       retry=status in RETRY_STATUSES)
    if status in (401, 403):
        return Refusal(SourceAuthError, f"access refused (HTTP {status}){said}")
    if status in (404, 410):
        return Refusal(SourceNotFound, f"nothing here (HTTP {status}){said}")
    if 400 <= status < 500:
        return Refusal(SourceConfigError, f"request refused (HTTP {status}){said}")
    return Refusal(SourceDataError, f"unexpected answer (HTTP {status})")


class _Unreadable(Exception):
    """A 200 answer whose body cannot be used (malformed or cut off)."""

    def __init__(self, message: str, *, retry: bool = True):
        super().__init__(message)
        self.retry = retry


class HttpClient:
    """An httpx client with Beachhead's retry policy, for one community.

    Everything that waits or draws random numbers is injected, so tests run
    the real retry logic against a loopback server without sleeping.
    """

    def __init__(
        self,
        community_id: str,
        *,
        headers: Mapping[str, str] | None = None,
        backoff: Backoff | None = None,
        refusal: RefusalReader | None = None,
        backoff_field: str | None = None,
        hold_key: Callable[[str], str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        draw: Callable[[], float] = random.random,
        wallclock: Callable[[], datetime] = lambda: datetime.now(UTC),
        transport: httpx.BaseTransport | None = None,
    ):
        self.community_id = community_id
        self.backoff = backoff or Backoff()
        self._refusal = refusal
        self._backoff_field = backoff_field
        self._hold_key = hold_key or (lambda path: path)
        self._sleep = sleep
        self._monotonic = monotonic
        self._draw = draw
        self._wallclock = wallclock
        self._holds: dict[str, float] = {}
        self.requests = 0
        self._taken = 0
        self.waits: list[float] = []
        """Every wait this client did, in seconds (tests read it)."""
        timeout = httpx.Timeout(self.backoff.timeout)
        self._client = httpx.Client(
            headers={"User-Agent": USER_AGENT, **(headers or {})},
            timeout=timeout,
            follow_redirects=True,
            transport=transport,
        )

    # ----------------------------------------------------------- counting

    def take_requests(self) -> int:
        """Requests sent since the last call: what the next Batch reports."""
        taken, self._taken = self.requests - self._taken, self.requests
        return taken

    # ------------------------------------------------------------ holding

    def hold(self, key: str, seconds: float) -> None:
        """Send nothing to ``key`` (a URL path, as ``hold_key`` maps it) for
        ``seconds``: what Stack Exchange's ``backoff`` field demands, per method."""
        until = self._monotonic() + max(0.0, seconds)
        self._holds[key] = max(self._holds.get(key, 0.0), until)

    def _wait_for_hold(self, key: str, shown: str) -> None:
        until = self._holds.get(key)
        if until is None:
            return
        remaining = until - self._monotonic()
        if remaining <= 0:
            self._holds.pop(key, None)
            return
        if remaining > self.backoff.max_total_wait:
            raise SourceRateLimited(
                f"asked to back off for {remaining:.0f}s, longer than the "
                f"{self.backoff.max_total_wait:g}s this pass may wait",
                community=self.community_id, url=shown,
            )
        self._pause(remaining)
        self._holds.pop(key, None)

    def _pause(self, seconds: float) -> None:
        self.waits.append(seconds)
        self._sleep(seconds)

    # ------------------------------------------------------------ sending

    def get(self, url: str, *, params: Params = None,
            headers: Mapping[str, str] | None = None, accept: tuple[int, ...] = (200,)) -> httpx.Response:
        """GET with retries; the answer's status is one of ``accept``."""
        return self._send(url, params, headers, accept, parse=None)[0]

    def get_json(self, url: str, *, params: Params = None,
                 headers: Mapping[str, str] | None = None) -> Any:
        """GET a JSON document with retries; a malformed or truncated body is
        retried like a server error, then reported as SourceDataError."""
        return self._send(url, params, headers, (200,), parse=_parse_json)[1]

    def _send(self, url: str, params: Params, headers: Mapping[str, str] | None,
              accept: tuple[int, ...], parse: Callable[[httpx.Response], Any] | None):
        request_url = _with_params(url, params)
        shown = redact(request_url)
        key = self._hold_key(urlsplit(request_url).path)
        policy = self.backoff
        waited = 0.0
        attempt = 0
        while True:
            attempt += 1
            self._wait_for_hold(key, shown)
            self.requests += 1
            wait: float | None = None
            try:
                response = self._client.get(request_url, headers=headers)
            except httpx.TimeoutException:
                error, reason = SourceUnavailable, f"no answer within {policy.timeout:g}s"
            except httpx.RemoteProtocolError as exc:
                error, reason = SourceDataError, f"the answer was cut off ({_short(exc)})"
            except httpx.TransportError as exc:
                error, reason = SourceUnavailable, f"connection failed ({_short(exc)})"
            else:
                self._note_backoff(response, key)
                refusal = None
                if response.status_code not in accept:
                    refusal = (self._refusal(response) if self._refusal else None) or \
                        status_refusal(response) or \
                        Refusal(SourceDataError, f"unexpected answer (HTTP {response.status_code})")
                if refusal is None:
                    if parse is None:
                        return response, None
                    try:
                        return response, parse(response)
                    except _Unreadable as exc:
                        if not exc.retry:
                            raise SourceDataError(str(exc), community=self.community_id,
                                                  url=shown) from None
                        error, reason = SourceDataError, str(exc)
                else:
                    if not refusal.retry:
                        raise refusal.error(refusal.detail, community=self.community_id, url=shown)
                    error, reason = refusal.error, refusal.detail
                    wait = refusal.wait
                    if wait is None:
                        wait = retry_after_seconds(response.headers.get("Retry-After"),
                                                   self._wallclock())
            if attempt >= policy.attempts:
                raise error(f"{reason}; gave up after {attempt} attempts",
                            community=self.community_id, url=shown)
            if wait is None:
                wait = policy.delay(attempt, self._draw())
            elif wait > policy.max_delay:
                raise error(f"{reason}; asked to wait {wait:.0f}s, more than the "
                            f"{policy.max_delay:g}s allowed", community=self.community_id, url=shown)
            if waited + wait > policy.max_total_wait:
                raise error(f"{reason}; gave up after {attempt} attempts and {waited:.2f}s of waiting",
                            community=self.community_id, url=shown)
            log.warning("%s: %s: %s; retry %d of %d in %.2fs", self.community_id, shown, reason,
                        attempt, policy.attempts - 1, wait)
            waited += wait
            self._pause(wait)

    def _note_backoff(self, response: httpx.Response, key: str) -> None:
        if not self._backoff_field or "json" not in response.headers.get("content-type", ""):
            return
        try:
            data = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
            return
        if isinstance(data, dict) and isinstance(data.get(self._backoff_field), int | float):
            self.hold(key, float(data[self._backoff_field]))

    def close(self) -> None:
        self._client.close()


def counting_failures(client: HttpClient, batches: Iterator[Batch]) -> Iterator[Batch]:
    """Requests spent on a pass that then fails still count: before the error
    goes up, one item-less batch (no cursor) carries them to the report."""
    try:
        yield from batches
    except SourceError:
        spent = client.take_requests()
        if spent:
            yield Batch(stream="requests", requests=spent)
        raise


def accepted_options(source_class: type, options: Mapping[str, Any]) -> dict[str, Any]:
    """The pass-wide source options (``pipeline.fetch(source_options=…)``) an
    HTTP source and its client understand; options meant for other
    platforms' sources are left out rather than refused."""
    names = set(inspect.signature(source_class.__init__).parameters)
    names |= set(inspect.signature(HttpClient.__init__).parameters)
    names -= {"self", "community_id", "locator", "site", "tags", "url", "founders"}
    return {key: value for key, value in options.items() if key in names}


def _with_params(url: str, params: Params) -> str:
    """One URL string carrying every parameter, so retries, holds and
    messages all see the same thing. Repeated keys (``post_ids[]``) are kept."""
    if not params:
        return url
    pairs = list(params.items()) if isinstance(params, Mapping) else list(params)
    encoded = urlencode([(k, v) for k, v in pairs if v is not None], doseq=True, safe="[];,:")
    return f"{url}{'&' if '?' in url else '?'}{encoded}"


def _parse_json(response: httpx.Response) -> Any:
    length = response.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) != len(response.content) \
            and not response.headers.get("content-encoding"):
        raise _Unreadable(f"the answer was cut off ({len(response.content)} of {length} bytes)")
    if "html" in response.headers.get("content-type", "") \
            and response.content.lstrip()[:1] not in (b"{", b"["):
        # A login page or a site that is not the forum: no retry mends that.
        raise _Unreadable("answered with an HTML page, not JSON (is this the forum's address? "
                          "does it need an API key?)", retry=False)
    try:
        return json.loads(response.content)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        where = f" at character {exc.pos}" if isinstance(exc, json.JSONDecodeError) else ""
        raise _Unreadable(f"malformed JSON{where} ({len(response.content)} bytes)") from None


def _short(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."
