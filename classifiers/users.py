"""Who is asking: customer, channel partner, complementor, competitor,
expert, vendor staff — or unknown — and what a member is worth.

The Dewak lesson is that a founder's hour is worth more on some members than
others: a customer with a pervasive problem, a reseller who could carry the
startup to a hundred clients, an expert whose nod the community trusts.
Members rarely say what they are, but they leave cues: what they write about
themselves and their clients ("we resell", "for one of our clients", "I
maintain the plugin"), the platform's flags (staff, moderator, trust level),
the playbook's names and domains of competitors, partners and complementors,
and how they behave (answering far more than asking).

Each cue is a named feature; the cold-start rules are a fixed weight per
feature and type, so every guess can say which cues it rests on.
``UserTypeClassifier`` learns corrections to those weights from analysts'
labels (an L2-penalised multinomial logistic regression whose offset is the
rules), so it starts as the rules and improves with each label.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from scipy.optimize import minimize
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

USER_TYPES = (
    "customer",
    "channel_partner",
    "complementor",
    "competitor",
    "expert",
    "vendor_staff",
    "unknown",
)


class UserTypeError(ValueError):
    """Input the user-type model cannot use (wrong features, unknown types)."""


@dataclass(frozen=True, slots=True)
class TypeHints:
    """The playbook's knowledge of the market: names and domains of the
    vendor whose forum this is, of competitors, channel partners and
    complementors."""

    vendor_names: tuple[str, ...] = ()
    vendor_domains: tuple[str, ...] = ()
    competitor_names: tuple[str, ...] = ()
    competitor_domains: tuple[str, ...] = ()
    channel_partner_names: tuple[str, ...] = ()
    channel_partner_domains: tuple[str, ...] = ()
    complementor_names: tuple[str, ...] = ()
    complementor_domains: tuple[str, ...] = ()


NO_HINTS = TypeHints()


@dataclass(frozen=True, slots=True)
class MemberProfile:
    """What is known about a member in one community. ``texts`` are their
    posts (plain text); counts are questions asked and answers given there;
    ``voice_percentile`` comes from ``classifiers.voice``."""

    member_id: str
    community: str = ""
    handle: str = ""
    display_name: str | None = None
    about: str | None = None
    website: str | None = None
    signature: str | None = None
    email: str | None = None
    texts: Sequence[str] = ()
    is_staff: bool = False
    is_moderator: bool = False
    trust_level: int | None = None
    questions: int = 0
    answers: int = 0
    accepted_answers: int = 0
    voice_percentile: float | None = None


@dataclass(frozen=True, slots=True)
class UserTypeGuess:
    member_id: str
    user_type: str
    confidence: float
    probabilities: tuple[tuple[str, float], ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MemberValue:
    member_id: str
    value: float
    reasons: tuple[str, ...] = field(default=())


# --- cues ---------------------------------------------------------------------
# Patterns run on lower-cased text, and only when one of their trigger words
# is present: most posts carry none of these cues, and a substring test is a
# hundred times cheaper than a regular expression.

_FLAGS = 0

CUE_PATTERNS: dict[str, re.Pattern[str]] = {
    "resell": re.compile(
        r"\bwe (?:re-?sell|distribute|are (?:an? )?(?:authori[sz]ed )?(?:re-?seller|distributor))\b"
        r"|\b(?:authori[sz]ed|certified|official|gold|silver|platinum|premier) (?:re-?seller|partner|distributor)\b"
        r"|\b(?:our|my) re-?sell(?:er|ing)\b|\bwe are (?:an? )?\w+ partner\b"
        r"|\brevendemos\b|\brevendedor(?:es)?\b|\bwiederverk[aä]ufer\b|\brevendeur\b|\bdistribuidor(?:es)?\b",
        _FLAGS,
    ),
    "clients": re.compile(
        r"\b(?:our|my) (?:clients?|customers?)(?:'s?)?\b|\bfor (?:a|one of our|one of my|our|my) clients?\b"
        r"|\b(?:client|customer) (?:site|deployments?|projects?)\b|\bnuestros clientes\b|\bunsere[nr]? kunden\b"
        r"|\bnos clients\b|\bnossos clientes\b|\bi nostri clienti\b",
        _FLAGS,
    ),
    "consultant": re.compile(
        r"\bi(?:'m| am) (?:an? )?(?:independent |freelance |\w+ )?(?:consultant|freelancer|contractor)\b"
        r"|\b(?:our|my) (?:consultancy|consulting (?:firm|company|business))\b|\bwe (?:do|offer) consulting\b"
        r"|\bsoy consultor\b|\bich bin berater\b|\bje suis consultant\b|\bsou consultor\b",
        _FLAGS,
    ),
    "integrator": re.compile(
        r"\b(?:system|systems) integrator\b|\bimplementation partner\b|\bmanaged service provider\b|\bmsp\b"
        r"|\b(?:our|we are an?) (?:agency|integrator|implementation (?:firm|company))\b|\bwe implement \w+ for\b",
        _FLAGS,
    ),
    "plugin": re.compile(
        r"\bwe (?:built|build|make|develop|developed|maintain|wrote|created|sell|publish) (?:an? |the )?"
        r"(?:[\w\-]+ ){0,3}(?:plugin|plug-in|extension|integration|add-?on|connector|library|sdk|wrapper|module|theme)s?\b"
        r"|\b(?:our|my) (?:[\w\-]+ ){0,2}(?:plugin|plug-in|extension|integration|add-?on|connector|library|sdk|wrapper|module|theme)s?\b",
        _FLAGS,
    ),
    "maintainer": re.compile(
        r"\b(?:i|we) maintain\b|\b(?:the )?(?:author|maintainer|creator|developer) of (?:the )?[\w\-.]+\b"
        r"|\bi(?:'m| am) the (?:author|maintainer|developer)\b",
        _FLAGS,
    ),
    "customer": re.compile(
        r"\b(?:we|our (?:team|company|org(?:anization|anisation)?)) (?:use|uses|run|runs|rely on|relies on|bought|purchased|licensed|deployed)\b"
        r"|\bin (?:our|my) (?:production|prod|company|organi[sz]ation|environment|setup)\b"
        r"|\b(?:our|my) (?:license|licence|subscription|plan|account manager|contract)\b"
        r"|\bwe(?:'re| are) (?:a |an )?(?:paying )?customers?\b|\busamos\b|\bwir (?:nutzen|verwenden)\b|\bnous utilisons\b",
        _FLAGS,
    ),
    "evaluating": re.compile(
        r"\bwe(?:'re| are) (?:evaluating|considering|comparing|looking (?:at|for))\b|\b(?:evaluating|trialing|trialling) \w+ for\b"
        r"|\bbefore we (?:buy|commit|purchase)\b|\bpricing for\b",
        _FLAGS,
    ),
}

# For each cue, words at least one of which every match contains: a cue is
# only looked for when one of them is among the text's words, and then only
# in a window around where it occurs.
CUE_WORDS: dict[str, frozenset[str]] = {
    name: frozenset(words.split())
    for name, words in {
        "resell": "resell resells reselling reseller resellers sell seller selling distribute distributor "
                  "distributors partner revendemos revendedor revendedores wiederverkäufer wiederverkaufer "
                  "revendeur distribuidor distribuidores",
        "clients": "client clients customer customers clientes kunden clienti",
        "consultant": "consultant freelancer contractor consultancy consulting consultor berater",
        "integrator": "integrator implementation implement msp managed agency",
        "plugin": "plugin plugins plug extension extensions integration integrations add addon addons "
                  "connector connectors library libraries sdk sdks wrapper wrappers module modules theme themes",
        "maintainer": "maintain author maintainer creator developer",
        "customer": "use uses run runs rely relies bought purchased licensed deployed production prod company "
                    "organization organisation environment setup license licence subscription plan manager "
                    "contract customer customers usamos nutzen verwenden utilisons",
        "evaluating": "evaluating considering comparing looking trialing trialling before pricing",
    }.items()
}
_TEXT_WORDS_RE = re.compile(r"[^\W\d_]+")
_WINDOW_BEFORE, _WINDOW_AFTER, _MAX_HITS = 80, 140, 4


def _search_near(pattern: re.Pattern[str], text: str, triggers: Iterable[str]) -> re.Match | None:
    """``pattern.search(text)``, tried only around the trigger words."""
    find = text.find
    for trigger in sorted(triggers):
        position = find(trigger)
        hits = 0
        while position >= 0 and hits < _MAX_HITS:
            match = pattern.search(text, max(0, position - _WINDOW_BEFORE), position + len(trigger) + _WINDOW_AFTER)
            if match:
                return match
            hits += 1
            position = find(trigger, position + 1)
    return None


FEATURE_NAMES = (
    "is_staff",
    "is_moderator",
    "high_trust",
    "vendor_domain",
    "vendor_self",
    "competitor_domain",
    "competitor_self",
    "partner_domain",
    "partner_self",
    "complementor_domain",
    "complementor_self",
    *(f"cue_{name}" for name in CUE_PATTERNS),
    "answers_log",
    "questions_log",
    "answer_share",
    "accepted_log",
    "voice_top",
    "bias",
)
_F = {name: i for i, name in enumerate(FEATURE_NAMES)}

# Cold-start rules: the weight of each feature for each type (logit units).
_RULES: dict[str, dict[str, float]] = {
    "vendor_staff": {"is_staff": 6.0, "vendor_domain": 4.0, "vendor_self": 4.5},
    "competitor": {"competitor_domain": 5.0, "competitor_self": 5.0},
    "channel_partner": {
        "partner_domain": 4.5,
        "partner_self": 4.5,
        "cue_resell": 3.5,
        "cue_clients": 2.2,
        "cue_consultant": 2.5,
        "cue_integrator": 3.0,
    },
    "complementor": {
        "complementor_domain": 4.5,
        "complementor_self": 4.5,
        "cue_plugin": 3.0,
        "cue_maintainer": 1.5,
    },
    "expert": {
        "is_moderator": 2.5,
        "high_trust": 2.0,
        "answers_log": 0.9,
        "answer_share": 1.0,
        "accepted_log": 1.2,
        "voice_top": 2.0,
        "questions_log": -0.4,
        "bias": -2.6,
    },
    "customer": {
        "cue_customer": 2.5,
        "cue_evaluating": 2.2,
        "questions_log": 1.5,
        "answer_share": -0.8,
    },
    "unknown": {"bias": 1.0},
}


@lru_cache(maxsize=1)
def rule_weights() -> np.ndarray:
    """The cold-start rules as a read-only (features x types) matrix."""
    matrix = np.zeros((len(FEATURE_NAMES), len(USER_TYPES)))
    for type_index, user_type in enumerate(USER_TYPES):
        for feature, weight in _RULES.get(user_type, {}).items():
            matrix[_F[feature], type_index] = weight
    matrix.setflags(write=False)
    return matrix


def _domain_of(value: str) -> str:
    value = value.strip().lower()
    value = re.sub(r"^[a-z][a-z0-9+.\-]*://", "", value)
    if "@" in value:
        value = value.rsplit("@", 1)[1]
    return value.split("/", 1)[0].split(":", 1)[0].removeprefix("www.")


@lru_cache(maxsize=256)
def _target_domains(targets: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(_domain_of(t) for t in targets if t.strip())


def _matches_domain(domains: Iterable[str], targets: Sequence[str]) -> str | None:
    if not domains:
        return None
    wanted = _target_domains(tuple(targets))
    for domain in domains:
        for target in wanted:
            if domain == target or domain.endswith("." + target):
                return target
    return None


_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"')\]]+|[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+", re.IGNORECASE)


_BARE_DOMAIN_RE = re.compile(r"\b(?:[a-z0-9-]+\.)+[a-z]{2,}\b", re.IGNORECASE)


@lru_cache(maxsize=256)
def _self_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """Phrases in which a member says they belong to an organisation."""
    cleaned = [re.escape(n.strip().lower()) for n in names if n.strip()]
    if not cleaned:
        return None
    name = "(?:" + "|".join(sorted(cleaned, key=len, reverse=True)) + ")"
    return re.compile(
        rf"\b(?:i|we) (?:work|am|are|'m|'re) (?:at|for|with|on the|part of(?: the)?) {name}\b"
        rf"|\b(?:i|we)(?:'m| am|'re| are) (?:an? )?(?:\w+ ){{0,2}}(?:at|from|with) {name}\b"
        rf"|\bwe at {name}\b|\bhere at {name}\b|\b{name} (?:team|staff|employee|engineer|developer|support|founder|co-?founder|ceo|cto)\b"
        rf"|\b(?:founder|co-?founder|ceo|cto|engineer|developer|pm|product manager|consultant|"
        rf"manager|architect|specialist|lead|head of \w+|sales|partner|employee) (?:at|of|@|with) {name}\b"
        rf"|\bdisclosure:? i (?:work|am) (?:at|for|with) {name}\b|@ ?{name}\b"
    )


@dataclass(frozen=True, slots=True)
class _Extracted:
    features: np.ndarray
    reasons: tuple[tuple[str, str], ...]  # (feature, human reason)


def extract_cues(profile: MemberProfile, hints: TypeHints = NO_HINTS, max_chars: int = 20000) -> _Extracted:
    """The member's features and, for each cue that fired, why."""
    x = np.zeros(len(FEATURE_NAMES))
    reasons: list[tuple[str, str]] = []

    def fire(feature: str, reason: str, value: float = 1.0) -> None:
        if x[_F[feature]] == 0:
            reasons.append((feature, reason))
        x[_F[feature]] = value

    if profile.is_staff:
        fire("is_staff", "flagged as staff by the platform")
    if profile.is_moderator:
        fire("is_moderator", "a moderator of the community")
    if profile.trust_level is not None and profile.trust_level >= 3:
        fire("high_trust", f"trust level {profile.trust_level}")

    own_text = " \n ".join(t for t in (profile.about, profile.signature, profile.display_name) if t)
    posts = []
    budget = max_chars
    for text in profile.texts:
        if budget <= 0:
            break
        posts.append(text[:budget])
        budget -= len(posts[-1])
    original = own_text + " \n " + " \n ".join(posts)
    all_text = original.lower()
    same_length = len(original) == len(all_text)

    def quote(match: re.Match) -> str:
        return (original if same_length else all_text)[match.start() : match.end()]

    own_domains = {_domain_of(v) for v in (profile.website, profile.email) if v}
    own_domains.update(_domain_of(u) for u in _URL_RE.findall(own_text))
    # A profile often names a site without its scheme ("see rival.example").
    own_domains.update(d.lower() for d in _BARE_DOMAIN_RE.findall(own_text))
    for feature, targets, label in (
        ("vendor_domain", hints.vendor_domains, "the vendor's"),
        ("competitor_domain", hints.competitor_domains, "a competitor's"),
        ("partner_domain", hints.channel_partner_domains, "a channel partner's"),
        ("complementor_domain", hints.complementor_domains, "a complementor's"),
    ):
        found = _matches_domain(own_domains, targets)
        if found:
            fire(feature, f"profile links to {label} domain {found}")
    for feature, names, label in (
        ("vendor_self", hints.vendor_names, "the vendor"),
        ("competitor_self", hints.competitor_names, "competitor"),
        ("partner_self", hints.channel_partner_names, "channel partner"),
        ("complementor_self", hints.complementor_names, "complementor"),
    ):
        if not any(n.strip() and n.strip().lower() in all_text for n in names):
            continue
        pattern = _self_pattern(tuple(names))
        if pattern is not None:
            match = pattern.search(all_text)
            if match:
                fire(feature, f"says they belong to {label}: {quote(match)!r}")

    text_words = set(_TEXT_WORDS_RE.findall(all_text))
    for name, pattern in CUE_PATTERNS.items():
        present = CUE_WORDS[name].intersection(text_words)
        if not present:
            continue
        match = _search_near(pattern, all_text, present)
        if match:
            fire(f"cue_{name}", f"writes {quote(match)!r}")

    answers, questions = max(profile.answers, 0), max(profile.questions, 0)
    if answers:
        x[_F["answers_log"]] = math.log1p(answers)
        x[_F["accepted_log"]] = math.log1p(max(profile.accepted_answers, 0))
    if questions:
        x[_F["questions_log"]] = math.log1p(questions)
    if answers + questions:
        x[_F["answer_share"]] = answers / (answers + questions)
        if answers >= 5 and answers >= 3 * questions:
            reasons.append(("answers_log", f"answers far more than asks ({answers} answers, {questions} questions)"))
        elif questions > answers:
            reasons.append(("questions_log", f"mostly asks ({questions} questions, {answers} answers)"))
    if profile.accepted_answers >= 3:
        reasons.append(("accepted_log", f"{profile.accepted_answers} accepted answers"))
    if profile.voice_percentile is not None and profile.voice_percentile >= 90:
        fire("voice_top", f"voice in the top {100 - profile.voice_percentile:.0f}% of the community")
    x[_F["bias"]] = 1.0
    return _Extracted(x, tuple(reasons))


def member_features(profiles: Iterable[MemberProfile], hints: TypeHints = NO_HINTS) -> np.ndarray:
    """The feature matrix (rows: members, columns: ``FEATURE_NAMES``)."""
    rows = [extract_cues(p, hints).features for p in profiles]
    return np.vstack(rows) if rows else np.zeros((0, len(FEATURE_NAMES)))


@lru_cache(maxsize=1)
def _rules_by_feature() -> tuple[tuple[tuple[int, float], ...], ...]:
    """For each feature, the (type index, weight) pairs of the rules."""
    weights = rule_weights()
    return tuple(
        tuple((t, float(weights[f, t])) for t in range(len(USER_TYPES)) if weights[f, t] != 0.0)
        for f in range(len(FEATURE_NAMES))
    )


def _rule_probabilities(features: np.ndarray) -> list[float]:
    """Softmax of the rules' logits, over the (few) features that fired —
    the same numbers as ``features @ rule_weights()``, without the matrix."""
    logits = [0.0] * len(USER_TYPES)
    by_feature = _rules_by_feature()
    for f in np.flatnonzero(features).tolist():
        value = float(features[f])
        for t, weight in by_feature[f]:
            logits[t] += weight * value
    peak = max(logits)
    exps = [math.exp(v - peak) for v in logits]
    total = sum(exps)
    return [v / total for v in exps]


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


class UserTypeClassifier(ClassifierMixin, BaseEstimator):
    """User type from member features, starting from the rules.

    With ``prior="rules"`` (the default) ``X`` must have the columns of
    ``FEATURE_NAMES`` and labels must be user types; the logits are the rules
    plus a correction learned from the labels, shrunk towards zero by
    ``alpha`` — so a handful of labels nudges the rules rather than replacing
    them, and every type stays predictable. With ``prior=None`` it is a plain
    L2-penalised multinomial logistic regression on any numeric features.
    """

    def __init__(self, prior: str | None = "rules", alpha: float = 1.0, max_iter: int = 200) -> None:
        self.prior = prior
        self.alpha = alpha
        self.max_iter = max_iter

    def _offset(self, X: np.ndarray) -> np.ndarray:
        if self.prior == "rules":
            return X @ rule_weights()
        return np.zeros((X.shape[0], len(self.classes_)))

    def fit(self, X, y):
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        if self.prior not in ("rules", None):
            raise UserTypeError(f"prior must be 'rules' or None, not {self.prior!r}")
        if self.prior == "rules":
            if X.shape[1] != len(FEATURE_NAMES):
                raise UserTypeError(
                    f"expected {len(FEATURE_NAMES)} member features (FEATURE_NAMES), got {X.shape[1]}"
                )
            unknown = sorted(set(map(str, y)) - set(USER_TYPES))
            if unknown:
                raise UserTypeError(f"unknown user type(s): {', '.join(unknown)}")
            self.classes_ = np.array(USER_TYPES, dtype=object)
            position = {user_type: i for i, user_type in enumerate(USER_TYPES)}
            targets = np.array([position[str(label)] for label in y], dtype=np.int64)
        else:
            self.classes_, targets = np.unique(y, return_inverse=True)
        n_features, n_classes = X.shape[1], len(self.classes_)
        offset = self._offset(X)
        onehot = np.zeros((X.shape[0], n_classes))
        onehot[np.arange(X.shape[0]), targets] = 1.0
        alpha = float(self.alpha)

        def loss(flat: np.ndarray) -> tuple[float, np.ndarray]:
            weights = flat[: n_features * n_classes].reshape(n_features, n_classes)
            intercept = flat[n_features * n_classes :]
            logits = X @ weights + intercept + offset
            logits -= logits.max(axis=1, keepdims=True)
            log_norm = np.log(np.exp(logits).sum(axis=1))
            value = -(onehot * logits).sum() + log_norm.sum() + 0.5 * alpha * (weights * weights).sum()
            probabilities = np.exp(logits - log_norm[:, None])
            residual = probabilities - onehot
            gradient_w = X.T @ residual + alpha * weights
            gradient_b = residual.sum(axis=0)
            if self.prior == "rules":
                value += 0.5 * alpha * (intercept * intercept).sum()
                gradient_b = gradient_b + alpha * intercept
            return value, np.concatenate([gradient_w.ravel(), gradient_b])

        start = np.zeros(n_features * n_classes + n_classes)
        result = minimize(loss, start, jac=True, method="L-BFGS-B", options={"maxiter": int(self.max_iter)})
        self.coef_ = result.x[: n_features * n_classes].reshape(n_features, n_classes)
        self.intercept_ = result.x[n_features * n_classes :]
        self.n_iter_ = int(result.nit)
        return self

    def _logits(self, X) -> np.ndarray:
        check_is_fitted(self, "coef_")
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return X @ self.coef_ + self.intercept_ + self._offset(X)

    def decision_function(self, X):
        """Per-class scores; for two classes, the score of the second minus
        the first (scikit-learn's binary convention)."""
        logits = self._logits(X)
        if logits.shape[1] == 2:
            return logits[:, 1] - logits[:, 0]
        return logits

    def predict_proba(self, X):
        return _softmax(self._logits(X))

    def predict(self, X):
        check_is_fitted(self, "coef_")
        return self.classes_[np.argmax(self._logits(X), axis=1)]


def classify_member(
    profile: MemberProfile, hints: TypeHints = NO_HINTS, model: UserTypeClassifier | None = None
) -> UserTypeGuess:
    """A member's type with its probability and the cues behind it; the
    rules alone when no trained ``model`` is given."""
    extracted = extract_cues(profile, hints)
    if model is None:
        probabilities = _rule_probabilities(extracted.features)
        classes = USER_TYPES
    else:
        probabilities = model.predict_proba(extracted.features[None, :])[0].tolist()
        classes = tuple(str(c) for c in model.classes_)
    best = max(range(len(classes)), key=probabilities.__getitem__)
    user_type = classes[best]
    reasons = _explain(user_type, extracted.reasons)
    if model is not None:
        reasons = (*reasons, "weights adjusted by analysts' labels")
    ranked = tuple(
        sorted(((c, round(float(p), 4)) for c, p in zip(classes, probabilities, strict=True)), key=lambda cp: -cp[1])
    )
    return UserTypeGuess(profile.member_id, user_type, round(float(probabilities[best]), 4), ranked, reasons)


def _explain(user_type: str, cues: Sequence[tuple[str, str]]) -> tuple[str, ...]:
    """The cues that pushed towards the chosen type, strongest first."""
    if user_type not in _RULES or user_type == "unknown":
        supporting = []
    else:
        weights = _RULES[user_type]
        supporting = sorted(
            (c for c in cues if weights.get(c[0], 0.0) > 0), key=lambda c: -weights.get(c[0], 0.0)
        )
    if not supporting:
        return ("no cue about who they are",) if user_type == "unknown" else tuple(r for _, r in cues[:3])
    return tuple(reason for _, reason in supporting)


def member_value(guess: UserTypeGuess, weights: Mapping[str, float]) -> MemberValue:
    """What a member is worth to the startup: the playbook's weight of each
    user type, averaged over how likely the member is to be of that type."""
    unknown = sorted(set(weights) - set(USER_TYPES))
    if unknown:
        raise UserTypeError(f"value weights name unknown user type(s): {', '.join(unknown)}")
    value = sum(p * float(weights.get(t, 0.0)) for t, p in guess.probabilities)
    top = [f"{t} {p:.0%} x {float(weights.get(t, 0.0)):g}" for t, p in guess.probabilities[:3] if p >= 0.05]
    return MemberValue(guess.member_id, round(value, 4), (f"value {value:.2f} = " + " + ".join(top),))
