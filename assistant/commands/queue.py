"""Working the queue from the terminal."""

from __future__ import annotations

import click

from assistant import queue as queue_service
from assistant.commands.base import (
    App,
    parse_when,
    pass_app,
)
from assistant.render import queue_table

# ------------------------------------------------------------------ the queue


@click.command(name="queue")
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


@click.command()
@click.argument("item_id")
@click.option("--as", "founder", required=True, help="The founder taking it (name or handle).")
@pass_app
def claim(app: App, item_id: str, founder: str) -> None:
    """Claim a queue item so no other founder answers it.

    Example: beachhead claim 12 --as lucia
    """
    item = queue_service.claim(app.store, app.playbook, item_id, founder, now=app.now())
    click.echo(f"#{item.id} claimed by {item.claimed_by}; answer by {item.answer_by:%Y-%m-%d %H:%M} UTC")


@click.command()
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


@click.command()
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


@click.command()
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


@click.command()
@click.argument("item_id")
@pass_app
def release(app: App, item_id: str) -> None:
    """Give a claimed item back to the queue.

    Example: beachhead release 12
    """
    item = queue_service.release(app.store, item_id, now=app.now())
    click.echo(f"#{item.id} is back in the queue")
