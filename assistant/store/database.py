"""Opening the one SQLite file Beachhead keeps everything in.

WAL lets the bot read while the watcher writes; a busy timeout plus
``BEGIN IMMEDIATE`` for writes means a second writer waits its turn instead of
failing with "database is locked" when it tries to upgrade a read lock.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from assistant.store.migrations import migrations

DEFAULT_DB = "beachhead.db"
BUSY_TIMEOUT_MS = 30_000


class StoreError(Exception):
    """The database cannot be opened or used."""


def default_db_path() -> Path:
    return Path(os.environ.get("BEACHHEAD_DB") or DEFAULT_DB)


class Store:
    """A Beachhead database: a sqlite-utils Database plus the transaction
    discipline every writer follows."""

    def __init__(self, path: str | Path, *, migrate: bool = True):
        self.path = Path(path)
        try:
            connection = sqlite3.connect(
                str(self.path),
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: cannot open database ({error})") from None
        self.db = Database(connection)
        if migrate:
            try:
                self.migrate()
            except sqlite3.DatabaseError as error:
                raise StoreError(f"{self.path}: not a Beachhead database ({error})") from None

    @classmethod
    def memory(cls) -> Store:
        return cls(":memory:")

    def migrate(self, *, stop_before: str | None = None) -> None:
        with self.write_lock():
            migrations.apply(self.db, stop_before=stop_before)

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """Take the write lock up front (BEGIN IMMEDIATE) for work that manages
        its own inner transactions, then release it."""
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One atomic unit of writes. Nested use joins the outer transaction
        through a savepoint."""
        if self.conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def query(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        cursor = self.conn.execute(sql, params)
        columns = [c[0] for c in cursor.description or ()]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    def query_one(self, sql: str, params: Any = ()) -> dict[str, Any] | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: Any = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def get_setting(self, key: str) -> Any:
        raw = self.scalar("SELECT value FROM settings WHERE key = ?", (key,))
        return json.loads(raw) if raw is not None else None

    def set_setting(self, key: str, value: Any) -> None:
        with self.transaction():
            if value is None:
                self.conn.execute("DELETE FROM settings WHERE key = ?", (key,))
            else:
                self.conn.execute(
                    "INSERT INTO settings (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, json.dumps(value)),
                )

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
