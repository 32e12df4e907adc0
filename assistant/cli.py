"""The `beachhead` command line: parse, call one service function, render.

Library code raises its own exceptions; the root group turns the known ones
into one-line errors with a non-zero exit, so every command fails the same way.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sys
import time
from contextlib import contextmanager
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from assistant import clock, pipeline
from assistant import credibility as credibility_service
from assistant import etiquette as etiquette_service
from assistant import experts as experts_service
from assistant import queue as queue_service
from assistant import scout as scout_service
from assistant import similar as similar_service
from assistant import value as value_service
from assistant.domain import parse_timestamp
from assistant.explain import NotJudgedYet
from assistant.labels import LabelError
from assistant.links import LinkError
from assistant.models import ModelError
from assistant.render import fetch_table, print_problems, queue_table
from assistant.report import FORMATS as REPORT_FORMATS
from assistant.report import ReportError
from assistant.sources import FetchRequest, SourceError
from assistant.store import Store, StoreError, default_db_path, load_cursors, sync_communities
from assistant.threadref import ThreadNotFound
from assistant.triage import TriageError
from classifiers.persistence import ModelFileError
from playbooks import (
    PlaybookError,
    UnknownCommunity,
    UnknownFounder,
    default_playbook_path,
    load_playbook,
)

KNOWN_ERRORS = (
    PlaybookError,
    StoreError,
    SourceError,
    queue_service.QueueError,
    UnknownCommunity,
    UnknownFounder,
    ReportError,
    TriageError,
    credibility_service.CredibilityError,
    etiquette_service.EtiquetteError,
    value_service.ValueCaptureError,
    scout_service.ScoutError,
    ThreadNotFound,
    LabelError,
    NotJudgedYet,
    LinkError,
    ModelError,
    ModelFileError,
)


class BeachheadGroup(click.Group):
    """Turns library errors into `Error: …` lines and exit status 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KNOWN_ERRORS as error:
            raise click.ClickException(str(error)) from None


class App:
    """What every command may need, opened on first use."""

    def __init__(self, db: str | None, playbook: str | None):
        self.db_path = Path(db) if db else default_db_path()
        self.playbook_path = playbook
        self._store: Store | None = None
        self._playbook = None
        self.console = Console()
        self.err = Console(stderr=True)

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self.db_path)
        return self._store

    @property
    def playbook(self):
        if self._playbook is None:
            self._playbook = load_playbook(resolve_playbook_path(self.playbook_path))
        return self._playbook

    def now(self) -> datetime:
        return clock.now(self.store)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def resolve_playbook_path(option: str | None) -> Path:
    """--playbook, else $BEACHHEAD_PLAYBOOK, else ./beachhead.toml, else the
    packaged Dewak playbook."""
    if option:
        return Path(option)
    if os.environ.get("BEACHHEAD_PLAYBOOK"):
        return Path(os.environ["BEACHHEAD_PLAYBOOK"])
    local = Path("beachhead.toml")
    return local if local.exists() else default_playbook_path()


def parse_when(value: str, now: datetime) -> datetime:
    """ISO dates and times (UTC unless a zone is given), or a span from now
    such as 90m, 6h, 2d, 1w."""
    span = re.fullmatch(r"\s*(\d+)\s*([mhdw])\s*", value)
    if span:
        amount, unit = int(span.group(1)), span.group(2)
        return now + timedelta(
            minutes=amount if unit == "m" else 0,
            hours=amount if unit == "h" else 0,
            days=amount if unit == "d" else 0,
            weeks=amount if unit == "w" else 0,
        )
    try:
        return parse_timestamp(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is neither a date (2026-11-20, 2026-11-20T09:00) nor a span (6h, 2d)"
        ) from None


def progress_reporter(console: Console):
    """A rich progress bar that the pipeline drives through its callback."""
    bar = Progress(
        TextColumn("{task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
    tasks: dict[str, int] = {}

    def report(step: str, done: int, total: int) -> None:
        if step not in tasks:
            tasks[step] = bar.add_task(step, total=max(total, 1))
        bar.update(tasks[step], completed=done, total=max(total, 1))

    return bar, report


@click.group(cls=BeachheadGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", envvar="BEACHHEAD_DB", type=click.Path(dir_okay=False),
              help="SQLite database (default ./beachhead.db, or $BEACHHEAD_DB).")
@click.option("--playbook", "playbook_path", type=click.Path(dir_okay=False),
              help="Playbook TOML (default $BEACHHEAD_PLAYBOOK, ./beachhead.toml, then the "
              "packaged dewak.toml).")
@click.version_option(package_name="beachhead")
@click.pass_context
def cli(ctx: click.Context, db: str | None, playbook_path: str | None) -> None:
    """Beachhead: be the most useful expert where your vendor's users solve problems.

    \b
    Start with:  beachhead demo
    Then:        beachhead init && beachhead fetch && beachhead queue
    """
    app = App(db, playbook_path)
    ctx.obj = app
    ctx.call_on_close(app.close)


pass_app = click.make_pass_decorator(App)


# ------------------------------------------------------------------ playbooks


@cli.command()
@click.argument("path", default="beachhead.toml", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(path: str, force: bool) -> None:
    """Write a starter playbook to PATH (default beachhead.toml).

    Example: beachhead init my-startup.toml
    """
    target = Path(path)
    if target.exists() and not force:
        raise click.ClickException(f"{path} already exists (use --force to overwrite)")
    starter = resources.files("playbooks").joinpath("starter.toml")
    target.write_text(starter.read_text(encoding="utf-8"), encoding="utf-8")
    click.echo(f"Wrote {path}. Edit it, then run: beachhead playbook check {path}")


@cli.group()
def playbook() -> None:
    """Playbooks: check them before you use them."""


@playbook.command("check")
@click.argument("path", type=click.Path(dir_okay=False))
def playbook_check(path: str) -> None:
    """Validate a playbook; every problem is listed with its key path.

    Example: beachhead playbook check beachhead.toml
    """
    loaded = load_playbook(path)
    click.echo(
        f"{path}: ok — {len(loaded.communities)} communities, {len(loaded.founders)} founders, "
        f"{len(loaded.capabilities)} capabilities"
    )


# ------------------------------------------------------------------ the demo


@cli.command()
@click.option("--db", "db_path", type=click.Path(dir_okay=False),
              help="Keep the demo database here (default: a temporary directory).")
@click.option("--report", "report_path", type=click.Path(dir_okay=False),
              help="Also write the demo week's HTML report to this file.")
@pass_app
def demo(app: App, db_path: str | None, report_path: str | None) -> None:
    """Run the whole pipeline offline on the built-in demo corpus.

    Example: beachhead demo --db demo.db --report demo-report.html
    """
    from assistant.demo.runner import DemoError, build_demo, refuse_foreign_database

    started = time.perf_counter()
    if db_path:
        path = Path(db_path)
        temp_dir = None
    else:
        import tempfile

        temp_dir = tempfile.mkdtemp(prefix="beachhead-demo-")
        path = Path(temp_dir) / "demo.db"
    bar, report = progress_reporter(app.err)
    try:
        refuse_foreign_database(path)
        with bar:
            result = build_demo(path, progress=report)
    except DemoError as error:
        raise click.ClickException(str(error)) from None
    store = result.store
    items = queue_service.list_items(store, limit=10)
    app.console.print(queue_table(items, title="Top of the queue", width=app.console.width))
    summary = result.summary
    lines = [
        f"Demo clock      {clock.now(store):%Y-%m-%d %H:%M} UTC (pinned in the database)",
        f"Read            {summary['threads']} threads, {summary['posts']} replies, "
        f"{summary['members']} members in {summary['communities']} communities",
        f"Languages       {', '.join(summary['languages'])}; members in "
        f"{summary['countries']} countries",
        "Categories      " + ", ".join(f"{k} {v}" for k, v in summary["categories"].items()),
        "Queue           " + ", ".join(f"{k} {v}" for k, v in sorted(summary["queue"].items())),
    ]
    for group in summary["groups"][:3]:
        lines.append(
            f"Problem group   {group['label']}: {group['members']} members, "
            f"{len(group['countries'])} countries, {len(group['communities'])} communities"
        )
    for standing in summary.get("credibility", [])[:6]:
        lines.append(
            f"Credibility     {standing['founder']} · {standing['community']} "
            f"{standing['score']:.0f} {standing['sparkline']} voice #{standing['rank']}/"
            f"{standing['ranked']}"
        )
    if summary.get("reach"):
        shares = summary["reach"]
        lines.append(
            "Reach abroad    "
            + ", ".join(f"{name} {shares[name]['share']:.0%}" for name in ("engaged", "leads", "revenue")
                        if shares[name]["share"] is not None)
            + f" ({shares['engaged']['known']:g} of {shares['engaged']['total']:g} engaged located;"
            + f" home {shares['home_country']}; Dewak {shares['dewak_share']:.0%})"
        )
    for problem in summary.get("lead_problems", []):
        app.err.print(f"warning: {problem}", highlight=False, markup=False)
    for finding in summary.get("etiquette", [])[:2]:
        lines.append(f"Etiquette       {finding['founder']} in {finding['community_id']} "
                     f"({finding['created_at'][:10]}): {finding['message']}")
    if summary.get("seen_before") and summary["seen_before"]["line"]:
        lines.append(f"Queue item #{summary['seen_before']['item']:<4} {summary['seen_before']['line']}")
    for candidate in summary.get("faq", [])[:2]:
        lines.append(f"FAQ or tool     {candidate['label']}: solved {candidate['solved']}× by the "
                     f"founders, write {'a tool' if candidate['suggestion'] == 'tool' else 'an FAQ'}")
    if summary.get("scout"):
        lines.append("Scouting        " + " › ".join(
            f"{fit['candidate']} {fit['fit']:.0f}" for fit in summary["scout"] if not fit["error"]))
    lines.append(f"Database        {path}")
    if report_path:
        from assistant.report import make_report

        make_report(store, result.playbook, fmt="html", output=report_path, now=clock.now(store))
        lines.append(f"Report          {report_path}")
    lines.append(f"Finished in     {time.perf_counter() - started:.1f}s")
    for line in lines:
        app.console.print(line, highlight=False, soft_wrap=True)
    store.close()
    if temp_dir and not db_path:
        shutil.rmtree(temp_dir, ignore_errors=True)


# ------------------------------------------------------------------ sources


@cli.command()
@click.option("--community", "communities", multiple=True, help="Only this community (repeatable).")
@click.option("--since", help="Do not read further back than this date (2026-11-01 or 7d).")
@pass_app
def fetch(app: App, communities: tuple[str, ...], since: str | None) -> None:
    """Fetch what is new in the playbook's communities and store it.

    Example: beachhead fetch --community kestrel-forum --since 2026-11-01
    """
    now = app.now()
    since_at = None
    if since:
        since_at = parse_when(since, now)
        if since_at > now:  # "7d" means 7 days back
            since_at = now - (since_at - now)
    for community in communities:
        app.playbook.community(community)
    bar, report = progress_reporter(app.err)
    with bar, source_notes(app.err):
        reports = pipeline.fetch(app.store, app.playbook, community_ids=communities or None,
                                 since=since_at, now=now, progress=report)
    app.console.print(fetch_table(reports))
    print_problems(app.err, reports)
    if any(r.error for r in reports):
        sys.exit(1)


@cli.group(name="import")
def import_group() -> None:
    """Import archives and dumps into a community."""


@import_group.command("jsonl")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--community", required=True, help="Community id from the playbook.")
@pass_app
def import_jsonl(app: App, path: str, community: str) -> None:
    """Import a Beachhead JSON Lines archive (docs/jsonl-format.md).

    Example: beachhead import jsonl export.jsonl --community kestrel-forum
    """
    from assistant.sources.jsonl import JsonlSource

    config = app.playbook.community(community)
    now = app.now()
    sync_communities(app.store, app.playbook.communities, now)
    source = JsonlSource(config.id, Path(path), stream=f"import:{Path(path).resolve()}")
    request = FetchRequest(load_cursors(app.store, config.id))
    report = pipeline.pull(app.store, config.id, source, request, now)
    judged = pipeline.judge_threads(app.store, app.playbook, report.thread_ids, now=now)
    app.console.print(fetch_table([report]))
    print_problems(app.err, [report])
    click.echo(f"Judged {judged.classified} threads; {len(judged.queued)} newly queued.")
    if report.error:
        sys.exit(1)


@import_group.command("stackexchange")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--community", required=True, help="Community id from the playbook.")
@click.option("--restart", is_flag=True,
              help="Read the dump from the start again, even after a finished import.")
@pass_app
def import_stackexchange(app: App, directory: str, community: str, restart: bool) -> None:
    """Import a Stack Exchange data dump directory (Posts.xml, Comments.xml,
    Users.xml, and Votes.xml / PostLinks.xml when present), then judge it.

    An interrupted import resumes where it stopped; importing the same dump
    again adds nothing.

    Example: beachhead import stackexchange ./superuser.com --community superuser
    """
    from assistant.sources.stackexchange import site_base_url
    from assistant.sources.stackexchange_dump import StackExchangeDumpSource

    config = app.playbook.community(community)
    now = app.now()
    sync_communities(app.store, app.playbook.communities, now)
    try:
        site_url = site_base_url(config.locator) if config.platform == "stackexchange" else None
    except ValueError:
        site_url = None
    bar, report = progress_reporter(app.err)

    def percent(step: str, done: int, total: int) -> None:
        report(f"{step} (%)", round(100 * done / total) if total else 100, 100)

    source = StackExchangeDumpSource(config.id, Path(directory), site_url=site_url,
                                     restart=restart, progress=percent, parallel=None)
    with bar:
        result = pipeline.pull(app.store, config.id, source,
                               FetchRequest(load_cursors(app.store, config.id)), now)
        judged = pipeline.judge_threads(app.store, app.playbook, result.thread_ids, now=now,
                                        progress=report)
    app.console.print(fetch_table([result]))
    print_problems(app.err, [result])
    read = source.counts
    click.echo(f"Read {read['question']} questions, {read['answer']} answers, "
               f"{read['comment']} comments and {read['user']} users from {directory}.")
    click.echo(f"Judged {judged.classified} threads; {len(judged.queued)} newly queued.")
    if result.error:
        sys.exit(1)


class _ConsoleNotes(logging.Handler):
    def __init__(self, console: Console):
        super().__init__(logging.INFO)
        self.console = console

    def emit(self, record: logging.LogRecord) -> None:
        self.console.print(Text(f"note: {record.getMessage()}", style="dim"))


@contextmanager
def source_notes(console: Console):
    """Show what sources log while they work (retries, what is left of a
    Stack Exchange quota) as dim lines on stderr."""
    handler = _ConsoleNotes(console)
    source_log = logging.getLogger("assistant.sources")
    level = source_log.level
    source_log.addHandler(handler)
    if source_log.getEffectiveLevel() > logging.INFO:
        source_log.setLevel(logging.INFO)
    try:
        yield
    finally:
        source_log.removeHandler(handler)
        source_log.setLevel(level)


@cli.command()
@click.option("--once", is_flag=True, help="Run one pass and exit.")
@click.option("--interval", type=float, help="Minutes between passes (default: the playbook's).")
@pass_app
def watch(app: App, once: bool, interval: float | None) -> None:
    """Watch the communities: fetch → judge → queue on an interval, printing
    each newly queued thread. Ctrl-C stops cleanly between batches.

    Example: beachhead watch --interval 10
    """
    minutes = interval or app.playbook.watch_interval_minutes
    try:
        while True:
            result = pipeline.run(app.store, app.playbook)
            print_problems(app.err, result.fetched)
            for item_id in result.judged.queued:
                item = queue_service.get_item(app.store, item_id)
                app.console.print(
                    f"#{item.id} {item.priority:.2f} {item.community_id}: {item.title} — {item.why}",
                    highlight=False,
                    markup=False,
                )
            new = sum(r.new_threads for r in result.fetched)
            app.err.print(
                f"{clock.now(app.store):%H:%M} fetched {new} new threads, queued "
                f"{len(result.judged.queued)}; next pass in {minutes:g} min",
                highlight=False,
            )
            if once:
                return
            time.sleep(minutes * 60)
    except KeyboardInterrupt:
        app.err.print("stopped")


# ------------------------------------------------------------------ judgement


@cli.command()
@click.option("--since", help="Only threads created since this date (2026-11-01 or 30d).")
@pass_app
def classify(app: App, since: str | None) -> None:
    """Re-judge stored threads with the current models and playbook.

    Example: beachhead classify --since 30d
    """
    now = app.now()
    ids = None
    if since:
        since_at = parse_when(since, now)
        if since_at > now:
            since_at = now - (since_at - now)
        ids = [
            row[0]
            for row in app.store.conn.execute(
                "SELECT id FROM threads WHERE created_at >= ? ORDER BY id", (since_at.isoformat(),)
            )
        ]
    bar, report = progress_reporter(app.err)
    with bar:
        judged = pipeline.judge_threads(app.store, app.playbook, ids, now=now, progress=report)
    click.echo(
        f"Judged {judged.classified} threads; {judged.groups_touched} groups updated; "
        f"{len(judged.queued)} newly queued."
    )


@cli.group(name="eval")
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


# ------------------------------------------------------------------ the queue


@cli.command(name="queue")
@click.option("--community", help="Only this community.")
@click.option("--state", "states", multiple=True,
              type=click.Choice(sorted(queue_service.TRANSITIONS)),
              help="Only items in this state (repeatable; default: queued, claimed, snoozed).")
@click.option("--limit", default=20, show_default=True, help="How many items to show.")
@pass_app
def queue_command(app: App, community: str | None, states: tuple[str, ...], limit: int) -> None:
    """Show the queue, highest priority first, with why.

    Example: beachhead queue --community kestrel-forum --state claimed
    """
    if community:
        app.playbook.community(community)
    items = queue_service.list_items(
        app.store, community=community, states=states or queue_service.OPEN_STATES, limit=limit,
        now=app.now(),
    )
    if not items:
        click.echo("The queue is empty.")
        return
    app.console.print(queue_table(items, width=app.console.width))


@cli.command()
@click.argument("item_id")
@click.option("--as", "founder", required=True, help="The founder taking it (name or handle).")
@pass_app
def claim(app: App, item_id: str, founder: str) -> None:
    """Claim a queue item so no other founder answers it.

    Example: beachhead claim 12 --as lucia
    """
    item = queue_service.claim(app.store, app.playbook, item_id, founder, now=app.now())
    click.echo(f"#{item.id} claimed by {item.claimed_by}; answer by {item.answer_by:%Y-%m-%d %H:%M} UTC")


@cli.command()
@click.argument("item_id")
@click.argument("url")
@click.option("--as", "founder", help="The founder who answered (default: who claimed it).")
@pass_app
def answered(app: App, item_id: str, url: str, founder: str | None) -> None:
    """Record the public answer to a queue item.

    Example: beachhead answered 12 https://forum.example.com/t/1042/5
    """
    item = queue_service.mark_answered(app.store, app.playbook, item_id, url, founder=founder,
                                       now=app.now())
    late = " (after the answer-by time)" if item.answered_at and item.answered_at > item.answer_by else ""
    click.echo(f"#{item.id} answered by {item.answered_by or 'unknown'}{late}: {item.answered_url}")


@cli.command()
@click.argument("item_id")
@click.argument("reason", type=click.Choice(sorted(queue_service.DISMISS_LABELS)))
@click.option("--note", help="Free text kept with the label.")
@click.option("--as", "founder", help="Who dismissed it.")
@pass_app
def dismiss(app: App, item_id: str, reason: str, note: str | None, founder: str | None) -> None:
    """Dismiss a queue item; the reason becomes a label the models learn from.

    Example: beachhead dismiss 12 unsolvable --note "vendor-side bug"
    """
    item = queue_service.dismiss(app.store, app.playbook, item_id, reason, actor=founder, note=note,
                                 now=app.now())
    click.echo(f"#{item.id} dismissed: {item.dismissed_reason}")


@cli.command()
@click.argument("item_id")
@click.argument("until")
@pass_app
def snooze(app: App, item_id: str, until: str) -> None:
    """Hide a queue item until a time (2026-11-21T09:00) or for a span (6h, 2d).

    Example: beachhead snooze 12 6h
    """
    now = app.now()
    item = queue_service.snooze(app.store, item_id, parse_when(until, now), now=now)
    click.echo(f"#{item.id} snoozed until {item.snoozed_until:%Y-%m-%d %H:%M} UTC")
    if item.snoozed_until and item.snoozed_until > item.answer_by:
        click.echo(f"note: its answer-by time {item.answer_by:%Y-%m-%d %H:%M} UTC comes first")


@cli.command()
@click.argument("item_id")
@pass_app
def release(app: App, item_id: str) -> None:
    """Give a claimed item back to the queue.

    Example: beachhead release 12
    """
    item = queue_service.release(app.store, item_id, now=app.now())
    click.echo(f"#{item.id} is back in the queue")


@cli.command()
@click.option("--no-watch", is_flag=True,
              help="Only serve the queue; another process runs `beachhead watch`.")
@pass_app
def bot(app: App, no_watch: bool) -> None:
    """Run the founders' Discord bot, with the watcher in the same process.

    The token comes from DISCORD_TOKEN; the channel and the founder role from
    the playbook's [discord] section.

    Example: DISCORD_TOKEN=... beachhead bot
    """
    from assistant.bot.runner import run
    from assistant.bot.settings import BotConfigError

    try:
        run(app.store, app.playbook, os.environ.get("DISCORD_TOKEN"), watch=not no_watch)
    except BotConfigError as error:
        raise click.ClickException(str(error)) from None
    except KeyboardInterrupt:
        app.err.print("stopped")


# ------------------------------------------------------------ triage and report


@cli.command()
@click.option("--week", help="ISO week to triage, e.g. 2026-W47 (default: this week by the "
              "database's clock).")
@click.option("--analyst", envvar="USER", help="Who is labelling (default: $USER).")
@click.option("--export", "export_path", type=click.Path(dir_okay=False),
              help="Write the week's threads and predictions to a CSV to label in a spreadsheet.")
@click.option("--import", "import_path", type=click.Path(exists=True, dir_okay=False),
              help="Read the labels back from such a CSV, then retrain.")
@click.option("--limit", type=click.IntRange(min=1), help="Show at most this many threads.")
@click.option("--no-retrain", is_flag=True, help="Keep the labels; do not retrain at the end.")
@pass_app
def triage(app: App, week: str | None, analyst: str | None, export_path: str | None,
           import_path: str | None, limit: int | None, no_retrain: bool) -> None:
    """Label the week's threads, those the models are least sure of first.

    Keys: a accept · c change the category · u change the user type · s skip ·
    o open in the browser · q quit. Every answer is saved at once; run it again
    to resume. At the end the models retrain and you see how well they agree
    with you, and which queued threads moved.

    \b
    Example: beachhead triage --analyst ines
    Example: beachhead triage --export w47.csv   (then: --import w47.csv)
    """
    import webbrowser

    from assistant.report import parse_week, week_of
    from assistant.triage import Session
    from assistant.triage_csv import export_labels, import_session
    from assistant.triage_terminal import KeyReader, TerminalUI
    from assistant.triage_train import DEFAULT_RETRAIN

    if export_path and import_path:
        raise click.UsageError("use --export or --import, not both")
    now = app.now()
    try:
        chosen = parse_week(week) if week else week_of(now)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    retrain = None if no_retrain else DEFAULT_RETRAIN
    if export_path:
        rows = export_labels(app.store, app.playbook, chosen, Path(export_path))
        click.echo(f"Wrote {rows} threads of {chosen} to {export_path}. Fill in label_category "
                   f"and label_user_type, then run: beachhead triage --import {export_path}")
        return
    ui = TerminalUI(app.console, read_key=None)
    if import_path:
        result = import_session(app.store, app.playbook, Path(import_path), analyst=analyst or "",
                                now=now, retrain=retrain)
        click.echo(f"Imported {len(result.written)} labels from {import_path}.")
        ui.show_outcome(result)
        return
    with KeyReader() as keys:
        ui.read_key = keys.read
        Session(app.store, app.playbook, chosen, analyst or "", ui, open_url=webbrowser.open,
                retrain=retrain, now=now, limit=limit).run()


@cli.command(name="report")
@click.option("--week", help="ISO week, e.g. 2026-W47 (default: this week by the database's "
              "clock).")
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS),
              help="md, html or json (default: from the output file's suffix, else md).")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write to this file (default: print).")
@pass_app
def report_command(app: App, week: str | None, fmt: str | None, output: str | None) -> None:
    """The weekly report: new threads, pervasive problems, queue health,
    credibility, experts, user types, leads and reach, model agreement.

    Example: beachhead report --week 2026-W47 --format html -o week47.html
    """
    from assistant.report import choose_format, make_report

    written = make_report(app.store, app.playbook, week=week, fmt=choose_format(fmt, output),
                          output=output, now=app.now())
    if output:
        click.echo(f"Wrote the {written.week} report ({written.format}) to {output}")
    else:
        click.echo(written.text, nl=False)


# ------------------------------------------------- credibility, experts, value


@cli.command(name="problems")
@click.option("--top", default=5, show_default=True, type=click.IntRange(min=1),
              help="How many groups to show.")
@pass_app
def problems_command(app: App, top: int) -> None:
    """The pervasive problem groups: one problem, many members in several
    countries, and the startup can solve it. Most affected members first,
    with growth and the newest threads; counted as the weekly report does.

    Example: beachhead problems --top 3
    """
    from assistant.problems import pervasive
    from assistant.report.text import count, signed

    found = pervasive(app.store, app.playbook, now=app.now(), top=top)
    if not found.groups:
        click.echo(f"No pervasive, solvable problem in the last {found.lookback_days} days.")
        return
    out = app.console
    out.print(Text(f"Pervasive problems, {found.week} (last {found.lookback_days} days): "
                   f"{count(found.candidates, 'group')}", style="bold"), soft_wrap=True)
    for rank, group in enumerate(found.groups, 1):
        out.print(Text(f"{rank}. {group.label}", style="bold"), soft_wrap=True)
        out.print(Text(
            f"   {count(group.affected_members, 'member')} in "
            f"{count(len(group.countries), 'country', 'countries')} "
            f"({', '.join(group.countries) or 'no known country'}) · "
            f"{count(len(group.communities), 'community', 'communities')} "
            f"({', '.join(group.communities)}) · {count(group.threads, 'thread')}\n"
            f"   growth {signed(group.growth)}: {group.new_members_week} new this week, "
            f"{group.new_members_previous} the week before"
            + (f" · capability {group.capability}" if group.capability else "")
        ), soft_wrap=True)
        for example in group.examples:
            out.print(Text(f"   - {example.title} ({example.community_id}) {example.url or ''}"
                           .rstrip()), soft_wrap=True)


@cli.command(name="credibility")
@click.option("--founder", help="Only this founder (name, handle or Discord name).")
@click.option("--community", help="Only this community.")
@click.option("--weeks", default=credibility_service.TREND_WEEKS, show_default=True,
              type=click.IntRange(min=2, max=104), help="Weeks of trend to show.")
@pass_app
def credibility_command(app: App, founder: str | None, community: str | None, weeks: int) -> None:
    """Founders' credibility per community: the 0–100 score, its components,
    the weekly trend and where the founder's voice ranks among the experts.

    Takes this week's snapshot first (and any missing past weeks, read from
    stored history). The score's formula is in assistant/credibility.py.

    Example: beachhead credibility --founder lucia --community kestrel-forum
    """
    from assistant.render_playbook import credibility_view

    now = app.now()
    credibility_service.take_snapshots(app.store, app.playbook, now=now, founder=founder,
                                       community=community)
    standings = credibility_service.standings(app.store, app.playbook, founder=founder,
                                              community=community, now=now, weeks=weeks)
    if not standings:
        click.echo("No founder has a handle in these communities.")
        return
    app.console.print(credibility_view(standings, weeks=weeks))


@cli.command(name="experts")
@click.argument("community")
@click.option("--limit", default=experts_service.TOP_EXPERTS, show_default=True,
              type=click.IntRange(min=1), help="How many members to show.")
@pass_app
def experts_command(app: App, community: str, limit: int) -> None:
    """The members with the most voice in COMMUNITY: what they answer, who
    they are to us (vendor staff, competitor, potential partner) and how much
    the founders have talked with them. Stores each member's voice.

    Example: beachhead experts kestrel-forum --limit 5
    """
    from assistant.render_playbook import experts_table

    found = experts_service.experts(app.store, app.playbook, community, limit=limit)
    if not found:
        click.echo(f"No one has answered anything in {community} yet.")
        return
    app.console.print(experts_table(found, community))


@cli.command(name="check")
@click.argument("draft", type=click.File("r", encoding="utf-8"))
@click.option("--thread", "thread_ref", required=True,
              help="The thread you answer: its number, COMMUNITY:NATIVE_ID or URL.")
@click.option("--as", "founder", help="Who posts it (default: the one founder with a handle there).")
@pass_app
def check_command(app: App, draft, thread_ref: str, founder: str | None) -> None:
    """Check a draft answer (a file, or - for stdin) against the thread's
    community rules: self-promotion share, disclosure, links, bare links,
    answer-not-solution, and confidential names, dates and terms.
    Exits 1 when a finding blocks posting.

    \b
    Example: beachhead check answer.md --thread kestrel-forum:7042 --as lucia
    Example: pbpaste | beachhead check - --thread 118
    """
    from assistant.render_playbook import check_view

    result = etiquette_service.check_draft(app.store, app.playbook, thread_ref, draft.read(),
                                           founder=founder, now=app.now())
    app.console.print(check_view(result))
    if result.blocked:
        sys.exit(1)


@cli.group()
def lead() -> None:
    """Leads and customers, attributed to the community and problem that brought them.

    Example: beachhead lead add --thread kestrel-forum:7047 --member sarah_mitchell --stage lead
    """


@lead.command("add")
@click.option("--thread", "thread_ref", required=True,
              help="Where the relation began: thread number, COMMUNITY:NATIVE_ID or URL.")
@click.option("--member", required=True, help="The member's handle in that community.")
@click.option("--stage", required=True, type=click.Choice(value_service.STAGES))
@click.option("--value", "amount", default=0.0, show_default=True, type=float,
              help="Expected or won value (your currency).")
@click.option("--country", help="ISO country code (default: the member's judged country).")
@click.option("--note", help="Free text.")
@pass_app
def lead_add(app: App, thread_ref: str, member: str, stage: str, amount: float,
             country: str | None, note: str | None) -> None:
    """Record a lead.

    Example: beachhead lead add --thread kestrel-forum:7047 --member sarah_mitchell --stage lead --value 4800 --country US
    """
    added = value_service.add_lead(app.store, app.playbook, thread=thread_ref, member=member,
                                   stage=stage, value=amount, country=country, note=note,
                                   now=app.now())
    where = f"{added.community_id}" + (f", problem group {added.problem_group}"
                                       if added.problem_group else "")
    click.echo(f"Lead #{added.id}: {added.member} ({added.country or 'country unknown'}) "
               f"{added.stage}, {added.value:,.0f} — from {where}")


@lead.command("list")
@click.option("--stage", type=click.Choice(value_service.STAGES), help="Only this stage.")
@click.option("--community", help="Only this community.")
@pass_app
def lead_list(app: App, stage: str | None, community: str | None) -> None:
    """List leads with where they came from.

    Example: beachhead lead list --stage customer
    """
    from assistant.render_playbook import leads_table

    found = value_service.list_leads(app.store, app.playbook, stage=stage, community=community)
    if not found:
        click.echo("No leads yet.")
        return
    app.console.print(leads_table(found))


@lead.command("stage")
@click.argument("lead_id")
@click.argument("stage", type=click.Choice(value_service.STAGES))
@click.option("--value", "amount", type=float, help="The new value, if it changed.")
@pass_app
def lead_stage(app: App, lead_id: str, stage: str, amount: float | None) -> None:
    """Move a lead to another stage.

    Example: beachhead lead stage 3 customer --value 5200
    """
    moved = value_service.set_stage(app.store, app.playbook, lead_id, stage, value=amount,
                                    now=app.now())
    click.echo(f"Lead #{moved.id}: {moved.member} is now {moved.stage} ({moved.value:,.0f})")


@cli.command(name="review-thread")
@click.option("--community", help="Only this community.")
@click.option("--all", "show_all", is_flag=True, help="Show every post, not only the new ones.")
@pass_app
def review_thread_command(app: App, community: str | None, show_all: bool) -> None:
    """New posts in each community's public review thread (the playbook's
    review_thread), each with a sentiment and the words behind it. What is
    shown is remembered as seen.

    Example: beachhead review-thread --community kestrel-forum --all
    """
    from assistant.render_playbook import review_view

    found = value_service.review_threads(app.store, app.playbook, community=community,
                                         only_new=not show_all, mark_seen=True)
    if not found:
        click.echo("No community in the playbook has a review_thread.")
        return
    app.console.print(review_view(found))


@cli.command(name="reach")
@click.option("--since", help="Only engagement and leads since this date (2026-09-01 or 90d).")
@pass_app
def reach_command(app: App, since: str | None) -> None:
    """International reach: the share of engaged members, leads and revenue
    from outside the startup's home country (Dewak reached 95%).

    Example: beachhead reach --since 90d
    """
    from assistant.render_playbook import reach_lines

    now = app.now()
    since_at = None
    if since:
        since_at = parse_when(since, now)
        if since_at > now:
            since_at = now - (since_at - now)
    found = value_service.international_reach(app.store, app.playbook, since=since_at)
    for line in reach_lines(found):
        app.console.print(line, highlight=False, soft_wrap=True)


@cli.command(name="similar")
@click.argument("thread_ref", metavar="THREAD")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(min=1))
@pass_app
def similar_command(app: App, thread_ref: str, limit: int) -> None:
    """Threads like THREAD that were already solved, with the solution's text,
    so you answer in minutes and the same way.

    Example: beachhead similar kestrel-forum:7130
    """
    from assistant.render_playbook import similar_view
    from assistant.threadref import resolve_thread

    row = resolve_thread(app.store, thread_ref)
    found = similar_service.similar_solved(app.store, row["id"], playbook=app.playbook, limit=limit)
    if not found:
        click.echo(f"Nothing solved before looks like {thread_ref!r}.")
        return
    app.console.print(similar_view(found, row["title"]))


@cli.command(name="faq")
@click.option("--min-solved", default=3, show_default=True, type=click.IntRange(min=1),
              help="How many founder solutions make a group a candidate.")
@pass_app
def faq_command(app: App, min_solved: int) -> None:
    """Problem groups the founders have solved again and again: write one FAQ
    answer or one small free tool instead.

    Example: beachhead faq --min-solved 3
    """
    from assistant.render_playbook import faq_table

    found = similar_service.faq_candidates(app.store, app.playbook, min_solved=min_solved)
    if not found:
        click.echo(f"No problem group solved {min_solved} times or more by the founders yet.")
        return
    app.console.print(faq_table(found))


@cli.command(name="scout")
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option("--sample", default=scout_service.DEFAULT_SAMPLE, show_default=True,
              type=click.IntRange(min=1), help="Recent threads to read per candidate.")
@click.option("--save", "save_path", type=click.Path(dir_okay=False),
              help="Keep the candidates' sample in this separate database (never your own).")
@pass_app
def scout_command(app: App, sources: tuple[str, ...], sample: int, save_path: str | None) -> None:
    """Score candidate communities by fit: problems, problems we can solve,
    unanswered, international, experts, volume. Each SOURCE is PLATFORM:LOCATOR.
    Nothing is written to your database.

    \b
    Example: beachhead scout reddit:r/sysadmin stackexchange:superuser
    Example: beachhead scout discourse:https://forum.example.com jsonl:sample.jsonl
    """
    from assistant.render_playbook import scout_table

    if save_path and Path(save_path).resolve() == app.db_path.resolve():
        raise click.ClickException(f"--save {save_path!r} is your own database; choose another file")
    bar, report = progress_reporter(app.err)
    with bar:
        report("scout", 0, len(sources))
        fits = scout_service.scout(app.playbook, list(sources), sample=sample,
                                   store_path=Path(save_path) if save_path else None)
        report("scout", len(sources), len(sources))
    app.console.print(scout_table(fits))


# ------------------------------------------------------------------ models


@cli.command()
@pass_app
def train(app: App) -> None:
    """Retrain the models on every stored label, then re-judge all threads.

    Example: beachhead train
    """
    from assistant import models as model_store

    trained = model_store.retrain(app.store, app.playbook)
    bar, report = progress_reporter(app.err)
    with bar:
        judged = pipeline.judge_threads(app.store, app.playbook, now=app.now(), models=trained,
                                        progress=report)
    counts = ", ".join(
        f"{name} {sum(values.values())}" for name, values in trained.label_counts.items()
    )
    click.echo(f"Retrained the models ({trained.version}: {counts}); "
               f"re-judged {judged.classified} threads.")
    folder = model_store.models_dir(app.store)
    if folder is not None:
        click.echo(f"Models saved in {folder}")


@cli.command()
@click.argument("thread_ref")
@click.argument("value")
@click.option("--note", help="Free text kept with the label.")
@click.option("--as", "author", help="Who labels (default $USER).")
@pass_app
def label(app: App, thread_ref: str, value: str, note: str | None, author: str | None) -> None:
    """Label a thread's category or kind, or its asker's user type.

    VALUE is a category (pervasive_solvable, unrewarded, unsolvable,
    not_a_problem), a kind (bug, howto, feature_request, other) or a user type
    (customer, channel_partner, complementor, competitor, expert, vendor_staff,
    unknown). The label wins over the models at once and trains them at the
    next `beachhead train`.

    Example: beachhead label kestrel-forum:7012 unsolvable --note "vendor-side bug"
    """
    from assistant import labels as label_service

    added = label_service.add_label(app.store, thread_ref, value, note=note, now=app.now(),
                                    author=author or os.environ.get("USER"))
    ids = [added.thread_id] if added.thread_id else None
    pipeline.judge_threads(app.store, app.playbook, ids, now=app.now())
    click.echo(f"Labelled {added.target} {added.kind} = {added.value} (label #{added.id})")


@cli.group(name="labels")
def labels_group() -> None:
    """Every label, to and from a CSV spreadsheet."""


@labels_group.command("export")
@click.argument("path", type=click.Path(dir_okay=False))
@pass_app
def labels_export(app: App, path: str) -> None:
    """Write every label to a CSV file.

    Example: beachhead labels export labels.csv
    """
    from assistant import labels as label_service

    count = label_service.export_csv(app.store, Path(path))
    click.echo(f"Wrote {count} labels to {path}")


@labels_group.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--as", "author", help="Author for rows without one (default $USER).")
@pass_app
def labels_import(app: App, path: str, author: str | None) -> None:
    """Add the labels of a CSV file (columns thread, member, kind, value;
    optional source, author, note, created_at). Nothing is stored unless every
    row is valid; re-importing the same file adds nothing.

    Example: beachhead labels import labels.csv
    """
    from assistant import labels as label_service

    result = label_service.import_csv(app.store, Path(path), now=app.now(),
                                      author=author or os.environ.get("USER"))
    click.echo(f"Imported {result.added} labels ({result.unchanged} already there).")


@cli.command(name="explain")
@click.argument("thread_ref")
@click.option("--json", "as_json", is_flag=True, help="Print the explanation as JSON.")
@pass_app
def explain_command(app: App, thread_ref: str, as_json: bool) -> None:
    """Every reason behind a thread's category and priority.

    Example: beachhead explain kestrel-forum:7012
    """
    import json as json_module

    from assistant.explain import explain

    found = explain(app.store, thread_ref)
    if as_json:
        click.echo(json_module.dumps(found.as_dict(), indent=2, ensure_ascii=False, default=str))
        return
    out = app.console
    out.print(Text(found.title, style="bold"), soft_wrap=True)
    out.print(f"{found.community_id}:{found.native_id}  {found.url or ''}", highlight=False,
              markup=False, soft_wrap=True)
    chances = ", ".join(f"{k} {v:.0%}" for k, v in sorted(
        found.category_probabilities.items(), key=lambda kv: -kv[1]))
    out.print(f"Category   {found.category} ({chances})", highlight=False, markup=False)
    out.print(f"Kind       {found.kind}; problem {found.problem_probability:.0%}; capability "
              f"{found.capability or 'none'} {found.capability_score:.2f}; language "
              f"{found.language or '?'}", highlight=False, markup=False)
    for reason in found.reasons:
        out.print(f"  - {reason}", highlight=False, markup=False, soft_wrap=True)
    if found.asker:
        asker = found.asker
        out.print(f"Asker      {asker['handle']}: {asker['user_type']} (value "
                  f"{asker['user_value'] or 0:.2f}), country {asker['country'] or '?'}",
                  highlight=False, markup=False)
        for topic, reasons in asker["reasons"].items():
            for reason in reasons if isinstance(reasons, list) else [reasons]:
                out.print(f"  - {topic}: {reason}", highlight=False, markup=False, soft_wrap=True)
    if found.group:
        group = found.group
        out.print(f"Group      #{group['id']} {group['label']}: {group['affected_members']} members "
                  f"in {len(group['countries'])} countries ({', '.join(group['countries'])}), "
                  f"{group['thread_count']} threads", highlight=False, markup=False, soft_wrap=True)
        for reason in group["reasons"]:
            out.print(f"  - {reason}", highlight=False, markup=False, soft_wrap=True)
    if found.priority is not None:
        out.print(f"Priority   {found.priority:.2f}: {found.why}", highlight=False, markup=False,
                  soft_wrap=True)
    if found.queue:
        item = found.queue
        out.print(f"Queue      #{item['id']} {item['state']}, answer by {item['answer_by']}",
                  highlight=False, markup=False)
    for given in found.labels:
        out.print(f"Label      {given['kind']} = {given['value']} by {given['author'] or '?'} "
                  f"({given['source']}, {given['created_at']})", highlight=False, markup=False,
                  soft_wrap=True)
    out.print(f"Model      {found.model_version}", highlight=False, markup=False)


@cli.group(name="links")
def links_group() -> None:
    """Accounts of one person in several communities."""


@links_group.command("list")
@click.option("--undone", is_flag=True, help="Show undone links too.")
@pass_app
def links_list(app: App, undone: bool) -> None:
    """Show the member links and why each was made.

    Example: beachhead links list
    """
    from assistant import links

    found = links.list_links(app.store, states=("linked", "undone") if undone else ("linked",))
    if not found:
        click.echo("No member links.")
        return
    for link in found:
        click.echo(f"#{link.id} {link.a} = {link.b} ({link.confidence:.2f}, {link.state}): {link.reason}")


@links_group.command("undo")
@click.argument("link_id", type=int)
@pass_app
def links_undo(app: App, link_id: int) -> None:
    """Undo a wrong link; it is never proposed again.

    Example: beachhead links undo 4
    """
    from assistant import links

    link = links.set_state(app.store, link_id, "undone", app.now())
    pipeline.recount(app.store, app.playbook, now=app.now())
    click.echo(f"#{link.id} {link.a} and {link.b} are two people again")


@links_group.command("restore")
@click.argument("link_id", type=int)
@pass_app
def links_restore(app: App, link_id: int) -> None:
    """Restore a link that was undone.

    Example: beachhead links restore 4
    """
    from assistant import links

    link = links.set_state(app.store, link_id, "linked", app.now())
    pipeline.recount(app.store, app.playbook, now=app.now())
    click.echo(f"#{link.id} {link.a} and {link.b} are one person again")


def main() -> None:
    cli(prog_name="beachhead")


