"""What the founders look at: problems, credibility, experts, etiquette, solution memory, scouting."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.text import Text

from assistant import credibility as credibility_service
from assistant import etiquette as etiquette_service
from assistant import experts as experts_service
from assistant import scout as scout_service
from assistant import similar as similar_service
from assistant.commands.base import (
    App,
    pass_app,
    progress_reporter,
)

# ------------------------------------------------- credibility, experts, value


@click.command(name="problems")
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


@click.command(name="credibility")
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


@click.command(name="experts")
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


@click.command(name="check")
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




@click.command(name="similar")
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


@click.command(name="faq")
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


@click.command(name="scout")
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
