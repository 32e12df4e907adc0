"""Setting up: playbooks (init, check) and the offline demo."""

from __future__ import annotations

import shutil
import time
from importlib import resources
from pathlib import Path

import click

from assistant import clock
from assistant import queue as queue_service
from assistant.commands.base import (
    App,
    pass_app,
    progress_reporter,
)
from assistant.render import queue_table
from playbooks import (
    load_playbook,
)

# ------------------------------------------------------------------ playbooks


@click.command()
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


@click.group()
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


@click.command()
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
        seen = summary["seen_before"]
        lines.append(f"{'Item #' + str(seen['item']):<16}{seen['line']}")
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
