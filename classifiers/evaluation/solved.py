"""`beachhead eval solved`: does the thread's text say the asker's problem
was solved? Scored against Stack Exchange's accepted answers, which the
judge never reads.

Also home of the small Stack Exchange thread reader the text evaluations
share (questions with their tags, answers and comments as plain text).
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

from classifiers.datasets import iter_dump_rows
from classifiers.signals import SOLVED_WEIGHTS, Reply, solved_features, solved_probability


class DumpFolderError(ValueError):
    """A folder that is not a readable Stack Exchange dump."""


@dataclass
class DumpThread:
    """One question with its replies. ``accepted`` is the ground truth and is
    never given to the judge."""

    id: str
    title: str
    body: str
    tags: tuple[str, ...]
    owner: str | None
    created_at: float
    accepted: bool
    replies: list[Reply] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.title + "\n" + self.body


_PRE = re.compile(r"<pre[^>]*>(.*?)</pre>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_TAGS = re.compile(r"<([^<>]+)>")


def html_to_text(markup: str) -> str:
    """Plain text of a post body, code blocks kept as ``` fences."""
    markup = _PRE.sub(lambda m: "\n```\n" + m.group(1) + "\n```\n", markup or "")
    markup = re.sub(r"<(?:br|/p|/li|/h\d)\s*/?>", "\n", markup, flags=re.IGNORECASE)
    text = html.unescape(_TAG.sub(" ", markup))
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.splitlines()).strip()


def _seconds(value: str | None) -> float:
    return datetime.fromisoformat(value).timestamp() if value else 0.0


def load_threads(folder: str | Path) -> list[DumpThread]:
    """Questions of a dump with answers and comments as ``Reply`` rows.
    Answers answer the question (parent None); a comment's parent is the
    post it sits under (the question's comments also get parent None)."""
    folder = Path(folder)
    posts_path = folder / "Posts.xml"
    if not posts_path.is_file():
        raise DumpFolderError(f"{folder}: no Posts.xml (not a Stack Exchange dump folder)")
    questions: dict[str, DumpThread] = {}
    answers: dict[str, list[dict]] = defaultdict(list)
    for row in iter_dump_rows(posts_path):
        if row.get("PostTypeId") == "1":
            questions[row["Id"]] = DumpThread(
                id=row["Id"],
                title=html.unescape(row.get("Title", "")),
                body=html_to_text(row.get("Body", "")),
                tags=tuple(_TAGS.findall(row.get("Tags", "")))
                or tuple(t for t in row.get("Tags", "").strip("|").split("|") if t),
                owner=row.get("OwnerUserId"),
                created_at=_seconds(row.get("CreationDate")),
                accepted=bool(row.get("AcceptedAnswerId")),
            )
        elif row.get("PostTypeId") == "2" and row.get("ParentId"):
            answers[row["ParentId"]].append(row)
    comments: dict[str, list[dict]] = defaultdict(list)
    comments_path = folder / "Comments.xml"
    if comments_path.is_file():
        for row in iter_dump_rows(comments_path):
            comments[row.get("PostId", "")].append(row)
    for question in questions.values():
        items = []
        for row in comments.get(question.id, ()):
            items.append((row, None, row.get("Text", "")))
        for answer in answers.get(question.id, ()):
            items.append((answer, None, html_to_text(answer.get("Body", ""))))
            for row in comments.get(answer["Id"], ()):
                items.append((row, answer["Id"], row.get("Text", "")))
        items.sort(key=lambda item: item[0].get("CreationDate", ""))
        for row, parent, text in items:
            author = (
                row.get("OwnerUserId") or row.get("UserId") or row.get("UserDisplayName") or "?"
            )
            is_answer = "PostTypeId" in row
            question.replies.append(
                Reply(
                    author=author,
                    text=text,
                    is_op=question.owner is not None and author == question.owner,
                    score=int(row.get("Score") or 0),
                    parent=parent,
                    id=row["Id"] if is_answer else None,
                    created_at=_seconds(row.get("CreationDate")) - question.created_at,
                )
            )
    return list(questions.values())


def _ground_truth(threads: list[DumpThread]) -> np.ndarray:
    return np.array([1 if t.accepted else 0 for t in threads])


def baseline_probability(thread: DumpThread) -> float:
    """The keyword baseline: the asker wrote thanks/works/solved somewhere."""
    pattern = re.compile(r"\b(thanks?|thank you|works?|worked|solved|fixed)\b", re.IGNORECASE)
    return float(any(r.is_op and pattern.search(r.text) for r in thread.replies))


def evaluate_solved(folder: str | Path, learned: bool = True) -> dict:
    """ROC-AUC of the solved probability against accepted answers.

    ``rule``: the hand-set weights of ``signals.SOLVED_WEIGHTS`` (cold start).
    ``learned``: the same features with weights fitted by logistic regression,
    scored out-of-fold (5-fold), to show what labels add.
    """
    threads = load_threads(folder)
    truth = _ground_truth(threads)
    if len(set(truth)) < 2:
        raise DumpFolderError(f"{folder}: needs both solved and unsolved questions")
    rule = np.array([solved_probability(t.text, t.replies).probability for t in threads])
    baseline = np.array([baseline_probability(t) for t in threads])
    result = {
        "roc_auc": round(float(roc_auc_score(truth, rule)), 4),
        "baseline_roc_auc": round(float(roc_auc_score(truth, baseline)), 4),
        "n_threads": len(threads),
        "n_solved": int(truth.sum()),
    }
    if learned:
        result["learned_roc_auc"] = round(_learned_auc(threads, truth), 4)
    return result


def _learned_auc(threads: list[DumpThread], truth: np.ndarray) -> float:
    from sklearn.linear_model import LogisticRegression

    names = [n for n in SOLVED_WEIGHTS if n != "bias"]
    features = np.array([[solved_features(t.text, t.replies)[n] for n in names] for t in threads])
    scores = np.zeros(len(threads))
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    for train, test in folds.split(features, truth):
        model = LogisticRegression(max_iter=1000).fit(features[train], truth[train])
        scores[test] = model.predict_proba(features[test])[:, 1]
    return float(roc_auc_score(truth, scores))


# --- the Tizard Firefox sentences: "me too" and "resolution acknowledged" ------

ME_TOO_LABELS = frozenset({"agreeing with the problem"})
RESOLUTION_LABELS = frozenset(
    {"acknowledgement of resolution", "acknowledgement of problem resolution", "problem resolution"}
)


def normalise_label(label: str | None) -> str:
    """Labels in that file vary in case and spacing."""
    return " ".join((label or "").lower().split())


def evaluate_feedback_sentences(path: str | Path) -> dict:
    """Precision and recall of the "me too" and "resolution acknowledged"
    signals on hand-labelled forum sentences, each beside a keyword baseline
    (any sentence with "same"; any with "work"/"fixed"/"solved")."""
    import csv
    import sys

    from classifiers.signals import me_too, resolution

    csv.field_size_limit(sys.maxsize)
    with open(path, newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if (r.get("sentence") or "").strip()]
    if not rows:
        raise DumpFolderError(f"{path}: no labelled sentences")
    labels = [normalise_label(r.get("label")) for r in rows]
    sentences = [r["sentence"] for r in rows]
    same = re.compile(r"\bsame\b", re.IGNORECASE)
    fixed = re.compile(r"\b(work\w*|fixed|solved|resolved)\b", re.IGNORECASE)
    result = {"n_sentences": len(rows)}
    for name, wanted, rule, baseline in (
        ("me_too", ME_TOO_LABELS, me_too, same),
        ("resolution", RESOLUTION_LABELS, resolution, fixed),
    ):
        truth = np.array([label in wanted for label in labels])
        predicted = np.array([bool(rule(s)) for s in sentences])
        base = np.array([bool(baseline.search(s)) for s in sentences])
        result[name] = {
            **_precision_recall(truth, predicted),
            "baseline": _precision_recall(truth, base),
            "support": int(truth.sum()),
        }
    return result


def _precision_recall(truth: np.ndarray, predicted: np.ndarray) -> dict:
    hits = int((truth & predicted).sum())
    return {
        "precision": round(hits / int(predicted.sum()), 4) if predicted.sum() else 0.0,
        "recall": round(hits / int(truth.sum()), 4) if truth.sum() else 0.0,
        "predicted": int(predicted.sum()),
    }
