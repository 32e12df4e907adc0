"""One person, several accounts: links between members of different
communities, proposed when handles, profile links or signatures match, kept
with their reason, and undoable.

An undone link is remembered (state ``undone``) so it is never proposed again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from assistant.domain import iso
from assistant.store import Store
from classifiers.linking import MAX_BLOCK, MemberRef, block_keys, propose_links

MIN_CONFIDENCE = 0.8


class LinkError(Exception):
    pass


@dataclass(frozen=True)
class Link:
    id: int
    a: str
    b: str
    reason: str
    confidence: float
    state: str


KEYS_SETTING = "links.keys"
"""Set once ``member_link_keys`` holds every member's comparison keys: from
then on a pass reads only its own members and those sharing a key with them."""
CHECKED_SETTING = "links.checked_through"
"""The newest ``members.updated_at`` the last pass looked at: profiles that
changed since are looked at again, even if their owner wrote nothing."""
NEWEST_SETTING = "links.checked_member_id"
"""The newest member id the last pass looked at."""
_COLUMNS = "id, community_id, native_id, handle, display_name, website, profile_url, about"


def _ref(row: dict) -> MemberRef:
    return MemberRef(
        community=row["community_id"],
        member_id=row["native_id"],
        handle=row["handle"] or row["native_id"],
        display_name=row["display_name"],
        website=row["website"],
        profile_urls=tuple(u for u in (row["profile_url"],) if u),
        about=row["about"],
    )


def _rows(store: Store, member_ids: Sequence[int]) -> list[dict]:
    ids = sorted(member_ids)
    rows = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows += store.query(
            f"SELECT {_COLUMNS} FROM members WHERE id IN ({','.join('?' * len(chunk))})", chunk)
    return rows


def _key_text(key: tuple[str, str]) -> str:
    return f"{key[0]}:{key[1]}"


def _save_keys(store: Store, refs: dict[int, MemberRef], *, everyone: bool) -> dict[int, list[str]]:
    keys = {member_id: [_key_text(k) for k in block_keys(ref)] for member_id, ref in refs.items()}
    if everyone:
        store.conn.execute("DELETE FROM member_link_keys")
    else:
        ids = sorted(refs)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            store.conn.execute(
                f"DELETE FROM member_link_keys WHERE member_id IN ({','.join('?' * len(chunk))})", chunk)
    store.conn.executemany(
        "INSERT OR IGNORE INTO member_link_keys (key, member_id) VALUES (?, ?)",
        [(key, member_id) for member_id, found in keys.items() for key in found],
    )
    return keys


def propose(store: Store, now: datetime, *, incremental: bool = False,
            min_confidence: float = MIN_CONFIDENCE) -> list[int]:
    """Link the accounts that look like one person; returns new link ids.

    ``incremental`` (a watcher pass) narrows the work to pairs with a member
    who arrived or whose profile changed since the last call: links are read
    from profiles only, so a member whose profile did not change has had
    every pair it can make looked at already. Every member sharing a key
    with those is read, so each such pair gets the evidence and block sizes
    a reading of everyone would give. Otherwise, or before the keys are
    built, everyone is read."""
    incremental = incremental and store.get_setting(KEYS_SETTING) is not None
    generic: set[tuple[str, ...]] = set()
    with store.transaction():
        if incremental:
            focus: set[int] = set()
            mark = store.get_setting(CHECKED_SETTING)
            if mark:
                focus.update(row[0] for row in store.conn.execute(
                    "SELECT id FROM members WHERE updated_at >= ?", (mark,)))
            # Arrivals by id as well: a member stored with an older clock
            # than the mark (an import of old data) is new all the same.
            focus.update(row[0] for row in store.conn.execute(
                "SELECT id FROM members WHERE id > ?", (int(store.get_setting(NEWEST_SETTING) or 0),)))
            refs = {row["id"]: _ref(row) for row in _rows(store, focus)}
            keys = _save_keys(store, refs, everyone=False)
            wanted = sorted({key for found in keys.values() for key in found})
            # Counted up to one past a block's limit: a generic key's members
            # (thousands, growing with the community) are never walked.
            sizes = {key: store.conn.execute(
                "SELECT count(*) FROM (SELECT 1 FROM member_link_keys WHERE key = ? LIMIT ?)",
                (key, MAX_BLOCK + 1)).fetchone()[0] for key in wanted}
            # A key more members share than a block may hold links nobody (as
            # in a full read): its members are not read, and it is ignored.
            generic = {tuple(key.split(":", 1)) for key in wanted if sizes.get(key, 0) > MAX_BLOCK}
            wanted = [key for key in wanted if sizes.get(key, 0) <= MAX_BLOCK]
            sharing: set[int] = set()
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                sharing.update(row[0] for row in store.conn.execute(
                    f"SELECT member_id FROM member_link_keys WHERE key IN ({','.join('?' * len(chunk))})",
                    chunk))
            refs.update((row["id"], _ref(row)) for row in _rows(store, sharing - set(refs)))
        else:
            refs = {row["id"]: _ref(row) for row in store.query(f"SELECT {_COLUMNS} FROM members")}
            _save_keys(store, refs, everyone=True)
            store.set_setting(KEYS_SETTING, 1)
        store.set_setting(CHECKED_SETTING, store.scalar("SELECT max(updated_at) FROM members"))
        store.set_setting(NEWEST_SETTING, store.scalar("SELECT max(id) FROM members") or 0)
        by_key = {ref.key: member_id for member_id, ref in refs.items()}
        created = []
        ordered = [refs[member_id] for member_id in sorted(refs)]  # as a full read sees them
        for proposal in propose_links(ordered, min_confidence=min_confidence, generic=generic):
            a, b = sorted((by_key[proposal.a], by_key[proposal.b]))
            if incremental and a not in focus and b not in focus:
                continue  # their evidence may lie in blocks only partly read
            cursor = store.conn.execute(
                "INSERT INTO member_links (member_a, member_b, reason, confidence, state, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, 'linked', ?, ?) ON CONFLICT (member_a, member_b) "
                "DO NOTHING",
                (a, b, "; ".join(proposal.reasons), proposal.confidence, iso(now), iso(now)),
            )
            if cursor.rowcount:
                created.append(cursor.lastrowid)
    return created


def person_key(store: Store, member_id: int) -> str:
    """The same key for every account of one person: the smallest member id
    reachable through kept links."""
    seen = {member_id}
    frontier = [member_id]
    while frontier:
        marks = ",".join("?" * len(frontier))
        found = store.conn.execute(
            f"SELECT member_a, member_b FROM member_links WHERE state = 'linked' AND "
            f"(member_a IN ({marks}) OR member_b IN ({marks}))",
            [*frontier, *frontier],
        ).fetchall()
        frontier = []
        for a, b in found:
            for other in (a, b):
                if other not in seen:
                    seen.add(other)
                    frontier.append(other)
    return f"person:{min(seen)}"


def person_keys(store: Store, members: Iterable[int] | None = None) -> dict[int, str]:
    """``person_key`` of every member with a kept link, from one read of the
    links (members without one are ``person:<their id>``): what counting many
    members at once uses instead of a walk per member. With ``members``,
    only the people those members are: their links are followed outwards
    (a person has a handful of accounts), never every link in the store."""
    parent: dict[int, int] = {}

    def root(member: int) -> int:
        while parent.get(member, member) != member:
            parent[member] = parent.get(parent[member], parent[member])
            member = parent[member]
        return member

    for a, b in (_links(store) if members is None else _links_reaching(store, members)):
        first, second = root(a), root(b)
        parent.setdefault(first, first)
        parent.setdefault(second, second)
        if first != second:
            parent[max(first, second)] = min(first, second)
    return {member: f"person:{root(member)}" for member in parent}


def _links(store: Store) -> Iterable[tuple[int, int]]:
    return store.conn.execute("SELECT member_a, member_b FROM member_links WHERE state = 'linked'")


def _links_reaching(store: Store, members: Iterable[int]) -> list[tuple[int, int]]:
    """The kept links of the people ``members`` belong to: each account's
    links, then the links of the accounts those reach, until no new one."""
    seen: set[int] = set()
    frontier = set(members)
    found: set[tuple[int, int]] = set()
    while frontier:
        seen |= frontier
        ordered = sorted(frontier)
        frontier = set()
        for start in range(0, len(ordered), 500):
            chunk = ordered[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for a, b in store.conn.execute(
                f"SELECT member_a, member_b FROM member_links WHERE member_a IN ({marks}) "
                f"AND state = 'linked' UNION SELECT member_a, member_b FROM member_links "
                f"WHERE member_b IN ({marks}) AND state = 'linked'", [*chunk, *chunk]):
                found.add((a, b))
                frontier.update(m for m in (a, b) if m not in seen)
    return sorted(found)


def list_links(store: Store, *, states: Sequence[str] = ("linked",)) -> list[Link]:
    marks = ",".join("?" * len(states))
    return [
        Link(row["id"], f"{row['ca']}:{row['ha']}", f"{row['cb']}:{row['hb']}", row["reason"],
             row["confidence"], row["state"])
        for row in store.query(
            "SELECT l.id, l.reason, l.confidence, l.state, a.community_id AS ca, a.handle AS ha, "
            "b.community_id AS cb, b.handle AS hb FROM member_links l "
            "JOIN members a ON a.id = l.member_a JOIN members b ON b.id = l.member_b "
            f"WHERE l.state IN ({marks}) ORDER BY l.confidence DESC, l.id",
            list(states),
        )
    ]


def set_state(store: Store, link_id: int, state: str, now: datetime) -> Link:
    """Undo a wrong link (``undone``) or restore one (``linked``)."""
    with store.transaction():
        cursor = store.conn.execute(
            "UPDATE member_links SET state = ?, updated_at = ? WHERE id = ?", (state, iso(now), link_id)
        )
        if not cursor.rowcount:
            raise LinkError(f"member link {link_id} does not exist")
    return next(link for link in list_links(store, states=("linked", "undone")) if link.id == link_id)
