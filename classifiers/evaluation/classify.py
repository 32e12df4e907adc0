"""`beachhead eval classify`: train the project's text classifier (the one
used for problem kind) on one labelled file and score it on another.

Rows are ``{"text": ..., "label": ...}`` (an optional ``"domain"``, e.g. the
community, lets the model learn each community's own vocabulary). When every
label is a problem kind (bug, howto, feature_request, other) the built-in
seed examples are trained along; otherwise the model learns the given
labels only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

from classifiers.datasets import read_jsonl_rows
from classifiers.problems import KINDS, KindClassifier


class EvalDataError(ValueError):
    """An evaluation file that cannot be used, with the file and line."""


def read_labelled(path: str | Path) -> tuple[list[str], list[str], list[str | None]]:
    """Texts, labels and domains of a JSONL file of ``{"text", "label"}`` rows."""
    try:
        rows = read_jsonl_rows(path)
    except FileNotFoundError:
        raise EvalDataError(f"{path}: no such file") from None
    except ValueError as error:
        raise EvalDataError(str(error)) from None
    texts, labels, domains = [], [], []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise EvalDataError(f"{path}: row {number}: expected an object")
        text, label = row.get("text"), row.get("label")
        if not isinstance(text, str) or not text.strip():
            raise EvalDataError(f"{path}: row {number}: missing or empty 'text'")
        if label is None or (isinstance(label, str) and not label.strip()):
            raise EvalDataError(f"{path}: row {number}: missing 'label'")
        texts.append(text)
        labels.append(str(label))
        domain = row.get("domain")
        domains.append(str(domain) if domain not in (None, "") else None)
    if not texts:
        raise EvalDataError(f"{path}: no rows")
    return texts, labels, domains


def classification_report(truth: Sequence[str], predicted: Sequence[str]) -> dict:
    """macro-F1, accuracy and per-class precision/recall/F1/support."""
    classes = sorted(set(truth) | set(predicted))
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=classes, zero_division=0
    )
    present = sorted(set(truth))
    return {
        "macro_f1": round(
            float(f1_score(truth, predicted, labels=present, average="macro", zero_division=0)), 4
        ),
        "accuracy": round(float(accuracy_score(truth, predicted)), 4),
        "per_class": {
            c: {
                "precision": round(float(p), 4),
                "recall": round(float(r), 4),
                "f1": round(float(f), 4),
                "support": int(s),
            }
            for c, p, r, f, s in zip(classes, precision, recall, f1, support, strict=True)
        },
    }


def make_text_classifier(labels: Sequence[str], **params) -> KindClassifier:
    """The kind classifier, with seeds when the labels are problem kinds."""
    seeds = "builtin" if set(labels) <= set(KINDS) else None
    params.setdefault("seed_classes", "labelled")
    return KindClassifier(seeds=seeds, **params)


def evaluate_classify(train_path: str | Path, test_path: str | Path) -> dict:
    """Train on TRAIN, report on TEST."""
    train_texts, train_labels, train_domains = read_labelled(train_path)
    test_texts, test_labels, test_domains = read_labelled(test_path)
    use_domains = any(train_domains) and any(test_domains)
    model = make_text_classifier(train_labels + test_labels)
    model.fit(train_texts, train_labels, domains=train_domains if use_domains else None)
    predicted = list(model.predict(test_texts, domains=test_domains if use_domains else None))
    report = classification_report(test_labels, predicted)
    report["n_train"] = len(train_texts)
    report["n_test"] = len(test_texts)
    report["seeds"] = model.seeds is not None
    return report


# --- the keyword baseline -------------------------------------------------------

_BASELINE_RULES = (
    (
        "bug",
        re.compile(r"\b(bug|crash\w*|error|exception|fail\w*|broken|wrong|regression)\b", re.I),
    ),
    (
        "feature_request",
        re.compile(
            r"\b(feature|add support|would be (nice|great)|please add|proposal|suggest\w*|allow)\b",
            re.I,
        ),
    ),
    ("howto", re.compile(r"\?|\b(how (do|can|to)|is it possible|what is|why)\b", re.I)),
)


def keyword_baseline(texts: Sequence[str], default: str = "other") -> list[str]:
    """First matching keyword rule wins: bug words, then feature words, then
    question words; anything else is ``default``."""
    out = []
    for text in texts:
        for label, pattern in _BASELINE_RULES:
            if pattern.search(text):
                out.append(label)
                break
        else:
            out.append(default)
    return out


def cross_validate_by_domain(
    texts: Sequence[str],
    labels: Sequence[str],
    domains: Sequence[str],
    folds: int = 5,
    pool_domains: bool = False,
    pool_weight: float = 1.0,
    seed: int = 0,
    **params,
) -> dict:
    """k-fold cross-validation inside each domain, macro-F1 averaged across
    domains. With ``pool_domains`` the training folds also get every other
    domain's rows (never the held-out fold's), with domain features on and
    weighted ``pool_weight`` each."""
    from sklearn.model_selection import StratifiedKFold

    texts = np.asarray(texts, dtype=object)
    labels = np.asarray(labels, dtype=object)
    domains = np.asarray(domains, dtype=object)
    per_domain = {}
    baseline = {}
    fallback = "other" if "other" in set(labels) else "howto"
    for domain in sorted(set(domains)):
        inside = np.flatnonzero(domains == domain)
        outside = np.flatnonzero(domains != domain)
        scores, base_scores = [], []
        splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
        for train, test in splitter.split(inside, labels[inside]):
            train_rows = inside[train]
            if pool_domains:
                train_rows = np.concatenate([train_rows, outside])
            model = make_text_classifier(list(labels), **params)
            weights = np.where(domains[train_rows] == domain, 1.0, float(pool_weight))
            model.fit(
                list(texts[train_rows]),
                list(labels[train_rows]),
                sample_weight=weights,
                domains=list(domains[train_rows]) if pool_domains else None,
            )
            test_rows = inside[test]
            predicted = model.predict(
                list(texts[test_rows]), domains=list(domains[test_rows]) if pool_domains else None
            )
            scores.append(f1_score(labels[test_rows], predicted, average="macro"))
            base = keyword_baseline(list(texts[test_rows]), default=fallback)
            base_scores.append(
                f1_score(labels[test_rows], base, labels=sorted(set(labels)), average="macro")
            )
        per_domain[domain] = round(float(np.mean(scores)), 4)
        baseline[domain] = round(float(np.mean(base_scores)), 4)
    return {
        "macro_f1": round(float(np.mean(list(per_domain.values()))), 4),
        "per_domain": per_domain,
        "baseline_macro_f1": round(float(np.mean(list(baseline.values()))), 4),
        "baseline_per_domain": baseline,
        "folds": folds,
        "pool_domains": pool_domains,
    }
