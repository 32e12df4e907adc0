"""The text evaluations and their `beachhead eval` commands: hand-written
files for exact behaviour, small slices of the real data for the rest."""

from __future__ import annotations

import csv
import json
import socket
import sys
from itertools import islice
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import cli
from classifiers.evaluation.capability import evaluate_capability
from classifiers.evaluation.classify import (
    EvalDataError,
    cross_validate_by_domain,
    evaluate_classify,
    keyword_baseline,
    read_labelled,
)
from classifiers.evaluation.solved import (
    evaluate_feedback_sentences,
    evaluate_solved,
    load_threads,
)
from tests.shared_data import shared_path


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Nothing here may reach the network."""

    def refuse(*args, **kwargs):
        raise AssertionError("tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


TRAIN = [
    {"text": "App crashes on save\nTypeError when I press save", "label": "bug"},
    {"text": "Sync fails every night\nError: timeout after upgrade to 2.1", "label": "bug"},
    {"text": "How do I change the port?\nWhere is the setting for the port?", "label": "howto"},
    {"text": "How can I export my data?\nIs there an export command?", "label": "howto"},
    {
        "text": "Please add dark mode\nIt would be nice to have a dark theme",
        "label": "feature_request",
    },
    {
        "text": "Feature request: CSV export\nWould be great to export CSV",
        "label": "feature_request",
    },
]
TEST = [
    {"text": "Crash when saving\nTypeError appears on save", "label": "bug"},
    {"text": "How do I move the database?\nWhere do I set the path?", "label": "howto"},
    {
        "text": "Please add an Excel export\nIt would be great to have xlsx",
        "label": "feature_request",
    },
]


def write_jsonl(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_eval_classify_on_hand_written_rows(tmp_path):
    train = write_jsonl(tmp_path / "train.jsonl", TRAIN)
    test = write_jsonl(tmp_path / "test.jsonl", TEST)
    result = evaluate_classify(train, test)
    assert result["macro_f1"] == 1.0
    assert result["accuracy"] == 1.0
    assert result["per_class"]["bug"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1}
    assert (result["n_train"], result["n_test"], result["seeds"]) == (6, 3, True)


def test_eval_classify_cli_json_and_table(tmp_path):
    train = write_jsonl(tmp_path / "train.jsonl", TRAIN)
    test = write_jsonl(tmp_path / "test.jsonl", TEST)
    result = CliRunner().invoke(
        cli, ["eval", "classify", "--train", str(train), "--test", str(test)]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert set(payload) == {"macro_f1", "accuracy", "per_class", "n_train", "n_test", "seeds"}
    table = CliRunner().invoke(
        cli, ["eval", "classify", "--train", str(train), "--test", str(test), "--table"]
    )
    assert table.exit_code == 0
    assert "feature_request" in table.output and "macro-F1 1.0000" in table.output


def test_eval_classify_cli_errors_quote_the_input(tmp_path):
    train = write_jsonl(tmp_path / "train.jsonl", TRAIN)
    missing = tmp_path / "nope.jsonl"
    result = CliRunner().invoke(
        cli, ["eval", "classify", "--train", str(train), "--test", str(missing)]
    )
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: no such file: '{missing}'"
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"text": "fine", "label": "bug"}, {"label": "bug"}])
    result = CliRunner().invoke(
        cli, ["eval", "classify", "--train", str(train), "--test", str(bad)]
    )
    assert result.output.strip() == f"Error: {bad}: row 2: missing or empty 'text'"


def test_read_labelled_keeps_domains_and_reports_bad_json(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text('{"text": "a", "label": "bug", "domain": "r/x"}\n{"text": \n', encoding="utf-8")
    with pytest.raises(EvalDataError, match="line 2: not valid JSON"):
        read_labelled(path)
    write_jsonl(path, [{"text": "a", "label": "bug", "domain": "r/x"}])
    assert read_labelled(path) == (["a"], ["bug"], ["r/x"])


def test_keyword_baseline_rules():
    assert keyword_baseline(
        ["It crashes", "Please add export", "How do I set it?", "Nice photos"]
    ) == ["bug", "feature_request", "howto", "other"]


# --- real data, small slices ---------------------------------------------------------


def dump_slice(source: Path, target: Path, questions: int) -> Path:
    """The first N questions of a dump with their answers and comments,
    written to a temporary folder (never into the repository)."""
    from classifiers.datasets import iter_dump_rows

    target.mkdir()
    rows = list(iter_dump_rows(source / "Posts.xml"))
    kept_questions = {
        r["Id"] for r in islice((r for r in rows if r["PostTypeId"] == "1"), questions)
    }
    kept = [
        r
        for r in rows
        if r["Id"] in kept_questions
        or (r["PostTypeId"] == "2" and r.get("ParentId") in kept_questions)
    ]
    post_ids = {r["Id"] for r in kept}
    comments = [r for r in iter_dump_rows(source / "Comments.xml") if r.get("PostId") in post_ids]
    for name, items in (("Posts.xml", kept), ("Comments.xml", comments)):
        from xml.sax.saxutils import quoteattr

        lines = ["<?xml version='1.0' encoding='utf-8'?>", f"<{name[:-4].lower()}>"]
        lines += [
            "  <row " + " ".join(f"{k}={quoteattr(v)}" for k, v in r.items()) + " />" for r in items
        ]
        lines.append(f"</{name[:-4].lower()}>")
        (target / name).write_text("\n".join(lines), encoding="utf-8")
    return target


@pytest.mark.shared_data
def test_solved_evaluation_on_a_slice(tmp_path):
    folder = dump_slice(shared_path("stackexchange", "cardano"), tmp_path / "dump", 200)
    threads = load_threads(folder)
    assert len(threads) == 200
    assert all(not any(r.accepted for r in t.replies) for t in threads)
    result = evaluate_solved(folder)
    assert result["n_threads"] == 200
    assert 0.6 < result["roc_auc"] <= 1.0
    assert result["roc_auc"] > result["baseline_roc_auc"]
    cli_result = CliRunner().invoke(cli, ["eval", "solved", "--stackexchange", str(folder)])
    assert cli_result.exit_code == 0, cli_result.output
    assert json.loads(cli_result.output)["roc_auc"] == result["roc_auc"]


@pytest.mark.shared_data
def test_capability_evaluation_on_a_slice(tmp_path):
    folder = dump_slice(shared_path("stackexchange", "cardano"), tmp_path / "dump", 400)
    result = evaluate_capability(folder, ["wallet", "daedalus", "yoroi"], seeds=5)
    assert set(result) >= {"roc_auc", "average_precision", "precision_at_50"}
    assert result["roc_auc"] > 0.8
    assert result["n_judged"] == 395
    bad = CliRunner().invoke(
        cli, ["eval", "capability", "--stackexchange", str(folder), "--tags", "no-such-tag"]
    )
    assert bad.exit_code == 1
    assert bad.output.strip() == f"Error: {folder}: no question is tagged 'no-such-tag'"


@pytest.mark.shared_data
def test_feedback_sentences_precision_and_recall():
    result = evaluate_feedback_sentences(shared_path("labels", "tizard19_firefox_sentences.csv"))
    assert result["me_too"]["support"] == 4
    assert result["me_too"]["recall"] == 1.0
    assert result["resolution"]["precision"] >= 0.9
    assert result["resolution"]["precision"] > result["resolution"]["baseline"]["precision"]


@pytest.mark.shared_data
def test_nlbse_cross_validation_on_a_slice():
    csv.field_size_limit(sys.maxsize)
    path = shared_path("labels", "nlbse24_issues_train.csv")
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    kinds = {"bug": "bug", "feature": "feature_request", "question": "howto"}
    picked = []
    for repo in ("facebook/react", "opencv/opencv"):
        for label in kinds:
            picked += [r for r in rows if r["repo"] == repo and r["label"] == label][:20]
    result = cross_validate_by_domain(
        [r["title"] + "\n" + r["body"] for r in picked],
        [kinds[r["label"]] for r in picked],
        [r["repo"] for r in picked],
        folds=3,
    )
    assert set(result["per_domain"]) == {"facebook/react", "opencv/opencv"}
    assert result["macro_f1"] > result["baseline_macro_f1"]
