"""`beachhead eval capability`: simulate a startup whose know-how is a few
Stack Exchange tags. N questions carrying those tags (drawn with a fixed
seed) become the capability's examples, the tag names its keywords; every
other question is then judged by its text alone (tags hidden) and the score
is compared with whether it carries one of the tags.

The other judged questions are given to ``fit`` without labels: the
community's own background, which is what a deployed model has too. Each
question is scored by a model fitted without it (5 folds), as a new thread
would be.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score

from classifiers.capability import Capability, CapabilityModel
from classifiers.evaluation.solved import DumpFolderError, load_threads


def precision_at(truth: np.ndarray, scores: np.ndarray, k: int) -> float:
    order = np.argsort(-scores, kind="stable")[:k]
    return float(truth[order].mean()) if len(order) else 0.0


def keyword_scores(texts: Sequence[str], keywords: Sequence[str]) -> np.ndarray:
    """The baseline: how many of the tag words a text contains."""
    words = [w for k in keywords for w in re.split(r"[\s_\-]+", k.lower()) if len(w) > 2]
    patterns = [re.compile(r"\b" + re.escape(w) + r"\b") for w in set(words)]
    return np.array([sum(bool(p.search(t.lower())) for p in patterns) for t in texts], float)


def evaluate_capability(
    folder: str | Path,
    tags: Sequence[str],
    seeds: int = 10,
    random_state: int = 0,
    **params,
) -> dict:
    """ROC-AUC, average precision and precision@50 of the capability score."""
    tags = [t.strip() for t in tags if t.strip()]
    if not tags:
        raise DumpFolderError("give at least one tag")
    threads = load_threads(folder)
    positive = np.array([bool(set(t.tags) & set(tags)) for t in threads])
    known = sorted({tag for t in threads for tag in t.tags})
    missing = [t for t in tags if t not in known]
    if missing:
        raise DumpFolderError(f"{folder}: no question is tagged {missing[0]!r}")
    candidates = np.flatnonzero(positive)
    if len(candidates) <= seeds:
        raise DumpFolderError(
            f"only {len(candidates)} questions carry {','.join(tags)}: need more than {seeds}"
        )
    rng = np.random.default_rng(random_state)
    chosen = set(rng.choice(candidates, size=seeds, replace=False).tolist())
    examples = tuple(threads[i].text for i in sorted(chosen))
    judged = [i for i in range(len(threads)) if i not in chosen]
    texts = [threads[i].text for i in judged]
    truth = positive[judged].astype(int)
    capability = Capability(
        id="+".join(tags),
        description="Know-how: " + ", ".join(tags),
        keywords=tuple(tags),
        examples=examples,
    )
    # Each judged question is scored by a model whose background (the
    # community's unlabelled threads) did not include it: 5 folds.
    scores = np.zeros(len(texts))
    folds = np.arange(len(texts)) % 5
    for fold in range(5):
        background = [t for t, f in zip(texts, folds, strict=True) if f != fold]
        model = CapabilityModel(capabilities=[capability], **params).fit(background)
        scores[folds == fold] = model.solvable_score(
            [t for t, f in zip(texts, folds, strict=True) if f == fold]
        )
    baseline = keyword_scores(texts, tags)
    return {
        "roc_auc": round(float(roc_auc_score(truth, scores)), 4),
        "average_precision": round(float(average_precision_score(truth, scores)), 4),
        "precision_at_50": round(precision_at(truth, scores, 50), 4),
        "baseline_roc_auc": round(float(roc_auc_score(truth, baseline)), 4),
        "baseline_average_precision": round(float(average_precision_score(truth, baseline)), 4),
        "baseline_precision_at_50": round(precision_at(truth, baseline, 50), 4),
        "n_judged": len(judged),
        "n_positive": int(truth.sum()),
        "tags": list(tags),
        "seeds": seeds,
    }
