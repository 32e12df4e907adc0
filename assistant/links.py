"""One person, several accounts: links between members of different
communities, proposed when handles, profile links or signatures match, kept
with their reason, and undoable.

An undone link is remembered (state ``undone``) so it is never proposed again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from assistant.domain import iso
from assistant.store import Store
from classifiers.linking import MemberRef, propose_links

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


def propose(store: Store, now: datetime, *, min_confidence: float = MIN_CONFIDENCE) -> list[int]:
    """Link the accounts that look like one person; returns new link ids."""
    rows = store.query(
        "SELECT id, community_id, native_id, handle, display_name, website, profile_url, about "
        "FROM members"
    )
    by_key = {(row["community_id"], row["native_id"]): row["id"] for row in rows}
    refs = [
        MemberRef(
            community=row["community_id"],
            member_id=row["native_id"],
            handle=row["handle"] or row["native_id"],
            display_name=row["display_name"],
            website=row["website"],
            profile_urls=tuple(u for u in (row["profile_url"],) if u),
            about=row["about"],
        )
        for row in rows
    ]
    created = []
    with store.transaction():
        for proposal in propose_links(refs, min_confidence=min_confidence):
            a, b = sorted((by_key[proposal.a], by_key[proposal.b]))
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
