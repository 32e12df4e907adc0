"""Same-problem groups: across languages, incremental, persistent, explained.

Every thread here is invented for these tests.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner
from sklearn.utils.estimator_checks import parametrize_with_checks

from assistant.cli import cli
from classifiers.clusters import (
    AffectedMember,
    GroupIndex,
    GroupingParams,
    GroupStateError,
    SameProblemGrouper,
    ThreadRecord,
    UnknownGroupError,
)
from classifiers.evaluation.groups import (
    GroupRowsError,
    evaluate_groups,
    evaluate_groups_file,
    pairwise_scores,
)
from classifiers.terms import extract_terms
from tests.shared_data import shared_path

DAY = 86400.0
T0 = 1_780_000_000.0

# One problem (error 0x80070005 while syncing) in four languages, and two
# different problems written with much the same words.
SYNC_EN = "Sync fails after the 4.2 update: error 0x80070005 when the desktop app opens the vault."
SYNC_DE = "Seit dem Update auf 4.2 bricht die Synchronisierung ab, Fehler 0x80070005 beim Öffnen des Tresors."
SYNC_ES = "Desde la actualización 4.2 la sincronización falla con el error 0x80070005 al abrir la bóveda."
SYNC_FR = "Depuis la mise à jour 4.2, la synchronisation échoue : erreur 0x80070005 à l'ouverture du coffre."
EXPORT_EN = "Export to CSV fails after the 4.2 update: error E4417 when the desktop app writes the file."
PRINT_EN = "Printing fails after the 4.2 update: error E5230 when the desktop app opens the vault."


def record(thread_id, text, **extra):
    return ThreadRecord(thread_id=thread_id, text=text, **extra)


def test_threads_in_four_languages_join_one_group_through_their_error_code():
    index = GroupIndex()
    first = index.add(record("en", SYNC_EN))
    others = [index.add(record(lang, text)) for lang, text in (("de", SYNC_DE), ("es", SYNC_ES), ("fr", SYNC_FR))]
    assert first.new_group
    assert [a.group_id for a in others] == [first.group_id] * 3
    assert all(not a.new_group for a in others)
    assert "0x80070005" in others[0].shared_terms
    assert others[0].reasons()[0].startswith(f"joined group {first.group_id} (similarity ")


def test_a_different_error_code_starts_its_own_group_despite_the_same_words():
    index = GroupIndex()
    sync = index.add(record("a", SYNC_EN))
    export = index.add(record("b", EXPORT_EN))
    printing = index.add(record("c", PRINT_EN))
    assert export.new_group and printing.new_group
    assert len({sync.group_id, export.group_id, printing.group_id}) == 3
    assert export.reasons() == [f"started group {export.group_id}: no earlier thread shares its distinctive terms"]


def test_error_codes_and_quoted_messages_are_anchors():
    vector, labels = extract_terms('Upgrade to v2.3.1 gives E1042 and "Permission denied on vault.lock"')
    by_label = {labels[t]: w for t, w in vector.items() if t in labels}
    assert by_label["E1042"] == 3.0
    assert by_label["permission denied on vault.lock"] == 3.0
    assert by_label["2.3.1"] == 1.5
    assert by_label["vault.lock"] == 2.0
    assert by_label["upgrade"] == 1.0


def test_a_playbook_glossary_lets_translated_terms_meet():
    fr = "Impossible de réinitialiser le mot de passe, le lien a expiré hier soir."
    de = "Passwort zurücksetzen geht nicht, der Link ist abgelaufen seit gestern."
    glossary = (
        ("mot de passe", "password"), ("passwort", "password"), ("réinitialiser", "reset"),
        ("zurücksetzen", "reset"), ("lien", "link"), ("expiré", "expired"), ("abgelaufen", "expired"),
    )
    plain = GroupIndex()
    assert plain.add(record("fr", fr)).group_id != plain.add(record("de", de)).group_id
    with_glossary = GroupIndex(GroupingParams(glossary=glossary))
    first = with_glossary.add(record("fr", fr))
    second = with_glossary.add(record("de", de))
    assert second.group_id == first.group_id
    assert {"password", "reset", "expired"} <= set(second.shared_terms)


def test_group_summary_counts_distinct_members_countries_languages_and_growth():
    index = GroupIndex()
    a = index.add(record("t1", SYNC_EN, community="forum", author="ana", country="PT", language="en",
                         created_at=T0))
    index.add(record("t2", SYNC_DE, community="reddit", author="jonas", country="DE", language="de",
                     created_at=T0 + 9 * DAY,
                     affected=(AffectedMember("ana", "PT", "en", T0 + 9 * DAY),
                               AffectedMember("mei", "JP", "ja", T0 + 10 * DAY))))
    index.add_affected(a.group_id, [AffectedMember("lucas", "BR", "pt", T0 + 12 * DAY),
                                    AffectedMember("jonas", None, None, T0 + 13 * DAY)])
    summary = index.summary(a.group_id, now=T0 + 14 * DAY)
    assert summary.n_threads == 2
    assert summary.n_members == 4
    assert summary.countries == (("BR", 1), ("DE", 1), ("JP", 1), ("PT", 1))
    assert summary.n_countries == 4
    assert summary.regions == (("EU", 2), ("AS", 1), ("SA", 1))
    assert summary.languages == (("de", 1), ("en", 1), ("ja", 1), ("pt", 1))
    assert summary.communities == (("forum", 1), ("reddit", 1))
    assert summary.first_seen == T0
    assert summary.last_seen == T0 + 13 * DAY
    # first seen: ana day 0, jonas day 9, mei day 10, lucas day 12 → 3 new in the last 7 days, ana before
    assert (summary.new_members_7d, summary.new_members_prev_7d, summary.growth) == (3, 0, 3)
    assert index.summary(a.group_id, now=T0 + 20 * DAY).new_members_prev_7d == 3


def test_batch_grouping_equals_one_thread_at_a_time():
    texts = [SYNC_EN, EXPORT_EN, SYNC_DE, PRINT_EN, SYNC_ES, EXPORT_EN.replace("CSV", "Excel"), SYNC_FR]
    batch = SameProblemGrouper().fit_predict(texts)
    incremental = SameProblemGrouper().partial_fit(texts[:3])
    labels = list(incremental.labels_)
    for text in texts[3:]:
        labels.extend(incremental.partial_fit([text]).labels_)
    assert incremental.resolve_labels(labels).tolist() == batch.tolist()
    assert batch.tolist() == [0, 1, 0, 2, 0, 1, 0]


def test_a_thread_citing_two_groups_errors_merges_them():
    code_only = "Le coffre ne s'ouvre plus depuis hier soir : code E7731 à chaque lancement."
    message_only = 'Vault refuses to open: "Lock held by another writer on vault.db" since the update.'
    both = 'Tresor öffnet nicht: E7731 und "Lock held by another writer on vault.db" im Protokoll.'
    index = GroupIndex()
    first = index.add(record("fr", code_only))
    second = index.add(record("en", message_only))
    assert first.group_id != second.group_id
    bridge = index.add(record("de", both))
    assert {bridge.group_id, *bridge.merged} == {first.group_id, second.group_id}
    assert index.resolve(first.group_id) == index.resolve(second.group_id) == bridge.group_id
    assert len(index) == 1
    assert bridge.reasons()[1] == (
        f"merged group(s) {bridge.merged[0]} into {bridge.group_id}: this thread cites their error too"
    )
    assert index.export_meta()["aliases"] == {str(bridge.merged[0]): bridge.group_id}


def test_state_exported_then_restored_continues_exactly():
    threads = [record(f"t{i}", text, author=f"m{i}", created_at=T0 + i * DAY)
               for i, text in enumerate([SYNC_EN, EXPORT_EN, SYNC_DE, PRINT_EN, SYNC_ES, SYNC_FR] * 2)]
    straight = GroupIndex()
    expected = [straight.add(t).group_id for t in threads]
    first_half = GroupIndex()
    got = [first_half.add(t).group_id for t in threads[:5]]
    meta = json.loads(json.dumps(first_half.export_meta()))
    groups = json.loads(json.dumps(list(first_half.export_groups())))
    restored = GroupIndex.restore(meta, groups)
    got += [restored.add(t).group_id for t in threads[5:]]
    assert got == expected
    assert restored.summary(0) == straight.summary(0)


def test_dirty_groups_name_what_to_save():
    index = GroupIndex()
    index.add(record("a", SYNC_EN))
    index.add(record("b", EXPORT_EN))
    assert index.pop_dirty() == {0, 1}
    index.add(record("c", SYNC_DE))
    assert index.pop_dirty() == {0}
    assert index.pop_dirty() == set()


def test_saved_state_keeps_no_text_of_the_threads():
    grouper = SameProblemGrouper().fit([SYNC_EN, SYNC_DE, EXPORT_EN])
    saved = json.dumps([grouper.index_.export_meta(), *grouper.index_.export_groups()])
    for text in (SYNC_EN, SYNC_DE, EXPORT_EN):
        assert text not in saved
        assert text[:40] not in saved


def test_an_unknown_group_is_named():
    with pytest.raises(UnknownGroupError, match="no group 7"):
        GroupIndex().summary(7)


def test_restore_refuses_another_version():
    meta = GroupIndex().export_meta()
    meta["version"] = 99
    with pytest.raises(GroupStateError, match=r"group state version 99 is not supported \(this version reads 1\)"):
        GroupIndex.restore(meta, [])


def test_merge_combines_two_groups_an_analyst_says_are_one():
    index = GroupIndex()
    a = index.add(record("a", SYNC_EN, author="ana"))
    b = index.add(record("b", EXPORT_EN, author="bo"))
    index.merge(a.group_id, b.group_id)
    assert b.group_id not in index
    assert index.summary(a.group_id).n_members == 2
    assert index.summary(a.group_id).n_threads == 2
    assert index.match(EXPORT_EN).group_id == a.group_id


def test_predict_names_the_group_without_changing_anything():
    grouper = SameProblemGrouper().fit([SYNC_EN, EXPORT_EN])
    before = grouper.index_.export_meta()
    labels = grouper.predict([SYNC_DE, "A question about the colour of the logo on the login page."])
    assert labels.tolist() == [0, -1]
    assert grouper.index_.export_meta() == before


def test_numeric_rows_are_grouped_by_cosine():
    X = np.array([[1.0, 0.0, 0.1], [0.9, 0.1, 0.0], [0.0, 1.0, 0.0], [0.1, 0.95, 0.0]])
    assert SameProblemGrouper().fit_predict(X).tolist() == [0, 0, 1, 1]


@parametrize_with_checks([SameProblemGrouper()])
def test_sklearn_conventions(estimator, check):
    # All of scikit-learn's checks apply to numeric input (only
    # check_array_api_input skips itself without SCIPY_ARRAY_API).
    check(estimator)


def test_pairwise_scores_exact():
    truth = ["a", "a", "a", "b", "b", "c"]
    predicted = [0, 0, 1, 1, 1, 2]
    # true pairs: 3 (a) + 1 (b) = 4; predicted pairs: 1 + 3 = 4; shared: (0,1) and (3,4) = 2
    assert pairwise_scores(truth, predicted) == {
        "pairwise_precision": 0.5, "pairwise_recall": 0.5, "pairwise_f1": 0.5,
    }


def test_evaluate_groups_treats_null_groups_as_singletons():
    rows = [
        {"id": 1, "text": SYNC_EN, "group": "sync"},
        {"id": 2, "text": SYNC_DE, "group": "sync"},
        {"id": 3, "text": EXPORT_EN, "group": None},
        {"id": 4, "text": PRINT_EN, "group": None},
    ]
    result = evaluate_groups(rows)
    assert result == {
        "ari": 1.0, "pairwise_precision": 1.0, "pairwise_recall": 1.0, "pairwise_f1": 1.0,
        "n_groups": 3, "n_true_groups": 3, "n_threads": 4,
    }


def test_evaluate_groups_names_the_bad_row(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text('{"id": 1, "text": "a"}\n{"id": 1, "text": "b"}\n', encoding="utf-8")
    with pytest.raises(GroupRowsError, match=r"rows.jsonl: row 2: duplicate id '1'"):
        evaluate_groups_file(path)


def test_cli_eval_groups_prints_one_json_object(tmp_path):
    path = tmp_path / "rows.jsonl"
    rows = [{"id": i, "text": t, "group": g} for i, (t, g) in
            enumerate([(SYNC_EN, "s"), (SYNC_DE, "s"), (EXPORT_EN, None)])]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "groups", "--data", str(path)])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["pairwise_f1"] == 1.0
    assert payload["n_groups"] == 2
    table = CliRunner().invoke(cli, ["eval", "groups", "--data", str(path), "--table"])
    assert "pairwise_f1" in table.output and "1.0000" in table.output


def test_cli_eval_groups_quotes_a_missing_file(tmp_path):
    result = CliRunner().invoke(cli, ["eval", "groups", "--data", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: no such file: '{tmp_path / 'nope.jsonl'}'"


@pytest.mark.shared_data
def test_stack_exchange_duplicates_can_be_scored():
    from classifiers.evaluation.members_dump import load_dump

    dump = load_dump(shared_path("stackexchange", "bicycles_meta"))
    linked = {post for pair in dump.duplicates for post in pair}
    rows = [
        {"id": q.post_id, "text": f"{q.title}\n{q.text}", "group": None}
        for q in sorted(dump.questions(), key=lambda q: q.created_at)
        if q.post_id not in linked
    ][:100]
    result = evaluate_groups(rows)
    assert result["n_threads"] == 100
    assert result["pairwise_recall"] == 1.0  # no true pairs: nothing to miss


# --- the window: groups quiet for longer than active_days ----------------------------


def test_a_group_quiet_longer_than_the_window_is_no_longer_a_candidate():
    index = GroupIndex(GroupingParams(active_days=30))
    first = index.add(record("en", SYNC_EN, created_at=T0))
    within = index.add(record("de", SYNC_DE, created_at=T0 + 20 * DAY))
    # Quiet since day 20: at day 51 the window starts at day 21.
    late = index.add(record("es", SYNC_ES, created_at=T0 + 51 * DAY))
    assert (first.group_id, within.group_id, within.new_group) == (0, 0, False)
    assert (late.group_id, late.new_group) == (1, True)
    # Without a window the same thread joins the old group.
    unbounded = GroupIndex()
    for thread_id, text, day in (("en", SYNC_EN, 0), ("de", SYNC_DE, 20), ("es", SYNC_ES, 51)):
        placed = unbounded.add(record(thread_id, text, created_at=T0 + day * DAY))
    assert (placed.group_id, placed.new_group) == (0, False)


def test_the_sweep_drops_quiet_saved_groups_and_keeps_unsaved_ones():
    index = GroupIndex(GroupingParams(active_days=30))
    sync = index.add(record("a", SYNC_EN, created_at=T0)).group_id
    export = index.add(record("b", EXPORT_EN, created_at=T0 + DAY)).group_id
    assert index.pop_dirty() == {sync, export}  # both saved
    index.add_affected(export, [AffectedMember("mei", "JP", "ja", T0 + 2 * DAY)])  # unsaved again
    printing = index.add(record("c", PRINT_EN, created_at=T0 + 40 * DAY)).group_id
    assert sorted(index.groups) == [export, printing] == [1, 2]
    assert all(sync not in posting for posting in index._postings.values())
    assert any(export in posting for posting in index._postings.values())
    # Once saved, the quiet group leaves at the next sweep too.
    index.pop_dirty()
    index.add(record("d", "Printing still fails with E5230 on the desktop app.", created_at=T0 + 43 * DAY))
    assert export not in index.groups
    assert all(export not in posting for posting in index._postings.values())


def test_revive_brings_a_swept_group_back_from_its_saved_state():
    index = GroupIndex(GroupingParams(active_days=30))
    sync = index.add(record("a", SYNC_EN, author="ana", country="PT", created_at=T0)).group_id
    index.pop_dirty()
    saved = next(index.export_groups([sync]))
    index.add(record("b", EXPORT_EN, created_at=T0 + 40 * DAY))  # sweeps the sync group out
    assert sync not in index
    assert index.match(SYNC_FR) is None
    with pytest.raises(UnknownGroupError):
        index.add_affected(sync, [AffectedMember("lucas", "BR", "pt", T0 + 41 * DAY)])

    revived = index.revive(saved)
    assert index.revive(saved) is revived  # already back: the same group
    assert sync in index and revived.n_threads == 1
    assert index.match(SYNC_FR).group_id == sync  # back in the posting lists
    # A late "me too" on the old thread reaches its group.
    index.add_affected(sync, [AffectedMember("lucas", "BR", "pt", T0 + 41 * DAY)])
    summary = index.summary(sync)
    assert (summary.n_members, summary.countries) == (2, (("BR", 1), ("PT", 1)))
    assert (summary.first_seen, summary.last_seen) == (T0, T0 + 41 * DAY)
    assert sync in index.pop_dirty()


def test_a_terms_posting_list_keeps_only_its_most_recent_groups():
    # Numeric rows: feature 1 is shared by every row, each row's own feature
    # dominates, so every row starts its own group keyed under feature 1.
    index = GroupIndex(GroupingParams(posting_cap=2))  # lists cut to 8 past 16 entries
    placed = [index.add_terms(ThreadRecord(str(i), ""), {1: 1.0, 100 + i: 5.0}) for i in range(20)]
    assert [a.group_id for a in placed] == list(range(20))
    assert all(a.new_group for a in placed)
    # The 17th entry cut the list to groups 9..16; 17, 18 and 19 came after.
    assert list(index._postings[1]) == list(range(9, 20))
    assert len(index) == 20  # the groups themselves stay
