"""The models inside the application: trained and saved beside the database,
labels winning and teaching, groups surviving a restart, member links with
their reasons and an undo, and every reason on show."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant import clock, grouping, models, pipeline
from assistant.cli import cli
from assistant.store import Store
from playbooks import load_playbook
from tests.builders import member_line, post, thread_line, write_lines, write_playbook

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)

FORUM = [
    member_line("ana", location="Porto, Portugal", display_name="Ana Sousa",
                website="https://anasousa.example.pt"),
    member_line("bo", location="Berlin, Germany"),
    member_line("cy", website="https://cyhelp.com.au"),
    member_line("dee", location="Lima, Peru"),
    thread_line("1", "Mailbox fetch fails with MB-IMAP-401 since Monday", "ana", "2026-11-19T08:00:00Z",
                "Our imap mailbox stopped creating tickets with error MB-IMAP-401. How can I fix it?",
                posts=[post("1-1", "bo", "2026-11-19T09:00:00Z", "Same here, MB-IMAP-401 for us too"),
                       post("1-2", "cy", "2026-11-19T10:00:00Z", "Me too.")]),
    thread_line("2", "Version 9 released", "bo", "2026-11-18T10:00:00Z",
                "The new version is out today with a redesigned inbox. Full release notes on the blog."),
    thread_line("3", "Phone app crash on login, why?", "cy", "2026-11-19T12:00:00Z",
                "The phone app crashes when I log in."),
]
FORO = [
    member_line("ana.s", display_name="Ana Sousa", website="https://anasousa.example.pt"),
    thread_line("10", "Error MB-IMAP-401 en el buzón imap", "ana.s", "2026-11-19T15:00:00Z",
                "Desde el lunes el buzón imap falla con MB-IMAP-401. ¿Cómo lo soluciono?"),
]


@pytest.fixture
def world(tmp_path: Path):
    write_playbook(tmp_path)
    write_lines(tmp_path / "forum.jsonl", FORUM)
    write_lines(tmp_path / "foro.jsonl", FORO)
    store = Store(tmp_path / "j.db")
    clock.pin(store, NOW)
    playbook = load_playbook(tmp_path / "beachhead.toml")
    pipeline.run(store, playbook, now=NOW)
    yield tmp_path, store, playbook
    store.close()


def invoke(folder: Path, *args):
    return CliRunner().invoke(cli, ["--db", str(folder / "j.db"), "--playbook",
                                    str(folder / "beachhead.toml"), *args])


def thread_id(store: Store, community: str, native: str) -> int:
    return store.scalar("SELECT id FROM threads WHERE community_id = ? AND native_id = ?",
                        (community, native))


def test_cold_start_models_are_saved_beside_the_database_without_forum_text(world):
    folder, store, _ = world
    saved = sorted(path.name for path in (folder / "j.models").iterdir())
    assert saved == ["capability.model", "kind.model", "problem.model"]
    for path in (folder / "j.models").iterdir():
        with zipfile.ZipFile(path) as archive:
            payload = b"".join(archive.read(name) for name in archive.namelist())
        assert b"stopped creating tickets" not in payload
    versions = {row[0] for row in store.conn.execute("SELECT model_version FROM classifications")}
    assert versions == {"cold-start"}


def test_a_model_file_from_another_version_is_refused_with_what_to_do(world):
    folder, _, _ = world
    path = folder / "j.models" / "problem.model"
    with zipfile.ZipFile(path) as archive:
        card = json.loads(archive.read("card.json"))
        payload = archive.read("model.skops")
    card["sklearn_version"] = "0.1"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("card.json", json.dumps(card))
        archive.writestr("model.skops", payload)
    models._CACHE.clear()
    result = invoke(folder, "classify")
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: model file '{path}' was saved with model format 1 and "
                                    "scikit-learn 0.1;")
    assert result.output.rstrip().endswith("Retrain it (beachhead train) instead of loading it.")


def test_same_problem_groups_join_across_languages_and_survive_a_restart(world):
    folder, store, playbook = world
    first = thread_id(store, "forum", "1")
    spanish = thread_id(store, "foro", "10")
    group_of = {row[0]: row[1] for row in store.conn.execute(
        "SELECT thread_id, cluster_id FROM thread_clusters")}
    assert group_of[first] == group_of[spanish]
    store.close()
    # A new thread, read by a new process, joins the stored group.
    with open(folder / "forum.jsonl", "a", encoding="utf-8") as handle:
        handle.write(thread_line("4", "MB-IMAP-401 again after password change", "dee",
                                 "2026-11-20T09:00:00Z",
                                 "Our imap mailbox shows MB-IMAP-401 after the password change. "
                                 "How do we fix it?") + "\n")
    reopened = Store(folder / "j.db")
    pipeline.run(reopened, playbook, now=NOW)
    newcomer = thread_id(reopened, "forum", "4")
    assert reopened.scalar("SELECT cluster_id FROM thread_clusters WHERE thread_id = ?",
                           (newcomer,)) == group_of[first]
    index = grouping.load_index(reopened)
    assert index.n_threads == reopened.scalar("SELECT count(*) FROM thread_clusters")
    reopened.close()


def test_label_wins_at_once_and_train_learns_from_it(world):
    folder, store, _ = world
    store.close()
    result = invoke(folder, "label", "forum:3", "unrewarded", "--as", "ana_analyst",
                    "--note", "one-off")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Labelled thread forum:3 category = unrewarded (label #")
    reopened = Store(folder / "j.db")
    row = reopened.query_one("SELECT category, reasons_json FROM classifications WHERE thread_id = ?",
                             (thread_id(reopened, "forum", "3"),))
    assert row["category"] == "unrewarded"
    assert "labelled unrewarded by a person (the rule said " in json.loads(row["reasons_json"])[-1]
    reopened.close()
    trained = invoke(folder, "train")
    assert trained.exit_code == 0, trained.output
    assert trained.output.splitlines()[0] == (
        "Retrained the models (trained on 1 label: problem 1, kind 0, user_type 0); "
        "re-judged 4 threads."
    )
    again = Store(folder / "j.db")
    versions = {r[0] for r in again.conn.execute("SELECT model_version FROM classifications")}
    assert versions == {"trained on 1 label"}


def test_label_values_and_targets_are_checked(world):
    folder, store, _ = world
    store.close()
    result = invoke(folder, "label", "forum:3", "urgent")
    assert result.exit_code == 1
    assert result.output == (
        "Error: label 'urgent' is not a category (pervasive_solvable, unrewarded, unsolvable, "
        "not_a_problem), a kind (bug, howto, feature_request, other) or a user type (customer, "
        "channel_partner, complementor, competitor, expert, vendor_staff, unknown)\n"
    )
    result = invoke(folder, "label", "forum:99", "bug")
    assert result.output.startswith("Error: thread 'forum:99' does not exist")
    result = invoke(folder, "label", "forum:1", "channel_partner")
    assert result.output.startswith("Labelled member forum:ana user_type = channel_partner")
    reopened = Store(folder / "j.db")
    assert reopened.scalar("SELECT user_type FROM members WHERE native_id = 'ana'") == "channel_partner"


def test_labels_round_trip_through_csv_and_bad_rows_store_nothing(world, tmp_path):
    folder, store, _ = world
    store.close()
    assert invoke(folder, "label", "forum:3", "unsolvable").exit_code == 0
    assert invoke(folder, "label", "forum:1", "bug").exit_code == 0
    exported = invoke(folder, "labels", "export", str(tmp_path / "out.csv"))
    assert exported.output == f"Wrote 2 labels to {tmp_path / 'out.csv'}\n"
    rows = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "thread,member,kind,value,source,author,note,created_at"
    assert rows[1].startswith("forum:3,,category,unsolvable,cli,")
    again = invoke(folder, "labels", "import", str(tmp_path / "out.csv"))
    assert again.output == "Imported 0 labels (2 already there).\n"
    bad = tmp_path / "bad.csv"
    bad.write_text("thread,member,kind,value\nforum:2,,category,not_a_problem\n"
                   "forum:404,,category,unsolvable\n,forum:zed,user_type,expert\n"
                   "forum:2,,kind,pervasive_solvable\n", encoding="utf-8")
    result = invoke(folder, "labels", "import", str(bad))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Error: {bad}: line 3: thread 'forum:404' does not exist (use the number Beachhead shows, "
        "COMMUNITY:NATIVE_ID, or the thread's URL)",
        f"{bad}: line 4: member 'forum:zed' does not exist",
        f"{bad}: line 5: 'pervasive_solvable' is not a kind",
    ]
    reopened = Store(folder / "j.db")
    assert reopened.scalar("SELECT count(*) FROM labels") == 2


def test_explain_names_every_reason(world):
    folder, store, _ = world
    store.close()
    result = CliRunner().invoke(cli, ["--db", str(folder / "j.db"), "--playbook",
                                      str(folder / "beachhead.toml"), "explain", "forum:1", "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found["category"] == "pervasive_solvable"
    assert found["signals"]["me_too"] == ["bo", "cy"]
    assert any(r.startswith("capability mail ") and '"imap"' in r for r in found["reasons"])
    assert any(r.startswith("category: pervasive_solvable — ") for r in found["reasons"])
    assert found["group"]["countries"] == ["AU", "DE", "PT"]
    assert found["asker"]["country"] == "PT"
    assert found["why"].startswith("pervasive solvable +0.40")
    assert found["queue"]["state"] == "queued"
    text = invoke(folder, "explain", "forum:1")
    assert "Category   pervasive_solvable" in text.output
    assert "Asker      ana: " in text.output
    assert invoke(folder, "explain", "nowhere:1").exit_code == 1


def test_accounts_of_one_person_are_linked_counted_once_and_can_be_undone(world):
    folder, store, _ = world
    links = store.query("SELECT id, reason, state FROM member_links")
    assert len(links) == 1
    assert links[0]["reason"].startswith("both profiles link to anasousa.example.pt")
    group = store.query_one(
        "SELECT pc.affected_members FROM problem_clusters pc JOIN thread_clusters tc "
        "ON tc.cluster_id = pc.id WHERE tc.thread_id = ?", (thread_id(store, "forum", "1"),))
    assert group["affected_members"] == 3  # ana (both accounts, one person), bo, cy
    store.close()
    listed = invoke(folder, "links", "list")
    assert listed.output == ("#1 forum:ana = foro:ana.s (0.93, linked): both profiles link to "
                             "anasousa.example.pt; same display name 'Ana Sousa'\n")
    undone = invoke(folder, "links", "undo", "1")
    assert undone.output == "#1 forum:ana and foro:ana.s are two people again\n"
    reopened = Store(folder / "j.db")
    assert reopened.scalar("SELECT state FROM member_links WHERE id = 1") == "undone"
    assert reopened.scalar(
        "SELECT pc.affected_members FROM problem_clusters pc JOIN thread_clusters tc "
        "ON tc.cluster_id = pc.id WHERE tc.thread_id = ?", (thread_id(reopened, "forum", "1"),)) == 4
    reopened.close()
    # Proposing again never re-links what a person undid.
    assert invoke(folder, "classify").exit_code == 0
    final = Store(folder / "j.db")
    assert final.query("SELECT state FROM member_links") == [{"state": "undone"}]
