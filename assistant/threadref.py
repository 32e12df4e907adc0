"""How a person names a stored thread on the command line or in Discord.

Founders copy whatever is in front of them: the number Beachhead shows, the
community and the forum's own id (``kestrel-forum:7001``), or the thread's
URL. All three resolve to the same row, and a miss names what was typed.
"""

from __future__ import annotations

from typing import Any

from assistant.store import Store


class ThreadNotFound(LookupError):
    def __init__(self, reference: Any):
        self.reference = reference
        super().__init__(reference)

    def __str__(self) -> str:
        return (
            f"thread {str(self.reference)!r} does not exist (use the number Beachhead shows, "
            "COMMUNITY:NATIVE_ID, or the thread's URL)"
        )


def resolve_thread(store: Store, reference: Any) -> dict[str, Any]:
    """The thread row for an id, ``community:native_id`` (or with ``/``), or URL."""
    text = str(reference).strip()
    row = None
    if text.isdigit():
        row = store.query_one("SELECT * FROM threads WHERE id = ?", (int(text),))
    elif text.startswith(("http://", "https://")):
        row = store.query_one("SELECT * FROM threads WHERE url = ? ORDER BY id LIMIT 1", (text,))
    else:
        for separator in (":", "/"):
            if separator in text:
                community_id, native_id = text.split(separator, 1)
                row = store.query_one(
                    "SELECT * FROM threads WHERE community_id = ? AND native_id = ?",
                    (community_id, native_id),
                )
                if row:
                    break
    if row is None:
        raise ThreadNotFound(reference)
    return row
