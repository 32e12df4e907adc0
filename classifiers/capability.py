"""Can *this* startup solve it? A thread is scored against the playbook's
capabilities (what the founders know how to do), not against a generic idea
of a "good" thread.

How the score is made, so a founder can follow it:
1. every capability gets a profile: its description, keywords and example
   problem texts, plus every text an analyst labelled with it, as one
   idf-weighted term vector (the centroid), and each example kept apart;
2. a text's relevance to a capability mixes its cosine similarity to the
   centroid, to the closest example, and how many of the capability's
   keywords it names;
3. relevance becomes a probability. With no labels (cold start) the scale
   comes from the background: the texts of the community passed to ``fit``
   without labels (and the project's own seed texts), most of which a given
   startup cannot solve, so a text must stand out from them to score high.
   With labels (solvable / unsolvable), a logistic calibration is learned on
   leave-one-out relevance, and texts labelled unsolvable form a profile of
   their own that pulls similar texts down.

Each label therefore helps twice: it sharpens a profile and it tunes the
calibration. Profiles are hashed term vectors; no text is stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice, pairwise

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.utils._tags import Tags
from sklearn.utils.validation import check_is_fitted

from classifiers.problems import (
    _WORD,
    TextFeatures,
    _column_or_1d,
    _slot,
    _worth_showing,
    as_texts,
    check_n_features,
    load_seeds,
    remember_n_features,
)

UNSOLVABLE = "unsolvable"
SOLVABLE = "solvable"


class CapabilityError(ValueError):
    """A capability definition that cannot be used."""


@dataclass(frozen=True)
class Capability:
    """One thing the startup knows how to do, as the playbook states it."""

    id: str
    description: str = ""
    keywords: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()


def as_capability(value) -> Capability:
    """A ``Capability`` from itself, from a playbook table (a mapping with
    ``id`` and optional ``description``, ``keywords``, ``examples``) or from
    any object with those attributes (the playbook's own dataclass)."""
    if isinstance(value, Capability):
        capability = value
    elif isinstance(value, Mapping):
        unknown = set(value) - {"id", "description", "keywords", "examples"}
        if unknown:
            raise CapabilityError(
                f"capability {value.get('id')!r}: unknown field {sorted(unknown)[0]!r}"
            )
        capability = Capability(
            id=str(value.get("id", "")),
            description=str(value.get("description", "")),
            keywords=tuple(str(k) for k in value.get("keywords", ())),
            examples=tuple(str(e) for e in value.get("examples", ())),
        )
    elif all(hasattr(value, name) for name in ("id", "keywords")):
        # The playbook's own capability objects: read by attribute.
        capability = Capability(
            id=str(value.id),
            description=str(getattr(value, "description", "") or ""),
            keywords=tuple(str(k) for k in getattr(value, "keywords", ()) or ()),
            examples=tuple(str(e) for e in getattr(value, "examples", ()) or ()),
        )
    else:
        raise CapabilityError(
            f"a capability must be a mapping or have id and keywords, got {type(value).__name__}"
        )
    if not capability.id.strip():
        raise CapabilityError("a capability needs a non-empty id")
    if capability.id in (UNSOLVABLE, SOLVABLE):
        raise CapabilityError(f"capability id {capability.id!r} is reserved")
    return capability


@dataclass(frozen=True)
class CapabilityJudgement:
    """Score in [0, 1] that the startup can solve the text, the capability
    that fits best, and the reasons."""

    score: float
    capability: str | None
    reasons: tuple[str, ...] = field(default_factory=tuple)


@lru_cache(maxsize=256)
def _keyword_pattern(keywords: tuple[str, ...]) -> re.Pattern[str] | None:
    parts = []
    for keyword in keywords:
        words = re.split(r"[\s_\-]+", keyword.strip().lower())
        words = [re.escape(w) for w in words if w]
        if words:
            parts.append(r"[\s_\-]*".join(words))
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(sorted(parts, key=len, reverse=True)) + r")(?!\w)")


def matched_keywords(text: str, keywords: Sequence[str]) -> list[str]:
    """The keywords (as written in the playbook) that the text names."""
    pattern = _keyword_pattern(tuple(keywords))
    if pattern is None:
        return []
    found = {re.sub(r"[\s_\-]+", " ", m.group(0)) for m in pattern.finditer(text.lower())}
    return [k for k in keywords if re.sub(r"[\s_\-]+", " ", k.strip().lower()) in found]


def _normalise_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ matrix)


class CapabilityModel(ClassifierMixin, BaseEstimator):
    """Which capability (if any) can solve a text.

    ``fit(X, y)``: ``X`` are texts; ``y`` gives, per text, a capability id,
    ``"solvable"`` (solvable, capability not said), ``"unsolvable"``, or
    ``None`` (unlabelled: used only as background). ``X`` and ``y`` may be
    empty when capabilities are given (cold start).

    ``classes_`` are the capability ids (and any other labelled class) plus
    ``"unsolvable"`` when capabilities are given or labelled so.
    """

    def __init__(
        self,
        capabilities=(),
        centroid_weight=0.4,
        example_weight=0.1,
        keyword_weight=0.5,
        background_quantile=0.9,
        use_seed_background=True,
        min_calibration_labels=10,
        n_features=2**18,
        title_weight=0.7,
        max_body_chars=2000,
        discriminative_weight=0.5,
        discriminative_C=0.3,
    ):
        self.capabilities = capabilities
        self.centroid_weight = centroid_weight
        self.example_weight = example_weight
        self.keyword_weight = keyword_weight
        self.background_quantile = background_quantile
        self.use_seed_background = use_seed_background
        self.min_calibration_labels = min_calibration_labels
        self.n_features = n_features
        self.title_weight = title_weight
        self.max_body_chars = max_body_chars
        self.discriminative_weight = discriminative_weight
        self.discriminative_C = discriminative_C

    def __sklearn_tags__(self) -> Tags:
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = True
        tags.classifier_tags.multi_class = True
        return tags

    # --- fitting -----------------------------------------------------------------

    def fit(self, X=None, y=None):
        capabilities = [as_capability(c) for c in (self.capabilities or ())]
        ids = [c.id for c in capabilities]
        if len(set(ids)) != len(ids):
            raise CapabilityError("capability ids must be unique")
        texts = [] if X is None else as_texts(X)
        labels = self._labels(texts, y)
        if not capabilities and not texts:
            raise ValueError("Found array with 0 sample(s) while a minimum of 1 is required.")
        if not capabilities and y is None:
            raise ValueError(
                "requires y to be passed, but the target y is None: "
                "without capabilities, labels say what can be solved"
            )
        if not capabilities and len({lab for lab in labels if lab is not None}) < 2:
            raise ValueError("The number of classes has to be greater than one; got 1 class")
        named = [lab for lab in labels if lab is not None and lab not in (UNSOLVABLE, SOLVABLE)]
        profile_classes = list(ids) + sorted(set(named) - set(ids), key=str)
        self.has_unsolvable_ = bool(capabilities) or any(
            lab in (UNSOLVABLE, SOLVABLE) for lab in labels
        )

        capability_texts = [
            [c.description + "\n" + " ".join(c.keywords), *c.examples] for c in capabilities
        ]
        seed_texts = (
            [s.text for s in load_seeds()] if self.use_seed_background and capabilities else []
        )
        corpus = [t for group in capability_texts for t in group] + texts + seed_texts
        self.features_ = TextFeatures(
            n_features=self.n_features,
            title_weight=self.title_weight,
            max_body_chars=self.max_body_chars,
            signal_weight=0.0,
            title_chars=False,
        ).fit(corpus)
        self.profile_classes_ = np.asarray(profile_classes, dtype=object)
        self.keywords_ = tuple(
            tuple(capabilities[k].keywords) if k < len(capabilities) else ()
            for k in range(len(profile_classes))
        )
        self.keyword_phrases_, self.keyword_words_ = self._keyword_slots()
        text_vectors = vectors_of(self, texts)
        definition_vectors = [vectors_of(self, group) for group in capability_texts]
        class_of = {c: k for k, c in enumerate(profile_classes)}
        everything = np.ones(len(texts), dtype=bool)
        profiles = _Profiles.build(
            definition_vectors, text_vectors, labels, class_of, len(profile_classes), everything
        )
        self.examples_ = profiles.examples
        self.example_owner_ = profiles.owner
        self.centroids_ = profiles.centroids
        self.negative_centroid_ = profiles.negative
        self.classes_ = _class_array(
            profile_classes + ([UNSOLVABLE] if self.has_unsolvable_ else [])
        )

        background = [t for t, lab in zip(texts, labels, strict=True) if lab is None] + seed_texts
        background_vectors = vectors_of(self, background)
        held_out = self._fit_discriminative(background_vectors)
        self._calibrate_from_background(background_vectors, held_out)
        self.calibrator_ = self._learned_calibration(
            texts, labels, text_vectors, definition_vectors, class_of
        )
        counted = [str(lab) for lab in labels if lab is not None]
        self.label_counts_ = {c: counted.count(c) for c in sorted(set(counted))}
        remember_n_features(self, X)
        return self

    def _keyword_slots(self) -> tuple[tuple, tuple]:
        """Where each capability's keywords land in the hashed space: each
        keyword as the slots of its word or word pairs (a phrase is present
        when all are), and each keyword word with its idf in this community
        ("node" says more than "cardano" on a Cardano forum)."""
        phrases, words = [], []
        for keywords in self.keywords_:
            keyword_phrases, keyword_words = [], {}
            for keyword in keywords:
                parts = _WORD.findall(keyword.lower())
                if not parts:
                    continue
                tokens = parts if len(parts) == 1 else [a + " " + b for a, b in pairwise(parts)]
                keyword_phrases.append(tuple(_slot(t, self.n_features) for t in tokens))
                for part in parts:
                    slot = _slot(part, self.n_features)
                    keyword_words[slot] = float(self.features_.idf_body_[slot])
            phrases.append(tuple(keyword_phrases))
            words.append(tuple(sorted(keyword_words.items())))
        return tuple(phrases), tuple(words)

    def _keyword_scores(self, vectors: sp.csr_matrix) -> np.ndarray:
        """(n_texts, n_profiles): half for whole keywords named (1 − 0.5^hits),
        half for the idf-weighted share of keyword words present."""
        n_profiles = len(self.profile_classes_)
        scores = np.zeros((vectors.shape[0], n_profiles))
        slots = sorted(
            {slot for phrases in self.keyword_phrases_ for p in phrases for slot in p}
            | {slot for words in self.keyword_words_ for slot, _ in words}
        )
        if not slots or not vectors.shape[0]:
            return scores
        columns = np.asarray(slots)
        present = (vectors[:, columns] != 0).toarray() | (
            vectors[:, columns + self.n_features] != 0
        ).toarray()
        where = {slot: i for i, slot in enumerate(slots)}
        for k in range(n_profiles):
            phrases, words = self.keyword_phrases_[k], self.keyword_words_[k]
            if not phrases:
                continue
            hits = np.zeros(vectors.shape[0])
            for phrase in phrases:
                hits += present[:, [where[s] for s in phrase]].all(axis=1)
            total = sum(w for _, w in words) or 1.0
            share = present[:, [where[s] for s, _ in words]] @ np.array([w for _, w in words])
            scores[:, k] = 0.5 * (1.0 - 0.5**hits) + 0.5 * share / total
        return scores

    @staticmethod
    def _labels(texts: list[str], y) -> list:
        if y is None:
            return [None] * len(texts)
        labels = list(y) if isinstance(y, list) else list(_column_or_1d(y))
        if len(labels) != len(texts):
            raise ValueError(
                f"Found input variables with inconsistent numbers of samples: "
                f"[{len(texts)}, {len(labels)}]"
            )
        for label in labels:
            if isinstance(label, float | np.floating) and not float(label).is_integer():
                raise ValueError("Unknown label type: continuous labels cannot name classes")
        return [None if (lab is None or lab == "") else lab for lab in labels]

    def _fit_discriminative(self, background: sp.csr_matrix) -> np.ndarray | None:
        """Cold start, second view: per profile, a strongly regularised
        logistic regression of its examples against the background (the
        community's unlabelled threads, mostly not this know-how). It learns
        which words set the examples apart, where the centroid only knows
        which words they share. Returns the background's decisions, each
        from a model that did not train on it (5 folds), for scaling."""
        self.discriminative_coef_ = None
        n_profiles = len(self.profile_classes_)
        if not self.discriminative_weight or background.shape[0] < 10 or not n_profiles:
            return None
        folds = np.arange(background.shape[0]) % 5
        held_out = np.zeros((background.shape[0], n_profiles))
        coefs, intercepts = [], []
        for k in range(n_profiles):
            positives = self.examples_[self.example_owner_ == k]
            if positives.shape[0] == 0:
                coefs.append(sp.csr_matrix((1, background.shape[1])))
                intercepts.append(0.0)
                continue
            for fold in range(5):
                model = self._discriminate(positives, background[folds != fold])
                held_out[folds == fold, k] = model.decision_function(background[folds == fold])
            model = self._discriminate(positives, background)
            coefs.append(sp.csr_matrix(model.coef_))
            intercepts.append(float(model.intercept_[0]))
        self.discriminative_coef_ = sp.vstack(coefs, format="csr")
        self.discriminative_intercept_ = np.asarray(intercepts)
        self.discriminative_center_ = held_out.mean(axis=0)
        self.discriminative_spread_ = np.maximum(held_out.std(axis=0), 1e-6)
        base = self._relevance(background)
        self.relevance_spread_ = np.maximum(base.std(axis=0), 1e-3)
        return held_out

    def _discriminate(self, positives: sp.csr_matrix, negatives: sp.csr_matrix):
        matrix = sp.vstack([positives, negatives], format="csr")
        target = np.r_[np.ones(positives.shape[0]), np.zeros(negatives.shape[0])]
        return LogisticRegression(
            C=self.discriminative_C, class_weight="balanced", max_iter=1000
        ).fit(matrix, target)

    def _with_discriminative(
        self, relevance: np.ndarray, decisions: np.ndarray | None
    ) -> np.ndarray:
        """Relevance plus the second view, brought to the relevance's scale."""
        if decisions is None or self.discriminative_coef_ is None:
            return relevance
        standard = (decisions - self.discriminative_center_) / self.discriminative_spread_
        return relevance + self.discriminative_weight * self.relevance_spread_ * standard

    def _decisions(self, vectors: sp.csr_matrix) -> np.ndarray | None:
        if self.discriminative_coef_ is None:
            return None
        return (vectors @ self.discriminative_coef_.T).toarray() + self.discriminative_intercept_

    def _calibrate_from_background(
        self, background: sp.csr_matrix, held_out: np.ndarray | None
    ) -> None:
        """Cold start: a text scores 0.5 when its relevance equals the
        ``background_quantile`` of the background's relevance (with the
        second view's held-out decisions)."""
        if background.shape[0]:
            relevance = self._with_discriminative(self._relevance(background), held_out)
            best = relevance.max(axis=1)
            # Floors keep an empty-looking background (all relevance ≈ 0)
            # from putting the midpoint at zero.
            self.midpoint_ = max(float(np.quantile(best, self.background_quantile)), 0.1)
            self.slope_ = 4.0 / max(float(np.std(best)), 0.1)
        else:
            self.midpoint_ = 0.25
            self.slope_ = 12.0

    def _learned_calibration(self, texts, labels, text_vectors, definition_vectors, class_of):
        """With enough solvable and unsolvable labels, a logistic map from
        [best relevance, similarity to the unsolvable profile] to P(solvable),
        fitted on 5-fold out-of-fold features (a text never scores against a
        profile that contains it)."""
        solvable = [r for r, lab in enumerate(labels) if lab is not None and lab != UNSOLVABLE]
        unsolvable = [r for r, lab in enumerate(labels) if lab == UNSOLVABLE]
        if not self.has_unsolvable_ or min(len(solvable), len(unsolvable)) < max(
            2, self.min_calibration_labels
        ):
            return None
        rows = np.asarray(solvable + unsolvable)
        target = np.r_[np.ones(len(solvable)), np.zeros(len(unsolvable))]
        features = np.zeros((len(rows), 2))
        folds = np.arange(len(rows)) % 5
        for fold in range(5):
            held = rows[folds == fold]
            keep = np.ones(len(texts), dtype=bool)
            keep[held] = False
            profiles = _Profiles.build(
                definition_vectors, text_vectors, labels, class_of, len(class_of), keep
            )
            vectors = text_vectors[held]
            relevance = self._relevance(vectors, profiles)
            features[folds == fold, 0] = relevance.max(axis=1)
            features[folds == fold, 1] = profiles.negative_similarity(vectors)
        return LogisticRegression(C=1.0).fit(features, target)

    # --- scoring -------------------------------------------------------------------

    def _profiles(self) -> _Profiles:
        return _Profiles(
            self.examples_, self.example_owner_, self.centroids_, self.negative_centroid_
        )

    def _relevance(self, vectors: sp.csr_matrix, profiles: _Profiles | None = None) -> np.ndarray:
        """(n_texts, n_profiles) relevance in [0, 1]."""
        profiles = profiles or self._profiles()
        n_profiles = len(self.profile_classes_)
        centroid = (vectors @ profiles.centroids.T).toarray()
        closest = np.zeros((vectors.shape[0], n_profiles))
        if profiles.examples.shape[0]:
            sims = (vectors @ profiles.examples.T).toarray()
            for k in range(n_profiles):
                columns = profiles.owner == k
                if columns.any():
                    closest[:, k] = sims[:, columns].max(axis=1)
        keyword = self._keyword_scores(vectors)
        return (
            self.centroid_weight * centroid
            + self.example_weight * np.clip(closest, 0.0, None)
            + self.keyword_weight * keyword
        )

    def _negative_similarity(self, vectors: sp.csr_matrix) -> np.ndarray:
        return self._profiles().negative_similarity(vectors)

    def _scores(self, X) -> tuple[list[str], np.ndarray, np.ndarray]:
        texts, relevance, solvable, _ = self._scores_and_features(X)
        return texts, relevance, solvable

    def _scores_and_features(self, X):
        """``_scores`` plus the texts' full ``features_.transform`` rows
        (``judge`` names the terms behind each score from them)."""
        check_is_fitted(self, "centroids_")
        check_n_features(self, X)
        texts = as_texts(X)
        features = self.features_.transform(texts) if texts else None
        vectors = vectors_from(self, features)
        relevance = self._relevance(vectors)
        if self.calibrator_ is None:
            relevance = self._with_discriminative(relevance, self._decisions(vectors))
        best = relevance.max(axis=1) if relevance.shape[1] else np.zeros(len(texts))
        if self.calibrator_ is not None:
            features = np.c_[best, self._negative_similarity(vectors)]
            solvable = self.calibrator_.predict_proba(features)[:, 1]
        else:
            z = self.slope_ * (best - self.midpoint_)
            z -= 4.0 * self._negative_similarity(vectors)
            solvable = 1.0 / (1.0 + np.exp(-z))
        return texts, relevance, solvable, features

    def predict_proba(self, X):
        _, relevance, solvable = self._scores(X)
        share = np.exp(12.0 * (relevance - relevance.max(axis=1, keepdims=True)))
        share /= share.sum(axis=1, keepdims=True)
        if not self.has_unsolvable_:
            return share
        return np.c_[share * solvable[:, None], 1.0 - solvable]

    def predict(self, X):
        probabilities = self.predict_proba(X)
        return self.classes_[np.argmax(probabilities, axis=1)]

    def solvable_score(self, X) -> np.ndarray:
        """P(the startup can solve it) per text, in [0, 1]."""
        _, relevance, solvable = self._scores(X)
        if not self.has_unsolvable_:
            return np.ones(relevance.shape[0])
        return solvable

    def judge(self, X, top_terms: int = 5) -> list[CapabilityJudgement]:
        """Score, best capability and reasons for each text."""
        texts, relevance, solvable, features = self._scores_and_features(X)
        dense: dict[int, np.ndarray] = {}
        out = []
        for i, text in enumerate(texts):
            k = int(np.argmax(relevance[i]))
            capability = str(self.profile_classes_[k])
            reasons = [f"relevance to {capability}: {relevance[i, k]:.2f}"]
            keywords = matched_keywords(text, self.keywords_[k]) if self.keywords_[k] else []
            if keywords:
                reasons.append("names " + ", ".join(f'"{w}"' for w in keywords))
            if k not in dense:
                dense[k] = self._centroid_weights(k)
            start, end = features.indptr[i], features.indptr[i + 1]
            contributions = self.features_.row_contributions(
                text, features.indices[start:end], features.data[start:end], dense[k])
            terms = list(islice(
                (name for name, value in contributions if value > 0 and _worth_showing(name)),
                top_terms))
            if terms:
                reasons.append("shares terms " + ", ".join(terms))
            score = float(solvable[i]) if self.has_unsolvable_ else 1.0
            out.append(CapabilityJudgement(round(score, 4), capability, tuple(reasons)))
        return out

    def _centroid_weights(self, k: int) -> np.ndarray:
        """Capability ``k``'s centroid as a dense weight vector over the
        features (built once per batch: it is a megabyte)."""
        weights = np.zeros(self.features_.n_features_out_)
        centroid = self.centroids_[k]
        weights[centroid.indices] = centroid.data
        return weights


@dataclass(frozen=True)
class _Profiles:
    """Example vectors (each row owned by one profile class), their
    normalised centroids, and the centroid of texts labelled unsolvable."""

    examples: sp.csr_matrix
    owner: np.ndarray
    centroids: sp.csr_matrix
    negative: sp.csr_matrix | None

    @classmethod
    def build(cls, definitions, text_vectors, labels, class_of, n_classes, keep) -> _Profiles:
        width = (
            text_vectors.shape[1]
            if text_vectors.shape[0]
            else (definitions[0].shape[1] if definitions else 0)
        )
        blocks, owner = [], []
        for k, block in enumerate(definitions):
            blocks.append(block)
            owner += [k] * block.shape[0]
        negatives = []
        for row, label in enumerate(labels):
            if not keep[row] or label is None or label == SOLVABLE:
                continue
            if label == UNSOLVABLE:
                negatives.append(row)
            else:
                blocks.append(text_vectors[row])
                owner.append(class_of[label])
        examples = sp.vstack(blocks, format="csr") if blocks else sp.csr_matrix((0, width))
        owner_array = np.asarray(owner, dtype=np.int64)
        membership = sp.csr_matrix(
            (np.ones(len(owner)), (owner_array, np.arange(len(owner)))),
            shape=(n_classes, len(owner)),
        )
        centroids = _normalise_rows(sp.csr_matrix(membership @ examples))
        negative = (
            _normalise_rows(sp.csr_matrix(text_vectors[negatives].sum(axis=0)))
            if negatives
            else None
        )
        return cls(examples, owner_array, centroids, negative)

    def negative_similarity(self, vectors: sp.csr_matrix) -> np.ndarray:
        if self.negative is None:
            return np.zeros(vectors.shape[0])
        return (vectors @ self.negative.T).toarray().ravel()


def vectors_of(model: CapabilityModel, texts: list[str]) -> sp.csr_matrix:
    """Unit-length term vectors of texts in the model's space."""
    return vectors_from(model, model.features_.transform(texts) if texts else None)


def vectors_from(model: CapabilityModel, features: sp.csr_matrix | None) -> sp.csr_matrix:
    """``vectors_of`` from the texts' ``features_.transform`` rows."""
    width = 2 * model.n_features
    if features is None:
        return sp.csr_matrix((0, width))
    return _normalise_rows(features[:, :width])


def _class_array(classes: Iterable) -> np.ndarray:
    classes = list(classes)
    if all(isinstance(c, int | np.integer) for c in classes):
        return np.asarray(classes)
    return np.asarray([str(c) if not isinstance(c, str) else c for c in classes], dtype=object)
