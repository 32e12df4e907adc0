"""The keyword-and-rule judgement: the baseline every model is measured against.

It reads a stored thread with its replies and decides, with reasons a founder
can read: is it a problem, of which kind, can the startup solve it, who asked.
It needs no training, which is what makes it the cold-start fallback too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from playbooks import Playbook

MODEL_VERSION = "rules-1"

QUESTION = re.compile(
    r"\?|\b(how (do|can|to)|why (does|is)|is there a way|any idea|help|cómo|por qué|ayuda|"
    r"wie kann|warum|hilfe|weiß jemand|como faço|ajuda|comment faire|aide)\b",
    re.IGNORECASE,
)
ERROR = re.compile(
    r"\b(error|exception|traceback|fails?|failed|failing|crash(es|ed)?|broken|not working|"
    r"doesn'?t work|stopped|fehler|funktioniert nicht|abgestürzt|falla|fallo|no funciona|"
    r"dejó de|erro|não funciona)\b|\b[A-Z]{2,}-[A-Z]+-\d+\b",
    re.IGNORECASE,
)
FEATURE = re.compile(
    r"\b(feature request|would be (nice|great)|please add|wish|could you add|"
    r"sería genial|wäre schön|funktionswunsch|sugerencia)\b",
    re.IGNORECASE,
)
NOT_PROBLEM = re.compile(
    r"\b(announc\w*|release notes?|released|show(ing)? off|we built|meetup|webinar|"
    r"which (help ?desk|tool) do you|poll|anuncio|novedades|ankündigung|neu in)\b",
    re.IGNORECASE,
)
SELF_DESCRIPTION = {
    "channel_partner": re.compile(
        r"\b(we resell|reseller|our clients|our customers|partner of|we implement|"
        r"revendemos|nuestros clientes|unsere kunden|wir vertreiben)\b",
        re.IGNORECASE,
    ),
    "complementor": re.compile(
        r"\b(our (plugin|integration|app|add-?on)|we (built|make|maintain) (a|an|the) "
        r"(plugin|integration|connector))\b",
        re.IGNORECASE,
    ),
}
ANCHOR = re.compile(r"\b[A-Z]{2,}(?:-[A-Z]+)?-\d{1,4}\b")
DOMAIN = re.compile(r"\b(?:https?://)?(?:www\.)?((?:[a-z0-9-]+\.)+[a-z]{2,})\b", re.IGNORECASE)


@dataclass
class Judgement:
    is_problem: bool
    problem_probability: float
    kind: str
    capability_id: str | None
    capability_score: float
    asker_type: str
    asker_value: float
    signals: dict[str, Any] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    anchor: str | None = None
    model_version: str = MODEL_VERSION


def _keyword_hits(text: str, keywords: tuple[str, ...]) -> list[str]:
    lowered = text.casefold()
    return [k for k in keywords if k.casefold() in lowered]


def capability_of(text: str, playbook: Playbook) -> tuple[str | None, float, list[str]]:
    """Best capability by keyword hits; two hits or more is a confident match."""
    best: tuple[str | None, float, list[str]] = (None, 0.0, [])
    for capability in playbook.capabilities:
        hits = _keyword_hits(text, capability.keywords)
        score = min(1.0, 0.45 * len(hits))
        if score > best[1]:
            best = (capability.id, score, hits)
    return best


def user_type_of(member: dict[str, Any] | None, texts: list[str], playbook: Playbook):
    """User type from platform flags, the playbook's names and domains, and what
    the member writes about themself."""
    hints = playbook.user_types
    if member and (member.get("is_staff") or member.get("is_moderator")):
        return "vendor_staff", "platform flags the member as staff"
    profile = " ".join(
        str(member.get(key) or "") for key in ("handle", "website", "about", "display_name")
    ) if member else ""
    haystack = " ".join([profile, *texts])
    domains = {d.lower() for d in DOMAIN.findall(haystack)}
    lowered = haystack.casefold()
    for kind, parties in (
        ("vendor_staff", (hints.vendor,)),
        ("competitor", hints.competitors),
        ("channel_partner", hints.channel_partners),
        ("complementor", hints.complementors),
    ):
        for party in parties:
            for domain in party.domains:
                if domain in domains:
                    return kind, f"mentions {domain}"
            if kind != "vendor_staff":
                for name in party.names:
                    if name.casefold() in lowered:
                        return kind, f"names {name}"
    for kind, pattern in SELF_DESCRIPTION.items():
        match = pattern.search(haystack)
        if match:
            return kind, f"writes {match.group(0)!r}"
    return "customer", "asks about their own use of the product"


def judge_thread(
    thread: dict[str, Any],
    asker: dict[str, Any] | None,
    asker_texts: list[str],
    playbook: Playbook,
) -> Judgement:
    text = f"{thread['title']}\n{thread['body_text']}"
    reasons: list[str] = []
    signals: dict[str, Any] = {}
    question = QUESTION.search(text)
    error = ERROR.search(text)
    feature = FEATURE.search(text)
    chatter = NOT_PROBLEM.search(thread["title"])
    if question:
        signals["question"] = question.group(0)
    if error:
        signals["error"] = error.group(0)
    if feature:
        signals["feature_request"] = feature.group(0)
    if chatter:
        signals["not_a_problem"] = chatter.group(0)
    probability = 0.15 + 0.4 * bool(question) + 0.4 * bool(error) + 0.2 * bool(feature)
    probability -= 0.5 * bool(chatter) + 0.3 * bool(thread.get("author_is_staff"))
    probability = round(min(1.0, max(0.0, probability)), 3)
    is_problem = probability >= playbook.categories.problem_threshold
    if error:
        kind = "bug"
    elif feature:
        kind = "feature_request"
    elif question:
        kind = "howto"
    else:
        kind = "other"
    reasons.append(
        f"problem p={probability:.2f} ("
        + ", ".join(f"{k}: {v!r}" for k, v in signals.items())
        + ")" if signals else f"problem p={probability:.2f} (no problem cues)"
    )
    capability_id, capability_score, hits = capability_of(text, playbook)
    if capability_id:
        reasons.append(f"capability {capability_id} {capability_score:.2f} (keywords {', '.join(hits)})")
    else:
        reasons.append("no capability keyword")
    asker_type, type_reason = user_type_of(asker, asker_texts, playbook)
    asker_value = playbook.user_types.values.get(asker_type, 0.5)
    reasons.append(f"asker {asker_type}: {type_reason}")
    anchor_match = ANCHOR.search(text)
    return Judgement(
        is_problem=is_problem,
        problem_probability=probability,
        kind=kind,
        capability_id=capability_id,
        capability_score=round(capability_score, 3),
        asker_type=asker_type,
        asker_value=asker_value,
        signals=signals,
        reasons=reasons,
        anchor=anchor_match.group(0) if anchor_match else None,
    )


ME_TOO = re.compile(
    r"^\W*(\+1|me too|same (here|issue|problem)|same for us|we have the same|"
    r"also (seeing|having)|a mí también|mismo problema|nos pasa lo mismo|igual aqui|"
    r"same problem|ich auch|gleiches problem|bei uns auch|tenho o mesmo|moi aussi)\b",
    re.IGNORECASE,
)
THANKS_FIXED = re.compile(
    r"\b(that fixed it|this fixed it|fixed it|works now|solved|that did the trick|thanks?,? it works|"
    r"funciona(ba)? ahora|ya funciona|resuelto|solucionado|funktioniert jetzt|gelöst|"
    r"hat geholfen|resolvido|funcionou|ça marche)\b",
    re.IGNORECASE,
)


@dataclass
class ReplySignals:
    me_too_authors: list[str]
    answered_by: list[str]
    solved: bool
    solved_by: str | None


def reply_signals(thread: dict[str, Any], posts: list[dict[str, Any]]) -> ReplySignals:
    """What the replies say: who else is affected, who answered, was it solved."""
    asker = thread.get("author")
    me_too: list[str] = []
    answered: list[str] = []
    solved = bool(thread.get("is_solved"))
    solved_by = None
    by_id = {p["native_id"]: p for p in posts}
    for post in posts:
        author = post.get("author")
        text = post.get("body_text") or ""
        if post.get("is_accepted"):
            solved, solved_by = True, author
        if author and author != asker and ME_TOO.search(text) and len(text) < 400:
            if author not in me_too:
                me_too.append(author)
            continue
        if author and author != asker and author not in answered:
            answered.append(author)
        if author and author == asker and THANKS_FIXED.search(text):
            solved = True
            parent = by_id.get(post.get("parent_native_id") or "")
            if parent and parent.get("author") != asker:
                solved_by = solved_by or parent.get("author")
            elif answered:
                solved_by = solved_by or answered[-1]
    return ReplySignals(me_too, answered, solved, solved_by)


def category_probabilities(
    problem_probability: float,
    capability_score: float,
    affected_members: int,
    countries: int,
    solved: bool,
    playbook: Playbook,
) -> tuple[str, dict[str, float], list[str]]:
    """The documented category rule (README, "How a thread is categorised"):

    p(problem) splits into "the startup cannot solve it" and "it can"; what it
    can solve splits into pervasive (enough affected members in enough
    countries, per the playbook) and unrewarded (one-off or already solved).
    """
    rules = playbook.categories
    capable = min(1.0, capability_score / (2 * rules.capability_threshold))
    if capability_score >= rules.capability_threshold:
        capable = max(capable, 0.5 + 0.5 * capable)
    pervasive = min(1.0, affected_members / rules.min_affected_members) * min(
        1.0, countries / rules.min_countries
    )
    if solved:
        pervasive *= 0.3
    p = problem_probability
    probabilities = {
        "pervasive_solvable": p * capable * pervasive,
        "unrewarded": p * capable * (1 - pervasive),
        "unsolvable": p * (1 - capable),
        "not_a_problem": 1 - p,
    }
    probabilities = {k: round(v, 4) for k, v in probabilities.items()}
    category = max(probabilities, key=probabilities.get)
    reasons = [
        f"{affected_members} affected member(s) in {countries} country(ies) "
        f"(pervasive needs {rules.min_affected_members} in {rules.min_countries})"
    ]
    if solved:
        reasons.append("already solved in the thread")
    return category, probabilities, reasons


_CCTLD = re.compile(r"\b[a-z0-9-]+\.(?:com?\.)?([a-z]{2})\b", re.IGNORECASE)
_GENERIC_TLDS = {"io", "ai", "co", "me", "tv", "fm", "ly", "to", "cc", "ws"}


def _country_names() -> dict[str, str]:
    import pycountry

    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            value = getattr(country, attribute, None)
            if value:
                names[value.casefold()] = country.alpha_2
    return names


_NAMES: dict[str, str] | None = None


def country_of(member: dict[str, Any] | None) -> tuple[str | None, float]:
    """Country from a stated location (country names), else from a
    country-code domain in the member's website or profile text."""
    global _NAMES
    if not member:
        return None, 0.0
    if _NAMES is None:
        _NAMES = _country_names()
    location = (member.get("location") or "").casefold()
    if location:
        for part in reversed(re.split(r"[,/;|()]+", location)):
            name = part.strip()
            if name in _NAMES:
                return _NAMES[name], 0.9
    profile = f"{member.get('website') or ''} {member.get('about') or ''}"
    for tld in _CCTLD.findall(profile):
        code = tld.upper()
        if tld.lower() not in _GENERIC_TLDS and code in {v for v in _NAMES.values()}:
            return code, 0.6
    return None, 0.0
