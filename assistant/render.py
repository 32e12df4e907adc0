"""Terminal rendering with rich: tables and summaries, no decisions."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from assistant.pipeline import FetchReport
from assistant.queue import QueueItem

CATEGORY_STYLE = {
    "pervasive_solvable": "bold green",
    "unrewarded": "yellow",
    "unsolvable": "red",
    "not_a_problem": "dim",
}


WIDE = 140


def queue_table(items: Sequence[QueueItem], *, title: str = "Queue", width: int = 80) -> Table:
    """One row per item on a wide terminal; three lines per item (what, who
    and when, why) on a narrow one, so nothing is cut at 80 columns."""
    table = Table(title=title, expand=True, show_lines=width < WIDE)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("priority", justify="right", no_wrap=True)
    if width >= WIDE:
        table.add_column("community", no_wrap=True)
        table.add_column("title", ratio=3, overflow="fold")
        table.add_column("category", no_wrap=True)
        table.add_column("asker", no_wrap=True)
        table.add_column("state", no_wrap=True)
        table.add_column("answer by", no_wrap=True)
        table.add_column("why", ratio=3, overflow="fold")
    else:
        table.add_column("community · title · category · asker · state · why", overflow="fold")
    for item in items:
        state = item.state if item.state != "claimed" else f"claimed by {item.claimed_by}"
        category = Text(item.category or "", style=CATEGORY_STYLE.get(item.category or "", ""))
        if width >= WIDE:
            table.add_row(
                str(item.id), f"{item.priority:.2f}", item.community_id, Text(item.title), category,
                item.asker_type or "", state, f"{item.answer_by:%m-%d %H:%M}", Text(item.why),
            )
            continue
        cell = Text(item.title, style="bold")
        cell.append(f"\n{item.community_id} · ")
        cell.append_text(category)
        cell.append(f" · {item.asker_type or ''} · {state}, answer by {item.answer_by:%m-%d %H:%M}")
        cell.append(f"\nwhy: {item.why}", style="dim")
        table.add_row(str(item.id), f"{item.priority:.2f}", cell)
    return table


def fetch_table(reports: Sequence[FetchReport]) -> Table:
    table = Table(title="Fetched")
    for column in ("community", "threads", "updated", "posts", "members", "requests", "errors"):
        table.add_column(column, justify="left" if column == "community" else "right")
    for report in reports:
        errors = len(report.problems) + (1 if report.error else 0)
        table.add_row(
            report.community_id,
            str(report.new_threads),
            str(report.updated_threads),
            str(report.new_posts),
            str(report.new_members),
            str(report.requests),
            Text(str(errors), style="red" if errors else ""),
        )
    return table


def print_problems(console: Console, reports: Sequence[FetchReport]) -> None:
    for report in reports:
        for problem in report.problems:
            console.print(Text(f"warning: {report.community_id}: {problem}", style="yellow"), soft_wrap=True)
        if report.error:
            console.print(Text(f"error: {report.error}", style="red"), soft_wrap=True)
