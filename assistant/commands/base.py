"""What every command shares: the opened store and playbook, time parsing
and progress bars. Commands receive the ``App`` through ``pass_app``."""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from assistant import clock
from assistant.domain import parse_timestamp
from assistant.store import Store, default_db_path
from playbooks import (
    default_playbook_path,
    load_playbook,
)


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



pass_app = click.make_pass_decorator(App)
