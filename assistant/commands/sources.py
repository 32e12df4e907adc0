"""Reading communities: fetch, imports and the terminal watcher."""

from __future__ import annotations

import logging
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import click
from rich.console import Console
from rich.text import Text

from assistant import clock, pipeline, upkeep
from assistant import queue as queue_service
from assistant.commands.base import (
    App,
    parse_when,
    pass_app,
    progress_reporter,
)
from assistant.render import fetch_table, print_problems
from assistant.sources import FetchRequest
from assistant.store import load_cursors, sync_communities

# ------------------------------------------------------------------ sources


@click.command()
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


@click.group(name="import")
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
    judged = pipeline.judge_threads(app.store, app.playbook, report.thread_ids, now=now,
                                    watcher=True)
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
                                        progress=report, watcher=True)
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


@click.command()
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
            upkeep.after_pass(app.store, app.playbook, every=timedelta(minutes=minutes))
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
