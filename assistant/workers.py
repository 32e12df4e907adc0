"""Judging on every core.

The text judgement of threads and the member judgement are pure functions
of rows read from the store and of the models, and together they are about
40 % of a watcher pass's CPU. Everything else must stay in one process and
in order: SQLite has one writer, and grouping puts each thread into groups
the earlier threads made. So the pure parts go to worker processes, one per
core, each holding the models and the playbook (sent once, when the pool
starts); the process that asked keeps the database and writes the results
in the order it would have written them alone. A verdict does not depend on
which process made it, so the stored results are the same either way.

Workers start through a fork server (never by forking a process that may be
running the Discord bot's threads; by spawning where there is no fork
server) and take about 1.5 s to start, so they
are started only for work that earns that back (``START_FROM`` items), and
a small piece of work is judged where it was asked.
If a worker dies, the work is redone in the asking process and the pool is
started afresh next time: a pass is never lost to a crashed worker. As
with any use of multiprocessing, a script that drives the pipeline itself
needs the ``if __name__ == "__main__":`` guard: the workers import it.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

log = logging.getLogger(__name__)

WORKERS_ENV = "BEACHHEAD_WORKERS"
START_FROM = 5000
"""Workers are started for at least this many items (threads or members):
starting them takes about 1.5 s, which two workers earn back on about
5,000 members or 8,000 threads. Fewer are judged in the asking process."""
MIN_PARALLEL = 500
"""Once workers run (for these models), fewer items than this are still
judged in the asking process: two parts, one per worker."""
AHEAD_PER_WORKER = 3
"""Parts submitted ahead of the one being collected, per worker: enough to
keep every worker busy, few enough that memory stays bounded."""
PRELOAD = ["assistant.judge", "assistant.members"]
"""Imported once by the fork server, so each worker starts with them."""

Judge = Callable[[Any, Any, Any], Any]
"""judge(models, playbook, part) → result; a module-level function."""

_chosen: int | None = None
_lock = threading.RLock()
"""Guards the pool: the bot's watcher judges in a thread of its own."""
_pool: ProcessPoolExecutor | None = None
_owner: tuple[Any, Any, int] | None = None
"""The models, playbook and worker count the running pool was started with."""
_installed: tuple[Any, Any] | None = None


class WorkersError(ValueError):
    """A worker count that is not a positive whole number."""


def cores() -> int:
    """The cores this process may run on (a container's share, not the host's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def parse_count(value: str | int) -> int:
    try:
        count = int(value)
    except (TypeError, ValueError):
        raise WorkersError(f"workers must be a whole number, not {value!r}") from None
    if count < 1:
        raise WorkersError(f"workers must be at least 1, not {count}")
    return count


def choose(count: int | None) -> None:
    """Use ``count`` worker processes from now on (None: the environment's
    ``BEACHHEAD_WORKERS``, else one per core). 1 judges in this process."""
    global _chosen
    _chosen = None if count is None else parse_count(count)
    if _owner is not None and _owner[2] != count_workers():
        shutdown()


def count_workers() -> int:
    if _chosen is not None:
        return _chosen
    configured = os.environ.get(WORKERS_ENV, "").strip()
    return parse_count(configured) if configured else cores()


def shutdown(wait: bool = True) -> bool:
    """Stop the workers (they are started again when next needed); without
    ``wait``, just forget them (a broken pool). False if none were running."""
    global _pool, _owner
    with _lock:
        pool, _pool, _owner = _pool, None, None
    if pool is not None:
        pool.shutdown(wait=wait, cancel_futures=True)
    return pool is not None


def _install(models: Any, playbook: Any) -> None:
    """Runs once in each worker as it starts."""
    global _installed
    _installed = (models, playbook)


def _run(judge: Judge, part: Any) -> Any:
    """Runs in a worker, on the models and playbook it was started with."""
    models, playbook = _installed
    return judge(models, playbook, part)


def _running_for(models: Any, playbook: Any, workers: int) -> bool:
    """Whether the running pool holds these very models and playbook."""
    with _lock:
        return (_owner is not None and _owner[0] is models and _owner[1] is playbook
                and _owner[2] == workers)


def _pool_for(models: Any, playbook: Any) -> ProcessPoolExecutor:
    """The running pool if it holds these models and this playbook, else a
    new one that does."""
    global _pool, _owner
    workers = count_workers()
    with _lock:
        if _running_for(models, playbook, workers):
            return _pool
        shutdown()
        if "forkserver" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
        else:  # Windows
            context = multiprocessing.get_context("spawn")
        _pool = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                    initializer=_install, initargs=(models, playbook))
        _owner = (models, playbook, workers)
        return _pool


def judge_parts(judge: Judge, parts: Iterable[Any], models: Any, playbook: Any, *,
                items: int) -> Judged:
    """``judge(models, playbook, part)`` of each part, in the parts' order.
    ``items`` is how much work the parts hold: below ``START_FROM`` (or
    ``MIN_PARALLEL`` when workers for these models already run), or with
    one worker, they are judged here, one by one as they are asked for.
    Otherwise ``AHEAD_PER_WORKER`` parts per worker go to the workers at
    once, and each part collected lets one more go: a generator that reads
    the store stays that far ahead and no more."""
    return Judged(judge, parts, models, playbook, items=items)


_END = object()


class Judged(Iterator[Any]):
    """The results of ``judge_parts``; ``close()`` cancels what was sent
    ahead and is not needed any more."""

    def __init__(self, judge: Judge, parts: Iterable[Any], models: Any, playbook: Any, *,
                 items: int) -> None:
        self._judge, self._models, self._playbook = judge, models, playbook
        self._parts: Iterator[Any] | None = iter(parts)
        self._waiting: deque[tuple[Any, Future | None]] = deque()
        workers = count_workers()
        running = _running_for(models, playbook, workers)
        self._here = workers <= 1 or items < (MIN_PARALLEL if running else START_FROM)
        self._pool = None if self._here else _pool_for(models, playbook)
        self._ahead = workers * AHEAD_PER_WORKER
        if not self._here:
            self._send()

    def _send(self) -> None:
        while self._parts is not None and len(self._waiting) < self._ahead:
            part = next(self._parts, _END)
            if part is _END:
                self._parts = None
                break
            future = None
            if self._pool is not None:
                try:
                    future = self._pool.submit(_run, self._judge, part)
                except (BrokenProcessPool, RuntimeError):
                    self._pool = None
                    shutdown(wait=False)
            self._waiting.append((part, future))

    def __next__(self) -> Any:
        if self._here:
            if self._parts is None:
                raise StopIteration
            return self._judge(self._models, self._playbook, next(self._parts))
        if not self._waiting:
            raise StopIteration
        result = _collect(*self._waiting.popleft(), self._judge, self._models, self._playbook)
        self._send()
        return result

    def close(self) -> None:
        for _, future in self._waiting:
            if future is not None:
                future.cancel()
        self._waiting.clear()
        self._parts = None


def _collect(part: Any, future: Future | None, judge: Judge, models: Any, playbook: Any) -> Any:
    """A part's result from its worker; if the worker died, the part is
    judged here and the broken pool is dropped (the next call starts one).
    A part cancelled by another thread's ``shutdown`` is judged here too."""
    if future is not None:
        try:
            return future.result()
        except BrokenProcessPool:
            if shutdown(wait=False):
                log.warning("a judging worker stopped; judging the rest in this process")
        except CancelledError:
            pass
    return judge(models, playbook, part)


def pids() -> list[int]:
    """Process ids of the running workers (empty when none run): what a
    benchmark reads to add the workers' memory and time to its own."""
    # The executor has no public list of its processes; ``_processes`` is
    # its own record of them (None once it has shut down).
    with _lock:
        processes = getattr(_pool, "_processes", None) or {}
    return sorted(process.pid for process in list(processes.values()))
