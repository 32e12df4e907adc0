"""Importing a Stack Exchange data dump (``Posts.xml``, ``Comments.xml``,
``Users.xml``, and when present ``Votes.xml`` and ``PostLinks.xml``).

A dump can be far larger than memory, so every file is streamed with
``iterparse`` and each row is cleared once read. What one row cannot say on
its own (is this answer the accepted one? which question does the answer a
comment sits on belong to? how many up-votes?) comes from a scratch index: a
throw-away SQLite file in the temp directory, read a batch at a time. Votes
and links are added to it before the posts; each post is added as it streams
by, so ``Posts.xml`` is read once. An answer that comes before its question
(merged questions do that) waits in the index until the end of the file, when
its question has been seen. Memory therefore stays flat however big the dump
is; the disk holds the rest.

The import runs in phases (users, posts, comments), in batches of a few
thousand rows. Each batch carries a cursor (phase and rows consumed, never
past an answer still waiting for its question), stored with it, so an
interrupted import resumes where it stopped (first re-reading ``Posts.xml``
into the index, which went with the interrupted process); a dump whose files
changed since is read again from the start (upserts make that harmless). Native ids match the Stack Exchange API source, so a community
can be seeded from a dump and then followed through the API: question id for
a thread, answer id for an answer, ``c<id>`` for a comment (comment ids are
their own number space), user id for a member.

Where things go:
- question → Thread (``is_solved`` and ``accepted_post_native_id`` from
  ``AcceptedAnswerId``; tags; ``reply_count`` = answers);
- answer → Post (``is_accepted``; no parent: it answers the question);
- comment → Post (parent = the answer it is on; none when on the question);
- user → Member (location, reputation, website, about as plain text);
- duplicate links (``LinkTypeId`` 3) → ``Thread.raw["duplicate_of"]`` on the
  duplicate and ``Thread.raw["duplicates"]`` on the original (other links in
  ``raw["linked"]``): ``json_extract(threads.raw_json, '$.duplicate_of')`` is
  where same-problem grouping can read them;
- votes → ``raw["votes"]`` on each thread and answer, counts by kind
  (``up``, ``down``, ``accepted_by_originator``, ``favorite``, ``bounty_start`` …).

``FetchRequest.since`` and ``limit`` do not apply: an import takes the dump
whole. Rows of other post types (tag wikis, nominations) are skipped.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import queue
import shutil
import sqlite3
import tempfile
import threading
import traceback
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import fields
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from assistant.domain import Batch, Member, Post, Thread, parse_timestamp
from assistant.sources.base import (
    FetchRequest,
    SourceConfigError,
    SourceDataError,
    SourceError,
    SourceNotFound,
    SourceUnavailable,
)
from assistant.sources.stackexchange import comment_native_id, split_tags
from assistant.sources.text import html_to_text, markdown_to_text

BATCH_ROWS = 2000
PHASES = ("users", "posts", "comments")
PHASE_FILES = {"users": "Users.xml", "posts": "Posts.xml", "comments": "Comments.xml"}
SIGNATURE_FILES = ("Users.xml", "Posts.xml", "Comments.xml", "Votes.xml", "PostLinks.xml")
QUESTION, ANSWER = 1, 2
DUPLICATE, LINKED = 3, 1
PARALLEL_FROM_BYTES = 16 * 1024 * 1024
"""Posts.xml size from which an automatic import reads in a second process."""
QUEUED_BATCHES = 8
"""Batches read ahead by a parallel import's reader before it waits."""
PROBLEMS_SHOWN = 20
"""Per file, the first few unreadable rows are listed; the rest are counted."""
SQL_CHUNK = 500
VOTE_FLUSH = 50_000
"""Distinct (post, vote kind) pairs held in memory before they are added to
the scratch index."""
VOTE_KINDS = {
    1: "accepted_by_originator", 2: "up", 3: "down", 4: "offensive", 5: "favorite", 6: "close",
    7: "reopen", 8: "bounty_start", 9: "bounty_close", 10: "deletion", 11: "undeletion",
    12: "spam", 15: "moderator_review", 16: "approve_edit_suggestion",
}

Progress = Callable[[str, int, int], None]


class RowError(ValueError):
    """One row of a dump that cannot be read."""


def iter_rows(handle: IO[bytes], name: str) -> Iterator[dict[str, str]]:
    """The attributes of each ``<row>``, streaming; the element and the root's
    reference to it are cleared at once, so memory does not grow with the file."""
    context = ET.iterparse(handle, events=("start", "end"))
    try:
        _, root = next(context)
        for event, element in context:
            if event == "end" and element.tag == "row":
                yield dict(element.attrib)
                element.clear()
                root.clear()
    except ET.ParseError as error:
        line, column = error.position
        raise SourceDataError(f"{name}: not well-formed XML at line {line}, column {column}") \
            from None
    except StopIteration:
        return


def _int(row: dict[str, str], key: str) -> int | None:
    value = row.get(key)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise RowError(f"{key}={value!r} is not a number") from None


def _required_int(row: dict[str, str], key: str) -> int:
    value = _int(row, key)
    if value is None:
        raise RowError(f"{key} is missing")
    return value


def _time(row: dict[str, str], key: str, *, required: bool = True) -> datetime | None:
    """Dump times are UTC without a zone (``2021-04-27T15:06:44.553``)."""
    value = row.get(key)
    if not value:
        if required:
            raise RowError(f"{key} is missing")
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        try:
            return parse_timestamp(value)
        except ValueError:
            raise RowError(f"{key}={value!r} is not a timestamp") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class ScratchIndex:
    """What rows need to know about other rows, on disk (see module docstring)."""

    def __init__(self, directory: str | None = None):
        handle, name = tempfile.mkstemp(prefix="beachhead-dump-", suffix=".sqlite", dir=directory)
        os.close(handle)
        self.path = Path(name)
        # Built by a helper thread, then used by the reading thread (never both).
        self.conn = sqlite3.connect(name, check_same_thread=False)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -16000",
                       "temp_store = FILE"):
            self.conn.execute(f"PRAGMA {pragma}")
        self.conn.executescript(
            """
            CREATE TABLE post (id INTEGER PRIMARY KEY, kind INTEGER, parent INTEGER);
            CREATE TABLE accepted (id INTEGER PRIMARY KEY);
            CREATE TABLE vote (post INTEGER, kind INTEGER, n INTEGER,
                               PRIMARY KEY (post, kind)) WITHOUT ROWID;
            CREATE TABLE link (post INTEGER, related INTEGER, kind INTEGER);
            CREATE TABLE waiting (row INTEGER PRIMARY KEY, attributes TEXT);
            """
        )
        self.links_ready = False

    def close(self) -> None:
        self.conn.close()  # closing twice is harmless
        self.path.unlink(missing_ok=True)

    # ------------------------------------------------------------ filling

    def add_posts(self, rows: Iterable[dict[str, str]]) -> None:
        accepted: list[tuple[int]] = []
        posts: list[tuple[int, int, int | None]] = []
        for row in rows:
            try:
                post_id, kind = _required_int(row, "Id"), _required_int(row, "PostTypeId")
                parent = _int(row, "ParentId")
                answer = _int(row, "AcceptedAnswerId")
            except RowError:
                continue  # the main pass reports it, with its row number
            posts.append((post_id, kind, parent))
            if answer is not None:
                accepted.append((answer,))
            if len(posts) >= 10_000:
                self._insert_posts(posts, accepted)
                posts, accepted = [], []
        self._insert_posts(posts, accepted)

    def _insert_posts(self, posts: list, accepted: list) -> None:
        with self.conn:
            self.conn.executemany("INSERT OR REPLACE INTO post VALUES (?, ?, ?)", posts)
            self.conn.executemany("INSERT OR IGNORE INTO accepted VALUES (?)", accepted)

    def add_votes(self, rows: Iterable[dict[str, str]]) -> None:
        counts: Counter[tuple[int, int]] = Counter()
        for row in rows:
            try:
                counts[(_required_int(row, "PostId"), _required_int(row, "VoteTypeId"))] += 1
            except RowError:
                continue
            if len(counts) >= VOTE_FLUSH:
                self._flush_votes(counts)
                counts = Counter()
        self._flush_votes(counts)

    def _flush_votes(self, counts: Counter[tuple[int, int]]) -> None:
        with self.conn:
            self.conn.executemany(
                "INSERT INTO vote VALUES (?, ?, ?) ON CONFLICT (post, kind) DO UPDATE "
                "SET n = n + excluded.n",
                ((post, kind, n) for (post, kind), n in counts.items()),
            )

    def add_links(self, rows: Iterable[dict[str, str]]) -> None:
        def links():
            for row in rows:
                try:
                    yield (_required_int(row, "PostId"), _required_int(row, "RelatedPostId"),
                           _required_int(row, "LinkTypeId"))
                except RowError:
                    continue

        with self.conn:
            self.conn.executemany("INSERT INTO link VALUES (?, ?, ?)", links())
        self.ready_links()

    def ready_links(self) -> None:
        if not self.links_ready:
            with self.conn:
                self.conn.execute("CREATE INDEX link_post ON link (post)")
                self.conn.execute("CREATE INDEX link_related ON link (related)")
            self.links_ready = True

    def wait(self, rows: list[tuple[int, dict[str, str]]]) -> None:
        """Park answers whose question has not been read yet."""
        with self.conn:
            self.conn.executemany("INSERT OR REPLACE INTO waiting VALUES (?, ?)",
                                  ((n, json.dumps(row)) for n, row in rows))

    def first_waiting(self) -> int | None:
        return self.conn.execute("SELECT min(row) FROM waiting").fetchone()[0]

    def waiting(self, size: int) -> Iterator[list[tuple[int, dict[str, str]]]]:
        """The parked answers, in file order, a batch at a time."""
        last = 0
        while True:
            rows = self.conn.execute(
                "SELECT row, attributes FROM waiting WHERE row > ? ORDER BY row LIMIT ?", (last, size)
            ).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield [(n, json.loads(text)) for n, text in rows]

    def clear_waiting(self) -> None:
        with self.conn:
            self.conn.execute("DELETE FROM waiting")

    # ------------------------------------------------------------ reading

    def _query(self, sql: str, ids: list[int]) -> Iterator[tuple]:
        for start in range(0, len(ids), SQL_CHUNK):
            chunk = ids[start : start + SQL_CHUNK]
            yield from self.conn.execute(sql.format(marks=",".join("?" * len(chunk))), chunk)

    def posts(self, ids: list[int]) -> dict[int, tuple[int, int | None]]:
        return {row[0]: (row[1], row[2]) for row in
                self._query("SELECT id, kind, parent FROM post WHERE id IN ({marks})", ids)}

    def questions(self, ids: list[int]) -> set[int]:
        return {row[0] for row in
                self._query(f"SELECT id FROM post WHERE kind = {QUESTION} AND id IN ({{marks}})", ids)}

    def accepted(self, ids: list[int]) -> set[int]:
        return {row[0] for row in self._query("SELECT id FROM accepted WHERE id IN ({marks})", ids)}

    def votes(self, ids: list[int]) -> dict[int, dict[str, int]]:
        found: dict[int, dict[str, int]] = {}
        for post, kind, n in self._query("SELECT post, kind, n FROM vote WHERE post IN ({marks})", ids):
            found.setdefault(post, {})[VOTE_KINDS.get(kind, f"kind_{kind}")] = n
        return found

    def links(self, ids: list[int]) -> dict[int, dict[str, list[str]]]:
        found: dict[int, dict[str, list[str]]] = {}
        for post, related, kind in self._query(
            "SELECT post, related, kind FROM link WHERE post IN ({marks}) ORDER BY related", ids
        ):
            key = "duplicate_of" if kind == DUPLICATE else "linked"
            found.setdefault(post, {}).setdefault(key, []).append(str(related))
        for post, related in self._query(
            f"SELECT related, post FROM link WHERE kind = {DUPLICATE} AND related IN ({{marks}}) "
            "ORDER BY post", ids
        ):
            found.setdefault(post, {}).setdefault("duplicates", []).append(str(related))
        return found


def _until(stop: threading.Event, rows: Iterator[dict[str, str]]) -> Iterator[dict[str, str]]:
    for number, row in enumerate(rows):
        if number % 1000 == 0 and stop.is_set():
            return
        yield row


class _IndexBuilder:
    """Builds the scratch index in a thread while the users phase runs."""

    def __init__(self, source: StackExchangeDumpSource, *, with_posts: bool):
        self._source = source
        self._with_posts = with_posts
        self._stop = threading.Event()
        self._index: ScratchIndex | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="dump-index", daemon=True)

    def _run(self) -> None:
        try:
            self._index = self._source._build_index(with_posts=self._with_posts, stop=self._stop)
        except BaseException as error:
            self._error = error

    def start(self) -> None:
        self._thread.start()

    def result(self) -> ScratchIndex:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._index is not None
        return self._index

    def close(self) -> None:
        """Stop early if the import ended before the index was needed, and
        remove the index."""
        self._stop.set()
        self._thread.join()
        if self._index is not None:
            self._index.close()


class _Reader:
    """One dump file, streamed, with its position for progress."""

    def __init__(self, path: Path):
        self.path = path
        self.size = path.stat().st_size
        self.handle = open(path, "rb")  # noqa: SIM115 - closed by the caller's with block

    def rows(self) -> Iterator[dict[str, str]]:
        return iter_rows(self.handle, self.path.name)

    @property
    def position(self) -> int:
        return self.handle.tell()

    def __enter__(self) -> _Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()


class StackExchangeDumpSource:
    """Reads one dump directory into one community (see module docstring)."""

    def __init__(
        self,
        community_id: str,
        directory: Path,
        *,
        site_url: str | None = None,
        stream: str | None = None,
        batch_rows: int = BATCH_ROWS,
        restart: bool = False,
        progress: Progress | None = None,
        scratch_dir: str | None = None,
        parallel: bool | None = False,
    ):
        self.community_id = community_id
        self.directory = Path(directory)
        self.site_url = site_url.rstrip("/") if site_url else None
        self.stream = stream or f"import:{self.directory.resolve()}"
        self.batch_rows = batch_rows
        self.restart = restart
        self.progress = progress
        self.scratch_dir = scratch_dir
        self.parallel = parallel
        """Read in a second process (see ``_read_in_worker``); None decides by
        the dump's size and the machine's cores."""
        self.counts: Counter[str] = Counter()
        """Rows read by kind (question, answer, comment, user, skipped …)."""

    # ------------------------------------------------------------- cursor

    def signature(self) -> dict[str, list[int]]:
        """Which dump this is: a different one restarts an interrupted import."""
        found = {}
        for name in SIGNATURE_FILES:
            path = self.directory / name
            if path.exists():
                stat = path.stat()
                found[name] = [stat.st_size, stat.st_mtime_ns]
        return found

    def _start(self, cursor: dict[str, Any] | None, signature: dict) -> tuple[str, int, list[str]]:
        if not cursor or self.restart:
            return PHASES[0], 0, []
        if cursor.get("dump") != signature:
            return PHASES[0], 0, ["the dump changed since the last import; reading it again"]
        phase = cursor.get("phase", PHASES[0])
        if phase != "done" and phase not in PHASES:
            return PHASES[0], 0, []
        return phase, int(cursor.get("row", 0)), []

    # -------------------------------------------------------------- fetch

    def fetch(self, request: FetchRequest) -> Iterator[Batch]:
        if not self.directory.is_dir():
            raise SourceNotFound(f"dump directory {self.directory} does not exist",
                                 community=self.community_id)
        if not (self.directory / "Posts.xml").exists():
            raise SourceConfigError(
                f"{self.directory} has no Posts.xml: not a Stack Exchange dump directory",
                community=self.community_id,
            )
        if self._use_worker():
            yield from self._read_in_worker(request)
        else:
            yield from self._read(request)

    def _read(self, request: FetchRequest) -> Iterator[Batch]:
        signature = self.signature()
        phase, row, notes = self._start(request.cursors.get(self.stream), signature)
        if phase == "done":
            return
        index: ScratchIndex | None = None
        # The index is built beside the users phase (a reader waiting for the
        # store to take its batches has time to spare). Resuming after posts
        # began, the rows read before are needed again: the old index left
        # with its process.
        builder = _IndexBuilder(self, with_posts=phase == "comments" or (phase == "posts" and row > 0))
        builder.start()
        try:
            for position, name in enumerate(PHASES):
                if position < PHASES.index(phase):
                    continue
                start = row if name == phase else 0
                following = PHASES[position + 1] if position + 1 < len(PHASES) else "done"
                if name in ("posts", "comments") and index is None:
                    index = builder.result()
                path = self.directory / PHASE_FILES[name]
                if not path.exists():
                    batch = Batch(stream=self.stream, problems=[f"{path.name} is missing; skipped"])
                    batch.cursor = {"dump": signature, "phase": following, "row": 0}
                    yield batch
                    continue
                for batch in self._phase(name, path, start, index, signature, following):
                    batch.problems[:0] = notes
                    notes = []
                    yield batch
        finally:
            builder.close()

    def _use_worker(self) -> bool:
        """A second process costs about half a second to start: worth it from
        a few tens of megabytes of posts, on a machine with a core to spare."""
        if self.parallel is not None:
            return self.parallel
        posts = self.directory / "Posts.xml"
        return (os.cpu_count() or 1) > 1 and posts.stat().st_size >= PARALLEL_FROM_BYTES

    def _settings(self) -> dict[str, Any]:
        return {"community_id": self.community_id, "directory": str(self.directory),
                "site_url": self.site_url, "stream": self.stream, "batch_rows": self.batch_rows,
                "restart": self.restart, "scratch_dir": self.scratch_dir}

    def _read_in_worker(self, request: FetchRequest) -> Iterator[Batch]:
        """Read and normalise in a second process while this one stores: the
        two halves cost about the same, so an import uses two cores. Batches
        come through a short queue, so memory stays bounded on both sides."""
        context = multiprocessing.get_context("spawn")
        channel = context.Queue(maxsize=QUEUED_BATCHES)
        # The reader's scratch index lives here, so it goes even when the
        # reader is stopped before it can clean up after itself.
        scratch = tempfile.mkdtemp(prefix="beachhead-dump-", dir=self.scratch_dir)
        settings = {**self._settings(), "scratch_dir": scratch}
        worker = context.Process(target=_work, args=(settings, request.cursors, channel),
                                 name=f"beachhead-dump-{self.community_id}", daemon=True)
        worker.start()
        try:
            while True:
                try:
                    kind, payload = channel.get(timeout=0.5)
                except queue.Empty:
                    if not worker.is_alive():
                        raise SourceUnavailable(
                            f"the reader of {self.directory} stopped unexpectedly "
                            f"(exit code {worker.exitcode})", community=self.community_id,
                        ) from None
                    continue
                if kind == "batch":
                    yield _unpack(payload)
                elif kind == "progress":
                    self._report(*payload)
                elif kind == "counts":
                    self.counts.update(payload)
                elif kind == "error":
                    raise _rebuild_error(*payload)
                elif kind == "crash":
                    raise RuntimeError(f"the reader of {self.directory} failed:\n{payload}")
                else:
                    return
        finally:
            if worker.is_alive():
                worker.terminate()
            worker.join(timeout=10)
            channel.close()
            shutil.rmtree(scratch, ignore_errors=True)

    def _build_index(self, *, with_posts: bool, stop: threading.Event) -> ScratchIndex:
        index = ScratchIndex(self.scratch_dir)
        steps = [("Votes.xml", index.add_votes), ("PostLinks.xml", index.add_links)]
        if with_posts:
            steps.insert(0, ("Posts.xml", index.add_posts))
        try:
            for name, add in steps:
                path = self.directory / name
                if not path.exists():
                    continue
                with _Reader(path) as reader:
                    self._report(f"index {name}", 0, reader.size)
                    add(_until(stop, reader.rows()))
                    self._report(f"index {name}", reader.size, reader.size)
            index.ready_links()
        except BaseException:
            index.close()
            raise
        return index

    def _report(self, step: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(step, done, total)

    def _phase(self, name: str, path: Path, start: int, index: ScratchIndex | None,
               signature: dict, following: str) -> Iterator[Batch]:
        convert = {"users": self._users, "posts": self._posts, "comments": self._comments}[name]
        problems = 0
        pending: list[tuple[int, dict[str, str]]] = []

        def cursor(row: int) -> dict[str, Any]:
            if index is not None and name == "posts":
                waiting = index.first_waiting()
                if waiting is not None:  # never past an answer not yet stored
                    row = min(row, waiting - 1)
            return {"dump": signature, "phase": name, "row": row}

        with _Reader(path) as reader:
            step = f"import {path.name}"
            self._report(step, 0, reader.size)
            try:
                last = start
                for number, row in enumerate(reader.rows(), start=1):
                    if number <= start:
                        continue
                    last = number
                    pending.append((number, row))
                    if len(pending) >= self.batch_rows:
                        batch, bad = convert(pending, index, path.name, problems)
                        problems += bad
                        batch.cursor = cursor(number)
                        pending = []
                        self._report(step, reader.position, reader.size)
                        yield batch
            except SourceDataError:
                # Keep what was read before the damage; the cursor stops there.
                if pending:
                    batch, bad = convert(pending, index, path.name, problems)
                    batch.cursor = cursor(pending[-1][0])
                    yield batch
                raise
            batch, bad = convert(pending, index, path.name, problems)
            problems += bad
            if name == "posts" and index is not None:
                # Every question is known now: the answers that came first follow.
                for rows in index.waiting(self.batch_rows):
                    if batch.threads or batch.posts or batch.problems:
                        batch.cursor = cursor(last)
                        yield batch
                        batch = Batch(stream=self.stream)
                    extra, bad = self._posts(rows, index, path.name, problems, final=True)
                    problems += bad
                    batch.posts.extend(extra.posts)
                    batch.problems.extend(extra.problems)
                index.clear_waiting()
            if problems > PROBLEMS_SHOWN:
                batch.problems.append(
                    f"{path.name}: {problems - PROBLEMS_SHOWN} more unreadable rows not listed"
                )
            batch.cursor = {"dump": signature, "phase": following, "row": 0}
            self._report(step, reader.size, reader.size)
            yield batch

    # --------------------------------------------------------- converting

    def _problem(self, batch: Batch, shown: int, name: str, number: int, row: dict,
                 error: RowError) -> int:
        self.counts["unreadable"] += 1
        if shown < PROBLEMS_SHOWN:
            ident = f" (Id {row['Id']})" if row.get("Id") else ""
            batch.problems.append(f"{name}: row {number}{ident}: {error}")
        return 1

    def _users(self, rows, index, name, shown) -> tuple[Batch, int]:
        batch = Batch(stream=self.stream)
        bad = 0
        for number, row in rows:
            try:
                batch.members.append(self.member(row))
                self.counts["user"] += 1
            except RowError as error:
                bad += self._problem(batch, shown + bad, name, number, row, error)
        return batch, bad

    def member(self, row: dict[str, str]) -> Member:
        user_id = str(_required_int(row, "Id"))
        about = row.get("AboutMe")
        return Member(
            community_id=self.community_id,
            native_id=user_id,
            handle=row.get("DisplayName") or user_id,
            display_name=row.get("DisplayName"),
            location=row.get("Location") or None,
            profile_url=f"{self.site_url}/users/{user_id}" if self.site_url else None,
            website=row.get("WebsiteUrl") or None,
            about=(html_to_text(about) or None) if about else None,
            reputation=_int(row, "Reputation"),
            joined_at=_time(row, "CreationDate", required=False),
            raw={k: v for k, v in row.items() if k != "AboutMe"},
        )

    def _posts(self, rows, index: ScratchIndex, name, shown, *, final: bool = False) \
            -> tuple[Batch, int]:
        batch = Batch(stream=self.stream)
        bad = 0
        if not final:
            index.add_posts(row for _, row in rows)
        ids, parents = [], []
        for _, row in rows:
            value, parent = row.get("Id"), row.get("ParentId")
            if value and value.isdigit():
                ids.append(int(value))
            if parent and parent.isdigit():
                parents.append(int(parent))
        votes, links = index.votes(ids), index.links(ids)
        accepted = index.accepted(ids)
        known = index.questions(parents) if not final else None
        early: list[tuple[int, dict[str, str]]] = []
        for number, row in rows:
            try:
                kind = _required_int(row, "PostTypeId")
                if kind == QUESTION:
                    batch.threads.append(self.thread(row, votes, links))
                    self.counts["question"] += 1
                elif kind == ANSWER:
                    if known is not None and _int(row, "ParentId") not in known:
                        early.append((number, row))
                        continue
                    batch.posts.append(self.answer(row, votes, accepted))
                    self.counts["answer"] += 1
                else:
                    self.counts["other post type"] += 1
            except RowError as error:
                bad += self._problem(batch, shown + bad, name, number, row, error)
        if early:
            index.wait(early)
        return batch, bad

    def _raw(self, row: dict[str, str], extra: dict[str, Any]) -> dict[str, Any]:
        raw: dict[str, Any] = {k: v for k, v in row.items() if k != "Body"}
        raw.update({k: v for k, v in extra.items() if v})
        return raw

    def thread(self, row: dict[str, str], votes: dict, links: dict) -> Thread:
        post_id = _required_int(row, "Id")
        body = row.get("Body") or ""
        accepted = _int(row, "AcceptedAnswerId")
        owner = _int(row, "OwnerUserId")
        return Thread(
            community_id=self.community_id,
            native_id=str(post_id),
            title=row.get("Title") or "",
            author=str(owner) if owner is not None else None,
            created_at=_time(row, "CreationDate"),
            body_text=html_to_text(body),
            body_markup=body,
            markup_format="html",
            url=f"{self.site_url}/questions/{post_id}" if self.site_url else None,
            tags=split_tags(row.get("Tags")),
            score=_int(row, "Score"),
            reply_count=_int(row, "AnswerCount") or 0,
            is_solved=accepted is not None,
            accepted_post_native_id=str(accepted) if accepted is not None else None,
            last_activity_at=_time(row, "LastActivityDate", required=False),
            raw=self._raw(row, {"votes": votes.get(post_id), **links.get(post_id, {})}),
        )

    def answer(self, row: dict[str, str], votes: dict, accepted: set[int]) -> Post:
        post_id = _required_int(row, "Id")
        body = row.get("Body") or ""
        owner = _int(row, "OwnerUserId")
        return Post(
            community_id=self.community_id,
            native_id=str(post_id),
            thread_native_id=str(_required_int(row, "ParentId")),
            author=str(owner) if owner is not None else None,
            created_at=_time(row, "CreationDate"),
            body_text=html_to_text(body),
            body_markup=body,
            markup_format="html",
            score=_int(row, "Score"),
            is_accepted=post_id in accepted,
            url=f"{self.site_url}/a/{post_id}" if self.site_url else None,
            raw=self._raw(row, {"votes": votes.get(post_id)}),
        )

    def _comments(self, rows, index: ScratchIndex, name, shown) -> tuple[Batch, int]:
        batch = Batch(stream=self.stream)
        bad = 0
        ids = []
        for _, row in rows:
            value = row.get("PostId")
            if value and value.isdigit():
                ids.append(int(value))
        known = index.posts(ids)
        for number, row in rows:
            try:
                post_id = _required_int(row, "PostId")
                kind, parent = known.get(post_id, (None, None))
                if kind == QUESTION:
                    thread_id, parent_id = post_id, None
                elif kind == ANSWER and parent is not None:
                    thread_id, parent_id = parent, post_id
                elif kind is None:
                    raise RowError(f"PostId {post_id} is not in Posts.xml")
                else:
                    self.counts["comment on other post type"] += 1
                    continue
                batch.posts.append(self.comment(row, thread_id, parent_id))
                self.counts["comment"] += 1
            except RowError as error:
                bad += self._problem(batch, shown + bad, name, number, row, error)
        return batch, bad

    def comment(self, row: dict[str, str], thread_id: int, parent_id: int | None) -> Post:
        comment_id = _required_int(row, "Id")
        text = row.get("Text") or ""
        user = _int(row, "UserId")
        return Post(
            community_id=self.community_id,
            native_id=comment_native_id(comment_id),
            thread_native_id=str(thread_id),
            author=str(user) if user is not None else None,
            created_at=_time(row, "CreationDate"),
            body_text=markdown_to_text(text),
            body_markup=text,
            markup_format="markdown",
            parent_native_id=str(parent_id) if parent_id is not None else None,
            score=_int(row, "Score"),
            url=f"{self.site_url}/posts/comments/{comment_id}" if self.site_url else None,
            raw={**{k: v for k, v in row.items() if k != "Text"}, "kind": "comment"},
        )

    def close(self) -> None:
        return None


def _work(settings: dict[str, Any], cursors: dict[str, dict[str, Any]], channel: Any) -> None:
    """The reading half of a parallel import, in its own process."""
    source = StackExchangeDumpSource(
        **{**settings, "directory": Path(settings["directory"])},
        progress=lambda step, done, total: channel.put(("progress", (step, done, total))),
    )
    try:
        for batch in source._read(FetchRequest(cursors)):
            channel.put(("batch", _pack(batch)))
        channel.put(("counts", dict(source.counts)))
        channel.put(("end", None))
    except SourceError as error:
        channel.put(("counts", dict(source.counts)))
        channel.put(("error", (type(error).__name__, str(error), error.community, error.url)))
    except BaseException:
        channel.put(("crash", traceback.format_exc()))


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_SHAPES = {
    kind: (tuple(f.name for f in fields(kind)),
           tuple(i for i, f in enumerate(fields(kind))
                 if f.name in ("created_at", "last_activity_at", "joined_at")))
    for kind in (Thread, Post, Member)
}


def _values(item: Thread | Post | Member) -> list[Any]:
    names, times = _SHAPES[type(item)]
    values = [getattr(item, name) for name in names]
    for i in times:
        if values[i] is not None:
            values[i] = (values[i] - _EPOCH) // _MICROSECOND
    return values


def _item(kind: type, values: list[Any]) -> Any:
    for i in _SHAPES[kind][1]:
        if values[i] is not None:
            values[i] = _EPOCH + timedelta(microseconds=values[i])
    return kind(*values)


def _pack(batch: Batch) -> tuple:
    """A batch as plain lists, times as whole microseconds: pickle rebuilds
    those a third faster than slotted dataclasses holding aware datetimes,
    and unpickling is the storing process's share of the handover."""
    return (batch.stream, batch.cursor, batch.requests, batch.problems,
            [_values(t) for t in batch.threads], [_values(p) for p in batch.posts],
            [_values(m) for m in batch.members])


def _unpack(packed: tuple) -> Batch:
    stream, cursor, requests, problems, threads, posts, members = packed
    return Batch(threads=[_item(Thread, v) for v in threads], posts=[_item(Post, v) for v in posts],
                 members=[_item(Member, v) for v in members], cursor=cursor, stream=stream,
                 requests=requests, problems=problems)


def _rebuild_error(kind: str, message: str, community: str | None, url: str | None) -> SourceError:
    """The worker's SourceError, raised again here with the same message."""
    cls = next((c for c in (SourceDataError, SourceNotFound, SourceConfigError, SourceUnavailable)
                if c.__name__ == kind), SourceError)
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.community, error.url = community, url
    return error
