"""The analysts' weekly triage and the weekly report."""

from __future__ import annotations

from pathlib import Path

import click

from assistant.commands.base import (
    App,
    pass_app,
)
from assistant.report import FORMATS as REPORT_FORMATS

# ------------------------------------------------------------ triage and report


@click.command()
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


@click.command(name="report")
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
