"""``/report [week]``: the week's headline numbers, with the full HTML report
attached.

Read-only and open to everyone in the channel; the summary is posted in the
channel for the team. Computing a week takes a few seconds, so the command
defers first and works on a reader thread (clicks on the feed are served
meanwhile).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from assistant.bot.exts.report._render import report_embed, report_filename
from assistant.bot.insights import INSIGHTS_SERVICE, InsightError, Insights
from assistant.bot.render import NO_MENTIONS
from assistant.report import parse_week
from assistant.report.weeks import WeekError

if TYPE_CHECKING:
    from assistant.bot.client import BeachheadBot


class ReportCommands(commands.Cog):
    def __init__(self, bot: BeachheadBot):
        self.bot = bot
        self.insights: Insights = bot.services[INSIGHTS_SERVICE]

    @app_commands.command(
        name="report",
        description="This week's summary, the full HTML report attached. Read-only, open to all.",
    )
    @app_commands.describe(week="An ISO week such as 2026-W47 (default: this week)")
    async def report(self, interaction: discord.Interaction,
                     week: app_commands.Range[str, 1, 16] | None = None) -> None:
        try:
            chosen = str(parse_week(week)) if week else None
        except WeekError as error:
            # Refused before deferring, so only the one who asked sees it.
            raise InsightError(str(error)) from None
        await interaction.response.defer(thinking=True)
        made = await self.bot.run_reader(self.insights.weekly_report, chosen)
        content = made.html.encode("utf-8")
        if len(content) > interaction.filesize_limit:
            await interaction.followup.send(embed=report_embed(made.data, attached=None),
                                            allowed_mentions=NO_MENTIONS)
            return
        name = report_filename(made.week)
        await interaction.followup.send(
            embed=report_embed(made.data, attached=name),
            file=discord.File(io.BytesIO(content), filename=name),
            allowed_mentions=NO_MENTIONS,
        )
