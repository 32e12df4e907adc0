"""Where the Reddit source gets its praw client: credentials and the locator.

Credentials come from the environment or a praw.ini site, never from the
playbook. Without a username the client is read-only (application-only
OAuth); with ``REDDIT_USERNAME``/``REDDIT_PASSWORD`` it reads as that account,
which is what private subreddits need. It never posts either way.
"""

from __future__ import annotations

import configparser
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import praw
import praw.exceptions
import prawcore
import requests

from assistant.sources.base import SourceConfigError
from assistant.sources.reddit_http import RequestLog, RetryingRequestor, RetryPolicy

ENVIRONMENT = {
    "client_id": "REDDIT_CLIENT_ID",
    "client_secret": "REDDIT_CLIENT_SECRET",
    "user_agent": "REDDIT_USER_AGENT",
    "username": "REDDIT_USERNAME",
    "password": "REDDIT_PASSWORD",
    "site": "REDDIT_SITE",
    "oauth_url": "REDDIT_OAUTH_URL",
    "reddit_url": "REDDIT_URL",
}
"""Setting → environment variable. ``REDDIT_SITE`` names a praw.ini section;
the two URLs point the client at a proxy or a loopback fake."""

SUBREDDIT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_]{1,20}")


@dataclass(frozen=True, slots=True)
class RedditSettings:
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    user_agent: str | None = None
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    site: str | None = None
    oauth_url: str | None = None
    reddit_url: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> RedditSettings:
        env = os.environ if env is None else env
        return cls(**{name: (env.get(var) or None) for name, var in ENVIRONMENT.items()})


def subreddit_name(locator: str, *, community: str | None = None) -> str:
    """``r/Name``, ``/r/Name/``, ``Name`` or a reddit.com URL → ``Name``."""
    text = locator.strip()
    if "reddit.com" in text or text.startswith(("http://", "https://")):
        path = urlsplit(text if "//" in text else f"https://{text}").path
        match = re.search(r"/r/([^/]+)", path)
        text = match.group(1) if match else ""
    else:
        text = re.sub(r"^/?r/", "", text).strip("/")
    if not SUBREDDIT_NAME.fullmatch(text):
        raise SourceConfigError(
            f"'{locator}' is not a subreddit: write r/Name, Name or https://www.reddit.com/r/Name",
            community=community,
        )
    return text


def connect(
    settings: RedditSettings,
    *,
    community: str,
    policy: RetryPolicy,
    log: RequestLog,
    session: requests.Session | None = None,
) -> praw.Reddit:
    """A praw client wired to Beachhead's retrying requestor; raises
    ``SourceConfigError`` naming what is missing."""
    kwargs: dict[str, object] = {
        "check_for_updates": False,
        "requestor_class": RetryingRequestor,
        "requestor_kwargs": {"policy": policy, "log": log, "session": session},
    }
    for name in ("client_id", "client_secret", "user_agent", "username", "password"):
        value = getattr(settings, name)
        if value:
            kwargs[name] = value
    for name in ("oauth_url", "reddit_url"):
        value = getattr(settings, name)
        if value:
            kwargs[name] = value.rstrip("/")
    if not settings.site:
        missing = [
            ENVIRONMENT[name]
            for name in ("client_id", "client_secret", "user_agent")
            if not getattr(settings, name)
        ]
        if missing:
            raise SourceConfigError(
                f"Reddit credentials missing: set {', '.join(missing)} "
                "(or REDDIT_SITE to a praw.ini section)",
                community=community,
            )
    try:
        reddit = praw.Reddit(settings.site, **kwargs)
    except configparser.NoSectionError as exc:
        raise SourceConfigError(
            f"praw.ini has no section '{settings.site}' (from REDDIT_SITE)", community=community
        ) from exc
    except praw.exceptions.MissingRequiredAttributeException as exc:
        setting = re.search(r"'(\w+)'", str(exc))
        name = setting.group(1) if setting else "a setting"
        raise SourceConfigError(
            f"Reddit credentials incomplete: praw.ini site '{settings.site}' lacks {name} "
            f"(or set {ENVIRONMENT.get(name, 'it')})",
            community=community,
        ) from exc
    except prawcore.InvalidInvocation as exc:
        raise SourceConfigError(f"Reddit settings rejected: {exc}", community=community) from exc
    if not (reddit.config.username and reddit.config.password):
        reddit.read_only = True
    return reddit
