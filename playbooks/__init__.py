"""Declarative TOML playbooks: what the startup knows, where it shows up, and
how it judges what it reads. ``dewak.toml`` is the worked default."""

from playbooks.loader import default_playbook_path, load_playbook, parse_playbook
from playbooks.model import (
    CATEGORIES,
    PLATFORMS,
    USER_TYPES,
    Capability,
    CommunityConfig,
    Founder,
    Playbook,
    PlaybookError,
    UnknownCommunity,
    UnknownFounder,
)

__all__ = [
    "CATEGORIES",
    "PLATFORMS",
    "USER_TYPES",
    "Capability",
    "CommunityConfig",
    "Founder",
    "Playbook",
    "PlaybookError",
    "UnknownCommunity",
    "UnknownFounder",
    "default_playbook_path",
    "load_playbook",
    "parse_playbook",
]
