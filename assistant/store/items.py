"""Writing what sources read: idempotent upserts keyed on (community, native id).

A content hash per row tells "new", "updated" and "unchanged" apart, so a
re-read of the same batch changes nothing and reports nothing new; the raw
payload is kept beside the normalised columns so history can be reprocessed
by a better normaliser without fetching again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from assistant.domain import Batch, Member, Post, Thread, iso
from assistant.store.database import Store

SQL_CHUNK = 500


@dataclass
class UpsertCounts:
    new_threads: int = 0
    updated_threads: int = 0
    new_posts: int = 0
    updated_posts: int = 0
    new_members: int = 0
    thread_ids: list[int] = field(default_factory=list)
    """Ids of threads that are new or changed (threads whose posts changed
    count too): the work the judging steps have to redo."""

    def add(self, other: UpsertCounts) -> None:
        self.new_threads += other.new_threads
        self.updated_threads += other.updated_threads
        self.new_posts += other.new_posts
        self.updated_posts += other.updated_posts
        self.new_members += other.new_members
        self.thread_ids.extend(other.thread_ids)


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str)
"""One encoder for every row: ``json.dumps`` with options builds a new one per call."""


def _json(value: Any) -> str | None:
    if value is None:
        return None
    return _ENCODER.encode(value)


def _hash(*parts: Any) -> str:
    # One update over the joined bytes: the same digest as updating part by
    # part (each followed by \x1f), at a fraction of the calls.
    joined = "".join([f"{part!r}\x1f" for part in parts])
    return hashlib.blake2b(joined.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _chunks(items: list, size: int = SQL_CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _by_native_id(store: Store, table: str, community_id: str, native_ids: list[str],
                  columns: str) -> Iterator[tuple]:
    """(native id, *columns) of the rows of one community that exist, a
    query per ``SQL_CHUNK`` ids."""
    for chunk in _chunks(native_ids):
        marks = ",".join("?" * len(chunk))
        yield from store.conn.execute(
            f"SELECT native_id, {columns} FROM {table} "
            f"WHERE community_id = ? AND native_id IN ({marks})",
            [community_id, *chunk],
        )


def rows_by_key(store: Store, table: str, keys: Iterable[tuple[str, str]],
                columns: str) -> dict[tuple[str, str], tuple]:
    """(community, native id) → ``columns`` of those rows of ``table``
    (threads, posts or members) that exist, read in bulk: a few queries per
    community instead of one per row."""
    by_community: dict[str, set[str]] = {}
    for community_id, native_id in keys:
        by_community.setdefault(community_id, set()).add(native_id)
    return {(community_id, row[0]): tuple(row[1:])
            for community_id, natives in by_community.items()
            for row in _by_native_id(store, table, community_id, sorted(natives), columns)}


def _existing_hashes(store: Store, table: str, community_id: str,
                     native_ids: list[str]) -> dict[str, tuple[int, str]]:
    return {native_id: (row_id, content_hash) for native_id, row_id, content_hash
            in _by_native_id(store, table, community_id, native_ids, "id, content_hash")}


def thread_hash(thread: Thread) -> str:
    return _hash(
        thread.title,
        thread.body_text,
        thread.body_markup,
        thread.url,
        thread.author,
        iso(thread.created_at),
        iso(thread.last_activity_at),
        sorted(thread.tags),
        thread.score,
        thread.reply_count,
        thread.is_solved,
        thread.accepted_post_native_id,
        thread.author_is_staff,
    )


def post_hash(post: Post) -> str:
    return _hash(
        post.thread_native_id,
        post.parent_native_id,
        post.author,
        iso(post.created_at),
        post.body_text,
        post.body_markup,
        post.score,
        post.is_accepted,
        post.author_is_staff,
        post.position,
        post.url,
    )


_THREAD_COLUMNS = (
    "community_id, native_id, title, url, author, created_at, last_activity_at, body_text, "
    "body_markup, markup_format, tags_json, score, reply_count, is_solved, "
    "accepted_post_native_id, author_is_staff, raw_json, content_hash, fetched_at, updated_at"
)
_THREAD_UPDATES = ", ".join(
    f"{column} = excluded.{column}"
    for column in _THREAD_COLUMNS.replace(" ", "").split(",")
    if column not in ("community_id", "native_id", "fetched_at")
)

_POST_COLUMNS = (
    "community_id, native_id, thread_native_id, thread_id, parent_native_id, author, created_at, "
    "body_text, body_markup, markup_format, score, is_accepted, author_is_staff, position, url, "
    "raw_json, content_hash, fetched_at, updated_at"
)
_POST_UPDATES = ", ".join(
    f"{column} = excluded.{column}"
    for column in _POST_COLUMNS.replace(" ", "").split(",")
    if column not in ("community_id", "native_id", "fetched_at")
)


def upsert_threads(store: Store, threads: list[Thread], now: datetime) -> UpsertCounts:
    counts = UpsertCounts()
    by_community: dict[str, list[Thread]] = {}
    for thread in threads:
        by_community.setdefault(thread.community_id, []).append(thread)
    stamp = iso(now)
    for community_id, group in by_community.items():
        latest: dict[str, Thread] = {}
        for thread in group:  # a batch may repeat a thread: keep the last version
            latest[thread.native_id] = thread
        existing = _existing_hashes(store, "threads", community_id, list(latest))
        rows = []
        for native_id, thread in latest.items():
            digest = thread_hash(thread)
            known = existing.get(native_id)
            if known and known[1] == digest:
                continue
            if known:
                counts.updated_threads += 1
            else:
                counts.new_threads += 1
            rows.append(
                (
                    community_id,
                    native_id,
                    thread.title,
                    thread.url,
                    thread.author,
                    iso(thread.created_at),
                    iso(thread.last_activity_at),
                    thread.body_text,
                    thread.body_markup,
                    thread.markup_format,
                    json.dumps(thread.tags, ensure_ascii=False),
                    thread.score,
                    thread.reply_count,
                    int(thread.is_solved),
                    thread.accepted_post_native_id,
                    int(thread.author_is_staff),
                    _json(thread.raw),
                    digest,
                    stamp,
                    stamp,
                )
            )
        if rows:
            store.conn.executemany(
                f"INSERT INTO threads ({_THREAD_COLUMNS}) VALUES ({','.join('?' * 20)}) "
                f"ON CONFLICT (community_id, native_id) DO UPDATE SET {_THREAD_UPDATES}",
                rows,
            )
            changed = _existing_hashes(store, "threads", community_id, [r[1] for r in rows])
            counts.thread_ids.extend(row_id for row_id, _ in changed.values())
            # Replies stored before their thread (user histories) now find it.
            store.conn.executemany(
                "UPDATE posts SET thread_id = ? WHERE community_id = ? "
                "AND thread_native_id = ? AND thread_id IS NULL",
                [(row_id, community_id, native_id) for native_id, (row_id, _) in changed.items()],
            )
    return counts


def upsert_posts(store: Store, posts: list[Post], now: datetime) -> UpsertCounts:
    counts = UpsertCounts()
    by_community: dict[str, list[Post]] = {}
    for post in posts:
        by_community.setdefault(post.community_id, []).append(post)
    stamp = iso(now)
    for community_id, group in by_community.items():
        latest: dict[str, Post] = {p.native_id: p for p in group}
        thread_ids = _existing_hashes(
            store, "threads", community_id, sorted({p.thread_native_id for p in group})
        )
        existing = _existing_hashes(store, "posts", community_id, list(latest))
        rows = []
        touched: set[int] = set()
        for native_id, post in latest.items():
            digest = post_hash(post)
            known = existing.get(native_id)
            if known and known[1] == digest:
                continue
            if known:
                counts.updated_posts += 1
            else:
                counts.new_posts += 1
            thread_row = thread_ids.get(post.thread_native_id)
            if thread_row:
                touched.add(thread_row[0])
            rows.append(
                (
                    community_id,
                    native_id,
                    post.thread_native_id,
                    thread_row[0] if thread_row else None,
                    post.parent_native_id,
                    post.author,
                    iso(post.created_at),
                    post.body_text,
                    post.body_markup,
                    post.markup_format,
                    post.score,
                    int(post.is_accepted),
                    int(post.author_is_staff),
                    post.position,
                    post.url,
                    _json(post.raw),
                    digest,
                    stamp,
                    stamp,
                )
            )
        if rows:
            store.conn.executemany(
                f"INSERT INTO posts ({_POST_COLUMNS}) VALUES ({','.join('?' * 19)}) "
                f"ON CONFLICT (community_id, native_id) DO UPDATE SET {_POST_UPDATES}",
                rows,
            )
        counts.thread_ids.extend(sorted(touched))
    return counts


def _bare(member: Member) -> bool:
    """An author reference that says nothing beyond the member's id."""
    return (member.handle == member.native_id and not member.is_staff
            and not member.is_moderator and member.raw is None
            and member.display_name is None and member.location is None
            and member.profile_url is None and member.website is None and member.about is None
            and member.trust_level is None and member.reputation is None
            and member.joined_at is None)


def upsert_members(store: Store, members: list[Member], now: datetime) -> int:
    """Insert or enrich members. A value the platform did not send this time
    never erases one it sent before (a post's bare author reference must not
    wipe the profile a member page filled in)."""
    if not members:
        return 0
    stamp = iso(now)
    # New members are counted against the batch's own keys: a count(*) of the
    # whole table before and after grows with the table, batch after batch.
    keys = {(m.community_id, m.native_id) for m in members}
    known = rows_by_key(store, "members", keys, "id")
    new = len(keys) - len(known)
    rows = [
        (
            m.community_id,
            m.native_id,
            m.handle,
            m.display_name,
            m.location,
            m.profile_url,
            m.website,
            m.about,
            int(m.is_staff),
            int(m.is_moderator),
            m.trust_level,
            m.reputation,
            iso(m.joined_at),
            _json(m.raw),
            stamp,
            stamp,
        )
        for m in members
        # A bare reference to a member already stored would change nothing.
        if (m.community_id, m.native_id) not in known or not _bare(m)
    ]
    keep = ("display_name", "location", "profile_url", "website", "about", "trust_level",
            "reputation", "joined_at", "raw_json")
    updates = ", ".join(f"{c} = coalesce(excluded.{c}, members.{c})" for c in keep)
    if not rows:
        return new
    store.conn.executemany(
        "INSERT INTO members (community_id, native_id, handle, display_name, location, "
        "profile_url, website, about, is_staff, is_moderator, trust_level, reputation, "
        "joined_at, raw_json, first_seen_at, updated_at) "
        f"VALUES ({','.join('?' * 16)}) ON CONFLICT (community_id, native_id) DO UPDATE SET "
        # A handle that only repeats the native id (a bare author reference,
        # e.g. a Stack Exchange user id) never replaces a real display handle.
        "handle = CASE WHEN excluded.handle = excluded.native_id THEN members.handle "
        "ELSE excluded.handle END, is_staff = max(members.is_staff, excluded.is_staff), "
        f"is_moderator = max(members.is_moderator, excluded.is_moderator), {updates}, "
        "updated_at = CASE WHEN excluded.raw_json IS NOT NULL OR excluded.location IS NOT NULL "
        "THEN excluded.updated_at ELSE members.updated_at END",
        rows,
    )
    return new


def authors_as_members(batch: Batch) -> list[Member]:
    """Every author named in a batch becomes at least a bare member, so later
    steps can always join a post to its member."""
    seen: dict[tuple[str, str], Member] = {}
    for thread in batch.threads:
        if thread.author:
            seen.setdefault(
                (thread.community_id, thread.author),
                Member(thread.community_id, thread.author, thread.author,
                       is_staff=thread.author_is_staff),
            )
        for post in thread.posts:
            if post.author:
                seen.setdefault(
                    (post.community_id, post.author),
                    Member(post.community_id, post.author, post.author,
                           is_staff=post.author_is_staff),
                )
    for post in batch.posts:
        if post.author:
            seen.setdefault(
                (post.community_id, post.author),
                Member(post.community_id, post.author, post.author,
                       is_staff=post.author_is_staff),
            )
    return list(seen.values())


def store_batch(store: Store, batch: Batch, community_id: str, now: datetime) -> UpsertCounts:
    """Store a batch and its cursor in one transaction: either all of it is
    in the database, or none of it and the cursor has not moved."""
    with store.transaction():
        # Profiles first, then bare authors (which never overwrite a profile).
        counts = UpsertCounts()
        counts.new_members += upsert_members(store, batch.members, now)
        counts.new_members += upsert_members(store, authors_as_members(batch), now)
        counts.add(upsert_threads(store, batch.threads, now))
        all_posts = [post for thread in batch.threads for post in thread.posts] + batch.posts
        counts.add(upsert_posts(store, all_posts, now))
        if batch.cursor is not None:
            save_cursor(store, community_id, batch.stream, batch.cursor, now)
    counts.thread_ids = sorted(set(counts.thread_ids))
    return counts


def save_cursor(
    store: Store, community_id: str, stream: str, cursor: dict[str, Any], now: datetime
) -> None:
    store.conn.execute(
        "INSERT INTO fetch_cursors (community_id, stream, cursor_json, updated_at) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (community_id, stream) DO UPDATE SET "
        "cursor_json = excluded.cursor_json, updated_at = excluded.updated_at",
        (community_id, stream, json.dumps(cursor, sort_keys=True), iso(now)),
    )


def load_cursors(store: Store, community_id: str) -> dict[str, dict[str, Any]]:
    return {
        row["stream"]: json.loads(row["cursor_json"])
        for row in store.query(
            "SELECT stream, cursor_json FROM fetch_cursors WHERE community_id = ?",
            (community_id,),
        )
    }


def sync_communities(store: Store, communities: Iterable[Any], now: datetime) -> None:
    """Record the playbook's communities, so the database explains itself."""
    with store.transaction():
        for community in communities:
            store.conn.execute(
                "INSERT INTO communities (id, platform, locator, name, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET platform = "
                "excluded.platform, locator = excluded.locator, name = excluded.name, "
                "updated_at = excluded.updated_at",
                (community.id, community.platform, community.locator, community.name, iso(now)),
            )
