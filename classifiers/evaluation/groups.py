"""How well unsupervised same-problem grouping recovers known groups.

Rows are ``{"id", "text", "group"}``; a null group means the thread stands
alone. Threads are grouped in file order, exactly as they would arrive, and
the result is scored pairwise (did two threads of one problem end up
together? did two of different problems?) and with the adjusted Rand index.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

from sklearn.metrics import adjusted_rand_score

from classifiers.clusters import SameProblemGrouper, ThreadRecord
from classifiers.datasets import read_jsonl_rows


class GroupRowsError(ValueError):
    """Evaluation rows that cannot be scored; the message names the row."""


def _pairs(counts: Counter) -> int:
    return sum(n * (n - 1) // 2 for n in counts.values())


def pairwise_scores(true_labels: Sequence, predicted: Sequence) -> dict[str, float]:
    """Pairwise precision, recall and F1 of a grouping. With no pair predicted
    (or none to find) the corresponding score is 1.0: nothing was wrong."""
    if len(true_labels) != len(predicted):
        raise ValueError("true and predicted labels differ in length")
    joint = _pairs(Counter(zip(true_labels, predicted, strict=True)))
    predicted_pairs = _pairs(Counter(predicted))
    true_pairs = _pairs(Counter(true_labels))
    precision = joint / predicted_pairs if predicted_pairs else 1.0
    recall = joint / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"pairwise_precision": precision, "pairwise_recall": recall, "pairwise_f1": f1}


def true_labels_of(rows: Sequence[Mapping]) -> list[str]:
    """Group labels with every null group made a singleton of its own."""
    labels = []
    for number, row in enumerate(rows, start=1):
        group = row.get("group")
        labels.append(f"\x00single:{number}" if group is None or group == "" else f"group:{group}")
    return labels


def _check_rows(rows: Sequence[Mapping]) -> None:
    if not rows:
        raise GroupRowsError("no rows to evaluate")
    seen: set[str] = set()
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, Mapping):
            raise GroupRowsError(f"row {number}: expected an object with id, text and group")
        for key in ("id", "text"):
            if key not in row:
                raise GroupRowsError(f"row {number}: missing field {key!r}")
        if not isinstance(row["text"], str):
            raise GroupRowsError(f"row {number}: field 'text' is not a string")
        identifier = str(row["id"])
        if identifier in seen:
            raise GroupRowsError(f"row {number}: duplicate id {identifier!r}")
        seen.add(identifier)


def score_grouping(true_labels: Sequence, predicted: Sequence) -> dict[str, float | int]:
    result: dict[str, float | int] = {"ari": float(adjusted_rand_score(true_labels, predicted))}
    result.update(pairwise_scores(true_labels, predicted))
    result["n_groups"] = len(set(predicted))
    result["n_true_groups"] = len(set(true_labels))
    result["n_threads"] = len(predicted)
    return {key: round(value, 4) if isinstance(value, float) else value for key, value in result.items()}


def evaluate_groups(rows: Sequence[Mapping], grouper: SameProblemGrouper | None = None) -> dict:
    """Group the rows' texts without their labels and score the result."""
    _check_rows(rows)
    grouper = grouper if grouper is not None else SameProblemGrouper()
    records = [ThreadRecord(str(row["id"]), row["text"]) for row in rows]
    predicted = grouper.fit_predict(records).tolist()
    return score_grouping(true_labels_of(rows), predicted)


def evaluate_groups_file(path: str | Path, grouper: SameProblemGrouper | None = None) -> dict:
    """``beachhead eval groups --data ROWS.jsonl``."""
    try:
        rows = read_jsonl_rows(path)
    except ValueError as error:
        raise GroupRowsError(str(error)) from None
    try:
        return evaluate_groups(rows, grouper)
    except GroupRowsError as error:
        raise GroupRowsError(f"{path}: {error}") from None
