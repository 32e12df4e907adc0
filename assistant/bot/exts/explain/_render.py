"""The /explain reply: what the models, the rules, the group and the people
said about one thread. Reasons quote forum text, so every one is escaped."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import discord

from assistant.bot.render import (
    FIELD_VALUE_LIMIT,
    Field,
    Markup,
    build_embed,
    escape,
    humanise,
    one_line,
    timestamp,
)
from assistant.domain import parse_timestamp
from assistant.explain import Explanation
from assistant.report.text import count

COLOUR = 0x5865F2


def bullets(lines: Iterable[str], limit: int = FIELD_VALUE_LIMIT) -> Markup:
    """One escaped line per reason, as many whole lines as fit."""
    shown: list[str] = []
    used = 0
    for line in lines:
        text = escape("• " + one_line(line))
        if used + len(text) + 1 > limit and shown:
            break
        shown.append(text)
        used += len(text) + 1
    return Markup("\n".join(shown))


def _chances(probabilities: dict[str, float]) -> str:
    ranked = sorted(probabilities.items(), key=lambda kv: (-kv[1], kv[0]))
    return ", ".join(f"{humanise(name).lower()} {share:.0%}" for name, share in ranked)


def _when(value: str | None) -> str:
    if not value:
        return "—"
    moment: datetime = parse_timestamp(value)
    return timestamp(moment, "f")


def _asker(found: Explanation) -> Markup:
    asker = found.asker or {}
    head = escape(
        f"{asker.get('handle') or '?'}: {humanise(asker.get('user_type')).lower()} "
        f"(value {asker.get('user_value') or 0:.2f}), country {asker.get('country') or '?'}"
    )
    reasons = []
    for topic, given in (asker.get("reasons") or {}).items():
        for reason in given if isinstance(given, list) else [given]:
            reasons.append(f"{topic.replace('_', ' ')}: {reason}")
    rest = bullets(reasons, FIELD_VALUE_LIMIT - len(head) - 1) if reasons else ""
    return Markup(head + ("\n" + rest if rest else ""))


def _group(found: Explanation) -> Markup:
    group = found.group or {}
    countries = group.get("countries") or []
    head = escape(
        f"#{group.get('id')} {group.get('label')}: {count(group.get('affected_members') or 0, 'member')} "
        f"in {count(len(countries), 'country', 'countries')}"
        + (f" ({', '.join(countries)})" if countries else "")
        + f", {count(group.get('thread_count') or 0, 'thread')}"
    )
    reasons = group.get("reasons") or []
    rest = bullets(reasons, FIELD_VALUE_LIMIT - len(head) - 1) if reasons else ""
    return Markup(head + ("\n" + rest if rest else ""))


def _priority(found: Explanation) -> str:
    terms = " · ".join(f"{name.replace('_', ' ')} {value:+.2f}"
                       for name, value in found.priority_components.items() if value)
    return f"{found.priority:.2f}" + (f" = {terms}" if terms else "")


def _queue(found: Explanation) -> Markup:
    item = found.queue or {}
    line = escape(f"#{item.get('id')} {humanise(item.get('state')).lower()}")
    if item.get("claimed_by"):
        line = Markup(line + escape(f" by {item['claimed_by']}"))
    return Markup(line + escape(", answer by ") + _when(item.get("answer_by")))


def explain_embed(found: Explanation) -> discord.Embed:
    fields = [
        Field("Category", f"{humanise(found.category)} ({_chances(found.category_probabilities)})",
              inline=False),
        Field("Kind", f"{humanise(found.kind)} · problem {found.problem_probability:.0%} · "
                      f"capability {found.capability or 'none'} {found.capability_score:.2f} · "
                      f"language {found.language or '?'}", inline=False),
        Field("Reasons", bullets(found.reasons) if found.reasons else "—", inline=False),
    ]
    if found.asker:
        fields.append(Field("Asker", _asker(found), inline=False))
    if found.group:
        fields.append(Field("Same-problem group", _group(found), inline=False))
    if found.priority is not None:
        fields.append(Field("Priority", _priority(found), inline=False))
    if found.queue:
        fields.append(Field("Queue", _queue(found), inline=False))
    if found.labels:
        fields.append(Field("Labels", bullets(
            f"{label['kind']} = {label['value']} by {label['author'] or '?'} "
            f"({label['source']}, {label['created_at'][:10]})" for label in found.labels
        ), inline=False))
    return build_embed(
        title=found.title,
        url=found.url,
        author=f"{found.community_id}:{found.native_id}",
        description=("Why: " + one_line(found.why)) if found.why else None,
        fields=fields,
        footer=f"Thread {found.thread_id} · model {found.model_version}",
        colour=COLOUR,
    )
