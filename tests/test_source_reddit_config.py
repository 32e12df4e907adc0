"""Reaching Reddit: credentials from the environment or praw.ini, logins that
fail clearly, locators, and the small pure helpers of the Reddit source.

These tests need no recorded data: the loopback Reddit only issues tokens and
serves submissions it synthesises.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest

from assistant.sources.base import (
    FetchRequest,
    SourceAuthError,
    SourceConfigError,
    SourceNotFound,
)
from assistant.sources.reddit import RedditSource
from assistant.sources.reddit_client import RedditSettings, subreddit_name
from assistant.sources.reddit_http import RetryPolicy
from assistant.sources.reddit_normalise import body_state, markdown_to_text
from assistant.sources.reddit_reader import keyword_queries
from tests.fakes.reddit_server import RedditFake, settings_for

QUICK = RetryPolicy(base_delay=0.001, timeout=10.0, sleep=lambda _s: None)


@pytest.fixture
def fake():
    with RedditFake(username="lucia-corvina", password="correct horse") as server:
        server.add_submissions("KestrelDesk", 3, titles=["One", "Two", "Three"])
        yield server


def source_for(fake: RedditFake, locator: str = "r/KestrelDesk", **settings: Any) -> RedditSource:
    return RedditSource("c1", locator, settings=settings_for(fake, **settings), retry=QUICK)


def titles(source: RedditSource) -> list[str]:
    return [t.title for b in source.fetch(FetchRequest(cursors={})) for t in b.threads]


# -- credentials ---------------------------------------------------------------
def test_missing_credentials_name_the_variables_to_set():
    source = RedditSource("c1", "r/KestrelDesk", settings=RedditSettings(user_agent="ua/1.0"))
    with pytest.raises(SourceConfigError) as failure:
        list(source.fetch(FetchRequest(cursors={})))
    assert str(failure.value) == (
        "community 'c1': Reddit credentials missing: set REDDIT_CLIENT_ID, "
        "REDDIT_CLIENT_SECRET (or REDDIT_SITE to a praw.ini section)"
    )


def test_settings_come_from_the_environment_and_keep_secrets_out_of_repr():
    settings = RedditSettings.from_env(
        {
            "REDDIT_CLIENT_ID": "app-id",
            "REDDIT_CLIENT_SECRET": "s3cr3t",
            "REDDIT_USER_AGENT": "beachhead/1.0 by corvina",
            "REDDIT_USERNAME": "lucia-corvina",
            "REDDIT_PASSWORD": "hunter2",
            "REDDIT_SITE": "",
        }
    )
    assert settings == RedditSettings(
        client_id="app-id",
        client_secret="s3cr3t",
        user_agent="beachhead/1.0 by corvina",
        username="lucia-corvina",
        password="hunter2",
    )
    assert "s3cr3t" not in repr(settings) and "hunter2" not in repr(settings)


def test_application_only_access_is_read_only(fake):
    source = source_for(fake)
    assert titles(source) == ["One", "Two", "Three"]
    assert source.reddit.read_only is True
    (token,) = [r for r in fake.requests if r.path == "/api/v1/access_token"]
    assert token.params == {"grant_type": "client_credentials"}


def test_a_wrong_client_secret_is_an_auth_error_naming_the_variables(fake):
    source = source_for(fake, client_secret="not-the-secret")
    with pytest.raises(SourceAuthError) as failure:
        titles(source)
    assert str(failure.value) == (
        f"community 'c1', {fake.url}/api/v1/access_token: Reddit rejected the application "
        "credentials (HTTP 401): check REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET"
    )


def test_a_username_and_password_log_in_as_that_account(fake):
    source = source_for(fake, username="lucia-corvina", password="correct horse")
    assert titles(source) == ["One", "Two", "Three"]
    assert source.reddit.read_only is False
    (token,) = [r for r in fake.requests if r.path == "/api/v1/access_token"]
    assert token.params["grant_type"] == "password"
    assert token.params["username"] == "lucia-corvina"


def test_a_wrong_password_is_an_auth_error(fake):
    source = source_for(fake, username="lucia-corvina", password="wrong")
    with pytest.raises(SourceAuthError) as failure:
        titles(source)
    assert str(failure.value) == (
        f"community 'c1', {fake.url}/api/v1/access_token: Reddit refused the login "
        "(invalid_grant): check REDDIT_USERNAME and REDDIT_PASSWORD"
    )


def test_an_expired_token_is_renewed_without_losing_the_pass(fake):
    source = source_for(fake)
    titles(source)
    fake.tokens.clear()
    fake.add_submissions("KestrelDesk", 1, titles=["Four"])
    assert titles(source) == ["One", "Two", "Three", "Four"]
    assert fake.count("/api/v1/access_token") == 2


def test_an_unknown_praw_ini_site_is_a_config_error():
    source = RedditSource("c1", "r/KestrelDesk", settings=RedditSettings(site="no-such-site"))
    with pytest.raises(SourceConfigError) as failure:
        list(source.fetch(FetchRequest(cursors={})))
    assert str(failure.value) == (
        "community 'c1': praw.ini has no section 'no-such-site' (from REDDIT_SITE)"
    )


def test_a_praw_ini_site_supplies_the_credentials(fake, tmp_path):
    """praw reads praw.ini once per process, so this runs in a fresh one."""
    (tmp_path / "praw.ini").write_text(
        "[corvina]\n"
        f"client_id={fake.client_id}\n"
        f"client_secret={fake.client_secret}\n"
        "user_agent=beachhead-tests/0.1 (praw.ini)\n",
        encoding="utf-8",
    )
    env = {key: value for key, value in os.environ.items() if not key.upper().startswith("REDDIT_")}
    env.update(
        REDDIT_SITE="corvina",
        REDDIT_OAUTH_URL=fake.url,
        REDDIT_URL=fake.url,
        XDG_CONFIG_HOME=str(tmp_path / "xdg"),
    )
    script = (
        "from assistant.sources.base import FetchRequest\n"
        "from assistant.sources.reddit import RedditSource\n"
        "source = RedditSource('c1', 'r/KestrelDesk')\n"
        "print([t.title for b in source.fetch(FetchRequest(cursors={})) for t in b.threads])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['One', 'Two', 'Three']"


def test_a_subreddit_that_does_not_exist_is_not_found(fake):
    source = source_for(fake, locator="r/NoSuchPlace")
    with pytest.raises(SourceNotFound) as failure:
        titles(source)
    assert str(failure.value) == (
        f"community 'c1', {fake.url}/r/NoSuchPlace/new?limit=100: "
        "Reddit has nothing here (HTTP 404)"
    )


# -- locators --------------------------------------------------------------------
@pytest.mark.parametrize(
    "locator",
    [
        "r/KestrelDesk",
        "/r/KestrelDesk/",
        "KestrelDesk",
        " r/KestrelDesk ",
        "https://www.reddit.com/r/KestrelDesk/",
        "https://old.reddit.com/r/KestrelDesk/new/",
        "reddit.com/r/KestrelDesk",
    ],
)
def test_locators_name_the_subreddit(locator):
    assert subreddit_name(locator) == "KestrelDesk"


@pytest.mark.parametrize(
    "locator", ["", "r/", "https://www.reddit.com/user/someone", "r/has space", "r/x"]
)
def test_a_locator_that_is_not_a_subreddit_is_a_config_error(locator):
    with pytest.raises(SourceConfigError) as failure:
        RedditSource("c1", locator, settings=RedditSettings())
    assert str(failure.value) == (
        f"community 'c1': '{locator}' is not a subreddit: "
        "write r/Name, Name or https://www.reddit.com/r/Name"
    )


# -- pure helpers ------------------------------------------------------------------
def test_keywords_become_or_queries_that_reddit_reads_whole():
    assert keyword_queries(["imap", "email piping", "KST-MAIL", "IMAP", ' "smtp" ', ""]) == [
        'imap OR "email piping" OR "KST-MAIL" OR smtp'
    ]
    many = [f"keyword{i:03d}" for i in range(100)]
    queries = keyword_queries(many)
    assert all(len(q) <= 512 for q in queries)
    assert [t for q in queries for t in q.split(" OR ")] == many
    assert keyword_queries([]) == []


def test_markdown_becomes_plain_text():
    markdown = (
        "## Mail stopped\n\n"
        "Since the **upgrade** our [mailbox](https://example.test/help) no longer *fetches*.\n\n"
        "> it worked on 4.2\n\n"
        "* restarted the `fetcher`\n"
        "* checked ~~nothing~~ logs\n\n"
        "```\nIMAP error 535\n```\n"
        "Thanks &amp; regards"
    )
    assert markdown_to_text(markdown) == (
        "Mail stopped\n\n"
        "Since the upgrade our mailbox no longer fetches.\n\n"
        "it worked on 4.2\n\n"
        "restarted the fetcher\n"
        "checked nothing logs\n\n"
        "IMAP error 535\n\n"
        "Thanks & regards"
    )


def test_withdrawn_bodies_are_recognised():
    assert body_state("[deleted]") == "deleted"
    assert body_state(" [removed] ") == "removed"
    assert body_state("I [removed] the filter") is None
    assert body_state(None) is None
