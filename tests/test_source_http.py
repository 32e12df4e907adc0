"""The shared HTTP layer, driven for real (httpx) against a loopback server
that misbehaves on purpose: what is retried, how long it waits, what it
counts, and the one-line error a user sees when it gives up."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from assistant.sources.base import (
    SourceAuthError,
    SourceConfigError,
    SourceDataError,
    SourceNotFound,
    SourceRateLimited,
    SourceUnavailable,
)
from assistant.sources.http import Backoff, HttpClient, redact, retry_after_seconds
from tests.fakes.loopback_http import LoopbackServer, Reply, Seen

NOW = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)


class Echo(LoopbackServer):
    """Answers /ok with a small JSON document, /text with plain text, and
    /status/<n> with that status."""

    def route(self, seen: Seen) -> Reply:
        if seen.path == "/ok":
            return Reply.json({"hello": "world", "n": seen.param("n")})
        if seen.path == "/text":
            return Reply(200, b"plain words", {"Content-Type": "text/plain"})
        if seen.path.startswith("/status/"):
            status = int(seen.path.rsplit("/", 1)[1])
            return Reply.json({"errors": [f"you asked for {status}"]}, status)
        if seen.path == "/login":
            return Reply(200, b"<!DOCTYPE html><html><body>Log in</body></html>",
                         {"Content-Type": "text/html; charset=utf-8"})
        if seen.path == "/se":
            return Reply.json({"items": [], "backoff": 7})
        return super().route(seen)


@pytest.fixture
def server():
    with Echo() as fake:
        yield fake


def client(**backoff) -> HttpClient:
    settings = {"base_delay": 0.01, "max_delay": 1.0, "max_total_wait": 2.0, "timeout": 2.0,
                **backoff}
    sleeps: list[float] = []
    made = HttpClient("forum", backoff=Backoff(**settings), sleep=sleeps.append,
                      draw=lambda: 0.5, wallclock=lambda: NOW)
    made.sleeps = sleeps  # type: ignore[attr-defined]
    return made


def test_a_plain_answer_costs_one_request(server):
    http = client()
    assert http.get_json(f"{server.url}/ok", params={"n": 3}) == {"hello": "world", "n": "3"}
    assert (http.requests, http.take_requests(), http.take_requests()) == (1, 1, 0)
    assert http.sleeps == []


def test_429_waits_what_retry_after_says_then_succeeds(server):
    server.inject("429", "/ok", retry_after="0.5")
    http = client()
    assert http.get_json(f"{server.url}/ok")["hello"] == "world"
    assert http.sleeps == [0.5]
    assert http.requests == 2


def test_retry_after_as_an_http_date_is_read_against_the_clock(server):
    server.inject("429", "/ok", retry_after="Sun, 01 Mar 2026 12:00:00 GMT")
    http = client()
    http.get_json(f"{server.url}/ok")
    assert http.sleeps == [0.0]
    assert retry_after_seconds("Sun, 01 Mar 2026 12:00:30 GMT", NOW) == 30.0
    assert retry_after_seconds("12", NOW) == 12.0
    assert retry_after_seconds("soon", NOW) is None


def test_server_errors_back_off_exponentially_with_jitter(server):
    server.inject("500", "/ok", times=2)
    server.inject("503", "/ok")
    http = client(base_delay=0.1)
    assert http.get_json(f"{server.url}/ok")["hello"] == "world"
    # 0.1, 0.2, 0.4 seconds, each plus jitter 0.25 × 0.5 of itself.
    assert http.sleeps == pytest.approx([0.1125, 0.225, 0.45])
    assert http.requests == 4


def test_a_timeout_is_retried(server):
    server.inject("slow", "/ok", delay=0.6)
    http = client(timeout=0.2)
    assert http.get_json(f"{server.url}/ok")["hello"] == "world"
    assert http.requests == 2
    assert len(http.sleeps) == 1


def test_malformed_json_is_retried_then_reported_with_community_and_url(server):
    server.inject("malformed", "/ok")
    http = client()
    assert http.get_json(f"{server.url}/ok")["hello"] == "world"
    server.inject("malformed", "/ok", times=10)
    with pytest.raises(SourceDataError) as caught:
        client(attempts=3).get_json(f"{server.url}/ok")
    assert str(caught.value) == (
        f"community 'forum', {server.url}/ok: malformed JSON at character 12 (21 bytes); "
        "gave up after 3 attempts"
    )


def test_a_truncated_page_is_retried_then_reported(server):
    server.inject("truncate", "/ok")
    http = client()
    assert http.get_json(f"{server.url}/ok")["hello"] == "world"
    assert http.requests == 2
    server.inject("truncate", "/ok", times=10)
    with pytest.raises(SourceDataError, match=r"the answer was cut off .*gave up after 2 attempts"):
        client(attempts=2).get_json(f"{server.url}/ok")


@pytest.mark.parametrize(("status", "error", "detail"), [
    (404, SourceNotFound, "nothing here (HTTP 404): you asked for 404"),
    (410, SourceNotFound, "nothing here (HTTP 410): you asked for 410"),
    (401, SourceAuthError, "access refused (HTTP 401): you asked for 401"),
    (403, SourceAuthError, "access refused (HTTP 403): you asked for 403"),
    (400, SourceConfigError, "request refused (HTTP 400): you asked for 400"),
])
def test_refusals_are_not_retried(server, status, error, detail):
    http = client()
    with pytest.raises(error) as caught:
        http.get_json(f"{server.url}/status/{status}")
    assert str(caught.value) == f"community 'forum', {server.url}/status/{status}: {detail}"
    assert http.requests == 1


def test_a_retry_after_beyond_the_cap_is_not_waited_for(server):
    server.inject("429", "/ok", retry_after="3600")
    http = client(max_delay=60)
    with pytest.raises(SourceRateLimited) as caught:
        http.get_json(f"{server.url}/ok")
    assert str(caught.value) == (
        f"community 'forum', {server.url}/ok: rate limited (HTTP 429): injected 429; "
        "asked to wait 3600s, more than the 60s allowed"
    )
    assert http.sleeps == []


def test_total_waiting_is_capped(server):
    server.inject("500", "/ok", times=10)
    http = client(base_delay=0.4, max_delay=1.0, max_total_wait=1.0, attempts=10)
    with pytest.raises(SourceUnavailable, match=r"gave up after 2 attempts and 0\.45s of waiting"):
        http.get_json(f"{server.url}/ok")
    assert sum(http.sleeps) <= 1.0


def test_unreachable_server_is_unavailable():
    http = client(attempts=2)
    with pytest.raises(SourceUnavailable, match=r"connection failed .*gave up after 2 attempts"):
        http.get_json("http://127.0.0.1:9/ok")
    assert http.requests == 2


def test_backoff_field_holds_the_method_not_the_others(server):
    clock = [100.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        clock[0] += seconds

    http = HttpClient("se", backoff=Backoff(base_delay=0.01), backoff_field="backoff",
                      sleep=sleep, monotonic=lambda: clock[0])
    http.get_json(f"{server.url}/se")
    http.get_json(f"{server.url}/ok")  # another method: no wait
    assert sleeps == []
    http.get_json(f"{server.url}/se")  # the same method: waits the 7 s it was told
    assert sleeps == [7.0]


def test_secrets_never_reach_messages_or_logs(server, caplog):
    server.inject("500", "/status/404")
    http = HttpClient("se", headers={"Api-Key": "hunter2"},
                      backoff=Backoff(base_delay=0.001), sleep=lambda s: None)
    with caplog.at_level(logging.WARNING), pytest.raises(SourceNotFound) as caught:
        http.get_json(f"{server.url}/status/404", params={"key": "hunter2", "site": "x"})
    assert "hunter2" not in str(caught.value)
    assert "key=%2A%2A%2A" in str(caught.value) or "key=***" in str(caught.value)
    assert "hunter2" not in caplog.text
    assert "retry 1 of 4" in caplog.text
    assert server.seen[-1].headers["api-key"] == "hunter2"
    assert redact("https://x/a?key=k&access_token=t&site=s") == \
        "https://x/a?key=***&access_token=***&site=s"


def test_get_accepts_the_statuses_asked_for(server):
    http = client()
    response = http.get(f"{server.url}/text")
    assert response.text == "plain words"
    with pytest.raises(SourceNotFound):
        http.get(f"{server.url}/status/404", accept=(200, 304))


def test_an_html_page_instead_of_json_is_reported_at_once(server):
    http = client()
    with pytest.raises(SourceDataError) as caught:
        http.get_json(f"{server.url}/login")
    assert str(caught.value) == (
        f"community 'forum', {server.url}/login: answered with an HTML page, not JSON (is this "
        "the forum's address? does it need an API key?)"
    )
    assert http.requests == 1
