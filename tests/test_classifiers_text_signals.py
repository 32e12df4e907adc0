"""Signals, thread helpers and the category rule, on hand-written threads."""

from __future__ import annotations

import socket

import pytest

from classifiers import signals
from classifiers.category import (
    CategoryRuleError,
    CategoryThresholds,
    GroupStats,
    categorize,
)
from classifiers.signals import Reply


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Nothing here may reach the network."""

    def refuse(*args, **kwargs):
        raise AssertionError("tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def spans(found):
    return [(e.rule, e.span) for e in found]


# --- question / help request -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "How do I rotate the pool keys? The guide skips it.",
            [
                ("question_mark", "How do I rotate the pool keys?"),
                ("interrogative", "How do I rotate the pool keys?"),
            ],
        ),
        ("¿Cómo puedo cambiar el puerto del nodo?", None),
        (
            "Wie kann ich die Sprache umstellen. Danke",
            [("interrogative", "Wie kann ich die Sprache umstellen.")],
        ),
        (
            "Como faço para exportar os dados",
            [("interrogative", "Como faço para exportar os dados")],
        ),
        (
            "Comment faire pour réinstaller le portefeuille",
            [("interrogative", "Comment faire pour réinstaller le portefeuille")],
        ),
        (
            "I'm stuck with the wallet restore, please help",
            [
                ("help_request", "I'm stuck"),
            ],
        ),
        ("Just sharing my new frame build. Looks great.", []),
        ("See https://example.org/page?id=3 for the photos.", []),
    ],
)
def test_question(text, expected):
    found = spans(signals.question(text))
    if expected is None:
        assert [rule for rule, _ in found] == ["question_mark", "interrogative"]
        assert found[0][1] == "Cómo puedo cambiar el puerto del nodo?"
    else:
        assert found == expected


def test_help_request_in_spanish_and_french():
    assert spans(signals.question("Necesito ayuda con la sincronización")) == [
        ("help_request", "Necesito ayuda")
    ]
    assert spans(signals.question("J'ai besoin d'aide pour le nœud")) == [
        ("help_request", "besoin d'aide")
    ]


# --- errors -----------------------------------------------------------------------


def test_python_traceback_and_exception():
    text = (
        "It fails on start:\n"
        "Traceback (most recent call last):\n"
        '  File "wallet.py", line 41, in restore\n'
        "KeyError: 'seed'\n"
    )
    assert spans(signals.error_trace(text)) == [
        ("python_traceback", "Traceback (most recent call last)"),
        ("python_frame", 'File "wallet.py", line 41, in restore'),
        ("exception_name", "KeyError: 'seed'"),
    ]


def test_java_stack_frame_and_error_line():
    text = "ERROR: sync stopped\n    at org.pool.Sync.run(Sync.java:88)\n"
    assert spans(signals.error_trace(text)) == [
        ("stack_frame", "at org.pool.Sync.run(Sync.java:88)"),
        ("error_line", "ERROR: sync stopped"),
    ]


@pytest.mark.parametrize(
    ("text", "rule", "span"),
    [
        ("the node ends with Segmentation fault after an hour", "crash", "Segmentation fault"),
        ("build exited with code 137 again", "crash", "exited with code 137"),
        ("Die App zeigt eine Fehlermeldung beim Start", "error_message_mention", "Fehlermeldung"),
        ("j'ai une erreur quand je synchronise", "error_message_mention", "une erreur"),
        ("aparece um erro ao abrir", "error_message_mention", "um erro"),
    ],
)
def test_error_rules_in_several_languages(text, rule, span):
    assert (rule, span) in spans(signals.error_trace(text))


def test_no_error_in_plain_text():
    assert signals.error_trace("My rides this summer were wonderful.") == []


# --- versions ----------------------------------------------------------------------


def test_versions_and_ip_addresses():
    text = "Upgraded from version 1.30 to v1.31.0-rc2 on 10.0.0.12, still on 2.4.1"
    assert spans(signals.versions(text)) == [
        ("version_word", "version 1.30"),
        ("dotted_number", "v1.31.0-rc2"),
        ("dotted_number", "2.4.1"),
    ]
    assert signals.versions("Versión 3.2 instalada") == [
        signals.Evidence("version", "version_word", "Versión 3.2", 0, 11)
    ]


# --- me too ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Same here, since yesterday's update.", "Same here"),
        ("I'm also having the same issue on Linux", "I'm also having the same"),
        ("+1\nany workaround?", "+1"),
        ("A mí también me pasa desde ayer", "A mí también"),
        ("Ich habe das gleiche Problem mit dem Knoten", "habe das gleiche Problem"),
        ("Eu também, desde a atualização", "Eu também"),
        ("Moi aussi, depuis la mise à jour", "Moi aussi"),
    ],
)
def test_me_too(text, span):
    assert [e.span for e in signals.me_too(text)] == [span]


def test_negated_me_too_does_not_count():
    assert signals.me_too("This is not the same problem as yours") == []


# --- resolution ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Thanks, that fixed it!", "that fixed it"),
        ("Works now after clearing the cache.", "Works now"),
        ("Problem solved, the port was blocked.", "Problem solved"),
        ("¡Gracias! Ya funciona", "Ya funciona"),
        ("Danke, das hat geholfen", "das hat geholfen"),
        ("Obrigado, funcionou", "funcionou"),
        ("Merci, ça marche maintenant", "ça marche"),
    ],
)
def test_resolution_acknowledged(text, span):
    assert [e.span for e in signals.resolution(text)] == [span]


@pytest.mark.parametrize(
    "text",
    [
        "That did not fix it.",
        "If that fixes it, please mark it as solved.",
        "Did that work?",
        "Es funktioniert nicht.",
        "Ça ne marche pas.",
    ],
)
def test_resolution_negated_conditional_or_question(text):
    assert signals.resolution(text) == []


def test_still_broken():
    assert [e.span for e in signals.still_broken("Tried it, still not working")] == [
        "still not working"
    ]
    assert [e.span for e in signals.still_broken("No funcionó, sigue igual")] == ["No funcionó"]


# --- buying intent and self-promotion ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("We'd pay for a supported connector.", "We'd pay"),
        ("Looking for a consultant to migrate our nodes", "Looking for a consultant to"),
        ("Can you send us a quote?", "send us a quote"),
        ("Buscamos un consultor para la migración", "Buscamos un consultor"),
        ("Wir würden dafür bezahlen", "Wir würden dafür bezahlen"),
        ("Precisamos de um especialista em nós", "Precisamos de um especialista"),
        ("Pouvez-vous nous faire un devis ?", "devis"),
    ],
)
def test_buying_intent(text, span):
    assert [e.span for e in signals.buying_intent(text)] == [span]


def test_self_promotion_only_for_own_domains():
    text = "Guide: https://blog.poolcraft.io/keys and the docs at example.org"
    assert [e.span for e in signals.self_promotion(text, ["poolcraft.io"])] == [
        "https://blog.poolcraft.io/keys"
    ]
    assert signals.self_promotion(text, []) == []
    assert signals.self_promotion("see notpoolcraft.io", ["poolcraft.io"]) == []


def test_detect_collects_every_signal_with_evidence():
    found = signals.detect(
        "Sync fails on 1.31.0\nError: peer timeout. How do I fix it? We'd pay for help.",
        own_domains=["poolcraft.io"],
    )
    assert found.counts() == {
        "question": 2,
        "error": 1,
        "version": 1,
        "me_too": 0,
        "resolved": 0,
        "still_broken": 0,
        "buying_intent": 1,
        "self_promotion": 0,
    }
    assert 'error (error_line): "Error: peer timeout. How do I fix it? We\'d pay for help."' in (
        found.reasons()
    )


# --- threads -----------------------------------------------------------------------------

OPENING = "Node stops syncing at epoch 290\nMy relay stops syncing every night. Any idea?"


def thread():
    return [
        Reply("ana", "Same here, my relay stopped too.", id="r1"),
        Reply("ben", "Raise the peer count to 20 in the topology file.", id="r2"),
        Reply("op", "Tried it, still not working.", is_op=True, parent="r2", id="r3"),
        Reply("cyd", "Open port 3001 in the firewall; it blocks incoming peers.", id="r4", score=3),
        Reply("ana", "Thanks, that fixed it for me too!", parent="r4", id="r5"),
        Reply("op", "@cyd that did the trick, works now. Thank you!", is_op=True, id="r6"),
        Reply("staff", "Same problem was reported, we confirm it.", is_staff=True, id="r7"),
        Reply("dee", "me too", id="r8"),
    ]


def test_me_too_authors_are_distinct_non_op_non_staff():
    found = signals.me_too_authors(OPENING, thread())
    assert [(m.author, m.reply_index, m.evidence.span) for m in found] == [
        ("ana", 0, "Same here"),
        ("dee", 7, "me too"),
    ]


def test_acknowledged_resolutions_name_who_solved_it():
    found = signals.acknowledged_resolutions(OPENING, thread())
    assert [
        (r.acknowledged_by, r.by_op, r.reply_index, r.solver, r.solution_index, r.evidence.span)
        for r in found
    ] == [
        ("ana", False, 4, "cyd", 3, "that fixed it"),
        ("op", True, 5, "cyd", 3, "that did the trick"),
    ]


def test_flat_thread_credits_the_latest_helper():
    replies = [
        Reply("ben", "Reinstall the driver."),
        Reply("op", "That worked, thanks!", is_op=True),
    ]
    (found,) = signals.acknowledged_resolutions("printer offline", replies)
    assert (found.solver, found.solution_index) == ("ben", 0)


def test_helper_saying_glad_it_worked_is_not_an_acknowledgement():
    replies = [Reply("ben", "Reinstall the driver."), Reply("ben", "Glad it works now!")]
    assert signals.acknowledged_resolutions("printer offline", replies) == []


def test_solved_probability_with_reasons():
    judgement = signals.solved_probability(OPENING, thread())
    assert judgement.solver == "cyd"
    assert judgement.probability == 0.9149
    assert judgement.reasons == (
        'affected member ana said "that fixed it", crediting cyd',
        'the asker said "that did the trick", crediting cyd',
    )


def test_unanswered_thread_is_unlikely_solved():
    judgement = signals.solved_probability(OPENING, [])
    assert judgement.probability == 0.1545
    assert judgement.solver is None
    assert judgement.reasons == ("no answer yet",)


def test_accepted_flag_counts_when_given():
    replies = [Reply("ben", "Reinstall it.", accepted=True, id="a1")]
    judgement = signals.solved_probability(OPENING, replies)
    assert judgement.solver == "ben"
    assert judgement.probability > 0.99
    assert judgement.reasons[0] == "accepted answer by ben"


def test_asker_saying_it_still_fails_lowers_the_score():
    helped = [Reply("ben", "Reinstall it.")]
    failed = [*helped, Reply("op", "Reinstalled, still not working.", is_op=True)]
    assert (
        signals.solved_probability(OPENING, failed).probability
        < signals.solved_probability(OPENING, helped).probability
    )


def test_signal_features_row():
    row = signals.signal_vector("How do I fix this?\nTypeError: x is undefined")
    assert dict(zip(signals.SIGNAL_FEATURE_NAMES, row, strict=True)) == {
        "signal:question_mark": 1.0,
        "signal:interrogative": 1.0,
        "signal:help_request": 0.0,
        "signal:error_strong": 1.0,
        "signal:error_mention": 0.0,
        "signal:version": 0.0,
        "signal:code": 0.0,
        "signal:short": 1.0,
    }


# --- category rule ---------------------------------------------------------------------------

RULE = CategoryThresholds(
    problem_threshold=0.5,
    capability_threshold=0.6,
    min_affected_members=3,
    min_countries=2,
    lookback_days=30,
)


def test_not_a_problem():
    decision = categorize(0.2, 0.9, 0.0, GroupStats(5, 4), RULE)
    assert decision.category == "not_a_problem"
    assert decision.reasons == ("P(problem) 0.20 < 0.50: not a problem",)
    assert decision.probabilities["not_a_problem"] == 0.9526


def test_unsolvable():
    decision = categorize(0.9, 0.3, 0.0, GroupStats(5, 4), RULE)
    assert decision.category == "unsolvable"
    assert decision.reasons[-1] == "capability 0.30 < 0.60: outside what we can do"
    assert decision.probabilities["unsolvable"] == 0.9354


def test_pervasive_solvable_needs_members_countries_and_open():
    decision = categorize(0.9, 0.8, 0.1, GroupStats(4, 3), RULE)
    assert decision.category == "pervasive_solvable"
    assert decision.reasons == (
        "P(problem) 0.90 ≥ 0.50",
        "capability 0.80 ≥ 0.60",
        "4 affected member(s) (need 3) in 3 countries (need 2) over 30 days",
        "still open (P(solved) 0.10)",
    )
    assert sum(decision.probabilities.values()) == pytest.approx(1.0, abs=1e-3)
    assert max(decision.probabilities, key=decision.probabilities.get) == "pervasive_solvable"


@pytest.mark.parametrize(
    ("group", "solved", "last_reason"),
    [
        (GroupStats(1, 1), 0.1, "too few affected members"),
        (GroupStats(6, 1), 0.1, "too few countries"),
        (GroupStats(2, 1), 0.8, "P(solved) 0.80 ≥ 0.50: already solved"),
    ],
)
def test_unrewarded(group, solved, last_reason):
    decision = categorize(0.9, 0.8, solved, group, RULE)
    assert decision.category == "unrewarded"
    assert decision.reasons[-1] == last_reason


def test_a_solved_thread_of_a_pervasive_group_keeps_the_problem_pervasive():
    decision = categorize(0.9, 0.8, 0.8, GroupStats(6, 3), RULE)
    assert decision.category == "pervasive_solvable"
    assert decision.reasons[-1] == "already solved in this thread (P(solved) 0.80)"


def test_thresholds_are_checked():
    with pytest.raises(CategoryRuleError, match="capability_threshold must be between 0 and 1"):
        CategoryThresholds(capability_threshold=1.5)
    with pytest.raises(CategoryRuleError, match="unknown threshold 'min_users'"):
        CategoryThresholds.from_mapping({"min_users": 3})
    with pytest.raises(CategoryRuleError, match="problem_probability must be a probability"):
        categorize(1.2, 0.5, 0.0, GroupStats())


def test_rule_reads_the_playbook_categories_by_attribute():
    from types import SimpleNamespace

    rules = SimpleNamespace(
        lookback_days=90,
        min_affected_members=2,
        min_countries=1,
        problem_threshold=0.5,
        capability_threshold=0.35,
    )
    decision = categorize(0.8, 0.4, 0.2, GroupStats(2, 1), rules)
    assert decision.category == "pervasive_solvable"
    assert decision.reasons[2] == (
        "2 affected member(s) (need 2) in 1 country (need 1) over 90 days"
    )
