"""Judging stored threads with the models: is it a problem, of which kind,
can the startup solve it, who else is affected, was it solved — each with
the reasons a founder reads before trusting the queue with their reputation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.models import ModelSet
from classifiers import signals as signal_rules
from classifiers.geography import detect_languages
from playbooks import Playbook

REPLY_TEXT_CHARS = 2000


@dataclass
class ThreadVerdict:
    thread_id: int
    is_problem: bool
    problem_probability: float
    kind: str
    capability_id: str | None
    capability_score: float
    language: str | None
    signals: dict[str, Any] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)


def thread_text(thread: dict[str, Any]) -> str:
    """Title on the first line, then the opening post: the shape the text
    models read."""
    return f"{thread['title']}\n{thread['body_text']}"


def replies_of(thread: dict[str, Any], posts: list[dict[str, Any]]) -> list[signal_rules.Reply]:
    asker = thread.get("author")
    return [
        signal_rules.Reply(
            author=post["author"] or "[deleted]",
            text=(post["body_text"] or "")[:REPLY_TEXT_CHARS],
            is_op=bool(asker) and post["author"] == asker,
            is_staff=bool(post["author_is_staff"]),
            score=post["score"] or 0,
            accepted=bool(post["is_accepted"]),
            parent=post["parent_native_id"],
            id=post["native_id"],
        )
        for post in posts
    ]


def judge_batch(
    threads: list[dict[str, Any]],
    posts: dict[int, list[dict[str, Any]]],
    models: ModelSet,
    playbook: Playbook,
) -> list[ThreadVerdict]:
    """One verdict per thread; the models run once over the whole batch."""
    if not threads:
        return []
    texts = [thread_text(thread) for thread in threads]
    probabilities, explanations = models.problem.explain_batch(texts, top=4)
    problem_p = models.problem.problem_column(probabilities)
    kind_p = models.kind.predict_proba(texts)
    kinds = [str(c) for c in models.kind.classes_]
    capability = models.capability.judge(texts)
    # All the batch's languages from one pass of the model over the texts.
    languages = detect_languages([text[:1000] for text in texts], min_chars=20)
    threshold = playbook.categories.problem_threshold
    own_domains = playbook.startup.domains
    verdicts = []
    for index, thread in enumerate(threads):
        text = texts[index]
        replies = replies_of(thread, posts.get(thread["id"], []))
        opening = signal_rules.detect(text, own_domains, only=signal_rules.OPENING_SIGNALS)
        me_too = signal_rules.me_too_authors(text, replies)
        solved = signal_rules.solved_probability(text, replies)
        me_too_authors = {m.author for m in me_too}
        answered_by: list[str] = []
        for reply in replies:
            helper = reply.author not in me_too_authors and reply.author != "[deleted]"
            if not reply.is_op and helper and reply.author not in answered_by:
                answered_by.append(reply.author)
        probability = float(problem_p[index])
        kind = kinds[int(kind_p[index].argmax())]
        verdict_capability = capability[index]
        language = languages[index][0]
        explanation = explanations[index]
        reasons = [
            "problem: " + "; ".join(explanation.reasons()),
            f"kind: {kind} ({float(kind_p[index].max()):.0%})",
            f"capability {verdict_capability.capability or 'none'} "
            f"{verdict_capability.score:.2f}: " + "; ".join(verdict_capability.reasons),
        ]
        if me_too:
            reasons.append(
                "also affected: "
                + ", ".join(f'{m.author} ("{m.evidence.span}")' for m in me_too)
            )
        reasons.append(f"solved {solved.probability:.2f}: " + "; ".join(solved.reasons))
        verdicts.append(
            ThreadVerdict(
                thread_id=thread["id"],
                is_problem=probability >= threshold,
                problem_probability=round(probability, 4),
                kind=kind,
                capability_id=verdict_capability.capability,
                capability_score=verdict_capability.score,
                language=language,
                signals={
                    **opening.counts(),
                    "evidence": opening.reasons()[:6],
                    "me_too": [m.author for m in me_too],
                    "answered_by": answered_by,
                    "solved": solved.probability >= 0.5,
                    "solved_probability": solved.probability,
                    "solved_by": solved.solver,
                },
                reasons=reasons,
            )
        )
    return verdicts


def judge_part(models: ModelSet, playbook: Playbook,
               part: tuple[list[dict[str, Any]], dict[int, list[dict[str, Any]]]]) -> list[ThreadVerdict]:
    """``judge_batch`` in the shape a judging worker calls (``assistant.workers``):
    the part is a batch's threads and their posts."""
    threads, posts = part
    return judge_batch(threads, posts, models, playbook)
