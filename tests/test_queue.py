"""The queue: exact priorities, every transition, answer-by expiry on a fixed
clock, and the CLI's refusals."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant import clock
from assistant import queue as q
from assistant.cli import cli
from assistant.store import Store
from playbooks import load_playbook
from tests.builders import write_playbook

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def playbook(tmp_path: Path):
    return load_playbook(write_playbook(tmp_path))


def inputs(**changes) -> q.PriorityInputs:
    base = dict(
        category="pervasive_solvable", affected_members=4, countries=3, asker_type="customer",
        asker_value=1.0, created_at=T0 - timedelta(hours=24), answered=False, expert_answered=False,
    )
    base.update(changes)
    return q.PriorityInputs(**base)


def test_priority_of_a_fresh_pervasive_problem(playbook):
    priority = q.compute_priority(inputs(), playbook, T0)
    assert priority.components == {
        "category": 0.4,
        "affected_members": 0.05,
        "countries": 0.05,
        "asker_value": 0.1,
        "freshness": 0.1414,
        "answered_penalty": 0.0,
        "expert_answered_penalty": 0.0,
        "competitor_penalty": 0.0,
    }
    assert priority.value == 0.7414
    assert priority.why == (
        "pervasive solvable +0.40 · 24h old +0.14 · customer +0.10 · 4 members +0.05 · "
        "3 countries +0.05"
    )


def test_answers_experts_and_competitors_lower_priority(playbook):
    answered = q.compute_priority(inputs(answered=True), playbook, T0)
    assert answered.value == 0.5914
    by_expert = q.compute_priority(inputs(answered=True, expert_answered=True), playbook, T0)
    assert by_expert.value == 0.3414
    assert by_expert.why.startswith("pervasive solvable +0.40 · an expert answered -0.25")
    rival = q.compute_priority(inputs(asker_type="competitor", asker_value=0.1), playbook, T0)
    assert rival.components["asker_value"] == 0.01
    assert rival.components["competitor_penalty"] == -0.3
    assert rival.value == 0.3514


def test_priority_is_clamped_and_saturates(playbook):
    crowd = q.compute_priority(
        inputs(affected_members=50, countries=20, created_at=T0, asker_type="channel_partner",
               asker_value=1.5), playbook, T0)
    assert crowd.components["affected_members"] == 0.15
    assert crowd.components["countries"] == 0.1
    assert crowd.components["freshness"] == 0.2
    assert crowd.value == 1.0
    nothing = q.compute_priority(
        inputs(category="not_a_problem", affected_members=1, countries=0, asker_type="competitor",
               asker_value=0.0, created_at=T0 - timedelta(days=30), answered=True,
               expert_answered=True), playbook, T0)
    assert nothing.value == 0.0


def test_unrewarded_and_unsolvable_weigh_what_the_playbook_says(playbook):
    unrewarded = q.compute_priority(inputs(category="unrewarded"), playbook, T0)
    unsolvable = q.compute_priority(inputs(category="unsolvable"), playbook, T0)
    assert unrewarded.components["category"] == 0.14
    assert unsolvable.components["category"] == 0.02


# ------------------------------------------------------------------ states


def seed_item(store: Store, state: str = "queued", **fields) -> int:
    with store.transaction():
        thread_id = store.conn.execute(
            "INSERT INTO threads (community_id, native_id, title, author, created_at, content_hash, "
            "fetched_at, updated_at) VALUES ('forum', ?, 'Mail stuck', 'ana', ?, 'h', ?, ?)",
            (f"n{store.scalar('SELECT count(*) FROM threads')}", T0.isoformat(), T0.isoformat(),
             T0.isoformat()),
        ).lastrowid
        store.conn.execute(
            "INSERT INTO members (community_id, native_id, handle) VALUES ('forum', 'ana', 'ana') "
            "ON CONFLICT DO NOTHING"
        )
        columns = {
            "thread_id": thread_id, "community_id": "forum", "state": state, "priority": 0.5,
            "components_json": json.dumps({"category": 0.4}), "why": "pervasive solvable +0.40",
            "answer_by": (T0 + timedelta(hours=24)).isoformat(), "created_at": T0.isoformat(),
            "updated_at": T0.isoformat(), **fields,
        }
        return store.conn.execute(
            f"INSERT INTO queue_items ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            list(columns.values()),
        ).lastrowid


def attempt(store, playbook, item_id, target):
    if target == "claimed":
        return q.claim(store, playbook, item_id, "Ada Quintero", now=T0)
    if target == "answered":
        return q.mark_answered(store, playbook, item_id, "https://forum.example/t/1/4",
                               founder="ada", now=T0)
    if target == "dismissed":
        return q.dismiss(store, playbook, item_id, "unsolvable", now=T0)
    if target == "snoozed":
        return q.snooze(store, item_id, T0 + timedelta(hours=2), now=T0)
    if target == "queued":
        return q.release(store, item_id, now=T0)
    raise AssertionError(target)


TARGETS = ("claimed", "answered", "dismissed", "snoozed", "queued")


@pytest.mark.parametrize("start", ["queued", "claimed", "snoozed", "expired", "answered", "dismissed"])
@pytest.mark.parametrize("target", TARGETS)
def test_every_transition_is_allowed_or_refused_with_a_clear_message(tmp_path, playbook, start, target):
    store = Store(tmp_path / "q.db")
    extra = {"claimed_by": "Bruno Paz"} if start == "claimed" else {}
    item_id = seed_item(store, start, **extra)
    legal = target in q.TRANSITIONS[start]
    if start == "claimed" and target == "claimed":
        legal = False  # someone else holds it
    if legal:
        item = attempt(store, playbook, item_id, target)
        assert item.state == target
        events = store.query("SELECT from_state, to_state FROM queue_events WHERE item_id = ?", (item_id,))
        assert events == [{"from_state": start, "to_state": target}]
    else:
        with pytest.raises(q.IllegalTransition) as caught:
            attempt(store, playbook, item_id, target)
        assert q.get_item(store, item_id).state == start
        if start == "claimed" and target == "claimed":
            assert str(caught.value) == f"queue item {item_id} is already claimed by Bruno Paz"
        else:
            allowed = ", ".join(sorted(q.TRANSITIONS[start])) or "nothing (it is final)"
            assert str(caught.value) == (
                f"queue item {item_id} is {start}; it cannot become {target} "
                f"(from {start} it can become: {allowed})"
            )


def test_dismiss_reason_becomes_a_label(tmp_path, playbook):
    store = Store(tmp_path / "q.db")
    a, b = seed_item(store), seed_item(store)
    q.dismiss(store, playbook, a, "not a problem", actor="ada", note="release notes", now=T0)
    q.dismiss(store, playbook, b, "competitor", now=T0)
    labels = store.query("SELECT kind, value, source, author, note, member_id IS NOT NULL AS on_member "
                         "FROM labels ORDER BY id")
    assert labels == [
        {"kind": "category", "value": "not_a_problem", "source": "dismiss", "author": "Ada Quintero",
         "note": "release notes", "on_member": 0},
        {"kind": "user_type", "value": "competitor", "source": "dismiss", "author": None,
         "note": None, "on_member": 1},
    ]
    with pytest.raises(q.QueueError) as caught:
        q.dismiss(store, playbook, seed_item(store), "boring", now=T0)
    assert str(caught.value) == (
        "reason 'boring' is not one of unrewarded, unsolvable, not_a_problem, competitor"
    )


def test_answer_by_expiry_and_snooze_wakeup_on_a_fixed_clock(tmp_path, playbook):
    store = Store(tmp_path / "q.db")
    open_item = seed_item(store)
    held = seed_item(store, "claimed", claimed_by="Ada Quintero")
    napping = seed_item(store, "snoozed", snoozed_until=(T0 + timedelta(hours=5)).isoformat())
    assert [i.id for i in q.list_items(store, now=T0 + timedelta(hours=4))] == [open_item, held, napping]
    assert q.get_item(store, napping).state == "snoozed"
    q.list_items(store, now=T0 + timedelta(hours=6))
    assert q.get_item(store, napping).state == "queued"
    assert q.expire_due(store, T0 + timedelta(hours=23, minutes=59)) == []
    assert sorted(q.expire_due(store, T0 + timedelta(hours=24))) == [open_item, napping]
    assert q.get_item(store, open_item).state == "expired"
    assert q.get_item(store, held).state == "claimed"  # someone is on it: never expires
    late = q.mark_answered(store, playbook, open_item, "https://forum.example/t/1/9", founder="Ada Quintero",
                           now=T0 + timedelta(hours=30))
    assert late.state == "answered" and late.answered_at > late.answer_by


def test_answered_needs_a_web_url(tmp_path, playbook):
    store = Store(tmp_path / "q.db")
    item_id = seed_item(store)
    with pytest.raises(q.QueueError) as caught:
        q.mark_answered(store, playbook, item_id, "forum.example/t/1", now=T0)
    assert str(caught.value) == "answer URL 'forum.example/t/1' must start with http:// or https://"


# -------------------------------------------------------------------- CLI


def invoke(tmp_path: Path, *args):
    return CliRunner().invoke(cli, ["--db", str(tmp_path / "q.db"), "--playbook",
                                    str(tmp_path / "beachhead.toml"), *args])


def test_cli_refuses_unknown_items_founders_and_illegal_moves(tmp_path, playbook):
    store = Store(tmp_path / "q.db")
    clock.pin(store, T0)
    item_id = seed_item(store)
    store.close()
    assert invoke(tmp_path, "claim", "999", "--as", "ada").output == "Error: queue item '999' does not exist\n"
    result = invoke(tmp_path, "claim", str(item_id), "--as", "zed")
    assert (result.exit_code, result.output) == (1, "Error: founder 'zed' is not in the playbook\n")
    result = invoke(tmp_path, "claim", str(item_id), "--as", "ada")
    assert (result.exit_code, result.output) == (
        0, f"#{item_id} claimed by Ada Quintero; answer by 2026-11-21 12:00 UTC\n")
    result = invoke(tmp_path, "snooze", str(item_id), "tomorrow")
    assert result.exit_code == 2
    assert "'tomorrow' is neither a date (2026-11-20, 2026-11-20T09:00) nor a span (6h, 2d)" in result.output
    result = invoke(tmp_path, "answered", str(item_id), "https://forum.example/t/7/2")
    assert (result.exit_code, result.output) == (
        0, f"#{item_id} answered by Ada Quintero: https://forum.example/t/7/2\n")
    result = invoke(tmp_path, "dismiss", str(item_id), "unsolvable")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: queue item {item_id} is answered; it cannot become dismissed "
        "(from answered it can become: nothing (it is final))\n"
    )
    result = invoke(tmp_path, "queue", "--state", "answered")
    assert result.exit_code == 0
    assert "Mail stuck" in result.output and "answered" in result.output
    assert invoke(tmp_path, "queue", "--community", "nowhere").output == (
        "Error: community 'nowhere' is not in the playbook\n")


def test_snooze_from_the_cli_uses_the_database_clock(tmp_path, playbook):
    store = Store(tmp_path / "q.db")
    clock.pin(store, T0)
    item_id = seed_item(store)
    store.close()
    result = invoke(tmp_path, "snooze", str(item_id), "6h")
    assert (result.exit_code, result.output) == (0, f"#{item_id} snoozed until 2026-11-20 18:00 UTC\n")
    result = invoke(tmp_path, "snooze", "x12", "6h")
    assert result.output == "Error: queue item 'x12' does not exist\n"


def test_an_unclaimed_answer_must_say_who_answered(tmp_path, playbook):
    store = Store(tmp_path / "q.db")
    item_id = seed_item(store)
    with pytest.raises(q.QueueError) as caught:
        q.mark_answered(store, playbook, item_id, "https://forum.example/t/1/2", now=T0)
    assert str(caught.value) == (
        f"queue item {item_id} is not claimed; say which founder answered it (--as FOUNDER)"
    )
    assert q.get_item(store, item_id).state == "queued"


def test_a_snoozed_claim_wakes_up_still_claimed_and_never_expires(tmp_path, playbook):
    store = Store(tmp_path / "q.db")
    item_id = seed_item(store)
    q.claim(store, playbook, item_id, "ada", now=T0)
    q.snooze(store, item_id, T0 + timedelta(hours=30), now=T0)
    assert q.expire_due(store, T0 + timedelta(hours=25)) == []
    assert q.expire_due(store, T0 + timedelta(hours=31)) == [item_id]
    woken = q.get_item(store, item_id)
    assert (woken.state, woken.claimed_by, woken.snoozed_until) == ("claimed", "Ada Quintero", None)
    released = q.release(store, item_id, now=T0 + timedelta(hours=32))
    assert (released.state, released.claimed_by) == ("queued", None)
