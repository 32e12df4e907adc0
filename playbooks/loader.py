"""Reading a playbook: TOML → schema check → cross-reference checks → model."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pycountry

from playbooks.model import (
    CATEGORIES,
    PLATFORMS,
    USER_TYPES,
    Capability,
    CategoryRules,
    CommunityConfig,
    Confidential,
    DiscordSettings,
    Etiquette,
    Founder,
    Party,
    Playbook,
    PlaybookError,
    Scoring,
    Startup,
    UserTypeHints,
)
from playbooks.schema import Bool, Choice, ListOf, MapOf, Number, Problems, Str, Table

ID_PATTERN = r"[a-z0-9][a-z0-9._-]*"
ID_HINT = "an id (lower-case letters, digits, '.', '_' or '-')"
DOMAIN_PATTERN = r"(?:[a-z0-9-]+\.)+[a-z]{2,}"
DOMAIN_HINT = "a domain name like example.com"

WEIGHT_KEYS = (
    "category",
    "affected_members",
    "countries",
    "asker_value",
    "freshness",
    "answered_penalty",
    "expert_answered_penalty",
    "competitor_penalty",
)

_SHARE = {"minimum": 0, "maximum": 1}

PARTY = Table(
    {
        "names": ListOf(Str(), required=True, min_items=1),
        "domains": ListOf(Str(pattern=DOMAIN_PATTERN, hint=DOMAIN_HINT)),
    }
)

SCHEMA = Table(
    {
        "version": Number(integer=True, minimum=1, maximum=1, default=1),
        "startup": Table(
            {
                "name": Str(required=True),
                "domains": ListOf(Str(pattern=DOMAIN_PATTERN, hint=DOMAIN_HINT)),
                "disclosure": Str(required=True),
                "home_country": Str(pattern=r"[A-Z]{2}", hint="an ISO 3166 country code like CO"),
            },
            required=True,
        ),
        "founders": ListOf(
            Table(
                {
                    "name": Str(required=True),
                    "discord": Str(),
                    "handles": MapOf(Str(), key_pattern=ID_PATTERN, key_hint=ID_HINT),
                }
            ),
            required=True,
            min_items=1,
            unique_key="name",
        ),
        "capabilities": ListOf(
            Table(
                {
                    "id": Str(required=True, pattern=ID_PATTERN, hint=ID_HINT),
                    "description": Str(required=True),
                    "keywords": ListOf(Str()),
                    "examples": ListOf(Str()),
                }
            ),
            required=True,
            min_items=1,
            unique_key="id",
        ),
        "communities": ListOf(
            Table(
                {
                    "id": Str(required=True, pattern=ID_PATTERN, hint=ID_HINT),
                    "name": Str(),
                    "platform": Choice(PLATFORMS, required=True),
                    "locator": Str(required=True),
                    "languages": ListOf(Str(pattern=r"[a-z]{2,3}", hint="a language code like en")),
                    "regions": ListOf(Str()),
                    "tags": ListOf(Str()),
                    "review_thread": Str(),
                    "etiquette": Table(
                        {
                            "max_self_promotion_share": Number(default=0.1, **_SHARE),
                            "disclosure_required": Bool(default=True),
                            "links_allowed": Bool(default=True),
                        }
                    ),
                }
            ),
            required=True,
            min_items=1,
            unique_key="id",
        ),
        "user_types": Table(
            {
                "vendor": PARTY,
                "competitors": ListOf(PARTY),
                "channel_partners": ListOf(PARTY),
                "complementors": ListOf(PARTY),
                "values": MapOf(Number(minimum=0)),
            }
        ),
        "categories": Table(
            {
                "lookback_days": Number(integer=True, minimum=1, default=90),
                "min_affected_members": Number(integer=True, minimum=1, default=3),
                "min_countries": Number(integer=True, minimum=1, default=2),
                "problem_threshold": Number(default=0.5, **_SHARE),
                "capability_threshold": Number(default=0.35, **_SHARE),
                "answer_howtos": Bool(default=True),
            }
        ),
        "scoring": Table(
            {
                "answer_within_hours": Number(minimum=1, default=24),
                "freshness_half_life_hours": Number(minimum=1, default=48),
                "queue_threshold": Number(default=0.25, **_SHARE),
                "max_age_hours": Number(minimum=1, default=168),
                "weights": MapOf(Number(minimum=0)),
                "category_values": MapOf(Number(**_SHARE)),
            }
        ),
        "confidential": Table(
            {"customer_names": ListOf(Str()), "terms": ListOf(Str())}
        ),
        "watch": Table({"interval_minutes": Number(minimum=1, default=15)}),
        "discord": Table(
            {
                "channel_id": Number(integer=True, minimum=0, default=0),
                "founder_role": Str(default="Founders"),
                "post_threshold": Number(default=0.5, **_SHARE),
            }
        ),
    }
)

DEFAULT_WEIGHTS = {
    "category": 0.40,
    "affected_members": 0.15,
    "countries": 0.10,
    "asker_value": 0.15,
    "freshness": 0.20,
    "answered_penalty": 0.15,
    "expert_answered_penalty": 0.25,
    "competitor_penalty": 0.30,
}
DEFAULT_CATEGORY_VALUES = {
    "pervasive_solvable": 1.0,
    "unrewarded": 0.35,
    "unsolvable": 0.05,
    "not_a_problem": 0.0,
}
DEFAULT_USER_VALUES = {
    "customer": 1.0,
    "channel_partner": 1.5,
    "complementor": 0.8,
    "competitor": 0.1,
    "expert": 0.6,
    "vendor_staff": 0.4,
    "unknown": 0.5,
}


def default_playbook_path() -> Path:
    """The packaged Dewak playbook."""
    return Path(str(resources.files("playbooks").joinpath("dewak.toml")))


def load_playbook(path: str | Path) -> Playbook:
    """Read and validate a playbook file; raise PlaybookError listing every
    problem, each prefixed with the file name as the user gave it."""
    shown = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise PlaybookError([f"{shown}: cannot read ({error.strerror})"]) from None
    return parse_playbook(data, shown, base_dir=Path(path).resolve().parent)


def parse_playbook(data: bytes | str, shown: str, *, base_dir: Path | None = None) -> Playbook:
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError:
        raise PlaybookError([f"{shown}: not UTF-8 text"]) from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PlaybookError([f"{shown}: invalid TOML: {error}"]) from None
    problems = Problems()
    checked = SCHEMA.check(document, "", problems)
    if not problems.messages:
        _check_references(checked, problems)
    if problems.messages:
        raise PlaybookError([f"{shown}: {message}" for message in problems.messages])
    return _build(checked, Path(shown), base_dir)


def _check_references(doc: dict[str, Any], problems: Problems) -> None:
    """Checks that need more than one value: keys that must name communities,
    weights and values that must name known kinds, real country codes."""
    home = doc["startup"].get("home_country")
    if home and pycountry.countries.get(alpha_2=home) is None:
        problems.add("startup.home_country", f"{home!r} is not an ISO 3166 country code")
    community_ids = {c["id"] for c in doc["communities"]}
    for index, founder in enumerate(doc["founders"]):
        for key in founder["handles"]:
            if key not in community_ids and key not in PLATFORMS:
                problems.add(
                    f"founders[{index}].handles.{key}",
                    "is neither a community id of this playbook nor a platform "
                    f"({', '.join(PLATFORMS)})",
                )
    for key in doc["user_types"]["values"]:
        if key not in USER_TYPES:
            problems.add(f"user_types.values.{key}", f"is not one of {', '.join(USER_TYPES)}")
    for key in doc["scoring"]["weights"]:
        if key not in WEIGHT_KEYS:
            problems.add(f"scoring.weights.{key}", f"is not one of {', '.join(WEIGHT_KEYS)}")
    for key in doc["scoring"]["category_values"]:
        if key not in CATEGORIES:
            problems.add(f"scoring.category_values.{key}", f"is not one of {', '.join(CATEGORIES)}")


def _party(raw: dict[str, Any] | None) -> Party:
    raw = raw or {}
    return Party(tuple(raw.get("names") or ()), tuple(d.lower() for d in raw.get("domains") or ()))


def _build(doc: dict[str, Any], path: Path, base_dir: Path | None) -> Playbook:
    startup = doc["startup"]
    communities = tuple(
        CommunityConfig(
            id=c["id"],
            platform=c["platform"],
            locator=c["locator"],
            name=c["name"] or c["id"],
            languages=tuple(c["languages"]),
            regions=tuple(c["regions"]),
            tags=tuple(c["tags"]),
            review_thread=c["review_thread"],
            etiquette=Etiquette(**c["etiquette"]),
            base_dir=base_dir,
        )
        for c in doc["communities"]
    )
    user_types = doc["user_types"]
    scoring = doc["scoring"]
    return Playbook(
        path=path,
        startup=Startup(
            name=startup["name"],
            domains=tuple(d.lower() for d in startup["domains"]),
            disclosure=startup["disclosure"],
            home_country=startup["home_country"],
        ),
        founders=tuple(
            Founder(name=f["name"], handles=dict(f["handles"]), discord=f["discord"])
            for f in doc["founders"]
        ),
        capabilities=tuple(
            Capability(
                id=c["id"],
                description=c["description"],
                keywords=tuple(c["keywords"]),
                examples=tuple(c["examples"]),
            )
            for c in doc["capabilities"]
        ),
        communities=communities,
        user_types=UserTypeHints(
            vendor=_party(user_types["vendor"]),
            competitors=tuple(_party(p) for p in user_types["competitors"]),
            channel_partners=tuple(_party(p) for p in user_types["channel_partners"]),
            complementors=tuple(_party(p) for p in user_types["complementors"]),
            values={**DEFAULT_USER_VALUES, **user_types["values"]},
        ),
        categories=CategoryRules(**doc["categories"]),
        scoring=Scoring(
            answer_within_hours=float(scoring["answer_within_hours"]),
            freshness_half_life_hours=float(scoring["freshness_half_life_hours"]),
            queue_threshold=float(scoring["queue_threshold"]),
            max_age_hours=float(scoring["max_age_hours"]),
            weights={**DEFAULT_WEIGHTS, **scoring["weights"]},
            category_values={**DEFAULT_CATEGORY_VALUES, **scoring["category_values"]},
        ),
        confidential=Confidential(
            customer_names=tuple(doc["confidential"]["customer_names"]),
            terms=tuple(doc["confidential"]["terms"]),
        ),
        watch_interval_minutes=float(doc["watch"]["interval_minutes"]),
        discord=DiscordSettings(
            channel_id=int(doc["discord"]["channel_id"]),
            founder_role=doc["discord"]["founder_role"],
            post_threshold=float(doc["discord"]["post_threshold"]),
        ),
    )
