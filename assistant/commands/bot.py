"""The founders' Discord bot."""

from __future__ import annotations

import os

import click

from assistant.commands.base import (
    App,
    pass_app,
)


@click.command()
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
