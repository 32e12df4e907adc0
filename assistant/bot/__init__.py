"""The founders' Discord bot: the queue's feed, its buttons and slash commands."""

from assistant.bot.backend import DISMISS_REASONS, PostedCard, QueueActionError, QueueBackend
from assistant.bot.client import EXTENSIONS, BeachheadBot, create_bot
from assistant.bot.settings import BotConfigError, BotSettings, check_token

__all__ = [
    "DISMISS_REASONS",
    "EXTENSIONS",
    "BeachheadBot",
    "BotConfigError",
    "BotSettings",
    "PostedCard",
    "QueueActionError",
    "QueueBackend",
    "check_token",
    "create_bot",
]
