"""Can a member's country be guessed without their stated location? Each
member's posts, comments, posting hours, website and about text are used —
never the Location field — and the guess is scored against the members whose
stated Location resolves to a country: ``accuracy`` among the members the
guesser names a country for, and ``coverage``, the share it names one for
(the same two for the world region, and the majority-country baseline).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from classifiers.data.countries import CONTINENTS
from classifiers.evaluation.members_dump import Dump, DumpError, load_dump
from classifiers.geography import GeoEvidence, GeoParams, guess_country, resolve_location

TRUTH_CONFIDENCE = 0.7


def evidence_from_dump(dump: Dump) -> dict[str, GeoEvidence]:
    """Evidence per member with at least one post; Location is left out."""
    texts: dict[str, list[str]] = defaultdict(list)
    times: dict[str, list[float]] = defaultdict(list)
    for post in dump.posts.values():
        if post.owner and post.owner != "-1":
            texts[post.owner].append(f"{post.title} {post.text}".strip())
            times[post.owner].append(post.created_at)
    posters = set(texts)
    for comment in dump.comments:
        if comment.user in posters:
            texts[comment.user].append(comment.text)
            times[comment.user].append(comment.created_at)
    evidence = {}
    for member in sorted(posters):
        user = dump.users.get(member)
        evidence[member] = GeoEvidence(
            member_id=member,
            location=None,
            about=user.about if user else None,
            website=user.website if user else None,
            texts=tuple(texts[member]),
            post_times=tuple(times[member]),
        )
    return evidence


def stated_countries(dump: Dump, members: set[str]) -> dict[str, str]:
    """The ground truth: members whose Location resolves to a country."""
    truth = {}
    for member in members:
        user = dump.users.get(member)
        place = resolve_location(user.location) if user else None
        if place is not None and place.country and place.confidence >= TRUTH_CONFIDENCE:
            truth[member] = place.country
    return truth


def evaluate_geography(dump: Dump, params: GeoParams | None = None) -> dict:
    evidence = evidence_from_dump(dump)
    truth = stated_countries(dump, set(evidence))
    if not truth:
        raise ValueError("no member with posts states a location that resolves to a country")
    guessed = correct = region_guessed = region_correct = 0
    for member, country in truth.items():
        guess = guess_country(evidence[member], params)
        if guess.country is not None:
            guessed += 1
            correct += guess.country == country
        if guess.region is not None:
            region_guessed += 1
            region_correct += guess.region == CONTINENTS.get(country)
    majority, majority_count = Counter(truth.values()).most_common(1)[0]
    return {
        "accuracy": round(correct / guessed, 4) if guessed else 0.0,
        "coverage": round(guessed / len(truth), 4),
        "region_accuracy": round(region_correct / region_guessed, 4) if region_guessed else 0.0,
        "region_coverage": round(region_guessed / len(truth), 4),
        "n_members": len(truth),
        "majority_country": majority,
        "majority_accuracy": round(majority_count / len(truth), 4),
    }


def evaluate_geography_dump(folder: str | Path, params: GeoParams | None = None) -> dict:
    """``beachhead eval geography --stackexchange DIR``."""
    try:
        return evaluate_geography(load_dump(folder), params)
    except DumpError:
        raise
    except ValueError as error:
        raise DumpError(f"'{folder}': {error}") from None
