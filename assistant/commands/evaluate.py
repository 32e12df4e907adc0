"""`beachhead eval`: measure the models on your own data; each prints one JSON object."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console


@click.group(name="eval")
def eval_group() -> None:
    """Measure the models on your own data; each prints one JSON object."""


def echo_eval_result(result: dict, table: bool, title: str) -> None:
    """One JSON object on stdout, or the same figures as a readable table."""
    if not table:
        click.echo(json.dumps(result, sort_keys=True))
        return
    from rich.table import Table

    grid = Table(title=title)
    grid.add_column("measure")
    grid.add_column("value", justify="right")
    for key, value in result.items():
        grid.add_row(key, f"{value:.4f}" if isinstance(value, float) else str(value))
    Console().print(grid)


@eval_group.command(name="groups")
@click.option("--data", "data_path", required=True, type=click.Path(dir_okay=False),
              help='JSON Lines rows {"id", "text", "group"}; a null group is a thread on its own.')
@click.option("--table", is_flag=True, help="Print a readable table instead of JSON.")
def eval_groups(data_path: str, table: bool) -> None:
    """Group the rows' texts without their labels; report ARI and pairwise
    precision, recall and F1 against the given groups.

    Example: beachhead eval groups --data duplicates.jsonl
    """
    from classifiers.evaluation.groups import GroupRowsError, evaluate_groups_file

    if not Path(data_path).is_file():
        raise click.ClickException(f"no such file: '{data_path}'")
    try:
        result = evaluate_groups_file(data_path)
    except GroupRowsError as error:
        raise click.ClickException(str(error)) from None
    echo_eval_result(result, table, "Same-problem grouping")


@eval_group.command(name="voice")
@click.option("--stackexchange", "folder", required=True, type=click.Path(file_okay=False),
              help="A Stack Exchange dump folder (Posts.xml, Comments.xml, Users.xml, Votes.xml).")
@click.option("--table", is_flag=True, help="Print a readable table instead of JSON.")
def eval_voice(folder: str, table: bool) -> None:
    """Compute members' voice from the reply graph without the Reputation
    field; report its Spearman correlation with reputation and the overlap of
    the two top-50 lists.

    Example: beachhead eval voice --stackexchange dumps/cardano
    """
    from classifiers.evaluation.members_dump import DumpError
    from classifiers.evaluation.voice import evaluate_voice_dump

    try:
        result = evaluate_voice_dump(folder)
    except DumpError as error:
        raise click.ClickException(str(error)) from None
    echo_eval_result(result, table, "Voice vs reputation")


@eval_group.command(name="geography")
@click.option("--stackexchange", "folder", required=True, type=click.Path(file_okay=False),
              help="A Stack Exchange dump folder (Posts.xml, Comments.xml, Users.xml).")
@click.option("--table", is_flag=True, help="Print a readable table instead of JSON.")
def eval_geography(folder: str, table: bool) -> None:
    """Guess each member's country without reading Location; report accuracy
    and coverage against the stated locations that resolve to a country.

    Example: beachhead eval geography --stackexchange dumps/bicycles_meta
    """
    from classifiers.evaluation.geography import evaluate_geography_dump
    from classifiers.evaluation.members_dump import DumpError

    try:
        result = evaluate_geography_dump(folder)
    except DumpError as error:
        raise click.ClickException(str(error)) from None
    echo_eval_result(result, table, "Member geography")


@eval_group.command(name="classify")
@click.option("--train", "train_path", required=True, type=click.Path(dir_okay=False),
              help='JSON Lines rows {"text", "label"} to train on (optional "domain").')
@click.option("--test", "test_path", required=True, type=click.Path(dir_okay=False),
              help="JSON Lines rows of the same shape to score on.")
@click.option("--table", is_flag=True, help="Print a readable table instead of JSON.")
def eval_classify(train_path: str, test_path: str, table: bool) -> None:
    """Train the problem-kind text classifier on TRAIN and report macro-F1,
    accuracy and per-class precision/recall/F1 on TEST. Labels that are all
    problem kinds (bug, howto, feature_request, other) train with the
    built-in seed examples too.

    Example: beachhead eval classify --train train.jsonl --test test.jsonl
    """
    from classifiers.evaluation.classify import EvalDataError, evaluate_classify

    for path in (train_path, test_path):
        if not Path(path).is_file():
            raise click.ClickException(f"no such file: '{path}'")
    try:
        result = evaluate_classify(train_path, test_path)
    except EvalDataError as error:
        raise click.ClickException(str(error)) from None
    if not table:
        click.echo(json.dumps(result, sort_keys=True))
        return
    from rich.table import Table

    grid = Table(title=f"Text classifier: macro-F1 {result['macro_f1']:.4f}, "
                       f"accuracy {result['accuracy']:.4f}")
    for column in ("class", "precision", "recall", "f1", "support"):
        grid.add_column(column, justify="left" if column == "class" else "right")
    for name, row in result["per_class"].items():
        grid.add_row(name, f"{row['precision']:.4f}", f"{row['recall']:.4f}",
                     f"{row['f1']:.4f}", str(row["support"]))
    Console().print(grid)


@eval_group.command(name="capability")
@click.option("--stackexchange", "folder", required=True, type=click.Path(file_okay=False),
              help="A Stack Exchange dump folder (Posts.xml, Comments.xml).")
@click.option("--tags", required=True, help="The know-how to simulate, as tags: t1,t2.")
@click.option("--seeds", default=10, show_default=True, type=click.IntRange(min=1),
              help="How many tagged questions become the capability's examples.")
@click.option("--random-state", default=0, show_default=True, type=int,
              help="Seed of the draw of example questions.")
@click.option("--table", is_flag=True, help="Print a readable table instead of JSON.")
def eval_capability(folder: str, tags: str, seeds: int, random_state: int, table: bool) -> None:
    """Simulate a startup whose know-how is TAGS: N questions with those tags
    are its examples, every other question is judged by text alone (tags
    hidden); report ROC-AUC, average precision and precision@50.

    Example: beachhead eval capability --stackexchange dumps/cardano --tags wallet,daedalus,yoroi --seeds 10
    """
    from classifiers.evaluation.capability import evaluate_capability
    from classifiers.evaluation.solved import DumpFolderError

    try:
        result = evaluate_capability(folder, tags.split(","), seeds=seeds,
                                     random_state=random_state)
    except DumpFolderError as error:
        raise click.ClickException(str(error)) from None
    echo_eval_result(result, table, "Capability")


@eval_group.command(name="solved")
@click.option("--stackexchange", "folder", required=True, type=click.Path(file_okay=False),
              help="A Stack Exchange dump folder (Posts.xml, Comments.xml).")
@click.option("--table", is_flag=True, help="Print a readable table instead of JSON.")
def eval_solved(folder: str, table: bool) -> None:
    """Judge from each thread's answers and comments (never AcceptedAnswerId)
    whether the asker's problem was solved; report ROC-AUC against the
    accepted answers.

    Example: beachhead eval solved --stackexchange dumps/cardano
    """
    from classifiers.evaluation.solved import DumpFolderError, evaluate_solved

    try:
        result = evaluate_solved(folder)
    except DumpFolderError as error:
        raise click.ClickException(str(error)) from None
    echo_eval_result(result, table, "Solved detection")
