"""SQLite through sqlite-utils: the schema, its migrations and the writes every
source shares."""

from assistant.store.database import DEFAULT_DB, Store, StoreError, default_db_path
from assistant.store.items import (
    UpsertCounts,
    load_cursors,
    rows_by_key,
    store_batch,
    sync_communities,
)

__all__ = [
    "DEFAULT_DB",
    "Store",
    "StoreError",
    "UpsertCounts",
    "default_db_path",
    "load_cursors",
    "rows_by_key",
    "store_batch",
    "sync_communities",
]
