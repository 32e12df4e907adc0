"""The /check reply: the verdict first, then each finding with what to do."""

from __future__ import annotations

import discord

from assistant.bot.render import Field, build_embed
from assistant.etiquette import CheckResult

MARKS = {"block": "⛔", "warn": "⚠️", "info": "ℹ️"}
COLOURS = {"block": 0xE74C3C, "warn": 0xF1C40F, "ok": 0x2ECC71}


def verdict(result: CheckResult) -> str:
    if result.blocked:
        return "Do not post this draft as it is"
    warned = sum(1 for f in result.findings if f.severity == "warn")
    return f"OK to post in {result.community_id}" + (
        f" ({warned} warning{'s' if warned != 1 else ''} worth a look)" if warned else "")


def check_embed(result: CheckResult, title: str) -> discord.Embed:
    """``title``: the thread the draft answers."""
    warned = any(f.severity == "warn" for f in result.findings)
    fields = [
        Field(f"{MARKS.get(f.severity, '')} {f.severity.upper()} · {f.code}",
              f"{f.message}\n→ {f.suggestion}", inline=False)
        for f in result.findings
    ]
    return build_embed(
        title=verdict(result),
        description=f"Your draft for “{title}” in {result.community_id}",
        fields=fields,
        footer=f"Checked as {result.founder or 'no founder'} · thread {result.thread_id}",
        colour=COLOURS["block" if result.blocked else "warn" if warned else "ok"],
    )
