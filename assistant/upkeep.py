"""What a watcher does after each pass so that the founders' queries only
read: the communities' voice (at most once per interval) and the founders'
credibility parts of the threads that changed. Both are kept in the
database; ``/credibility`` then answers from kept rows instead of working
through history while a founder waits."""

from __future__ import annotations

from datetime import timedelta

from assistant import credibility, experts
from assistant.store import Store
from playbooks import Playbook


def after_pass(store: Store, playbook: Playbook, *, every: timedelta) -> list[str]:
    """Refresh what the queries read; returns the communities whose voice
    was recomputed."""
    recomputed = experts.refresh_stale_voices(store, playbook, every=every)
    credibility.standings(store, playbook)
    return recomputed
