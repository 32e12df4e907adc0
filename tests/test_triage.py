"""The weekly triage: which threads it shows and in what order, that every
answer is a label at once, resuming, the held-out retrain, and the
spreadsheet round trip. The terminal itself is driven in
test_triage_terminal.py.

Every text here is invented for the tests.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from assistant import clock, pipeline
from assistant.cli import cli
from assistant.report import build_report, parse_week
from assistant.store import Store
from assistant.triage import Session, TriageItem, triage_order, week_items
from assistant.triage_csv import LabelFileError, export_labels, import_labels, import_session
from assistant.triage_terminal import KeyReader, TerminalUI
from assistant.triage_train import held_out, model_retrain
from playbooks import load_playbook
from tests.builders import member_line, post, thread_line, write_lines, write_playbook

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
W47 = parse_week("2026-W47")

FORUM = [
    member_line("ana", location="Porto, Portugal"),
    member_line("bo", location="Berlin, Germany"),
    member_line("cy", website="https://cyhelp.com.au"),
    member_line("dee", location="Lima, Peru"),
    member_line("rival_rep", about="Consultant at Rival Ltd, see rival.example"),
    thread_line("f1", "Mailbox sync fails with MB-SYNC-7 after the upgrade", "ana",
                "2026-11-17T08:00:00Z", "Our imap mailbox stopped syncing. How can I fix it?",
                url="https://forum.example/t/f1",
                posts=[post("f1-1", "bo", "2026-11-17T09:00:00Z", "Same here, MB-SYNC-7 for us too"),
                       post("f1-2", "cy", "2026-11-17T10:00:00Z", "Me too.")]),
    thread_line("f2", "MB-SYNC-7 on the shared mailbox", "dee", "2026-11-18T07:00:00Z",
                "imap says MB-SYNC-7 after we rotated the password. Any idea?",
                url="https://forum.example/t/f2"),
    thread_line("f3", "Announcing our user group meetup", "bo", "2026-11-18T10:00:00Z",
                "Join us in Berlin.", url="https://forum.example/t/f3"),
    thread_line("f4", "Phone app crash on login, why?", "cy", "2026-11-19T12:00:00Z",
                "The phone app crashes when I log in.", url="https://forum.example/t/f4"),
    thread_line("f5", "=HYPERLINK(\"x\") how do I rename an imap mailbox?", "rival_rep",
                "2026-11-19T13:00:00Z", "Is there a way to rename the imap mailbox?",
                url="https://forum.example/t/f5"),
    thread_line("f6", "Old mailbox question", "dee", "2026-11-10T10:00:00Z",
                "imap mailbox fails, how to fix?", url="https://forum.example/t/f6"),
    thread_line("f7", "Tips for mailbox rules", "ada_q", "2026-11-19T15:00:00Z",
                "Here is how we set up imap rules.", url="https://forum.example/t/f7"),
]
FORO = [
    member_line("lu", location="Monterrey, Mexico"),
    member_line("pia", location="Cali, Colombia"),
    thread_line("e1", "¿Cómo configuro el buzón smtp?", "lu", "2026-11-18T11:00:00Z",
                "No sé cómo configurar el smtp del buzón. ¿Ayuda?", url="https://foro.example/t/e1"),
    thread_line("e2", "Error MB-SYNC-7 en el buzón", "pia", "2026-11-19T09:00:00Z",
                "El imap falla con MB-SYNC-7, ¿alguna idea?", url="https://foro.example/t/e2"),
    thread_line("e3", "Nuevo en el foro", "lu", "2026-11-20T08:00:00Z", "Hola a todos.",
                url="https://foro.example/t/e3"),
]
MARGINS = {"f1": 0.30, "f2": 0.05, "f3": 0.50, "f4": 0.10, "f5": 0.20,
           "e1": 0.08, "e2": 0.40, "e3": 0.60}
ORDER = ["f2", "e1", "f4", "e2", "f5", "e3", "f1", "f3"]


def build_triage_world(directory: Path) -> tuple[Store, object]:
    """The forums above, judged by the pipeline at NOW, with margins set so
    the triage order is known; the database's clock is pinned to NOW."""
    write_playbook(directory)
    write_lines(directory / "forum.jsonl", FORUM)
    write_lines(directory / "foro.jsonl", FORO)
    playbook = load_playbook(directory / "beachhead.toml")
    store = Store(directory / "triage.db")
    pipeline.run(store, playbook, now=NOW)
    with store.transaction():
        for native, margin in MARGINS.items():
            store.conn.execute(
                "UPDATE classifications SET margin = ? WHERE thread_id = "
                "(SELECT id FROM threads WHERE native_id = ?)", (margin, native))
    clock.pin(store, NOW)
    return store, playbook


def thread_ids(store: Store) -> dict[str, int]:
    return {row[0]: row[1] for row in store.conn.execute("SELECT native_id, id FROM threads")}


@pytest.fixture
def world(tmp_path: Path):
    store, playbook = build_triage_world(tmp_path)
    yield store, playbook, tmp_path
    store.close()


class Script:
    """Keys for a session, one by one, as a terminal would give them."""

    def __init__(self, keys: str):
        self.keys = list(keys)

    def __call__(self) -> str:
        return self.keys.pop(0) if self.keys else ""


def run_session(store, playbook, keys: str, *, retrain=model_retrain, opened=None, limit=None):
    buffer = io.StringIO()
    ui = TerminalUI(Console(file=buffer, width=200, color_system=None), Script(keys))
    session = Session(store, playbook, W47, "ines", ui,
                      open_url=(opened.append if opened is not None else lambda url: True),
                      retrain=retrain, now=NOW, limit=limit)
    return session.run(), buffer.getvalue()


def labels(store: Store) -> list[tuple]:
    ids = {v: k for k, v in thread_ids(store).items()}
    handles = {row[0]: row[1] for row in store.conn.execute("SELECT id, native_id FROM members")}
    return [
        (ids[row[0]], handles.get(row[1]), row[2], row[3], row[4], row[5])
        for row in store.conn.execute(
            "SELECT thread_id, member_id, kind, value, source, author FROM labels ORDER BY id")
    ]


# ------------------------------------------------------------------ order


def item(thread_id: int, community: str, margin: float) -> TriageItem:
    return TriageItem(thread_id, community, f"t{thread_id}", "", None, None, None,
                      "unrewarded", "howto", "customer", margin, {}, [], None)


def test_order_is_least_sure_first_taking_turns_between_communities():
    items = [item(1, "a", 0.05), item(2, "a", 0.01), item(3, "a", 0.02), item(4, "b", 0.30),
             item(5, "b", 0.10), item(6, "c", 0.03), item(7, "a", 0.02)]
    assert [i.thread_id for i in triage_order(items)] == [2, 6, 5, 3, 4, 7, 1]


def test_week_items_in_order_without_founders_other_weeks_or_labelled(world):
    store, playbook, _ = world
    ids = thread_ids(store)
    natives = {v: k for k, v in ids.items()}
    assert [natives[i.thread_id] for i in week_items(store, playbook, W47)] == ORDER
    store.conn.execute("INSERT INTO labels (thread_id, kind, value, source, created_at) "
                       "VALUES (?, 'category', 'unsolvable', 'dismiss', ?)",
                       (ids["f4"], NOW.isoformat()))
    assert "f4" not in [natives[i.thread_id] for i in week_items(store, playbook, W47)]
    shown = week_items(store, playbook, W47)[0]
    assert (shown.title, shown.community_id, shown.asker, shown.url) == (
        "MB-SYNC-7 on the shared mailbox", "forum", "dee", "https://forum.example/t/f2")
    assert shown.excerpt == "imap says MB-SYNC-7 after we rotated the password. Any idea?"


def test_held_out_split_is_deterministic_and_a_quarter():
    assert held_out([5, 1, 9, 3]) == held_out([3, 9, 1, 5])
    assert len(held_out(range(1, 9))) == 2 and len(held_out(range(1, 10))) == 3
    assert held_out([]) == set() and len(held_out([42])) == 1


# ---------------------------------------------------------------- session


def test_every_answer_is_a_label_at_once_and_quitting_keeps_them(world):
    store, playbook, _ = world
    opened: list[str] = []
    # f2: open, category → not_a_problem, accept the rest; e1: user type → channel
    # partner, then skip; f4: skip; e2: accept; f5: quit.
    result, output = run_session(store, playbook, "oc4a" "u2s" "s" "a" "q", retrain=None,
                                 opened=opened)
    assert opened == ["https://forum.example/t/f2"]
    assert labels(store) == [
        ("f2", None, "category", "not_a_problem", "triage", "ines"),
        ("f2", "dee", "user_type", "customer", "triage", "ines"),
        ("e1", "lu", "user_type", "channel_partner", "triage", "ines"),
        ("e2", None, "category", "pervasive_solvable", "triage", "ines"),
        ("e2", "pia", "user_type", "customer", "triage", "ines"),
    ]
    assert (result.shown, result.labelled, result.accepted, result.corrected, result.quit,
            result.remaining) == (5, 3, 1, 2, True, 5)
    assert "[1/8] forum · thread" in output and "[5/8]" in output and "[6/8]" not in output
    assert "category → not_a_problem (saved); a accepts the rest, s moves on" in output
    assert "The labels are saved; the models were not retrained." in output

    resumed, output = run_session(store, playbook, "q", retrain=None)
    assert "To triage    5 threads, the least sure first" in output
    assert "Labelled     3 threads already (3 from triage)" in output
    first = output.split("[1/5] ")[1].splitlines()[1]
    assert first == "Phone app crash on login, why?"
    assert resumed.labelled == 0 and len(labels(store)) == 5


def test_unknown_keys_explain_and_end_of_input_quits(world):
    store, playbook, _ = world
    result, output = run_session(store, playbook, "x", retrain=None)
    assert "Keys: a accept what is shown · c change the category" in output
    assert result.quit and result.labelled == 0
    assert store.scalar("SELECT count(*) FROM labels") == 0


def test_forum_text_is_printed_as_written_but_cannot_drive_the_terminal(world):
    store, playbook, _ = world
    store.conn.execute("UPDATE threads SET title = ? WHERE native_id = 'f2'",
                       ("[bold]Mailbox[/bold] help\x1b]0;pwned\x07 \u202eevil",))
    _, output = run_session(store, playbook, "q", retrain=None)
    assert "[bold]Mailbox[/bold] help\ufffd]0;pwned\ufffd \ufffdevil" in output
    assert "\x1b" not in output


class Recorder:
    """A retrain hook that records what it was given, then runs the rules."""

    def __init__(self):
        self.calls: list[list[tuple[int, str, str]]] = []

    def __call__(self, store, playbook, labels, *, thread_ids, now):
        self.calls.append([(lab.thread_id, lab.kind, lab.value) for lab in labels])
        model_retrain(store, playbook, labels, thread_ids=thread_ids, now=now)


def test_retrain_holds_out_a_quarter_then_refits_on_everything(world):
    store, playbook, _ = world
    ids = thread_ids(store)
    recorder = Recorder()
    # f2 → unsolvable; e1 accept; f4 → not a problem; e2 accept; then quit.
    result, output = run_session(store, playbook, "c3a" "a" "c4a" "a" "q", retrain=recorder)
    labelled = {ids[n] for n in ("f2", "e1", "f4", "e2")}
    hold = held_out(labelled)
    assert result.outcome.held_out == sorted(hold) and len(hold) == 1
    training, everything = recorder.calls
    assert {t for t, _, _ in training} == labelled - hold
    assert {t for t, _, _ in everything} == labelled
    # Every label is honoured after the refit: the thread keeps the analyst's category.
    categories = {row[0]: row[1] for row in store.conn.execute(
        "SELECT thread_id, category FROM classifications")}
    assert categories[ids["f2"]] == "unsolvable" and categories[ids["f4"]] == "not_a_problem"
    reasons = json.loads(store.scalar(
        "SELECT reasons_json FROM classifications WHERE thread_id = ?", (ids["f2"],)))
    assert reasons[-1].startswith("category: unsolvable — ")
    assert "; labelled unsolvable by a person (the rule said " in reasons[-1]
    assert [k for k, v in ids.items() if v in hold] == ["f2"]
    agreement = result.outcome.agreement
    assert agreement["category"].as_dict() == {"held_out": 1, "before": 0, "after": 0}
    assert agreement["user_type"].as_dict() == {"held_out": 1, "before": 1, "after": 1}
    assert "category: before 0/1 (0%) → after 0/1 (0%)" in output
    # The session is recorded where the weekly report reads it.
    week = build_report(store, playbook, W47, now=NOW)["agreement"]["week"]
    assert (week["sessions"], week["analysts"], week["labelled"], week["accepted"],
            week["corrected"]) == (1, ["ines"], 4, 2, 2)
    assert (week["category"]["held_out"], week["category"]["before"],
            week["user_type"]["after_share"]) == (1, 0, 1.0)


def test_agreement_after_retraining_shows_what_the_training_labels_taught(world):
    store, playbook, _ = world
    ids = thread_ids(store)
    # lu asks e1 and e3; the analyst says lu is a channel partner on both.
    # e1 is held out; the label on e3 teaches the models who lu is.
    assert held_out([ids["e1"], ids["e3"]]) == {ids["e1"]}
    result, output = run_session(store, playbook, "s" "u2s" "s" "s" "s" "u2s" "q")
    assert result.outcome.agreement["user_type"].as_dict() == {
        "held_out": 1, "before": 0, "after": 1}
    assert "user type: before 0/1 (0%) → after 1/1 (100%)" in output
    assert store.scalar("SELECT asker_type FROM classifications WHERE thread_id = ?",
                        (ids["e1"],)) == "channel_partner"


def test_moved_queue_items_are_listed(world):
    store, playbook, _ = world
    ids = thread_ids(store)
    item_f2 = store.scalar("SELECT id FROM queue_items WHERE thread_id = ?", (ids["f2"],))
    before = store.scalar("SELECT priority FROM queue_items WHERE id = ?", (item_f2,))
    # f2 is queued as pervasive; the analyst says it is not a problem.
    result, output = run_session(store, playbook, "c4a" "q")
    moves = {m.item_id: m for m in result.outcome.moved}
    move = moves[item_f2]
    assert (move.before_category, move.after_category) == ("pervasive_solvable", "not_a_problem")
    assert move.before_priority == pytest.approx(before) and move.after_priority < before - 0.3
    assert (f"#{item_f2} forum: MB-SYNC-7 on the shared mailbox — priority {before:.2f} → "
            f"{move.after_priority:.2f}, category pervasive_solvable → not_a_problem") in output


def test_an_analyst_is_required(world):
    store, _, tmp_path = world
    result = CliRunner().invoke(
        cli, ["--db", str(store.path), "--playbook", str(tmp_path / "beachhead.toml"), "triage"],
        env={"USER": ""}, input="q\n")
    assert result.exit_code == 1
    assert result.output.endswith(
        "Error: an analyst name is needed (--analyst NAME, or set $USER)\n")


def test_cli_uses_user_and_reads_keys_from_a_pipe(world):
    store, _, tmp_path = world
    result = CliRunner().invoke(
        cli, ["--db", str(store.path), "--playbook", str(tmp_path / "beachhead.toml"), "triage",
              "--no-retrain"], env={"USER": "marta"}, input="a\nq\n")
    assert result.exit_code == 0, result.output
    assert labels(store) == [("f2", None, "category", "pervasive_solvable", "triage", "marta"),
                             ("f2", "dee", "user_type", "customer", "triage", "marta")]


def test_key_reader_reads_one_key_per_line_from_a_pipe():
    reader = KeyReader(io.StringIO("a\n\nc and more\n"))
    assert [reader.read(), reader.read(), reader.read(), reader.read()] == ["a", "\n", "c", ""]


# ------------------------------------------------------------ spreadsheet


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_export_lists_the_week_with_predictions_and_labels(world):
    store, playbook, tmp_path = world
    ids = thread_ids(store)
    run_session(store, playbook, "c3a" "q", retrain=None)
    path = tmp_path / "w47.csv"
    assert export_labels(store, playbook, W47, path) == 8
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = read_csv(path)
    assert list(rows[0]) == ["thread_id", "community", "url", "title", "predicted_category",
                             "predicted_user_type", "label_category", "label_user_type"]
    assert rows[0] == {
        "thread_id": str(ids["f2"]), "community": "forum", "url": "https://forum.example/t/f2",
        "title": "MB-SYNC-7 on the shared mailbox", "predicted_category": "pervasive_solvable",
        "predicted_user_type": "customer", "label_category": "unsolvable",
        "label_user_type": "customer",
    }
    f5 = next(r for r in rows if r["thread_id"] == str(ids["f5"]))
    assert f5["title"] == "'=HYPERLINK(\"x\") how do I rename an imap mailbox?"
    assert (f5["predicted_user_type"], f5["label_category"]) == ("competitor", "")


def test_import_round_trip_retrains_and_is_idempotent(world):
    store, playbook, tmp_path = world
    ids = thread_ids(store)
    path = tmp_path / "w47.csv"
    export_labels(store, playbook, W47, path)
    rows = read_csv(path)
    for row in rows:
        if row["thread_id"] == str(ids["f4"]):
            row["label_category"] = "Not a problem"
        if row["thread_id"] == str(ids["e1"]):
            row["label_category"], row["label_user_type"] = "unrewarded", "channel-partner"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = import_session(store, playbook, path, analyst="ines", now=NOW)
    assert sorted(labels(store), key=str) == sorted([
        ("f4", None, "category", "not_a_problem", "triage", "ines"),
        ("e1", None, "category", "unrewarded", "triage", "ines"),
        ("e1", "lu", "user_type", "channel_partner", "triage", "ines"),
    ], key=str)
    assert (result.labelled, result.corrected, result.week) == (2, 2, W47)
    assert result.outcome is not None
    assert store.scalar("SELECT category FROM classifications WHERE thread_id = ?",
                        (ids["f4"],)) == "not_a_problem"
    note = store.scalar("SELECT note FROM labels WHERE thread_id = ? AND kind = 'category'",
                        (ids["f4"],))
    assert note.startswith("imported from w47.csv line ")
    again = import_labels(store, playbook, path, analyst="ines", now=NOW)
    assert (again.written, again.unchanged, again.labelled_rows) == ([], 2, 2)
    assert len(labels(store)) == 3


def test_import_reports_every_bad_row_and_writes_nothing(world):
    store, playbook, tmp_path = world
    ids = thread_ids(store)
    path = tmp_path / "bad.csv"
    path.write_text(
        "thread_id,community,label_category,label_user_type\n"
        f"{ids['f2']},forum,unsolvable,\n"
        "abc,forum,unsolvable,\n"
        f"{ids['f4']},foro,unsolvable,\n"
        f"{ids['e1']},foro,pervasive,\n"
        f"{ids['e2']},foro,,reseller\n"
        "9999,forum,unrewarded,\n"
        f"{ids['f2']},forum,unrewarded,\n"
        f"{ids['f3']},forum,,\n",
        encoding="utf-8",
    )
    with pytest.raises(LabelFileError) as caught:
        import_labels(store, playbook, path, analyst="ines", now=NOW)
    assert caught.value.problems == [
        "line 3: thread_id 'abc' is not a thread number",
        f"line 4: thread {ids['f4']} is in forum, not 'foro'",
        "line 5: label_category 'pervasive' is not one of pervasive_solvable, unrewarded, "
        "unsolvable, not_a_problem",
        "line 6: label_user_type 'reseller' is not one of customer, channel_partner, complementor, "
        "competitor, expert, vendor_staff, unknown",
        "line 7: thread 9999 is not a judged thread in this database",
        f"line 8: thread {ids['f2']} appears again (first on line 2)",
    ]
    assert store.scalar("SELECT count(*) FROM labels") == 0
    result = CliRunner().invoke(
        cli, ["--db", str(store.path), "--playbook", str(tmp_path / "beachhead.toml"), "triage",
              "--analyst", "ines", "--import", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {path}: 6 problems, nothing imported\nline 3: ")


def test_import_refuses_a_file_without_label_columns(world):
    store, playbook, tmp_path = world
    path = tmp_path / "wrong.csv"
    path.write_text("id,category\n1,unsolvable\n", encoding="utf-8")
    with pytest.raises(LabelFileError, match="line 1: missing column\\(s\\) thread_id, "
                                             "label_category, label_user_type"):
        import_labels(store, playbook, path, analyst="ines", now=NOW)


def test_cli_export_then_import(world):
    store, _, tmp_path = world
    env = {"BEACHHEAD_PLAYBOOK": str(tmp_path / "beachhead.toml")}
    path = tmp_path / "sheet.csv"
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", str(store.path), "triage", "--export", str(path)], env=env)
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Wrote 8 threads of 2026-W47 to {path}. Fill in label_category and label_user_type, "
        f"then run: beachhead triage --import {path}\n")
    rows = read_csv(path)
    rows[0]["label_category"] = "unsolvable"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = runner.invoke(cli, ["--db", str(store.path), "triage", "--analyst", "ines",
                                 "--import", str(path)], env=env)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Imported 1 labels from {path}.\n")
    assert "1 threads labelled (0 accepted, 1 corrected)" in result.output
    assert "category: before 0/1 (0%) → after 0/1 (0%)" in result.output
