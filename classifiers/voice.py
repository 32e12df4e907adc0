"""Each member's "volume of voice" in a community, from the reply graph.

Who does a community listen to? Not necessarily whoever has the biggest
platform reputation — that number mixes in other sites, edits and age — but
the members whose answers get accepted, thanked and up-voted, and who are
sought out by members the community itself listens to. Voice combines two
measures computed from the community's own posts:

- *merit*: what members' contributions earned (votes, acceptances, thanks);
- *endorsement*: a weighted PageRank on the answer graph, where an edge runs
  from the member helped to the member who helped, weighted by how well the
  help was received — so help given to respected members counts for more.

The top of the ranking are the community's experts, the people a founder
should work with rather than compete against.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import scipy.sparse as sp

Kind = Literal["question", "answer", "comment"]


@dataclass(frozen=True, slots=True)
class Contribution:
    """One post of a member. ``replied_to`` is the member whose post it
    answers or comments on (for an answer: the asker); ``thanked`` means the
    person helped said thanks or that it worked; votes are the post's own.
    A platform that only reports a net score passes it as ``upvotes`` when
    positive and ``downvotes`` when negative."""

    member: str
    thread_id: str
    kind: Kind
    replied_to: str | None = None
    upvotes: int = 0
    downvotes: int = 0
    accepted: bool = False
    thanked: bool = False


@dataclass(frozen=True, slots=True)
class VoiceWeights:
    """What each kind of recognition is worth. The defaults mirror how forum
    communities themselves reward help (an accepted answer is worth more than
    an up-vote; a down-vote costs a little); ``endorsement`` is the share of
    voice taken from the answer graph rather than from merit."""

    upvote: float = 10.0
    downvote: float = 2.0
    accepted: float = 15.0
    thanked: float = 5.0
    answer: float = 1.0
    question_upvote: float = 10.0
    comment_upvote: float = 1.0
    accepting: float = 2.0
    comment_edge: float = 0.2
    endorsement: float = 0.3
    damping: float = 0.85
    iterations: int = 60


@dataclass(frozen=True, slots=True)
class Voice:
    """A member's voice in one community, with what it rests on."""

    member: str
    score: float
    rank: int
    percentile: float
    merit: float
    endorsement: float
    questions: int
    answers: int
    accepted: int
    thanked: int
    upvotes: int
    helped: int
    reasons: tuple[str, ...] = field(default=())


@dataclass(slots=True)
class _Tally:
    merit: float = 0.0
    questions: int = 0
    answers: int = 0
    accepted: int = 0
    thanked: int = 0
    upvotes: int = 0
    helped: set[str] = field(default_factory=set)


def compute_voice(
    contributions: Iterable[Contribution], weights: VoiceWeights | None = None
) -> dict[str, Voice]:
    """Voice of every member who posted, keyed by member id."""
    weights = weights or VoiceWeights()
    tallies: dict[str, _Tally] = {}
    edges: dict[tuple[str, str], float] = {}

    def tally(member: str) -> _Tally:
        found = tallies.get(member)
        if found is None:
            found = tallies[member] = _Tally()
        return found

    for item in contributions:
        own = tally(item.member)
        if item.kind == "question":
            own.questions += 1
            own.merit += weights.question_upvote * item.upvotes - weights.downvote * item.downvotes
            continue
        if item.kind == "answer":
            received = (
                weights.answer
                + weights.upvote * item.upvotes
                + weights.accepted * item.accepted
                + weights.thanked * item.thanked
            )
            own.answers += 1
            own.merit += received - weights.downvote * item.downvotes
            own.accepted += int(item.accepted)
            own.thanked += int(item.thanked)
            own.upvotes += item.upvotes
            edge_weight = received
        else:
            own.merit += weights.comment_upvote * item.upvotes + weights.thanked * item.thanked
            own.thanked += int(item.thanked)
            edge_weight = weights.comment_edge * (1 + item.upvotes + item.thanked)
        helped = item.replied_to
        if helped and helped != item.member:
            if item.kind == "answer":
                own.helped.add(helped)
                if item.accepted:
                    tally(helped).merit += weights.accepting
            else:
                tally(helped)
            key = (helped, item.member)
            edges[key] = edges.get(key, 0.0) + max(edge_weight, 0.0)

    if not tallies:
        return {}
    members = sorted(tallies)
    endorsement = _pagerank(members, edges, weights.damping, weights.iterations)
    share = weights.endorsement
    scores = {}
    for member in members:
        merit = max(tallies[member].merit, 0.0)
        scores[member] = (1.0 - share) * math.log1p(merit) + share * math.log1p(endorsement[member] * len(members))
    ranked = sorted(members, key=lambda m: (-scores[m], m))
    total = len(ranked)
    voices = {}
    for position, member in enumerate(ranked, start=1):
        own = tallies[member]
        percentile = 100.0 * (total - position) / (total - 1) if total > 1 else 100.0
        voices[member] = Voice(
            member=member,
            score=round(scores[member], 6),
            rank=position,
            percentile=round(percentile, 2),
            merit=round(own.merit, 3),
            endorsement=round(endorsement[member] * total, 6),
            questions=own.questions,
            answers=own.answers,
            accepted=own.accepted,
            thanked=own.thanked,
            upvotes=own.upvotes,
            helped=len(own.helped),
            reasons=_reasons(own, endorsement[member] * total, position, total),
        )
    return voices


def _reasons(own: _Tally, endorsement: float, rank: int, total: int) -> tuple[str, ...]:
    reasons = [f"rank {rank} of {total} members by voice"]
    if own.answers:
        reasons.append(
            f"{own.answers} answers to {len(own.helped)} members: {own.accepted} accepted, "
            f"{own.thanked} thanked, {own.upvotes} up-votes"
        )
    if own.questions:
        reasons.append(f"asked {own.questions} questions")
    if endorsement >= 2.0:
        reasons.append(f"sought out by well-regarded members ({endorsement:.1f}x the average endorsement)")
    return tuple(reasons)


def _pagerank(
    members: list[str], edges: Mapping[tuple[str, str], float], damping: float, iterations: int
) -> dict[str, float]:
    """Weighted PageRank; members who never asked spread their rank evenly."""
    position = {member: i for i, member in enumerate(members)}
    n = len(members)
    if not edges:
        return {member: 1.0 / n for member in members}
    rows = np.fromiter((position[a] for a, _ in edges), dtype=np.int64, count=len(edges))
    cols = np.fromiter((position[b] for _, b in edges), dtype=np.int64, count=len(edges))
    data = np.fromiter(edges.values(), dtype=np.float64, count=len(edges))
    matrix = sp.csr_matrix((data, (rows, cols)), shape=(n, n))
    out = np.asarray(matrix.sum(axis=1)).ravel()
    dangling = out == 0
    inverse = np.divide(1.0, out, out=np.zeros_like(out), where=~dangling)
    transition = sp.diags(inverse) @ matrix
    transposed = transition.T.tocsr()
    rank = np.full(n, 1.0 / n)
    for _ in range(iterations):
        spread = rank[dangling].sum() / n
        updated = damping * (transposed @ rank + spread) + (1.0 - damping) / n
        if np.abs(updated - rank).sum() < 1e-10:
            rank = updated
            break
        rank = updated
    return {member: float(rank[i]) for i, member in enumerate(members)}


def top_experts(voices: Mapping[str, Voice], n: int = 10, min_answers: int = 1) -> list[Voice]:
    """The community's experts: the loudest voices among those who answer."""
    eligible = [voice for voice in voices.values() if voice.answers >= min_answers]
    return sorted(eligible, key=lambda v: (v.rank, v.member))[:n]
