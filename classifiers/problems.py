"""Is a thread a problem, and what kind: bug, how-to, feature request, other.

Linear models over hashed word and character n-grams plus the rule signals
of ``classifiers.signals``. Why this shape:
- cheap: one pass of a word regex, hashing in C, a sparse dot product, so a
  thread is judged in tens of microseconds;
- cold start: the models train from seed examples written for this project
  (``classifiers/seeds/kinds.jsonl``, five languages) and every analyst label
  is added on top of them;
- explainable: each prediction names the words of *that* text that pushed it
  (hashing keeps no vocabulary, so names are recovered from the text being
  explained, never from training texts);
- private: a fitted model holds hashed weights and counts, not forum posts.

Texts are plain strings. By convention a text's first line is its title when
the text has several lines: titles are short and carry the most signal, so
they get their own features.
"""

from __future__ import annotations

import json
import math
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.exceptions import DataConversionWarning
from sklearn.linear_model import LogisticRegression
from sklearn.utils._tags import Tags
from sklearn.utils.murmurhash import murmurhash3_32
from sklearn.utils.validation import check_is_fitted

from classifiers.signals import SIGNAL_FEATURE_NAMES, detect, signal_vector

KINDS = ("bug", "howto", "feature_request", "other")
PROBLEM = "problem"
NOT_A_PROBLEM = "not_a_problem"


class SeedError(ValueError):
    """Labels that cannot be trained together with the seed examples."""


# --- reading texts ----------------------------------------------------------------

_CODE_FENCE = re.compile(r"```.*?(?:```|$)", re.DOTALL)
_URL = re.compile(r"https?://\S+")
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
# Words and numbers (version fragments and error codes help tell bugs apart;
# explanations leave out the short ones).
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|\d+")


def as_texts(X) -> list[str]:
    """Accept a 1-D sequence of strings (one text each) or a 2-D array-like of
    text fields (its cells joined, the first one on its own line as a title).
    Anything else is refused with a message that names what was given."""
    if isinstance(X, str):
        raise ValueError("expected a sequence of texts, got a single string")
    if hasattr(X, "toarray") or sp.issparse(X):
        raise TypeError("sparse input is not supported: pass texts")
    if not isinstance(X, list | tuple | np.ndarray) and hasattr(X, "__array__"):
        X = np.asarray(X)
    if isinstance(X, np.ndarray):
        if X.ndim == 1:
            if X.dtype.kind in "biufc":
                raise ValueError(
                    "Expected 2D array, got 1D array of numbers instead: texts are "
                    "strings. Reshape your data to 2-D (one row per sample)"
                )
            return [_cell(v) for v in X]
        if X.ndim == 2:
            if X.shape[1] == 0:
                raise ValueError(
                    f"0 feature(s) (shape={X.shape}) while a minimum of 1 is required."
                )
            return [_join_row(row) for row in X]
        raise ValueError(f"expected 1-D or 2-D input, got {X.ndim}-D")
    rows = list(X)
    out = []
    for row in rows:
        if isinstance(row, str):
            out.append(row)
        elif isinstance(row, Sequence | np.ndarray) and not isinstance(row, bytes):
            out.append(_join_row(row))
        else:
            out.append(_cell(row))
    return out


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, complex | np.complexfloating):
        raise ValueError("Complex data not supported")
    if isinstance(value, dict):
        raise TypeError("argument must be a string or a real number, not 'dict'")
    if isinstance(value, float | np.floating) and not math.isfinite(value):
        raise ValueError("Input contains NaN or infinity")
    return str(value)


def _join_row(row) -> str:
    cells = [_cell(v) for v in row]
    if len(cells) <= 1:
        return cells[0] if cells else ""
    return cells[0] + "\n" + " ".join(cells[1:])


def _width(X) -> int | None:
    """How many text fields each row has, when X is 2-D (an array or a list
    of rows); ``None`` for a plain sequence of texts."""
    if isinstance(X, np.ndarray):
        return X.shape[1] if X.ndim == 2 else None
    if isinstance(X, list | tuple) and X and not isinstance(X[0], str | bytes):
        first = X[0]
        if isinstance(first, Sequence | np.ndarray):
            widths = {len(row) for row in X if isinstance(row, Sequence | np.ndarray)}
            if len(widths) == 1:
                return widths.pop()
    return None


def remember_n_features(estimator, X) -> None:
    """Text fields given as rows have a width worth checking later; plain
    sequences of texts do not."""
    width = _width(X)
    if width is not None:
        estimator.n_features_in_ = width
    elif hasattr(estimator, "n_features_in_"):
        del estimator.n_features_in_


def check_n_features(estimator, X) -> None:
    width = _width(X)
    if (
        width is not None
        and hasattr(estimator, "n_features_in_")
        and width != estimator.n_features_in_
    ):
        raise ValueError(
            f"X has {width} features, but {type(estimator).__name__} "
            f"is expecting {estimator.n_features_in_} features as input."
        )


def split_title(text: str) -> tuple[str, str]:
    """(title, body): the first line is the title when more lines follow."""
    head, newline, rest = text.partition("\n")
    if newline and len(head) <= 300:
        return head, rest
    return "", text


def _clean_body(body: str, limit: int) -> str:
    if "<!--" in body:
        body = _HTML_COMMENT.sub(" ", body)
    if "```" in body:
        body = _CODE_FENCE.sub(" codeblock ", body)
    if "://" in body:
        body = _URL.sub(" urltoken ", body)
    return body[:limit]


# --- features -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Analysis:
    """The tokens of one text, by kind (for hashing and for naming)."""

    title_words: list[str]
    title_chars: list[str]
    body: list[str]


@lru_cache(maxsize=4096)
def _analyze(text: str, max_body_chars: int, char_ngrams: tuple[int, int]) -> _Analysis:
    """Title words, title character n-grams and body words. Word pairs are
    not built as strings: their hashes are combined from the words' (see
    ``_with_pairs``)."""
    title, body = split_title(text)
    title_words = _WORD.findall(title.lower())
    body_words = _WORD.findall(_clean_body(body, max_body_chars).lower())
    chars: list[str] = []
    low, high = char_ngrams
    if high >= low > 0:
        for word in title_words:
            padded = " " + word + " "
            size = len(padded)
            for n in range(low, min(high, size) + 1):
                chars += [padded[i : i + n] for i in range(size - n + 1)]
    return _Analysis(title_words, chars, body_words)


# Longer texts are cut before analysis (a pasted log can be megabytes; the
# body's first ``max_body_chars`` after cleaning are all the models read).
MAX_ANALYSED_CHARS = 20_000

# A memo of token hashes for this process: a forum's vocabulary repeats, so
# most tokens are hashed once. It is never saved with a model.
_HASHES: dict[str, int] = {}
_HASH_MEMO_LIMIT = 2_000_000


def _hash(token: str) -> int:
    value = _HASHES.get(token)
    if value is None:
        if len(_HASHES) >= _HASH_MEMO_LIMIT:
            _HASHES.clear()
        value = _HASHES[token] = abs(murmurhash3_32(token, seed=0))
    return value


def _hashes(tokens: list[str]) -> np.ndarray:
    values = list(map(_HASHES.get, tokens))
    if None in values:
        values = [_hash(t) if v is None else v for t, v in zip(tokens, values, strict=True)]
    return np.array(values, dtype=np.int64)


_PAIR_MULTIPLIER = 1_000_003
_HASH_MASK = 0x7FFFFFFF


def _with_pairs(words: np.ndarray) -> np.ndarray:
    """Word hashes followed by the hashes of each adjacent pair, combined
    arithmetically (no pair string is ever built)."""
    if len(words) < 2:
        return words
    pairs = (words[:-1] * _PAIR_MULTIPLIER + words[1:]) & _HASH_MASK
    return np.concatenate((words, pairs))


@lru_cache(maxsize=4096)
def _hashed(
    text: str, max_body_chars: int, char_ngrams: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(title words and pairs, title character n-grams, body words and
    pairs) as hashes of one text. Cached: the problem, kind and capability
    models read the same thread one after the other."""
    analysis = _analyze(text, max_body_chars, char_ngrams)
    return (
        _with_pairs(_hashes(analysis.title_words)),
        _hashes(analysis.title_chars),
        _with_pairs(_hashes(analysis.body)),
    )


def _count_matrix(rows: list[np.ndarray], n_features: int) -> sp.csr_matrix:
    """Counts of hashed columns per row."""
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([len(r) for r in rows], out=indptr[1:])
    indices = np.concatenate(rows) % n_features if rows else np.zeros(0, dtype=np.int64)
    matrix = sp.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(rows), n_features))
    matrix.sum_duplicates()
    return matrix


def _slot(token: str, n_features: int) -> int:
    """The column a word, a word pair ("a b") or a character n-gram is
    counted in: murmurhash3 (seed 0) of the word, pairs combined as in
    ``_with_pairs``."""
    parts = token.split(" ")
    if len(parts) == 2 and all(parts):
        first, second = (abs(murmurhash3_32(p, seed=0)) for p in parts)
        return ((first * _PAIR_MULTIPLIER + second) & _HASH_MASK) % n_features
    return abs(murmurhash3_32(token, seed=0)) % n_features


class TextFeatures(TransformerMixin, BaseEstimator):
    """Hashed title words, title character n-grams, body words and bigrams,
    and the rule signals, as one sparse matrix.

    Blocks: [title | body | domain-specific copy of title+body | signals].
    Each text block is sublinear-tf, idf-weighted and L2-normalised on its
    own, so a long body cannot drown a short title. The domain block (a copy
    of the text features in a slot keyed by the text's community) lets one
    model learn each community's own vocabulary beside the shared one
    ("frustratingly easy" domain adaptation); texts without a domain leave
    it empty.

    Hashing keeps no vocabulary: the fitted state is one idf weight per
    hashed slot, so no training text can be read back from it.
    """

    def __init__(
        self,
        n_features=2**18,
        title_weight=0.7,
        char_ngrams=(3, 5),
        max_body_chars=2000,
        signal_weight=0.5,
        title_chars=True,
    ):
        self.n_features = n_features
        self.title_weight = title_weight
        self.char_ngrams = char_ngrams
        self.max_body_chars = max_body_chars
        self.signal_weight = signal_weight
        self.title_chars = title_chars

    def __sklearn_tags__(self) -> Tags:
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = True
        tags.requires_fit = True
        return tags

    def fit(self, X, y=None, domains=None):
        texts = as_texts(X)
        if not texts:
            raise ValueError("Found array with 0 sample(s) while a minimum of 1 is required.")
        title, body = self._counts(texts)
        self.idf_title_ = self._idf(title)
        self.idf_body_ = self._idf(body)
        self.domains_ = tuple(sorted({d for d in (domains or ()) if d}))
        self.n_samples_fit_ = len(texts)
        self.n_features_out_ = 2 * self.n_features + 2 * self.n_features + len(SIGNAL_FEATURE_NAMES)
        self._set_n_features_in(X)
        return self

    def _set_n_features_in(self, X) -> None:
        remember_n_features(self, X)

    def _check_n_features(self, X) -> None:
        check_n_features(self, X)

    def _counts(self, texts: list[str]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        char_ngrams = tuple(int(n) for n in self.char_ngrams)
        hashed = [
            _hashed(t[:MAX_ANALYSED_CHARS], int(self.max_body_chars), char_ngrams) for t in texts
        ]
        if self.title_chars:
            titles = [np.concatenate((h[0], h[1])) for h in hashed]
        else:
            titles = [h[0] for h in hashed]
        return (
            _count_matrix(titles, self.n_features),
            _count_matrix([h[2] for h in hashed], self.n_features),
        )

    @staticmethod
    def _idf(counts: sp.csr_matrix) -> np.ndarray:
        document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
        n = counts.shape[0]
        return (np.log((1 + n) / (1 + document_frequency)) + 1).astype(np.float32)

    @staticmethod
    def _weigh(counts: sp.csr_matrix, idf: np.ndarray, weight: float) -> sp.csr_matrix:
        counts = counts.copy()
        counts.data = (1.0 + np.log(counts.data)) * idf[counts.indices]
        norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        scale = np.repeat(weight / norms, np.diff(counts.indptr))
        counts.data *= scale
        return counts

    def _domain_offset(self, domain: str | None) -> int | None:
        if not domain or domain not in self.domains_:
            return None
        return _slot("domain " + domain, self.n_features)

    def transform(self, X, domains=None):
        check_is_fitted(self, "idf_body_")
        self._check_n_features(X)
        texts = as_texts(X)
        title, body = self._counts(texts)
        title = self._weigh(title, self.idf_title_, self.title_weight)
        body = self._weigh(body, self.idf_body_, 1.0)
        text = sp.hstack([title, body], format="csr")
        domain_block = self._domain_block(text, domains)
        if self.signal_weight:
            rows = np.array([signal_vector(t) for t in texts], dtype=np.float64)
            signals = sp.csr_matrix(
                rows.reshape(len(texts), len(SIGNAL_FEATURE_NAMES)) * self.signal_weight
            )
        else:
            signals = sp.csr_matrix((len(texts), len(SIGNAL_FEATURE_NAMES)))
        return sp.hstack([text, domain_block, signals], format="csr")

    def _domain_block(self, text: sp.csr_matrix, domains) -> sp.csr_matrix:
        width = text.shape[1]
        if domains is None:
            return sp.csr_matrix((text.shape[0], width))
        domains = list(domains)
        if len(domains) != text.shape[0]:
            raise ValueError(f"got {len(domains)} domains for {text.shape[0]} texts")
        rows = []
        for row, domain in enumerate(domains):
            offset = self._domain_offset(domain)
            start, end = text.indptr[row], text.indptr[row + 1]
            if offset is None:
                rows.append(([], []))
                continue
            columns = text.indices[start:end]
            half = self.n_features
            shifted = np.where(
                columns < half,
                (columns + offset) % half,
                half + (columns - half + offset) % half,
            )
            rows.append((shifted, text.data[start:end]))
        indptr = np.cumsum([0] + [len(r[0]) for r in rows])
        indices = np.concatenate([np.asarray(r[0], dtype=np.int64) for r in rows] or [[]])
        data = np.concatenate([np.asarray(r[1], dtype=np.float64) for r in rows] or [[]])
        block = sp.csr_matrix((data, indices, indptr), shape=(text.shape[0], width))
        block.sum_duplicates()
        return block

    def named_contributions(
        self, text: str, weights: np.ndarray, domain: str | None = None
    ) -> list[tuple[str, float]]:
        """For one text and one weight vector over this transformer's output,
        each readable feature of the text with its contribution (value ×
        weight), strongest first. Names come from the text itself."""
        check_is_fitted(self, "idf_body_")
        row = self.transform([text], domains=None if domain is None else [domain])
        return self.row_contributions(text, row.indices, row.data, weights, domain)

    def row_contributions(
        self, text: str, columns: np.ndarray, values: np.ndarray, weights: np.ndarray,
        domain: str | None = None,
    ) -> list[tuple[str, float]]:
        """``named_contributions`` for a text whose row of ``transform`` is
        already known (its column indices and values): a batch is transformed
        once, not once per text. Columns are named from the hashes
        ``transform`` just computed (cached), not by hashing each token
        again; columns that show the same name (a title's " pro" and "pro "
        are both "pro") are added up."""
        contributions = values * weights[columns]
        present = np.flatnonzero(contributions)
        if not len(present):
            return []
        names = self._namer(text)
        offset = self._domain_offset(domain)
        signal_base = 4 * self.n_features
        half = self.n_features
        named: dict[str, float] = {}
        for column, contribution in zip(columns[present].tolist(),
                                        contributions[present].tolist(), strict=True):
            if column >= signal_base:
                name = SIGNAL_FEATURE_NAMES[column - signal_base]
            elif column >= 2 * half:
                if offset is None:
                    continue
                local = column - 2 * half
                base = 0 if local < half else half
                token = names(base + ((local - base) - offset) % half)
                if token is None:
                    continue
                name = f"{token} in {domain}"
            else:
                name = names(column)
                if name is None:
                    continue
            named[name] = named.get(name, 0.0) + contribution
        return sorted(named.items(), key=lambda item: -abs(item[1]))

    def _namer(self, text: str):
        """column → the readable name of the first token of ``text`` counted
        in it (title word or pair, title character n-gram, body word or
        pair), or None."""
        char_ngrams = tuple(int(n) for n in self.char_ngrams)
        clipped = text[:MAX_ANALYSED_CHARS]
        analysis = _analyze(clipped, int(self.max_body_chars), char_ngrams)
        title_hashes, char_hashes, body_hashes = _hashed(
            clipped, int(self.max_body_chars), char_ngrams)
        n = self.n_features
        blocks = [(analysis.title_words, title_hashes, 0, "title", True)]
        if self.title_chars:
            blocks.append((analysis.title_chars, char_hashes, 0, "title chars", False))
        blocks.append((analysis.body, body_hashes, n, "word", True))
        # Filled backwards, so the first token counted in a column names it.
        owner: dict[int, tuple[int, int]] = {}
        for number in range(len(blocks) - 1, -1, -1):
            _, hashes, base, _, _ = blocks[number]
            slots = ((hashes % n) + base).tolist()
            owner.update(zip(reversed(slots),
                             ((number, position) for position in range(len(slots) - 1, -1, -1)),
                             strict=True))

        def name(column: int) -> str | None:
            found = owner.get(column)
            if found is None:
                return None
            words, _, _, kind, paired = blocks[found[0]]
            position = found[1]
            if paired and position >= len(words):
                pair = position - len(words)
                token = words[pair] + " " + words[pair + 1]
            else:
                token = words[position]
            return f'{kind} "{token.strip()}"'

        return name


# --- seeds ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Seed:
    text: str
    kind: str
    lang: str


@lru_cache(maxsize=1)
def load_seeds() -> tuple[Seed, ...]:
    """The seed examples shipped with the project: texts written for it, in
    English, Spanish, German, Portuguese and French."""
    path = resources.files("classifiers") / "seeds" / "kinds.jsonl"
    seeds = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row["kind"] not in KINDS:
            raise SeedError(f"seeds/kinds.jsonl line {number}: unknown kind {row['kind']!r}")
        text = row["title"] + "\n" + row["body"] if row.get("title") else row["body"]
        seeds.append(Seed(text, row["kind"], row["lang"]))
    return tuple(seeds)


def kind_to_problem(kind: str) -> str:
    return NOT_A_PROBLEM if kind == "other" else PROBLEM


# --- classifiers ------------------------------------------------------------------------


@dataclass(frozen=True)
class Explanation:
    """Why a text got its label: the label, its probability, the features of
    the text that pushed toward it (positive) or away (negative), and the
    rule signals found in it."""

    label: str
    probability: float
    features: tuple[tuple[str, float], ...]
    signals: tuple[str, ...] = field(default_factory=tuple)

    def reasons(self) -> list[str]:
        pushed = [f"{name} (+{value:.2f})" for name, value in self.features if value > 0]
        return [f"{self.label} ({self.probability:.0%})", *pushed, *self.signals]


class _SeededTextClassifier(ClassifierMixin, BaseEstimator):
    """A logistic regression on ``TextFeatures``, trained on seed examples
    plus labels. Seeds carry their kind; a subclass may map it to its own
    label set."""

    _seed_classes: tuple[str, ...] = KINDS

    def __init__(
        self,
        seeds="builtin",
        seed_weight=1.0,
        seed_classes="all",
        C=10.0,
        class_weight="balanced",
        n_features=2**18,
        title_weight=0.7,
        char_ngrams=(3, 5),
        max_body_chars=2000,
        signal_weight=0.1,
        min_df=2,
        max_iter=2000,
    ):
        self.seeds = seeds
        self.seed_weight = seed_weight
        self.seed_classes = seed_classes
        self.C = C
        self.class_weight = class_weight
        self.n_features = n_features
        self.title_weight = title_weight
        self.char_ngrams = char_ngrams
        self.max_body_chars = max_body_chars
        self.signal_weight = signal_weight
        self.min_df = min_df
        self.max_iter = max_iter

    def __sklearn_tags__(self) -> Tags:
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = True
        tags.classifier_tags.multi_class = True
        return tags

    def _seed_label(self, seed: Seed) -> str:
        return seed.kind

    def _seed_rows(self) -> tuple[list[str], list[str]]:
        if self.seeds is None:
            return [], []
        if self.seeds != "builtin":
            raise ValueError(f"seeds must be 'builtin' or None, got {self.seeds!r}")
        seeds = load_seeds()
        return [s.text for s in seeds], [self._seed_label(s) for s in seeds]

    def fit(self, X=None, y=None, sample_weight=None, domains=None):
        """Train on the seeds plus ``(X, y)``. With seeds, ``X`` may be empty
        or ``None``: the cold-start model. Label names must then be among
        the seed classes."""
        texts = [] if X is None else as_texts(X)
        if y is None:
            if texts:
                raise ValueError(
                    "requires y to be passed, but the target y is None: "
                    "labels are needed beside texts"
                )
            labels: list = []
        else:
            y = _column_or_1d(y)
            labels = list(y)
            if len(labels) != len(texts):
                raise ValueError(
                    f"Found input variables with inconsistent numbers of samples: "
                    f"[{len(texts)}, {len(labels)}]"
                )
            _check_labels(labels)
        seed_texts, seed_labels = self._seed_rows()
        if self.seed_classes not in ("all", "labelled"):
            raise ValueError(f"seed_classes must be 'all' or 'labelled', got {self.seed_classes!r}")
        if seed_texts and labels and self.seed_classes == "labelled":
            # Only seeds of the classes the labels use: a label set without
            # "other" should not learn to predict it.
            wanted = {str(label) for label in labels}
            kept = [
                (t, lab) for t, lab in zip(seed_texts, seed_labels, strict=True) if lab in wanted
            ]
            seed_texts = [t for t, _ in kept]
            seed_labels = [lab for _, lab in kept]
        if seed_texts:
            unknown = sorted({str(label) for label in labels} - set(self._seed_classes))
            if unknown:
                raise SeedError(
                    f"label {unknown[0]!r} is not one of the seed classes "
                    f"{', '.join(self._seed_classes)}; pass seeds=None to train on your labels only"
                )
        elif not texts:
            raise ValueError("Found array with 0 sample(s) while a minimum of 1 is required.")
        weights = (
            np.ones(len(texts))
            if sample_weight is None
            else np.asarray(sample_weight, dtype=float).ravel()
        )
        all_texts = seed_texts + texts
        if seed_texts:
            all_labels = np.asarray(seed_labels + [str(v) for v in labels], dtype=object)
        else:
            all_labels = np.asarray(y).ravel()
        all_weights = np.concatenate([np.full(len(seed_texts), float(self.seed_weight)), weights])
        all_domains = None
        if domains is not None:
            all_domains = [None] * len(seed_texts) + list(domains)
        if len(np.unique(all_labels)) < 2:
            raise ValueError("The number of classes has to be greater than one; got 1 class")
        self.features_ = TextFeatures(
            n_features=self.n_features,
            title_weight=self.title_weight,
            char_ngrams=self.char_ngrams,
            max_body_chars=self.max_body_chars,
            signal_weight=self.signal_weight,
        ).fit(all_texts, domains=all_domains)
        matrix = self.features_.transform(all_texts, domains=all_domains)
        model = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter)
        # Only slots that at least ``min_df`` training texts use get a weight
        # (a word seen once teaches nothing and slows training); train on
        # those columns alone, then spread the weights back.
        frequency = np.bincount(matrix.indices, minlength=matrix.shape[1])
        used = np.flatnonzero(frequency >= self.min_df)
        used = np.union1d(
            used, np.arange(matrix.shape[1] - len(SIGNAL_FEATURE_NAMES), matrix.shape[1])
        )
        model.fit(matrix[:, used], all_labels, sample_weight=all_weights)
        n_rows = model.coef_.shape[0]
        coef = sp.csr_matrix(
            (
                model.coef_.ravel(),
                np.tile(used, n_rows),
                np.arange(0, n_rows * len(used) + 1, len(used)),
            ),
            shape=(n_rows, matrix.shape[1]),
        )
        coef.eliminate_zeros()
        model.coef_ = coef
        model.n_features_in_ = matrix.shape[1]
        self.model_ = model
        self.classes_ = model.classes_
        self.n_iter_ = model.n_iter_
        self.label_counts_ = _counts(labels)
        self.n_seed_examples_ = len(seed_texts)
        remember_n_features(self, X)
        return self

    def _matrix(self, X, domains=None) -> sp.csr_matrix:
        check_is_fitted(self, "model_")
        check_n_features(self, X)
        return self.features_.transform(X, domains=domains)

    def decision_function(self, X, domains=None):
        matrix = self._matrix(X, domains)
        return self.model_.decision_function(matrix)

    def predict_proba(self, X, domains=None):
        matrix = self._matrix(X, domains)
        return self.model_.predict_proba(matrix)

    def predict(self, X, domains=None):
        probabilities = self.predict_proba(X, domains)
        return self.classes_[np.argmax(probabilities, axis=1)]

    def explain(self, text: str, top: int = 5, domain: str | None = None) -> Explanation:
        """The predicted label of one text with the features that decided it."""
        return self.explain_batch([text], top, None if domain is None else [domain])[1][0]

    def explain_batch(
        self, texts: Sequence[str], top: int = 5, domains: Sequence[str | None] | None = None
    ) -> tuple[np.ndarray, list[Explanation]]:
        """``predict_proba`` of the texts and each one's ``explain``, with the
        texts transformed once and the weights made dense once per batch
        (per text, those two were most of the cost of judging a thread)."""
        check_is_fitted(self, "model_")
        texts = list(texts)
        matrix = self._matrix(texts, domains)
        probabilities = self.model_.predict_proba(matrix)
        coef = self.model_.coef_
        coef = coef.toarray() if sp.issparse(coef) else np.asarray(coef)
        explanations = []
        for index, text in enumerate(texts):
            best = int(np.argmax(probabilities[index]))
            # A binary model has one weight row, pointing toward classes_[1].
            weights = (coef[0] if best == 1 else -coef[0]) if coef.shape[0] == 1 else coef[best]
            start, end = matrix.indptr[index], matrix.indptr[index + 1]
            domain = None if domains is None else domains[index]
            positive, negative = _strongest(self.features_.row_contributions(
                text, matrix.indices[start:end], matrix.data[start:end], weights, domain),
                top, max(1, top // 2))
            explanations.append(Explanation(
                str(self.classes_[best]),
                float(probabilities[index][best]),
                tuple(positive + negative),
                tuple(detect(text).reasons()),
            ))
        return probabilities, explanations


def _strongest(contributions: list[tuple[str, float]], positives: int, negatives: int
               ) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    """The first ``positives`` features for and ``negatives`` against that
    are worth showing, contributions rounded to 4 places; stops reading as
    soon as both are found."""
    positive: list[tuple[str, float]] = []
    negative: list[tuple[str, float]] = []
    for name, value in contributions:
        if not _worth_showing(name):
            continue
        value = round(value, 4)
        if value > 0 and len(positive) < positives:
            positive.append((name, value))
        elif value < 0 and len(negative) < negatives:
            negative.append((name, value))
        if len(positive) >= positives and len(negative) >= negatives:
            break
    return positive, negative


def _column_or_1d(y) -> np.ndarray:
    """Labels as a 1-D array; a column vector is accepted with the usual
    scikit-learn warning."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        warnings.warn(
            "A column-vector y was passed when a 1d array was expected. "
            "Please change the shape of y to (n_samples, ), for example using ravel().",
            DataConversionWarning,
            stacklevel=3,
        )
        return y.ravel()
    if y.ndim != 1:
        raise ValueError(f"y should be a 1d array, got an array of shape {y.shape} instead.")
    return y


# Words too common to explain anything to a founder; they still count in the
# model, they are just not listed as reasons.
_DISPLAY_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "i",
        "if",
        "in",
        "is",
        "it",
        "its",
        "my",
        "of",
        "on",
        "or",
        "our",
        "so",
        "that",
        "the",
        "this",
        "to",
        "was",
        "we",
        "were",
        "with",
        "you",
        "your",
        "de",
        "la",
        "el",
        "en",
        "es",
        "los",
        "las",
        "un",
        "una",
        "y",
        "que",
        "por",
        "con",
        "der",
        "die",
        "das",
        "und",
        "ist",
        "ich",
        "mit",
        "ein",
        "eine",
        "nicht",
        "zu",
        "den",
        "o",
        "os",
        "um",
        "uma",
        "e",
        "do",
        "da",
        "em",
        "é",
        "le",
        "les",
        "des",
        "du",
        "et",
        "est",
        "je",
        "pas",
        "pour",
        "un",
        "une",
        "il",
    ]
)


def _worth_showing(name: str) -> bool:
    if name.startswith("signal:"):
        return True
    term = name.split('"')[1] if '"' in name else name
    words = term.split()
    return bool(words) and not all(w in _DISPLAY_STOPWORDS or len(w) < 3 for w in words)


def _check_labels(labels: list) -> None:
    for label in labels:
        if isinstance(label, float | np.floating) and not float(label).is_integer():
            raise ValueError(
                "Unknown label type: continuous. Labels must be class names, not numbers"
            )


def _counts(labels) -> dict[str, int]:
    counts: dict[str, int] = {}
    for label in labels:
        counts[str(label)] = counts.get(str(label), 0) + 1
    return counts


class KindClassifier(_SeededTextClassifier):
    """bug / howto / feature_request / other, from the text alone."""

    _seed_classes = KINDS


class ProblemClassifier(_SeededTextClassifier):
    """problem / not_a_problem: does the text report something someone needs
    solved (a bug, a how-to, a missing feature), or is it news, show-and-tell
    or chat?"""

    _seed_classes = (NOT_A_PROBLEM, PROBLEM)

    def _seed_label(self, seed: Seed) -> str:
        return kind_to_problem(seed.kind)

    def problem_probability(self, X, domains=None) -> np.ndarray:
        """P(problem) per text (0.5 when the model knows no 'problem' class)."""
        return self.problem_column(self.predict_proba(X, domains))

    def problem_column(self, probabilities: np.ndarray) -> np.ndarray:
        """P(problem) out of ``predict_proba``'s (or ``explain_batch``'s) output."""
        classes = list(self.classes_)
        if PROBLEM not in classes:
            return np.full(probabilities.shape[0], 0.5)
        return probabilities[:, classes.index(PROBLEM)]
