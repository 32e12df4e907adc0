"""Members' volume of voice from the reply graph.

The community below is invented for these tests.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from assistant.cli import cli
from classifiers.voice import Contribution, VoiceWeights, compute_voice, top_experts
from tests.shared_data import shared_path


def community() -> list[Contribution]:
    """Three askers; 'sofia' gives accepted, up-voted answers; 'chatty'
    comments on everything and answers once without recognition."""
    items = []
    for asker in ("ana", "bo", "chen"):
        items.append(Contribution(asker, f"q-{asker}", "question", upvotes=2))
        items.append(Contribution("sofia", f"q-{asker}", "answer", replied_to=asker, upvotes=3, accepted=True,
                                  thanked=True))
        items.extend(Contribution("chatty", f"q-{asker}", "comment", replied_to=asker) for _ in range(4))
    items.append(Contribution("chatty", "q-ana", "answer", replied_to="ana"))
    return items


def test_an_accepted_answer_giver_outranks_a_chatter():
    voices = compute_voice(community())
    assert voices["sofia"].rank == 1
    assert voices["sofia"].rank < voices["chatty"].rank
    sofia = voices["sofia"]
    assert (sofia.answers, sofia.accepted, sofia.thanked, sofia.upvotes, sofia.helped) == (3, 3, 3, 9, 3)
    assert sofia.merit == 3 * (1 + 10 * 3 + 15 + 5)
    assert sofia.reasons == (
        "rank 1 of 5 members by voice",
        "3 answers to 3 members: 3 accepted, 3 thanked, 9 up-votes",
        "sought out by well-regarded members (2.3x the average endorsement)",
    )
    assert voices["chatty"].merit == 1.0
    assert sofia.percentile == 100.0


def test_help_to_a_respected_member_counts_for_more():
    base = [
        Contribution("guru", "q0", "question"),
        Contribution("eve", "q0", "answer", replied_to="guru", upvotes=1),
        Contribution("newbie", "q1", "question"),
        Contribution("frank", "q1", "answer", replied_to="newbie", upvotes=1),
    ]
    # the guru is someone the community listens to: others sought their help
    for n in range(5):
        base.append(Contribution(f"asker{n}", f"q{n + 2}", "question"))
        base.append(Contribution("guru", f"q{n + 2}", "answer", replied_to=f"asker{n}", accepted=True))
    voices = compute_voice(base)
    assert voices["eve"].merit == voices["frank"].merit
    assert voices["eve"].endorsement > voices["frank"].endorsement
    assert voices["eve"].rank < voices["frank"].rank


def test_without_endorsement_voice_is_merit_alone():
    voices = compute_voice(community(), VoiceWeights(endorsement=0.0))
    assert [m for m, _ in sorted(((m, v.rank) for m, v in voices.items()), key=lambda x: x[1])][:2] == [
        "sofia", "ana"]


def test_experts_are_the_loudest_voices_among_those_who_answer():
    experts = top_experts(compute_voice(community()), n=2)
    assert [e.member for e in experts] == ["sofia", "chatty"]


def test_no_contributions_no_voices():
    assert compute_voice([]) == {}


@pytest.mark.shared_data
def test_voice_tracks_reputation_on_cardano_without_reading_it():
    folder = shared_path("stackexchange", "cardano")
    result = CliRunner().invoke(cli, ["eval", "voice", "--stackexchange", str(folder)])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["spearman"] >= 0.75
    assert payload["top50_overlap"] >= 0.7
    assert payload["n_members"] > 600
