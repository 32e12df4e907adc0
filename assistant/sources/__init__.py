"""One module per platform, all behind the small Source protocol in base.py.

``build_source`` is the only place that knows which class reads which
platform; adapters register themselves in ``FACTORIES``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assistant.sources.base import (
    FetchRequest,
    Source,
    SourceAuthError,
    SourceConfigError,
    SourceDataError,
    SourceError,
    SourceNotFound,
    SourceRateLimited,
    SourceUnavailable,
)
from playbooks import CommunityConfig, Playbook


def _jsonl(community: CommunityConfig, playbook: Playbook, **options: Any) -> Source:
    from assistant.sources.jsonl import JsonlSource, resolve_locator

    return JsonlSource(community.id, resolve_locator(community.locator, community.base_dir))


def _reddit(community: CommunityConfig, playbook: Playbook, **options: Any) -> Source:
    from assistant.sources.reddit import from_playbook

    return from_playbook(community, playbook, **options)


def _discourse(community: CommunityConfig, playbook: Playbook, **options: Any) -> Source:
    from assistant.sources.discourse import DiscourseSource, from_environment
    from assistant.sources.http import accepted_options

    founders = list(playbook.founder_handles(community))
    return from_environment(community.id, community.locator, founders,
                            **accepted_options(DiscourseSource, options))


def _stackexchange(community: CommunityConfig, playbook: Playbook, **options: Any) -> Source:
    from assistant.sources.http import accepted_options
    from assistant.sources.stackexchange import StackExchangeSource, from_environment

    return from_environment(community.id, community.locator, community.tags,
                            **accepted_options(StackExchangeSource, options))


def _feed(community: CommunityConfig, playbook: Playbook, **options: Any) -> Source:
    from assistant.sources.feed import FeedSource
    from assistant.sources.http import accepted_options

    return FeedSource(community.id, community.locator, **accepted_options(FeedSource, options))


SourceFactory = Callable[..., Source]

FACTORIES: dict[str, SourceFactory] = {
    "jsonl": _jsonl,
    "reddit": _reddit,
    "discourse": _discourse,
    "stackexchange": _stackexchange,
    "feed": _feed,
}


def build_source(community: CommunityConfig, playbook: Playbook, **options: Any) -> Source:
    """The source that reads ``community``; options reach the adapter (e.g. an
    HTTP client's retry settings)."""
    factory = FACTORIES.get(community.platform)
    if factory is None:
        raise SourceConfigError(
            f"no source can read platform {community.platform!r}", community=community.id
        )
    return factory(community, playbook, **options)


__all__ = [
    "FACTORIES",
    "FetchRequest",
    "Source",
    "SourceAuthError",
    "SourceConfigError",
    "SourceDataError",
    "SourceError",
    "SourceNotFound",
    "SourceRateLimited",
    "SourceUnavailable",
    "build_source",
]
