"""Does voice, computed from the reply graph alone, find the members a
community rewards? Scored against Stack Exchange reputation, which voice never
reads: Spearman correlation over every member with at least one post, and how
many of the 50 loudest voices are among the 50 highest reputations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from scipy.stats import spearmanr

from classifiers.evaluation.members_dump import Dump, DumpError, load_dump
from classifiers.voice import Contribution, VoiceWeights, compute_voice

# A comment from the person helped that says the answer worked.
_THANKS_RE = re.compile(
    r"\b(?:thanks?|thank you|thx|ty|cheers|worked|works now|that fixed|fixed it|solved|perfect|great answer)\b",
    re.IGNORECASE,
)


def contributions_from_dump(dump: Dump) -> Iterator[Contribution]:
    """Every question, answer and comment as a ``Contribution``; the dump's
    Reputation field is never read."""
    thanked_answers = set()
    for comment in dump.comments:
        post = dump.posts.get(comment.post_id)
        if post is None or post.is_question or comment.user is None:
            continue
        question = dump.posts.get(post.parent_id or "")
        if question is not None and question.owner == comment.user and _THANKS_RE.search(comment.text):
            thanked_answers.add(post.post_id)
    for post in dump.posts.values():
        if not post.owner or post.owner == "-1":
            continue
        if post.is_question:
            yield Contribution(
                post.owner, post.post_id, "question", upvotes=post.upvotes, downvotes=post.downvotes
            )
            continue
        question = dump.posts.get(post.parent_id or "")
        yield Contribution(
            member=post.owner,
            thread_id=post.parent_id or post.post_id,
            kind="answer",
            replied_to=question.owner if question is not None else None,
            upvotes=post.upvotes,
            downvotes=post.downvotes,
            accepted=question is not None and question.accepted_answer_id == post.post_id,
            thanked=post.post_id in thanked_answers,
        )
    for comment in dump.comments:
        post = dump.posts.get(comment.post_id)
        if post is None or not comment.user or comment.user == "-1":
            continue
        yield Contribution(
            member=comment.user,
            thread_id=post.parent_id or post.post_id if not post.is_question else post.post_id,
            kind="comment",
            replied_to=post.owner,
            upvotes=max(comment.score, 0),
        )


def posting_members(dump: Dump) -> set[str]:
    """Members with at least one question or answer (comments aside)."""
    return {post.owner for post in dump.posts.values() if post.owner and post.owner != "-1"}


def evaluate_voice(dump: Dump, weights: VoiceWeights | None = None) -> dict:
    voices = compute_voice(contributions_from_dump(dump), weights)
    members = sorted(m for m in posting_members(dump) if m in dump.users and m in voices)
    if len(members) < 3:
        raise ValueError("fewer than 3 members with posts and a known reputation")
    computed = [voices[m].score for m in members]
    reputation = [dump.users[m].reputation for m in members]
    rho = float(spearmanr(computed, reputation)[0])
    by_voice = sorted(members, key=lambda m: (voices[m].rank, m))[:50]
    by_reputation = sorted(members, key=lambda m: (-dump.users[m].reputation, m))[:50]
    overlap = len(set(by_voice) & set(by_reputation)) / min(50, len(members))
    return {
        "spearman": round(rho, 4),
        "top50_overlap": round(overlap, 4),
        "n_members": len(members),
    }


def evaluate_voice_dump(folder: str | Path, weights: VoiceWeights | None = None) -> dict:
    """``beachhead eval voice --stackexchange DIR``."""
    try:
        return evaluate_voice(load_dump(folder), weights)
    except DumpError:
        raise
    except ValueError as error:
        raise DumpError(f"'{folder}': {error}") from None
