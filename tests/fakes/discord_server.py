"""A loopback Discord: just enough REST (``/api/v10``) and gateway for the real
discord.py client to log in, sync slash commands, post and edit messages and
receive interactions.

Everything the bot sends is recorded so a test can look at what a founder
would have seen; interactions (button clicks, select menus, modal submits,
slash commands) are injected through the gateway the way Discord delivers
them. Three failures can be staged: a dropped gateway connection (the client
must RESUME and get the events it missed), a 429 with ``retry_after`` on
message posts, and an outage during which message posts and edits answer 5xx.

The fake checks what Discord itself checks on a message (embed and component
limits), so a payload it accepts is one the real Discord would accept too.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSMsgType, web

API_PREFIX = "/api/v10"
EPHEMERAL = 1 << 6

# Discord's documented limits, checked on every message the bot sends.
EMBED_LIMITS = {
    "title": 256,
    "description": 4096,
    "field.name": 256,
    "field.value": 1024,
    "footer.text": 2048,
    "author.name": 256,
    "fields": 25,
    "total": 6000,
}
CONTENT_LIMIT = 2000
CUSTOM_ID_LIMIT = 100
BUTTON_LABEL_LIMIT = 80


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # discord.py compares the header to exactly "application/json": no charset.
    return web.Response(
        status=status,
        body=json.dumps(data).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )


@dataclass(slots=True)
class FakeMember:
    """A person in the fake guild."""

    id: int
    name: str
    roles: list[int] = field(default_factory=list)

    def user_payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.name,
            "global_name": self.name.title(),
            "discriminator": "0",
            "avatar": None,
            "bot": False,
        }

    def member_payload(self, permissions: str = "0") -> dict[str, Any]:
        return {
            "user": self.user_payload(),
            "roles": [str(role) for role in self.roles],
            "joined_at": "2024-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "nick": None,
            "avatar": None,
            "permissions": permissions,
        }


@dataclass(slots=True)
class Recorded:
    """One REST request as the bot sent it."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    files: list[tuple[str, bytes]] = field(default_factory=list)


@dataclass(slots=True)
class SentInteraction:
    """An interaction the fake delivered; its responses arrive in ``responses``."""

    id: int
    token: str
    type: int
    payload: dict[str, Any]
    responses: list[dict[str, Any]] = field(default_factory=list)
    original: dict[str, Any] | None = None
    original_edited: bool = False
    followups: list[dict[str, Any]] = field(default_factory=list)


class LimitError(Exception):
    """A payload the real Discord would refuse with 400 Invalid Form Body."""


def check_message_payload(payload: dict[str, Any]) -> None:
    """Raise LimitError where Discord would refuse the message."""
    content = payload.get("content") or ""
    if len(content) > CONTENT_LIMIT:
        raise LimitError(f"content: {len(content)} > {CONTENT_LIMIT}")
    embeds = payload.get("embeds") or []
    if len(embeds) > 10:
        raise LimitError("embeds: more than 10")
    total = 0
    for number, embed in enumerate(embeds):
        where = f"embeds.{number}"
        sizes = {
            "title": len(embed.get("title") or ""),
            "description": len(embed.get("description") or ""),
            "footer.text": len((embed.get("footer") or {}).get("text") or ""),
            "author.name": len((embed.get("author") or {}).get("name") or ""),
        }
        for key, size in sizes.items():
            if size > EMBED_LIMITS[key]:
                raise LimitError(f"{where}.{key}: {size} > {EMBED_LIMITS[key]}")
            total += size
        fields = embed.get("fields") or []
        if len(fields) > EMBED_LIMITS["fields"]:
            raise LimitError(f"{where}.fields: {len(fields)} > {EMBED_LIMITS['fields']}")
        for index, item in enumerate(fields):
            name, value = item.get("name") or "", item.get("value") or ""
            if not name or not value:
                raise LimitError(f"{where}.fields.{index}: name and value are required")
            if len(name) > EMBED_LIMITS["field.name"]:
                raise LimitError(f"{where}.fields.{index}.name: {len(name)} > 256")
            if len(value) > EMBED_LIMITS["field.value"]:
                raise LimitError(f"{where}.fields.{index}.value: {len(value)} > 1024")
            total += len(name) + len(value)
        url = embed.get("url")
        if url is not None and not str(url).startswith(("http://", "https://")):
            raise LimitError(f"{where}.url: not a http(s) URL: {url!r}")
    if total > EMBED_LIMITS["total"]:
        raise LimitError(f"embeds: total {total} > {EMBED_LIMITS['total']}")
    for component in iter_components(payload.get("components") or []):
        custom_id = component.get("custom_id")
        if custom_id is not None and len(custom_id) > CUSTOM_ID_LIMIT:
            raise LimitError(f"components: custom_id {len(custom_id)} > {CUSTOM_ID_LIMIT}")
        label = component.get("label")
        if component.get("type") == 2 and label and len(label) > BUTTON_LABEL_LIMIT:
            raise LimitError(f"components: button label {len(label)} > {BUTTON_LABEL_LIMIT}")


_ESCAPE = re.compile(r"\\([^0-9A-Za-z\s])")


def displayed(markdown: str) -> str:
    """The text a reader sees for some markdown, as far as escapes go: a
    backslash before punctuation shows the punctuation alone."""
    return _ESCAPE.sub(r"\1", markdown)


def iter_components(components: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every component, action rows flattened."""
    for component in components:
        yield component
        yield from iter_components(component.get("components") or [])
        if "component" in component:
            yield from iter_components([component["component"]])


class FakeDiscord:
    """One guild, one text channel, one founder role, and the bot's application."""

    def __init__(self, *, heartbeat_interval_ms: int = 41_250) -> None:
        self._ids = itertools.count(1_200_000_000_000_000_000)
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.bot_user_id = self.new_id()
        self.application_id = self.bot_user_id
        self.guild_id = self.new_id()
        self.channel_id = self.new_id()
        self.other_channel_id = self.new_id()
        self.founder_role_id = self.new_id()
        self.guild_name = "Beachhead HQ"
        self.channel_name = "queue"
        self.token = "fake-bot-token"
        self.members: dict[int, FakeMember] = {}

        self.requests: list[Recorded] = []
        self.unhandled: list[Recorded] = []
        self.refused: list[tuple[Recorded, str]] = []
        self.messages: dict[int, dict[str, Any]] = {}
        self.posts: list[dict[str, Any]] = []
        self.edits: list[dict[str, Any]] = []
        self.command_syncs: list[dict[str, Any]] = []
        self.commands: dict[int | None, list[dict[str, Any]]] = {}
        self.interactions: dict[int, SentInteraction] = {}
        self._by_token: dict[str, SentInteraction] = {}
        self._files_by_interaction: dict[int, list[tuple[str, bytes]]] = {}

        self.identifies = 0
        self.resumes = 0
        self.gateway_connections = 0
        self._sessions: dict[str, list[dict[str, Any]]] = {}
        self._session_id: str | None = None
        self._seq = 0
        self._ws: web.WebSocketResponse | None = None
        self._rate_limits: list[float] = []
        self.rate_limited_posts = 0
        self.outage_status: int | None = None
        self.failed_during_outage = 0
        self.gateway_down = False
        self._gateway_open = asyncio.Event()
        self._gateway_open.set()

        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    # ----- set-up -------------------------------------------------------------
    def new_id(self) -> int:
        return next(self._ids)

    def add_member(self, name: str, *, founder: bool) -> FakeMember:
        member = FakeMember(self.new_id(), name, [self.founder_role_id] if founder else [])
        self.members[member.id] = member
        return member

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def start(self) -> FakeDiscord:
        app = web.Application(client_max_size=32 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        return self

    async def stop(self) -> None:
        if self._ws is not None and not self._ws.closed:
            await self._ws.close(code=1001)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ----- waiting --------------------------------------------------------------
    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_until(self, predicate: Callable[[], Any], timeout: float = 20.0) -> Any:
        """Wait until ``predicate()`` is truthy and return its value; it is
        checked on every request the fake serves, and every 20 ms for state
        outside the fake (a database)."""

        async def _wait() -> Any:
            async with self._changed:
                while True:
                    value = predicate()
                    if value:
                        return value
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._changed.wait(), 0.02)

        try:
            return await asyncio.wait_for(_wait(), timeout)
        except TimeoutError:
            raise AssertionError(
                f"fake Discord: condition not met within {timeout}s; "
                f"requests so far: {[(r.method, r.path) for r in self.requests[-15:]]}"
            ) from None

    # ----- faults ----------------------------------------------------------------
    def rate_limit_posts(self, times: int = 1, *, retry_after: float = 0.2) -> None:
        """The next ``times`` message posts get a 429 with this ``retry_after``."""
        self._rate_limits.extend([retry_after] * times)

    def start_outage(self, status: int = 503) -> None:
        """Message posts and edits fail with ``status`` until ``end_outage``."""
        self.outage_status = status

    def end_outage(self) -> None:
        self.outage_status = None

    @contextlib.contextmanager
    def outage(self, status: int = 503) -> Iterator[None]:
        self.start_outage(status)
        try:
            yield
        finally:
            self.end_outage()

    def hold_gateway(self) -> None:
        """New gateway connections wait (the handshake hangs) until
        ``release_gateway``: the client stays disconnected meanwhile."""
        self._gateway_open.clear()

    def release_gateway(self) -> None:
        self._gateway_open.set()

    @property
    def gateway_connected(self) -> bool:
        return self._ws is not None and not self._ws.closed

    async def drop_gateway(self, code: int = 4000) -> None:
        """Close the gateway socket the way a network blip does; the session
        stays resumable and events sent meanwhile are replayed on RESUME."""
        ws = self._ws
        self._ws = None
        if ws is not None and not ws.closed:
            await ws.close(code=code, message=b"dropped by the fake")

    # ----- what the bot sees in the channel ---------------------------------------
    def channel_messages(self, channel_id: int | None = None) -> list[dict[str, Any]]:
        wanted = str(channel_id or self.channel_id)
        return [m for m in self.messages.values() if m["channel_id"] == wanted]

    @staticmethod
    def components(message: dict[str, Any]) -> list[dict[str, Any]]:
        """The interactive components of a message, rows flattened away."""
        return [c for c in iter_components(message.get("components") or []) if c.get("type") != 1]

    def custom_ids(self, message: dict[str, Any]) -> list[str]:
        return [c["custom_id"] for c in self.components(message) if "custom_id" in c]

    # ----- injecting interactions -----------------------------------------------
    def _channel_payload(self) -> dict[str, Any]:
        return {
            "id": str(self.channel_id),
            "type": 0,
            "guild_id": str(self.guild_id),
            "name": self.channel_name,
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
        }

    async def _deliver(self, itype: int, member: FakeMember, data: dict[str, Any],
                       message: dict[str, Any] | None = None) -> SentInteraction:
        interaction_id = self.new_id()
        token = f"itoken-{interaction_id}"
        payload: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": itype,
            "token": token,
            "version": 1,
            "guild_id": str(self.guild_id),
            "channel_id": str(self.channel_id),
            "channel": self._channel_payload(),
            "member": member.member_payload(),
            "data": data,
            "app_permissions": "2147483647",
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(self.guild_id)},
            "context": 0,
            "attachment_size_limit": 8 * 1024 * 1024,
        }
        if message is not None:
            payload["message"] = message
        sent = SentInteraction(interaction_id, token, itype, payload)
        self.interactions[interaction_id] = sent
        self._by_token[token] = sent
        await self.dispatch("INTERACTION_CREATE", payload)
        return sent

    def _message(self, message_id: int) -> dict[str, Any]:
        try:
            return self.messages[message_id]
        except KeyError:
            raise AssertionError(f"fake Discord: no message {message_id}") from None

    async def click(self, message_id: int, custom_id: str, member: FakeMember) -> SentInteraction:
        """A button click on a message the bot posted."""
        message = self._message(message_id)
        if custom_id not in self.custom_ids(message):
            raise AssertionError(f"no component {custom_id!r} on message {message_id}")
        data = {"custom_id": custom_id, "component_type": 2}
        return await self._deliver(3, member, data, message)

    async def select(self, message_id: int, custom_id: str, values: list[str],
                     member: FakeMember) -> SentInteraction:
        """A choice in a string select menu on a message the bot posted."""
        message = self._message(message_id)
        component = next(
            (c for c in self.components(message) if c.get("custom_id") == custom_id), None
        )
        if component is None:
            raise AssertionError(f"no component {custom_id!r} on message {message_id}")
        offered = {option["value"] for option in component.get("options", [])}
        if not set(values) <= offered:
            raise AssertionError(f"values {values} not among the offered {sorted(offered)}")
        data = {"custom_id": custom_id, "component_type": 3, "values": values}
        return await self._deliver(3, member, data, message)

    def modal_of(self, sent: SentInteraction) -> dict[str, Any]:
        """The modal the bot answered an interaction with."""
        for response in sent.responses:
            if response.get("type") == 9:
                return response["data"]
        raise AssertionError(f"interaction {sent.id} was not answered with a modal")

    async def submit_modal(self, opened_by: SentInteraction, values: dict[str, str],
                           member: FakeMember) -> SentInteraction:
        """Fill the text inputs of the modal the bot opened in answer to
        ``opened_by`` and submit it (from the same message, as Discord does)."""
        modal = self.modal_of(opened_by)
        rows = []
        for component in iter_components(modal.get("components") or []):
            if component.get("type") == 4:
                cid = component["custom_id"]
                if cid not in values and component.get("required", True):
                    raise AssertionError(f"required input {cid!r} left empty")
                rows.append({
                    "type": 1,
                    "components": [{"type": 4, "custom_id": cid, "value": values.get(cid, "")}],
                })
        data = {"custom_id": modal["custom_id"], "components": rows}
        return await self._deliver(5, member, data, opened_by.payload.get("message"))

    def command(self, name: str) -> tuple[int | None, dict[str, Any]]:
        for guild, commands in self.commands.items():
            for command in commands:
                if command["name"] == name:
                    return guild, command
        raise AssertionError(f"slash command /{name} was never synced")

    async def slash(self, name: str, member: FakeMember, **options: Any) -> SentInteraction:
        """Invoke a synced slash command; option types come from what the bot
        registered, so an option the bot did not declare fails the test."""
        guild, command = self.command(name)
        declared = {o["name"]: o for o in command.get("options", [])}
        sent_options = []
        resolved: dict[str, Any] = {}
        for key, value in options.items():
            if key not in declared:
                raise AssertionError(f"/{name} has no option {key!r}; it has {sorted(declared)}")
            otype = declared[key]["type"]
            if otype == 6:  # a user: Discord sends the id and the resolved member
                user = value if isinstance(value, FakeMember) else self.members[int(value)]
                resolved.setdefault("users", {})[str(user.id)] = user.user_payload()
                member_data = user.member_payload()
                member_data.pop("user")
                resolved.setdefault("members", {})[str(user.id)] = member_data
                value = str(user.id)
            sent_options.append({"name": key, "type": otype, "value": value})
        for key, option in declared.items():
            if option.get("required") and key not in options:
                raise AssertionError(f"/{name} requires option {key!r}")
        data: dict[str, Any] = {
            "id": command["id"],
            "name": name,
            "type": 1,
            "options": sent_options,
        }
        if resolved:
            data["resolved"] = resolved
        if guild is not None:
            data["guild_id"] = str(guild)
        return await self._deliver(2, member, data)

    async def response(self, sent: SentInteraction, timeout: float = 20.0) -> dict[str, Any]:
        """The first callback the bot made for an interaction."""
        await self.wait_until(lambda: sent.responses, timeout)
        return sent.responses[0]

    async def reply_text(self, sent: SentInteraction, timeout: float = 20.0) -> str:
        """What the person who interacted finally reads (escapes resolved):
        the response message, the edited original after a deferral, or the
        first follow-up."""

        def final() -> dict[str, Any] | None:
            for response in sent.responses:
                if response["type"] == 4:
                    return response["data"]
            if sent.original is not None and sent.original_edited:
                return sent.original
            if sent.followups:
                return sent.followups[0]
            return None

        data = await self.wait_until(final, timeout)
        parts = [data.get("content") or ""]
        for embed in data.get("embeds") or []:
            parts.append(embed.get("title") or "")
            parts.append(embed.get("description") or "")
            for item in embed.get("fields") or []:
                parts.extend([item.get("name") or "", item.get("value") or ""])
        return displayed("\n".join(p for p in parts if p))

    def is_ephemeral(self, sent: SentInteraction) -> bool:
        for response in sent.responses:
            if response["type"] in (4, 5):
                return bool((response.get("data") or {}).get("flags", 0) & EPHEMERAL)
        return False

    # ----- gateway ----------------------------------------------------------------------
    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a dispatch event; kept for RESUME when the socket is down."""
        self._seq += 1
        frame = {"op": 0, "t": event, "s": self._seq, "d": data}
        if self._session_id is not None:
            self._sessions[self._session_id].append(frame)
        ws = self._ws
        if ws is not None and not ws.closed:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await ws.send_str(json.dumps(frame))

    def _bot_user(self) -> dict[str, Any]:
        return {
            "id": str(self.bot_user_id),
            "username": "beachhead",
            "global_name": None,
            "discriminator": "0",
            "avatar": None,
            "bot": True,
            "verified": True,
            "mfa_enabled": False,
            "flags": 0,
        }

    def _guild_payload(self) -> dict[str, Any]:
        everyone = {
            "id": str(self.guild_id), "name": "@everyone", "color": 0, "hoist": False,
            "position": 0, "permissions": "1071698660929", "managed": False,
            "mentionable": False, "flags": 0,
        }
        founders = {**everyone, "id": str(self.founder_role_id), "name": "founders",
                    "position": 1}
        other = {**self._channel_payload(), "id": str(self.other_channel_id), "name": "general"}
        bot_member = {
            "user": self._bot_user(), "roles": [], "joined_at": "2024-01-01T00:00:00+00:00",
            "deaf": False, "mute": False, "flags": 0, "nick": None, "avatar": None,
        }
        return {
            "id": str(self.guild_id), "name": self.guild_name, "icon": None, "splash": None,
            "discovery_splash": None, "owner_id": str(self.new_id()), "afk_channel_id": None,
            "afk_timeout": 300, "verification_level": 0, "default_message_notifications": 0,
            "explicit_content_filter": 0, "roles": [everyone, founders], "emojis": [],
            "features": [], "mfa_level": 0, "application_id": None, "system_channel_id": None,
            "system_channel_flags": 0, "rules_channel_id": None, "vanity_url_code": None,
            "description": None, "banner": None, "premium_tier": 0,
            "preferred_locale": "en-US", "public_updates_channel_id": None, "nsfw_level": 0,
            "stickers": [], "premium_progress_bar_enabled": False,
            "joined_at": "2024-01-01T00:00:00+00:00", "large": False, "unavailable": False,
            "member_count": 1 + len(self.members), "voice_states": [], "members": [bot_member],
            "channels": [self._channel_payload(), other], "threads": [], "presences": [],
            "stage_instances": [], "guild_scheduled_events": [], "soundboard_sounds": [],
        }

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        if self.gateway_down:
            return _json({"message": "gateway unavailable", "code": 0}, status=503)
        await self._gateway_open.wait()
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        await ws.prepare(request)
        previous, self._ws = self._ws, ws
        if previous is not None and not previous.closed:
            await previous.close(code=4000)
        self.gateway_connections += 1
        await ws.send_str(json.dumps(
            {"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval_ms}, "s": None, "t": None}
        ))
        async for message in ws:
            if message.type is not WSMsgType.TEXT:
                continue
            frame = json.loads(message.data)
            op = frame.get("op")
            if op == 1:
                await ws.send_str(json.dumps({"op": 11, "d": None, "s": None, "t": None}))
            elif op == 2:
                await self._identify(frame["d"])
            elif op == 6:
                await self._resume(ws, frame["d"])
        if self._ws is ws:
            self._ws = None
        await self._notify()
        return ws

    async def _identify(self, data: dict[str, Any]) -> None:
        if data.get("token") != self.token:
            if self._ws is not None:
                await self._ws.close(code=4004, message=b"Authentication failed.")
            return
        self.identifies += 1
        self._session_id = f"session-{self.new_id()}"
        self._sessions[self._session_id] = []
        await self.dispatch("READY", {
            "v": 10,
            "user": self._bot_user(),
            "guilds": [{"id": str(self.guild_id), "unavailable": True}],
            "session_id": self._session_id,
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
        })
        await self.dispatch("GUILD_CREATE", self._guild_payload())
        await self._notify()

    async def _resume(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> None:
        events = self._sessions.get(data.get("session_id") or "")
        if events is None or data.get("token") != self.token:
            await ws.send_str(json.dumps({"op": 9, "d": False, "s": None, "t": None}))
            return
        self.resumes += 1
        missed = [frame for frame in events if frame["s"] > (data.get("seq") or 0)]
        for frame in missed:
            await ws.send_str(json.dumps(frame))
        self._seq += 1
        await ws.send_str(json.dumps({"op": 0, "t": "RESUMED", "s": self._seq, "d": {}}))
        await self._notify()

    # ----- REST ---------------------------------------------------------------------------
    async def _read(self, request: web.Request) -> tuple[Any, list[tuple[str, bytes]]]:
        files: list[tuple[str, bytes]] = []
        if request.content_type.startswith("multipart/"):
            body: Any = None
            reader = await request.multipart()
            async for part in reader:
                content = await part.read()
                if part.name == "payload_json":
                    body = json.loads(content)
                else:
                    files.append((part.filename or part.name or "", bytes(content)))
            return body, files
        raw = await request.read()
        if not raw:
            return None, files
        return json.loads(raw), files

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        body, files = await self._read(request)
        path = "/" + request.match_info["tail"]
        record = Recorded(request.method, path, dict(request.query), body, files)
        self.requests.append(record)
        try:
            if request.headers.get("Authorization") != f"Bot {self.token}" and not path.startswith(
                ("/interactions/", "/webhooks/")
            ):
                return _json({"message": "401: Unauthorized", "code": 0}, status=401)
            response = await self._route(record)
        except LimitError as exc:
            self.refused.append((record, str(exc)))
            response = _json({"message": "Invalid Form Body", "code": 50035,
                              "errors": {"detail": str(exc)}}, status=400)
        await self._notify()
        return response

    async def _route(self, r: Recorded) -> web.Response:
        parts = r.path.strip("/").split("/")
        method = r.method
        if parts == ["users", "@me"] and method == "GET":
            return _json(self._bot_user())
        if parts == ["oauth2", "applications", "@me"] and method == "GET":
            return _json(self._application())
        if parts[:1] == ["gateway"]:
            return _json({"url": self.gateway_url, "shards": 1, "session_start_limit": {
                "total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}})
        if parts[0] == "applications" and parts[-1] == "commands":
            return self._commands(r, parts)
        if parts[0] == "channels":
            return self._channels(r, parts)
        if parts[0] == "guilds" and len(parts) == 3 and parts[2] == "roles" and method == "GET":
            return _json(self._guild_payload()["roles"])
        if parts[0] == "interactions" and parts[-1] == "callback" and method == "POST":
            return self._callback(r, int(parts[1]), parts[2])
        if parts[0] == "webhooks":
            return self._webhook(r, parts)
        self.unhandled.append(r)
        return _json({"message": "404: Not Found", "code": 0}, status=404)

    def _application(self) -> dict[str, Any]:
        owner = {"id": str(self.new_id()), "username": "owner", "discriminator": "0",
                 "avatar": None, "global_name": None}
        return {
            "id": str(self.application_id), "name": "Beachhead", "icon": None,
            "description": "", "rpc_origins": [], "bot_public": False,
            "bot_require_code_grant": False, "owner": owner, "verify_key": "0" * 64,
            "team": None, "flags": 0, "summary": "", "interactions_endpoint_url": None,
            "bot": self._bot_user(),
        }

    def _commands(self, r: Recorded, parts: list[str]) -> web.Response:
        guild = int(parts[3]) if len(parts) == 5 and parts[2] == "guilds" else None
        if r.method == "GET":
            return _json(self.commands.get(guild, []))
        if r.method != "PUT":
            self.unhandled.append(r)
            return _json({"message": "405: Method Not Allowed", "code": 0}, status=405)
        stored = []
        for command in r.body or []:
            stored.append({
                **command,
                "id": str(self.new_id()),
                "application_id": str(self.application_id),
                "version": str(self.new_id()),
                "type": command.get("type", 1),
                "default_member_permissions": command.get("default_member_permissions"),
                **({"guild_id": str(guild)} if guild is not None else {}),
            })
        self.commands[guild] = stored
        self.command_syncs.append({"guild_id": guild, "commands": r.body})
        return _json(stored)

    def _new_message(self, channel_id: str, payload: dict[str, Any], *,
                     author: dict[str, Any] | None = None) -> dict[str, Any]:
        message_id = self.new_id()
        message = {
            "id": str(message_id),
            "channel_id": channel_id,
            "guild_id": str(self.guild_id),
            "author": author or self._bot_user(),
            "content": payload.get("content") or "",
            "timestamp": _now(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": payload.get("embeds") or [],
            "components": payload.get("components") or [],
            "pinned": False,
            "type": 0,
            "flags": payload.get("flags", 0) or 0,
        }
        self.messages[message_id] = message
        return message

    def _channels(self, r: Recorded, parts: list[str]) -> web.Response:
        channel_id = parts[1]
        known = {str(self.channel_id): self._channel_payload(),
                 str(self.other_channel_id): {**self._channel_payload(),
                                              "id": str(self.other_channel_id), "name": "general"}}
        if channel_id not in known:
            return _json({"message": "Unknown Channel", "code": 10003}, status=404)
        if len(parts) == 2 and r.method == "GET":
            return _json(known[channel_id])
        if len(parts) >= 3 and parts[2] == "messages":
            if r.method in ("POST", "PATCH") and self.outage_status is not None:
                self.failed_during_outage += 1
                return _json({"message": "Service Unavailable", "code": 0},
                             status=self.outage_status)
            if len(parts) == 3 and r.method == "POST":
                if self._rate_limits:
                    retry_after = self._rate_limits.pop(0)
                    self.rate_limited_posts += 1
                    return _json(
                        {"message": "You are being rate limited.", "retry_after": retry_after,
                         "global": False},
                        status=429,
                        headers={"Retry-After": str(retry_after), "Via": "1.1 google",
                                 "X-RateLimit-Scope": "user"},
                    )
                check_message_payload(r.body or {})
                message = self._new_message(channel_id, r.body or {})
                self.posts.append(message)
                return _json(message)
            if len(parts) == 4:
                message = self.messages.get(int(parts[3]))
                if message is None or message["channel_id"] != channel_id:
                    return _json({"message": "Unknown Message", "code": 10008}, status=404)
                if r.method == "GET":
                    return _json(message)
                if r.method == "PATCH":
                    check_message_payload({**message, **(r.body or {})})
                    self._apply_edit(message, r.body or {})
                    return _json(message)
        self.unhandled.append(r)
        return _json({"message": "404: Not Found", "code": 0}, status=404)

    def _apply_edit(self, message: dict[str, Any], changes: dict[str, Any]) -> None:
        for key in ("content", "embeds", "components", "flags"):
            if key in changes:
                message[key] = changes[key] if changes[key] is not None else (
                    "" if key == "content" else [] if key != "flags" else 0)
        message["edited_timestamp"] = _now()
        self.edits.append({"message_id": int(message["id"]), "changes": changes})

    def _callback(self, r: Recorded, interaction_id: int, token: str) -> web.Response:
        sent = self.interactions.get(interaction_id)
        if sent is None or sent.token != token:
            return _json({"message": "Unknown interaction", "code": 10062}, status=404)
        if sent.responses:
            return _json({"message": "Interaction has already been acknowledged.",
                          "code": 40060}, status=400)
        payload = r.body or {}
        data = payload.get("data") or {}
        ctype = payload.get("type")
        if ctype in (4, 7):
            check_message_payload(data)
        if r.files:
            data = {**data, "attachments_received": [name for name, _ in r.files]}
            payload = {**payload, "data": data}
            self._files_by_interaction.setdefault(interaction_id, []).extend(r.files)
        sent.responses.append(payload)
        interaction = {"id": str(interaction_id), "type": sent.type}
        result: dict[str, Any] = {"interaction": interaction}
        if ctype == 4:
            message = self._new_message(str(self.channel_id), data)
            sent.original = message
            interaction["response_message_id"] = message["id"]
            interaction["response_message_ephemeral"] = bool(data.get("flags", 0) & EPHEMERAL)
            result["resource"] = {"type": 4, "message": message}
        elif ctype == 5:
            message = self._new_message(str(self.channel_id), {"flags": data.get("flags", 0)})
            sent.original = message
            interaction["response_message_loading"] = True
            interaction["response_message_ephemeral"] = bool(data.get("flags", 0) & EPHEMERAL)
        elif ctype == 7:
            message_data = sent.payload.get("message")
            if message_data is not None:
                message = self.messages[int(message_data["id"])]
                self._apply_edit(message, data)
                result["resource"] = {"type": 7, "message": message}
        return _json(result)

    def files_of(self, sent: SentInteraction) -> list[tuple[str, bytes]]:
        """Files attached to any response or follow-up of an interaction."""
        return list(self._files_by_interaction.get(sent.id, []))

    def _webhook(self, r: Recorded, parts: list[str]) -> web.Response:
        # /webhooks/{application_id}/{token}[/messages/{id|@original}]
        sent = self._by_token.get(parts[2]) if len(parts) >= 3 else None
        if sent is None:
            return _json({"message": "Unknown Webhook", "code": 10015}, status=404)
        if r.files:
            self._files_by_interaction.setdefault(sent.id, []).extend(r.files)
        body = r.body or {}
        if len(parts) == 3 and r.method == "POST":
            check_message_payload(body)
            message = self._new_message(str(self.channel_id), body)
            sent.followups.append(message)
            return _json(message)
        if len(parts) == 5 and parts[3] == "messages":
            target = sent.original if parts[4] == "@original" else self.messages.get(int(parts[4]))
            if target is None:
                return _json({"message": "Unknown Message", "code": 10008}, status=404)
            if r.method == "GET":
                return _json(target)
            if r.method == "PATCH":
                check_message_payload({**target, **body})
                self._apply_edit(target, body)
                if target is sent.original:
                    sent.original_edited = True
                return _json(target)
            if r.method == "DELETE":
                return web.Response(status=204)
        self.unhandled.append(r)
        return _json({"message": "404: Not Found", "code": 0}, status=404)
