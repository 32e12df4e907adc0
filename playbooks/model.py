"""A validated playbook, as the rest of Beachhead reads it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

PLATFORMS = ("reddit", "discourse", "stackexchange", "feed", "jsonl")
USER_TYPES = (
    "customer",
    "channel_partner",
    "complementor",
    "competitor",
    "expert",
    "vendor_staff",
    "unknown",
)
CATEGORIES = ("pervasive_solvable", "unrewarded", "unsolvable", "not_a_problem")


class PlaybookError(Exception):
    """A playbook that cannot be used; ``problems`` holds one line per fault,
    each already prefixed with the file name."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class UnknownCommunity(KeyError):
    def __init__(self, community_id: str):
        self.community_id = community_id
        super().__init__(community_id)

    def __str__(self) -> str:
        return f"community {self.community_id!r} is not in the playbook"


class UnknownFounder(KeyError):
    def __init__(self, name: str):
        self.name = name
        super().__init__(name)

    def __str__(self) -> str:
        return f"founder {self.name!r} is not in the playbook"


@dataclass(frozen=True)
class Startup:
    name: str
    domains: tuple[str, ...]
    disclosure: str
    home_country: str | None


@dataclass(frozen=True)
class Founder:
    name: str
    handles: dict[str, str]
    discord: str | None = None

    def handle_in(self, community: CommunityConfig) -> str | None:
        """The founder's account in a community: a community-specific handle
        wins over the handle for its whole platform."""
        return self.handles.get(community.id) or self.handles.get(community.platform)


@dataclass(frozen=True)
class Capability:
    id: str
    description: str
    keywords: tuple[str, ...]
    examples: tuple[str, ...]


@dataclass(frozen=True)
class Etiquette:
    max_self_promotion_share: float = 0.1
    disclosure_required: bool = True
    links_allowed: bool = True


@dataclass(frozen=True)
class CommunityConfig:
    id: str
    platform: str
    locator: str
    name: str
    languages: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    review_thread: str | None = None
    etiquette: Etiquette = field(default_factory=Etiquette)
    base_dir: Path | None = None
    """Directory of the playbook file, against which relative locators resolve."""


@dataclass(frozen=True)
class Party:
    """A named organisation that user types are matched against."""

    names: tuple[str, ...]
    domains: tuple[str, ...]


@dataclass(frozen=True)
class UserTypeHints:
    vendor: Party
    competitors: tuple[Party, ...]
    channel_partners: tuple[Party, ...]
    complementors: tuple[Party, ...]
    values: dict[str, float]


@dataclass(frozen=True)
class CategoryRules:
    lookback_days: int = 90
    min_affected_members: int = 3
    min_countries: int = 2
    problem_threshold: float = 0.5
    capability_threshold: float = 0.35
    answer_howtos: bool = True
    """The founders know the product: any how-to question about it is one
    they can solve, whatever their listed capabilities."""


@dataclass(frozen=True)
class Scoring:
    answer_within_hours: float
    freshness_half_life_hours: float
    queue_threshold: float
    max_age_hours: float
    weights: dict[str, float]
    category_values: dict[str, float]


@dataclass(frozen=True)
class Confidential:
    customer_names: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class DiscordSettings:
    channel_id: int
    founder_role: str
    post_threshold: float


@dataclass(frozen=True)
class Playbook:
    path: Path | None
    startup: Startup
    founders: tuple[Founder, ...]
    capabilities: tuple[Capability, ...]
    communities: tuple[CommunityConfig, ...]
    user_types: UserTypeHints
    categories: CategoryRules
    scoring: Scoring
    confidential: Confidential
    watch_interval_minutes: float
    discord: DiscordSettings

    def community(self, community_id: str) -> CommunityConfig:
        for community in self.communities:
            if community.id == community_id:
                return community
        raise UnknownCommunity(community_id)

    def founder(self, name: str) -> Founder:
        """Find a founder by name (case-insensitive), Discord name or any handle."""
        wanted = name.strip().casefold()
        for founder in self.founders:
            names = {founder.name.casefold(), *(h.casefold() for h in founder.handles.values())}
            if founder.discord:
                names.add(founder.discord.casefold())
            if wanted in names:
                return founder
        raise UnknownFounder(name)

    def founder_handles(self, community: CommunityConfig) -> dict[str, str]:
        """Handle → founder name for one community."""
        handles = {}
        for founder in self.founders:
            handle = founder.handle_in(community)
            if handle:
                handles[handle] = founder.name
        return handles
