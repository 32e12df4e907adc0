"""Who may act on the queue, and under which name.

Only members holding the founder role may claim, answer, dismiss or label;
the role is named in the playbook and resolved to an id once, at start. The
name an action is recorded under is the founder's name from the playbook when
their Discord username is listed there, so credibility and claims line up
with the founders' forum handles.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

REFUSAL = "Only members with the founder role can act on the queue; nothing was changed."


class NotFounder(app_commands.CheckFailure):
    """Raised by the slash-command check; answered with the ephemeral refusal."""

    def __init__(self) -> None:
        super().__init__(REFUSAL)


class FounderGate:
    def __init__(self, role_id: int, playbook: Any = None):
        self.role_id = role_id
        self.playbook = playbook

    def allows(self, user: discord.abc.User | None) -> bool:
        if not isinstance(user, discord.Member):
            return False
        return any(role.id == self.role_id for role in user.roles)

    def founder_name(self, user: discord.abc.User) -> str:
        """The playbook founder behind a Discord account, else the account's
        username (what the playbook's ``discord`` key would hold)."""
        if self.playbook is not None:
            for founder in getattr(self.playbook, "founders", ()):
                if founder.discord and founder.discord.casefold() == user.name.casefold():
                    return founder.name
        return user.name


def resolve_role(roles: list[discord.Role], wanted: str) -> discord.Role | None:
    """The role a playbook names: by id when it is a number, else by name
    (case-insensitive, a leading @ ignored)."""
    wanted = wanted.strip()
    if wanted.isdigit():
        return discord.utils.get(roles, id=int(wanted))
    name = wanted.removeprefix("@").casefold()
    return next((role for role in roles if role.name.casefold() == name), None)


def founders_only() -> Any:
    """Slash-command check: founder role required, refusal handled centrally."""

    async def predicate(interaction: discord.Interaction) -> bool:
        gate: FounderGate = interaction.client.gate  # type: ignore[attr-defined]
        if not gate.allows(interaction.user):
            raise NotFounder()
        return True

    return app_commands.check(predicate)
