"""Value capture: leads, the review thread and international reach."""

from __future__ import annotations

import click

from assistant import value as value_service
from assistant.commands.base import (
    App,
    parse_when,
    pass_app,
)


@click.group()
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


@click.command(name="review-thread")
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


@click.command(name="reach")
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
