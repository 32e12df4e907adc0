"""What the bot needs to know before it connects, and the one error type for
a configuration that cannot work.

The token comes from the environment and everything else from the playbook;
both are read by the caller (the CLI) and passed in, so importing the bot
never touches either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any


class BotConfigError(Exception):
    """The bot cannot start with this configuration; the message says which
    setting is wrong and where it comes from."""


@dataclass(frozen=True, slots=True)
class BotSettings:
    channel_id: int
    """The founders' text channel the feed posts to."""
    founder_role: str
    """Name (or numeric id) of the role whose members may act on the queue."""
    post_threshold: float
    """Only queue items with at least this priority are posted."""
    watch_interval: timedelta
    """How often the watcher fetches, judges and queues."""
    snooze_for: timedelta = timedelta(hours=24)
    """How long the Snooze button hides an item."""
    retry_every: float = 30.0
    """Seconds between attempts to post what Discord refused (outage, rate limit)."""
    max_ratelimit_wait: float = 30.0
    """A rate limit longer than this is not waited out inside one post; the item
    stays unposted and the next attempt picks it up."""
    guild_ready_timeout: float = 2.0
    queue_page: int = 15
    """How many items ``/queue`` lists."""

    @classmethod
    def from_playbook(cls, playbook: Any, **overrides: Any) -> BotSettings:
        """Read the ``[discord]`` and ``[watch]`` sections; a channel id of 0
        (the starter playbook's value) or an empty role name is refused."""
        discord_section = playbook.discord
        values: dict[str, Any] = {
            "channel_id": discord_section.channel_id,
            "founder_role": discord_section.founder_role,
            "post_threshold": float(discord_section.post_threshold),
            "watch_interval": timedelta(minutes=float(playbook.watch_interval_minutes)),
        }
        values.update(overrides)
        where = f"{playbook.path}: " if getattr(playbook, "path", None) else ""
        if not values["channel_id"] or int(values["channel_id"]) <= 0:
            raise BotConfigError(
                f"{where}[discord] channel_id is not set "
                "(put the id of the founders' channel there: in Discord, "
                "right-click the channel, Copy Channel ID)"
            )
        if not str(values["founder_role"] or "").strip():
            raise BotConfigError(f"{where}[discord] founder_role is empty")
        values["channel_id"] = int(values["channel_id"])
        values["founder_role"] = str(values["founder_role"]).strip()
        return cls(**values)


def check_token(token: str | None) -> str:
    """The Discord token from the environment, or a clear refusal."""
    if token is None or not token.strip():
        raise BotConfigError(
            "DISCORD_TOKEN is not set (the bot token from the Discord developer portal)"
        )
    return token.strip()
