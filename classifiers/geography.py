"""Where a member probably is: a country (and world region) with a
confidence and the reasons behind it.

"Pervasive" means affecting members in different geographies, so every member
needs a best guess even when they never said where they live. Evidence, from
strongest to weakest:

1. a stated location ("Kraków, Poland", "Austin TX") or a place stated in the
   profile's about text ("based in Lyon") — resolved to an ISO country with
   ``pycountry`` and a hand-made table of cities, states and other names;
2. country-code domains of their own website and of links they post (.de,
   .com.br), ignoring ccTLDs used as generic ones (.io, .co, .ai);
3. the language they write in (``py3langid``): French points to France,
   Canada, Belgium…, English only weakly anywhere;
4. the UTC hours they post at, matched against a typical day of activity to
   infer their time-zone offset.

The last three are combined as independent evidence (naive Bayes) over a
prior of where forum members come from; a stated location overrides them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

import numpy as np
import pycountry
from scipy.sparse import csr_matrix

from classifiers.data.countries import (
    CONTINENTS,
    COUNTRY_FACTS,
    DEFAULT_PRIOR,
    GENERIC_TLDS,
    REGION_NAMES,
)
from classifiers.data.places import (
    AMBIGUOUS,
    AU_STATE_CODES,
    CA_PROVINCE_CODES,
    CITIES,
    COUNTRY_ALIASES,
    NOT_PLACES,
    REGION_WORDS,
    US_STATE_CODES,
)
from classifiers.terms import fold_accents


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """A location string resolved to a country (or only a region)."""

    country: str | None
    region: str | None
    subdivision: str | None
    confidence: float
    reason: str


@dataclass(frozen=True, slots=True)
class GeoEvidence:
    """What is known about one member. ``post_times`` are UTC (epoch
    seconds or aware datetimes); ``texts`` are their posts in plain text."""

    member_id: str
    location: str | None = None
    about: str | None = None
    website: str | None = None
    texts: Sequence[str] = ()
    post_times: Sequence[float | datetime] = ()
    language: str | None = None


@dataclass(frozen=True, slots=True)
class GeoGuess:
    member_id: str
    country: str | None
    region: str | None
    subdivision: str | None
    confidence: float
    reasons: tuple[str, ...]
    alternatives: tuple[tuple[str, float], ...] = field(default=())

    @property
    def region_name(self) -> str | None:
        return REGION_NAMES.get(self.region or "")


# --- stated locations ------------------------------------------------------

_SPLIT_RE = re.compile(r"\s*(?:[,;/|•·()\[\]]|\s-\s|\s–\s|\s—\s)\s*")
_WORD_RE = re.compile(r"[^\W_][\w.'\-]*", re.UNICODE)
_CODE_RE = re.compile(r"^[A-Za-z]{2,3}\.?$")


def _fold(text: str) -> str:
    return fold_accents(text).lower().strip(" .")


@lru_cache(maxsize=1)
def _place_index() -> dict[str, tuple[str, str, str | None]]:
    """name → (country, kind, subdivision). Kinds, weakest to strongest:
    city, subdivision, country."""
    index: dict[str, tuple[str, str, str | None]] = {}
    for name, code in CITIES.items():
        index[_fold(name)] = (code, "city", None)
    seen: dict[str, set[str]] = {}
    subdivisions: dict[str, tuple[str, str]] = {}
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None:
            continue
        name = _fold(re.sub(r"\s*\(.*?\)|\s*\[.*?\]", "", sub.name))
        if not name or "," in name or len(name) < 4:
            continue
        seen.setdefault(name, set()).add(sub.country_code)
        subdivisions[name] = (sub.country_code, sub.code)
    for name, (country, code) in subdivisions.items():
        if len(seen[name]) == 1 and name not in AMBIGUOUS:
            index[name] = (country, "subdivision", code)
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            value = getattr(country, attribute, None)
            if value:
                index[_fold(value)] = (country.alpha_2, "country", None)
    for name, code in COUNTRY_ALIASES.items():
        index[_fold(name)] = (code, "country", None)
    for name in AMBIGUOUS:
        index.pop(name, None)
    return index


_KIND_STRENGTH = {"city": 0.75, "subdivision": 0.85, "country": 0.95}


def _scan(part: str, index: dict) -> list[tuple[int, str, str, str | None, str]]:
    """Known names inside one comma-separated part, longest first."""
    words = _WORD_RE.findall(part)
    found = []
    used = [False] * len(words)
    for size in range(min(5, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            if any(used[start : start + size]):
                continue
            name = " ".join(words[start : start + size]).strip(".")
            hit = index.get(name)
            if hit is not None:
                found.append((start, *hit, name))
                for i in range(start, start + size):
                    used[i] = True
    return found


def resolve_location(text: str | None) -> PlaceMatch | None:
    """A free-text location resolved to an ISO country, or ``None`` when it
    names no recognisable place ("Earth", a URL, a joke)."""
    if not text or not text.strip():
        return None
    raw = text.strip()
    if "://" in raw or raw.startswith("www.") or "@" in raw:
        return None
    folded = _fold(raw)
    if folded in NOT_PLACES or len(folded) < 2:
        return None
    index = _place_index()
    raw_parts = [p for p in _SPLIT_RE.split(raw) if p and p.strip()]
    candidates: list[tuple[float, int, str, str, str | None, str]] = []
    code_parts: list[tuple[int, str, str]] = []
    regions: list[str] = []
    for position, raw_part in enumerate(raw_parts):
        part = _fold(raw_part)
        if not part:
            continue
        if part in REGION_WORDS:
            regions.append(REGION_WORDS[part])
            continue
        if _CODE_RE.match(raw_part.strip()) and part not in index:
            code_parts.append((position, part.rstrip("."), raw_part.strip()))
            continue
        for _, country, kind, subdivision, name in _scan(part, index):
            candidates.append((_KIND_STRENGTH[kind], position, country, kind, subdivision, name))
        if part in index and len(part) <= 3 and part.isalpha() and position > 0:
            code_parts.append((position, part, raw_part.strip()))
    cities = {c[2] for c in candidates if c[3] == "city"}
    for position, code, original in code_parts:
        interpretation = _interpret_code(code, original, position, cities, bool(candidates))
        if interpretation is not None:
            country, kind, subdivision = interpretation
            strength = 0.9 if kind == "subdivision" else 0.8
            candidates.append((strength, position, country, kind, subdivision, original))
    if not candidates:
        if regions:
            return PlaceMatch(None, regions[-1], None, 0.5, f"stated location {raw!r} names only a region")
        return None
    # The most specific evidence wins; among equals, the rightmost part (the
    # country is written last).
    best = max(candidates, key=lambda c: (c[0], c[1]))
    country = best[2]
    subdivision = best[4]
    agreeing = [c for c in candidates if c[2] == country]
    if subdivision is None:
        subdivision = next((c[4] for c in agreeing if c[4]), None)
    confidence = best[0]
    if len({c[2] for c in candidates}) > 1:
        confidence -= 0.15  # "Paris, TX": parts disagree
    elif len(agreeing) > 1:
        confidence = min(0.99, confidence + 0.03)
    return PlaceMatch(
        country=country,
        region=CONTINENTS.get(country),
        subdivision=subdivision,
        confidence=round(confidence, 2),
        reason=f"stated location {raw!r} → {country} ({best[3]} {best[5]!r})",
    )


def _interpret_code(
    code: str, original: str, position: int, cities: set[str], has_other: bool
) -> tuple[str, str, str | None] | None:
    """A short code after a city is a US state, Canadian province or
    Australian state; written alone (or upper-case and last) it is an ISO
    country code. "Amsterdam, NL" stays Dutch because the city says so."""
    options: list[tuple[str, str, str | None]] = []
    if code in US_STATE_CODES:
        options.append(("US", "subdivision", f"US-{code.upper()}"))
    if code in CA_PROVINCE_CODES:
        options.append(("CA", "subdivision", f"CA-{code.upper()}"))
    if code in AU_STATE_CODES:
        options.append(("AU", "subdivision", f"AU-{code.upper()}"))
    alpha = {"uk": "GB"}.get(code, code.upper())
    country = pycountry.countries.get(alpha_2=alpha) if len(alpha) == 2 else pycountry.countries.get(alpha_3=alpha)
    if country is not None:
        options.append((country.alpha_2, "country", None))
    if not options:
        return None
    for option in options:
        if option[0] in cities:
            return option
    if has_other or position > 0:
        return options[0]
    return options[-1] if options[-1][1] == "country" else options[0]


_ABOUT_RE = re.compile(
    r"\b(?:(?:I|we) )?(?:live in|living in|based in|located in|i'?m from|i am from|hailing from|born in|"
    r"work(?:ing)? in|moved to|resident of|wohne in|lebe in|j'habite (?:a|à|en)|vivo en|moro em|vivo a)\s+"
    r"([A-Z\u00C0-\u024F][\w\u00C0-\u024F.'\-]*(?:[ ,]+[A-Z\u00C0-\u024F][\w\u00C0-\u024F.'\-]*){0,3})"
)


def places_in_about(about: str | None) -> PlaceMatch | None:
    """A place a member states in prose ("I live in Porto, Portugal")."""
    if not about:
        return None
    for match in _ABOUT_RE.finditer(about):
        place = resolve_location(match.group(1))
        if place is not None and place.country:
            return PlaceMatch(
                place.country,
                place.region,
                place.subdivision,
                round(place.confidence * 0.9, 2),
                f"profile says {match.group(0)!r} → {place.country}",
            )
    return None


# --- domains -----------------------------------------------------------------

_DOMAIN_RE = re.compile(r"(?<![\w\-])(?:https?://)?(?:[\w\-]+\.)+([a-z]{2})(?=[/:\s\"'<>)\]]|$)",
                        re.IGNORECASE)
"""A ccTLD at the end of a name. A name starts after a character that cannot
be part of it: a search starting inside one finds what one starting at its
beginning finds (or nothing), and is not tried."""


def country_domains(texts: Iterable[str]) -> Counter:
    """Country codes of the ccTLD domains written in some texts (.uk → GB)."""
    found: Counter = Counter()
    for text in texts:
        if not text or "." not in text:
            continue
        for tld in _DOMAIN_RE.findall(text):
            tld = tld.lower()
            if tld in GENERIC_TLDS:
                continue
            code = "GB" if tld == "uk" else tld.upper()
            if code in CONTINENTS:
                found[code] += 1
    return found


# --- language ------------------------------------------------------------------


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


_CODE_BLOCK_RE = re.compile(r"https?://\S+|`[^`]*`|(?<![^\s`])\S*[_/\\=<>{}()\[\]]\S*")
"""URLs, `code` and words with code characters. A code word is only looked
for where a word starts (or after a backtick): where the search starting one
character earlier in the same word found none, this one finds none either,
and each word is scanned once instead of once per character."""


def detect_language(text: str, min_chars: int = 40) -> tuple[str | None, float]:
    """The language of some prose and its probability; ``(None, 0.0)`` when
    there is too little text to tell. Code, paths and URLs are left out."""
    prose = _CODE_BLOCK_RE.sub(" ", text[:4000])
    if len(prose.strip()) < min_chars:
        return None, 0.0
    language, probability = _identifier().classify(prose)
    return language, float(probability)


NGRAM_BYTES = 6
"""The deepest state of the py3langid model's automaton (a breadth-first walk
from its start reaches every state within 6 bytes): its state after a byte
is the one the last ``NGRAM_BYTES`` bytes lead to from the start."""


@lru_cache(maxsize=1)
def _automaton() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    identifier = _identifier()
    moves = np.frombuffer(identifier.tk_nextmove, dtype=np.uint32)  # a view, not a copy
    rows = np.asarray(identifier.tk_row, dtype=np.intp) << 8
    return moves, rows, np.asarray(identifier.tk_output, dtype=np.intp)


def _feature_counts(encoded: Sequence[bytes]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The (text, feature, count) triples py3langid's byte-by-byte walk of
    each text would count, for all texts at once: each byte's state is the
    state reached from the start by its last ``NGRAM_BYTES`` bytes, so the
    walk is ``NGRAM_BYTES`` array steps instead of a Python step per byte."""
    moves, rows, output = _automaton()
    lengths = np.fromiter((len(data) for data in encoded), dtype=np.intp, count=len(encoded))
    data = np.frombuffer(b"".join(encoded), dtype=np.uint8).astype(np.intp)
    text_of = np.repeat(np.arange(len(encoded)), lengths)
    state = np.zeros(len(data), dtype=np.intp)
    for back in range(NGRAM_BYTES - 1, -1, -1):  # as if the texts were one
        state[back:] = moves[rows[state[back:]] + data[: len(data) - back]]
    # then each text's first bytes, walked from the start of that text
    starts = np.cumsum(lengths) - lengths
    walking = np.zeros(len(encoded), dtype=np.intp)
    for step in range(NGRAM_BYTES - 1):
        inside = np.flatnonzero(lengths > step)
        walking[inside] = moves[rows[walking[inside]] + data[starts[inside] + step]]
        state[starts[inside] + step] = walking[inside]
    features = output[state]
    kept = features >= 0
    keys = text_of[kept] * len(output) + features[kept]
    unique, counts = np.unique(keys, return_counts=True)
    return unique // len(output), unique % len(output), counts


def detect_languages(texts: Sequence[str], min_chars: int = 40) -> list[tuple[str | None, float]]:
    """``detect_language`` of each text, the model's scores of all of them
    taken at once (the same languages; probabilities may differ in the last
    float32 bits)."""
    identifier = _identifier()
    results: list[tuple[str | None, float]] = [(None, 0.0)] * len(texts)
    positions, encoded = [], []
    for position, text in enumerate(texts):
        prose = _CODE_BLOCK_RE.sub(" ", text[:4000])
        if len(prose.strip()) >= min_chars:
            positions.append(position)
            encoded.append(identifier._encode(prose))
    if not encoded:
        return results
    text_rows, features, counts = _feature_counts(encoded)
    columns = np.unique(features)
    indices = np.searchsorted(columns, features)
    indptr = np.zeros(len(encoded) + 1, dtype=np.intp)
    np.cumsum(np.bincount(text_rows, minlength=len(encoded)), out=indptr[1:])
    matrix = csr_matrix((np.log1p(counts.astype(np.float32)), indices.reshape(-1), indptr),
                        shape=(len(encoded), len(columns)))
    scores = (matrix @ identifier.nb_ptc[columns].astype(np.float32)) + identifier.nb_pc
    scores = scores.astype(np.float32, copy=False)
    # T = sqrt(bytes) keeps the softmax calibrated across lengths (py3langid)
    scores *= np.array([1.0 / math.sqrt(len(data) or 1) for data in encoded], dtype=np.float32)[:, None]
    np.exp(scores - scores.max(axis=1, keepdims=True), out=scores)
    scores /= scores.sum(axis=1, keepdims=True)
    for first, alias in identifier._alias_pairs:
        scores[:, first] += scores[:, alias]
        scores[:, alias] = 0.0
    best = scores.argmax(axis=1).tolist()
    featureless = set(range(len(encoded))) - set(np.unique(text_rows).tolist())
    for row, position in enumerate(positions):
        if row in featureless:  # nothing the model knows: its own answer
            language, probability = identifier.classify(encoded[row])
            results[position] = (language, float(probability))
        else:
            results[position] = (identifier.nb_classes[best[row]], float(scores[row, best[row]]))
    return results


# --- posting hours ---------------------------------------------------------------

# Share of a day's posts made at each local hour, 00:00 to 23:00: a typical
# forum member's day (quiet at night, steady through the day and evening).
_ACTIVITY = (
    3.0, 2.0, 1.2, 0.8, 0.6, 0.6, 1.0, 2.0, 3.5, 4.5, 5.0, 5.2,
    5.0, 5.0, 5.2, 5.3, 5.3, 5.0, 4.8, 5.0, 5.3, 5.3, 4.8, 4.0,
)
_ACTIVITY_LOG = tuple(math.log(v / sum(_ACTIVITY)) for v in _ACTIVITY)
OFFSETS = tuple(o / 2 for o in range(-24, 29))  # UTC-12 … UTC+14 in half hours
_OFFSET_ARRAY = np.array(OFFSETS)
_ACTIVITY_ARRAY = np.array(_ACTIVITY_LOG)


def _hour_of(value: float | datetime) -> float:
    if isinstance(value, datetime):
        value = value.timestamp()
    return (value % 86400.0) / 3600.0


def _offset_weights(post_times: Sequence[float | datetime], temperature: float = 2.0) -> np.ndarray:
    """``offset_posterior`` as an array in ``OFFSETS`` order."""
    if all(type(t) is float for t in post_times):
        hours = np.remainder(np.array(post_times), 86400.0) / 3600.0  # as _hour_of
    else:
        hours = np.array([_hour_of(t) for t in post_times])
    # Every (offset, post) pair at once; a running sum along each row adds the
    # posts in their order, as a loop would.
    local = np.remainder(np.add.outer(_OFFSET_ARRAY, hours), 24.0)
    low = np.floor(local)
    frac = local - low
    low = low.astype(np.intp)
    terms = (1 - frac) * _ACTIVITY_ARRAY[low] + frac * _ACTIVITY_ARRAY[(low + 1) % 24]
    scores = np.cumsum(terms, axis=1)[:, -1] / temperature
    weights = np.exp(scores - scores.max())
    return weights / sum(weights.tolist())


def offset_posterior(post_times: Sequence[float | datetime], temperature: float = 2.0) -> dict[float, float]:
    """Probability of each UTC offset given the hours of a member's posts.
    Posts come in bursts, not independently, so the likelihood is tempered."""
    if not post_times:
        return {}
    return dict(zip(OFFSETS, _offset_weights(post_times, temperature).tolist(), strict=True))


def _offset_distance(a: float, b: float) -> float:
    d = abs(a - b) % 24.0
    return min(d, 24.0 - d)


@lru_cache(maxsize=1)
def _offset_table() -> tuple[dict[str, int], np.ndarray]:
    """``_offset_likelihood`` of every known country (rows, in ``_candidates``
    order) at every offset (columns, ``OFFSETS``): a member's hours are
    weighed against all countries with one product instead of ~13,000 calls."""
    countries = _candidates()
    table = np.array([[_offset_likelihood(c, o) for o in OFFSETS] for c in countries])
    return {c: row for row, c in enumerate(countries)}, table


@lru_cache(maxsize=4096)
def _offset_likelihood(country: str, offset: float) -> float:
    facts = COUNTRY_FACTS.get(country)
    if facts is None:
        return 1.0 / len(OFFSETS)
    # summer time moves most of the northern world one hour east for half the year
    total = 0.0
    for zone, share in facts.offsets:
        for shift, weight in ((0.0, 0.6), (1.0, 0.4)):
            d = _offset_distance(offset, zone + shift)
            total += share * weight * math.exp(-(d * d) / (2 * 1.0**2))
    return total / 2.5066 + 1e-4


# --- the guess -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GeoParams:
    """``min_confidence``: below it the guess names no country. Evidence
    weights scale each log-likelihood (1.0 = taken at face value)."""

    min_confidence: float = 0.35
    min_posts_for_hours: int = 3
    language_weight: float = 1.0
    hours_weight: float = 1.0
    domain_weight: float = 1.0


def _language_likelihood(country: str, language: str) -> float:
    facts = COUNTRY_FACTS.get(country)
    if facts is None:
        return 0.5 if language == "en" else 0.02
    if language in facts.languages:
        return 0.95 if language == "en" else 0.6 / (facts.languages.index(language) + 1) ** 0.5
    if language == "en":
        return 0.5  # English is the common tongue of international forums
    return 0.01


def _candidates() -> list[str]:
    return sorted(COUNTRY_FACTS)


def guess_country(evidence: GeoEvidence, params: GeoParams | None = None) -> GeoGuess:
    """Best guess of a member's country, with its confidence and reasons."""
    params = params or GeoParams()
    stated = resolve_location(evidence.location)
    if stated is not None and stated.country:
        return GeoGuess(
            evidence.member_id, stated.country, stated.region, stated.subdivision,
            stated.confidence, (stated.reason,),
        )
    about = places_in_about(evidence.about)
    if about is not None:
        return GeoGuess(
            evidence.member_id, about.country, about.region, about.subdivision,
            about.confidence, (about.reason,),
        )
    return infer_country(evidence, params, region_hint=stated.region if stated else None)


@lru_cache(maxsize=1)
def _country_arrays() -> tuple[tuple[str, ...], dict[str, int], np.ndarray, np.ndarray]:
    """The candidates (``_candidates`` order), their positions, the log of
    each one's prior, and each one's world region."""
    countries = tuple(_candidates())
    priors = np.array([math.log(COUNTRY_FACTS[c].prior) for c in countries])
    regions = np.array([CONTINENTS.get(c) or "" for c in countries], dtype=object)
    return countries, {c: i for i, c in enumerate(countries)}, priors, regions


_REGIONS = tuple(sorted(set(CONTINENTS.values())))
_REGION_INDEX = {region: i for i, region in enumerate(_REGIONS)}


def _region_codes(countries: Sequence[str]) -> np.ndarray:
    """Each country's index in ``_REGIONS``, -1 when it has none."""
    return np.array([_REGION_INDEX.get(CONTINENTS.get(c) or "", -1) for c in countries], dtype=np.intp)


@lru_cache(maxsize=1)
def _base_region_codes() -> np.ndarray:
    return _region_codes(_country_arrays()[0])


@lru_cache(maxsize=64)
def _language_logs(language: str) -> np.ndarray:
    """log ``_language_likelihood`` of every candidate for one language."""
    return np.array([math.log(_language_likelihood(c, language)) for c in _country_arrays()[0]])


def infer_country(
    evidence: GeoEvidence, params: GeoParams | None = None, region_hint: str | None = None
) -> GeoGuess:
    """The guess from indirect evidence only (domains, language, hours) —
    what ``guess_country`` falls back on when nobody said where they are.
    Every candidate country is weighed at once (arrays in ``_candidates``
    order, then any country only a domain named)."""
    params = params or GeoParams()
    base, positions, priors, regions = _country_arrays()
    extras: list[str] = []
    log_scores = priors.copy()
    reasons: list[str] = []
    evidence_count = 0

    domains = country_domains([evidence.website or ""])
    own_site = next(iter(domains), None)
    mentioned = country_domains(evidence.texts) if evidence.texts else Counter()
    for code, strength, label in (
        *((c, 4.0, "own website") for c in domains),
        *((c, 1.5 * min(n, 3) ** 0.5, "links posted") for c, n in mentioned.items() if c != own_site),
    ):
        if code not in positions and code not in extras:
            extras.append(code)
            log_scores = np.append(log_scores, math.log(DEFAULT_PRIOR))
        index = positions[code] if code in positions else len(base) + extras.index(code)
        log_scores[index] += params.domain_weight * strength
        reasons.append(f"{label}: .{code.lower()} domain")
        evidence_count += 1

    language, probability = (evidence.language, 1.0) if evidence.language else detect_language(
        " ".join(evidence.texts)[:4000]
    )
    if language and probability >= 0.8:
        logs = _language_logs(language)
        if extras:
            logs = np.append(logs, [math.log(_language_likelihood(c, language)) for c in extras])
        log_scores += params.language_weight * logs
        reasons.append(f"writes in {language}" + (f" (p={probability:.2f})" if probability < 1.0 else ""))
        evidence_count += 1

    if len(evidence.post_times) >= params.min_posts_for_hours:
        posterior = _offset_weights(evidence.post_times)
        best = int(posterior.argmax())
        best_offset = OFFSETS[best]
        _, table = _offset_table()  # rows in _candidates order
        likely = table @ posterior
        if extras:
            unknown = sum(p * _offset_likelihood("", o) for o, p in zip(OFFSETS, posterior.tolist(), strict=True))
            likely = np.append(likely, [unknown] * len(extras))
        log_scores += params.hours_weight * np.log(likely)
        reasons.append(
            f"posting hours of {len(evidence.post_times)} posts fit UTC{best_offset:+g} "
            f"(p={float(posterior[best]):.2f})"
        )
        evidence_count += 1

    countries = base + tuple(extras) if extras else base
    if region_hint:
        outside = regions != region_hint
        if extras:
            outside = np.append(outside, [CONTINENTS.get(c) != region_hint for c in extras])
        log_scores[outside] -= 3.0
        reasons.append(f"stated region {REGION_NAMES.get(region_hint, region_hint)}")

    weights = np.exp(log_scores - log_scores.max())
    probabilities = weights / sum(weights.tolist())
    order = np.lexsort((np.arange(len(countries)), -probabilities))  # ties: candidates are sorted
    if extras:  # extras are not in alphabetical order among the candidates
        order = sorted(order.tolist(), key=lambda i: (-probabilities[i], countries[i]))
    order = order.tolist() if isinstance(order, np.ndarray) else order
    shares = probabilities.tolist()
    top4 = [(countries[i], shares[i]) for i in order[:4]]
    top, confidence = top4[0]
    alternatives = tuple((c, round(p, 3)) for c, p in top4)
    if evidence_count == 0 or confidence < params.min_confidence:
        if evidence_count:
            codes = _base_region_codes()
            if extras:
                codes = np.append(codes, _region_codes(extras))
            region = _dominant_region_of(codes[order], probabilities[order])
        else:
            region = region_hint
        reasons.append(
            "no indirect evidence" if evidence_count == 0 else f"best guess {top} only {confidence:.2f} sure"
        )
        return GeoGuess(evidence.member_id, None, region, None, round(confidence, 3), tuple(reasons), alternatives)
    return GeoGuess(
        evidence.member_id, top, CONTINENTS.get(top), None, round(confidence, 3), tuple(reasons), alternatives
    )


def _dominant_region_of(codes: np.ndarray, probabilities: np.ndarray) -> str | None:
    """``_dominant_region`` of countries ranked best first, given as their
    region codes (``_region_codes``) and probabilities: the same sums, added
    in the same order."""
    kept = codes >= 0
    codes = codes[kept]
    mass = np.bincount(codes, weights=probabilities[kept], minlength=len(_REGIONS))
    best = float(mass.max())
    tied = np.flatnonzero(mass == best)
    if len(tied) > 1:  # the first of them in the ranking, as max() over a dict would
        tied = [next(code for code in codes.tolist() if code in set(tied.tolist()))]
    return _REGIONS[int(tied[0])] if best >= 0.6 else None


def _dominant_region(ranked: list[tuple[str, float]]) -> str | None:
    mass: dict[str, float] = {}
    for country, probability in ranked:
        region = CONTINENTS.get(country)
        if region:
            mass[region] = mass.get(region, 0.0) + probability
    region, probability = max(mass.items(), key=lambda kv: kv[1])
    return region if probability >= 0.6 else None
