"""The `beachhead` command line: parse, call one service function, render.

The commands live in ``assistant.commands``, one module per noun; this module
assembles them under the root group. Library code raises its own exceptions;
the root group turns the known ones into one-line errors with a non-zero
exit, so every command fails the same way.
"""

from __future__ import annotations

import click

from assistant import credibility as credibility_service
from assistant import etiquette as etiquette_service
from assistant import queue as queue_service
from assistant import scout as scout_service
from assistant import value as value_service
from assistant import workers as judging_workers
from assistant.commands import bot as _bot
from assistant.commands import evaluate as _evaluate
from assistant.commands import insights as _insights
from assistant.commands import judgement as _judgement
from assistant.commands import queue as _queue
from assistant.commands import setup as _setup
from assistant.commands import sources as _sources
from assistant.commands import value as _value
from assistant.commands import weekly as _weekly
from assistant.commands.base import App
from assistant.explain import NotJudgedYet
from assistant.labels import LabelError
from assistant.links import LinkError
from assistant.models import ModelError
from assistant.report import ReportError
from assistant.sources import SourceError
from assistant.store import StoreError
from assistant.threadref import ThreadNotFound
from assistant.triage import TriageError
from classifiers.persistence import ModelFileError
from playbooks import (
    PlaybookError,
    UnknownCommunity,
    UnknownFounder,
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




@click.group(cls=BeachheadGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", envvar="BEACHHEAD_DB", type=click.Path(dir_okay=False),
              help="SQLite database (default ./beachhead.db, or $BEACHHEAD_DB).")
@click.option("--playbook", "playbook_path", type=click.Path(dir_okay=False),
              help="Playbook TOML (default $BEACHHEAD_PLAYBOOK, ./beachhead.toml, then the "
              "packaged dewak.toml).")
@click.option("--workers", type=click.IntRange(min=1), envvar=judging_workers.WORKERS_ENV,
              help="Processes that judge threads and members (default: one per core, or "
              "$BEACHHEAD_WORKERS; 1 judges in this process).")
@click.version_option(package_name="beachhead")
@click.pass_context
def cli(ctx: click.Context, db: str | None, playbook_path: str | None, workers: int | None) -> None:
    """Beachhead: be the most useful expert where your vendor's users solve problems.

    \b
    Start with:  beachhead demo
    Then:        beachhead init && beachhead fetch && beachhead queue
    """
    judging_workers.choose(workers)
    app = App(db, playbook_path)
    ctx.obj = app
    ctx.call_on_close(app.close)



cli.add_command(_setup.init)
cli.add_command(_setup.playbook)
cli.add_command(_setup.demo)
cli.add_command(_sources.fetch)
cli.add_command(_sources.import_group)
cli.add_command(_sources.watch)
cli.add_command(_judgement.classify)
cli.add_command(_judgement.train)
cli.add_command(_judgement.label)
cli.add_command(_judgement.labels_group)
cli.add_command(_judgement.explain_command)
cli.add_command(_judgement.links_group)
cli.add_command(_evaluate.eval_group)
cli.add_command(_queue.queue_command)
cli.add_command(_queue.claim)
cli.add_command(_queue.answered)
cli.add_command(_queue.dismiss)
cli.add_command(_queue.snooze)
cli.add_command(_queue.release)
cli.add_command(_bot.bot)
cli.add_command(_weekly.triage)
cli.add_command(_weekly.report_command)
cli.add_command(_insights.problems_command)
cli.add_command(_insights.credibility_command)
cli.add_command(_insights.experts_command)
cli.add_command(_insights.check_command)
cli.add_command(_insights.similar_command)
cli.add_command(_insights.faq_command)
cli.add_command(_insights.scout_command)
cli.add_command(_value.lead)
cli.add_command(_value.review_thread_command)
cli.add_command(_value.reach_command)


def main() -> None:
    cli(prog_name="beachhead")
