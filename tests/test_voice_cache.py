"""Migration m007: each community's data version moves with its threads and
posts, and members' voice is reused from ``voice_cache`` only while it does not."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from assistant import experts
from assistant.domain import Batch, Post, Thread
from assistant.store import Store, store_batch

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def batch(prefix: str, helper: str = "helper") -> Batch:
    created = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    threads = [
        Thread(community_id="forum", native_id=f"{prefix}{i}", title=f"Widget {i} will not start",
               author=f"user{i}", created_at=created, body_text="It crashes at boot.",
               posts=[Post("forum", f"{prefix}{i}-p1", f"{prefix}{i}", helper,
                           created.replace(hour=10), "Try a reset, that fixes it.", position=1,
                           score=3)])
        for i in range(3)
    ]
    return Batch(threads=threads, members=[], cursor={})


def version(store: Store) -> int:
    return store.scalar("SELECT version FROM data_versions WHERE community_id = 'forum'") or 0


def test_a_database_before_m007_upgrades_and_versions_follow_writes(tmp_path: Path):
    path = tmp_path / "old.db"
    old = Store(path, migrate=False)
    old.migrate(stop_before="m007_queries")
    store_batch(old, batch("a"), "forum", NOW)
    old.close()

    store = Store(path)
    assert version(store) == 0
    first = experts.cached_voice(store, "forum")
    assert first == experts.VOICE(store, "forum")
    assert store.scalar("SELECT count(*) FROM voice_cache") == 1
    assert experts.cached_voice(store, "forum") == first  # reused, same values

    before = version(store)
    store_batch(store, batch("b", helper="other"), "forum", NOW)
    assert version(store) > before
    again = experts.cached_voice(store, "forum")
    assert again == experts.VOICE(store, "forum")
    assert "other" in again and "other" not in first

    before = version(store)
    store.conn.execute("UPDATE posts SET score = 40 WHERE native_id = 'b0-p1'")
    assert version(store) > before
    assert experts.cached_voice(store, "forum") == experts.VOICE(store, "forum")
    store.close()


def test_credibility_reads_the_kept_voice_and_the_watcher_refreshes_it(tmp_path: Path):
    from datetime import timedelta

    from assistant import clock
    from playbooks import load_playbook
    from tests.builders import write_playbook

    playbook = load_playbook(write_playbook(tmp_path))
    community = playbook.communities[0].id
    store = Store(tmp_path / "voice.db")
    clock.pin(store, NOW)
    first = experts.stored_voice(store, community)  # never kept: computed once, kept
    assert store.scalar("SELECT count(*) FROM voice_cache") == 1 and first.current
    every = timedelta(minutes=playbook.watch_interval_minutes)
    others = {c.id for c in playbook.communities} - {community}
    assert set(experts.refresh_stale_voices(store, playbook, every=every, now=NOW)) == others
    store.conn.execute("INSERT INTO data_versions (community_id, version) VALUES (?, 99) "
                       "ON CONFLICT (community_id) DO UPDATE SET version = 99", (community,))
    stale = experts.stored_voice(store, community)  # stale: read as kept, not computed
    assert not stale.current and stale.computed_at == first.computed_at
    assert experts.refresh_stale_voices(store, playbook, every=every, now=NOW) == []  # too soon
    later = NOW + every + timedelta(seconds=1)
    assert experts.refresh_stale_voices(store, playbook, every=every, now=later) == [community]
    assert experts.stored_voice(store, community).current
    assert experts.refresh_stale_voices(store, playbook, every=every, now=later) == []
    store.close()
