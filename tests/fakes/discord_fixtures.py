"""Point the real discord.py at the loopback fake and run a client against it.

discord.py keeps its endpoints in two class attributes; these helpers swap
them for the fake's addresses and always put them back, so one test can never
leave the next one talking to the wrong server.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Iterator

import discord
import yarl

from tests.fakes.discord_server import FakeDiscord


@contextlib.contextmanager
def pointed_at(fake: FakeDiscord) -> Iterator[None]:
    """discord.py talks to ``fake`` inside the block, to Discord again after it."""
    base = discord.http.Route.BASE
    gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = fake.api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    try:
        yield
    finally:
        discord.http.Route.BASE = base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gateway


@contextlib.asynccontextmanager
async def running(client: discord.Client, fake: FakeDiscord,
                  timeout: float = 10.0) -> AsyncIterator[discord.Client]:
    """Log ``client`` in to the fake, wait for READY, and close it (before the
    fake stops) when the block ends; a crash of the client fails the test."""
    task = asyncio.create_task(client.start(fake.token))
    ready = asyncio.create_task(client.wait_until_ready())
    done, _ = await asyncio.wait({task, ready}, timeout=timeout,
                                 return_when=asyncio.FIRST_COMPLETED)
    if ready not in done:
        ready.cancel()
        await client.close()
        if task in done:
            task.result()  # re-raise why the client stopped
        raise AssertionError(f"client did not become ready within {timeout}s")
    try:
        yield client
    finally:
        await client.close()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, timeout)


@contextlib.contextmanager
def fake_in_thread() -> Iterator[FakeDiscord]:
    """The fake served from its own thread and event loop, for code that runs
    its own loop (``beachhead bot`` under click's CliRunner); discord.py is
    pointed at it meanwhile."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    thread = threading.Thread(target=lambda: (asyncio.set_event_loop(loop), ready.set(),
                                              loop.run_forever()), daemon=True)
    thread.start()
    ready.wait()

    async def _start() -> FakeDiscord:
        return await FakeDiscord().start()

    fake = asyncio.run_coroutine_threadsafe(_start(), loop).result(10)
    try:
        with pointed_at(fake):
            yield fake
    finally:
        asyncio.run_coroutine_threadsafe(fake.stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
