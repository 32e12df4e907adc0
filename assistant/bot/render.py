"""What the bot shows in Discord, built from forum text that must be treated
as hostile.

Everything here is a pure function: text in, safe text or an embed out. Three
rules hold for every string that reaches Discord:

* nothing can ping: ``@everyone``, ``@here`` and ``<@…>``/``<@&…>``/``<#…>``
  get a zero-width space that breaks the mention (and every send also carries
  ``AllowedMentions.none()``, so a miss here still pings no one);
* markdown cannot break out of its field: markup characters are escaped, and
  URLs inside text are kept clickable but cannot form masked links;
* every field fits Discord's limits, cut with an ellipsis, the whole embed
  included.

Text the bot composes itself (links, timestamps) is wrapped in ``Markup`` so
it is not escaped a second time; only the helpers below create it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

import discord

ZWSP = "\u200b"
ELLIPSIS = "…"

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
AUTHOR_LIMIT = 256
FIELD_COUNT_LIMIT = 25
EMBED_TOTAL_LIMIT = 6000
CONTENT_LIMIT = 2000
URL_LIMIT = 2048
SELECT_LABEL_LIMIT = 100

NO_MENTIONS = discord.AllowedMentions.none()

_EVERYONE = re.compile(r"@(everyone|here)", re.IGNORECASE)
_ANGLE_MENTION = re.compile(r"<(@[!&]?|#)")
_URL = re.compile(r"https?://[a-z0-9][^\s<>`\"]*", re.IGNORECASE)
_ALWAYS_ESCAPED = set("\\*_~`|[]<")
_LINE_START = re.compile(r"^(\s*)([-+>]|#{1,3}\s|\d+\.(?=\s))", re.MULTILINE)
_URL_UNSAFE = {"(": "%28", ")": "%29", "[": "%5B", "]": "%5D", "*": "%2A", "_": "%5F",
               "~": "%7E", "|": "%7C", "\\": "%5C"}


class Markup(str):
    """Text that is already safe for Discord (escaped pieces joined by the
    bot's own markup); ``escape`` leaves it alone."""

    __slots__ = ()


def neutralise(text: str) -> str:
    """Break every mention with a zero-width space so it cannot ping."""
    text = _EVERYONE.sub(lambda m: "@" + ZWSP + m.group(1), text)
    return _ANGLE_MENTION.sub(lambda m: "<" + ZWSP + m.group(1), text)


def _escape_plain(text: str) -> str:
    escaped = "".join("\\" + ch if ch in _ALWAYS_ESCAPED else ch for ch in text)
    # Lists, quotes and numbered lists only start a block at a line start.
    return _LINE_START.sub(
        lambda m: m.group(1) + (m.group(2)[:-1] + "\\." if m.group(2).endswith(".")
                                else "\\" + m.group(2)),
        escaped,
    )


def _defang_url(url: str) -> str:
    return "".join(_URL_UNSAFE.get(ch, ch) for ch in url)


def escape(text: str) -> Markup:
    """Escape markdown so the text shows exactly as written. URLs stay
    clickable, but their brackets are percent-encoded so they cannot be
    turned into masked links."""
    if isinstance(text, Markup):
        return text
    text = neutralise(str(text))
    out: list[str] = []
    position = 0
    for match in _URL.finditer(text):
        out.append(_escape_plain(text[position:match.start()]))
        out.append(_defang_url(match.group(0)))
        position = match.end()
    out.append(_escape_plain(text[position:]))
    return Markup("".join(out))


def clip(text: str, limit: int) -> str:
    """Cut to ``limit`` characters, ending with an ellipsis when cut, never
    leaving half an escape sequence behind."""
    if len(text) <= limit:
        return text
    if limit <= 0:
        return ""
    cut = text[: limit - 1].rstrip()
    trailing = len(cut) - len(cut.rstrip("\\"))
    if trailing % 2:
        cut = cut[:-1]
    result = cut + ELLIPSIS
    return Markup(result) if isinstance(text, Markup) else result


def one_line(text: str) -> str:
    """Collapse newlines and runs of whitespace: titles and list lines."""
    return " ".join(str(text).split())


def safe(text: str | None, limit: int, *, single_line: bool = False) -> Markup:
    """The one way forum text enters a message: neutralised, escaped, cut."""
    if text is None:
        return Markup("")
    if single_line and not isinstance(text, Markup):
        text = one_line(text)
    return Markup(clip(escape(text), limit))


def safe_url(url: str | None) -> str | None:
    """A URL Discord will accept as a link target, or None: http(s) only, no
    whitespace, within the length limit."""
    if not url:
        return None
    url = url.strip()
    if len(url) > URL_LIMIT or any(ch.isspace() for ch in url) or "<" in url or ">" in url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(url, safe=":/?#@!$&'*+,;=%-._~")


def link(text: str, url: str | None, limit: int = 200) -> Markup:
    """A masked link the bot builds itself; plain escaped text without a URL."""
    label = safe(text, limit, single_line=True)
    target = safe_url(url)
    if target is None or not label:
        return label
    return Markup(f"[{label}]({target})")


def timestamp(moment: datetime, style: str = "R") -> Markup:
    """Discord's own timestamp markup: every reader sees it in their zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return Markup(f"<t:{int(moment.timestamp())}:{style}>")


def join(parts: Iterable[str], sep: str = " · ") -> Markup:
    """Join pieces, escaping the ones that are not Markup yet."""
    return Markup(sep.join(escape(p) for p in parts if p))


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    value: str
    inline: bool = True


def build_embed(
    *,
    title: str,
    description: str | None = None,
    url: str | None = None,
    fields: Sequence[Field] = (),
    footer: str | None = None,
    author: str | None = None,
    colour: int | None = None,
    when: datetime | None = None,
) -> discord.Embed:
    """An embed whose every part is escaped and within Discord's limits,
    the 6,000-character total included (the description gives way first,
    then the last fields)."""
    safe_title = safe(title, TITLE_LIMIT, single_line=True) or Markup("(untitled)")
    safe_author = safe(author, AUTHOR_LIMIT, single_line=True) if author else None
    safe_footer = safe(footer, FOOTER_LIMIT) if footer else None
    safe_fields: list[tuple[Markup, Markup, bool]] = []
    for item in list(fields)[:FIELD_COUNT_LIMIT]:
        name = safe(item.name, FIELD_NAME_LIMIT, single_line=True) or Markup(ZWSP)
        value = safe(item.value, FIELD_VALUE_LIMIT) or Markup("—")
        safe_fields.append((name, value, item.inline))
    fixed = len(safe_title) + len(safe_author or "") + len(safe_footer or "")
    while safe_fields and fixed + sum(len(n) + len(v) for n, v, _ in safe_fields) > EMBED_TOTAL_LIMIT:
        safe_fields.pop()
    room = EMBED_TOTAL_LIMIT - fixed - sum(len(n) + len(v) for n, v, _ in safe_fields)
    safe_description = (
        safe(description, min(DESCRIPTION_LIMIT, room)) if description and room > 0 else None
    )
    embed = discord.Embed(
        title=safe_title,
        description=safe_description or None,
        url=safe_url(url),
        colour=colour,
        timestamp=when,
    )
    if safe_author:
        embed.set_author(name=safe_author)
    for name, value, inline in safe_fields:
        embed.add_field(name=name, value=value, inline=inline)
    if safe_footer:
        embed.set_footer(text=safe_footer)
    return embed


def embed_length(embed: discord.Embed) -> int:
    """What Discord counts towards the 6,000-character total."""
    return len(embed)


def plain(text: str, limit: int = CONTENT_LIMIT) -> Markup:
    """Message content (ephemeral replies and the like), safe and cut."""
    return safe(text, limit)


# ----- queue items ---------------------------------------------------------------

OPEN_STATES = frozenset({"new", "queued", "claimed", "snoozed"})
"""States in which a posted item still has buttons."""

STATE_COLOURS = {
    "new": 0x5865F2,
    "queued": 0x5865F2,
    "claimed": 0xF1C40F,
    "snoozed": 0x95A5A6,
    "answered": 0x2ECC71,
    "dismissed": 0x747F8D,
    "expired": 0xE74C3C,
}

_WORDS = {
    "pervasive_solvable": "Pervasive, solvable",
    "not_a_problem": "Not a problem",
    "howto": "How-to",
    "feature_request": "Feature request",
    "channel_partner": "Channel partner",
    "vendor_staff": "Vendor staff",
}


def humanise(value: str | None) -> str:
    """``pervasive_solvable`` → ``Pervasive, solvable``; unknown values are
    shown as they are, underscores turned to spaces."""
    if not value:
        return "—"
    value = str(value)
    return _WORDS.get(value, value.replace("_", " ").capitalize())


@dataclass(frozen=True, slots=True)
class ItemCard:
    """A queue item as the feed shows it. The bot builds it from the store;
    render functions only ever see this."""

    item_id: int
    community: str
    title: str
    url: str | None
    state: str
    category: str | None = None
    kind: str | None = None
    asker_type: str | None = None
    affected_members: int | None = None
    countries: Sequence[str] = field(default_factory=tuple)
    answer_by: datetime | None = None
    why: str | None = None
    priority: float | None = None
    claimed_by: str | None = None
    answered_by: str | None = None
    answer_url: str | None = None
    dismissed_reason: str | None = None
    snoozed_until: datetime | None = None
    community_name: str | None = None
    """The community's name in the playbook, shown above the title."""
    version: str | None = None
    """Changes whenever the item's state does: a message showing an older
    version needs an edit."""
    seen_before: str | None = None
    """The closest thread solved before (``assistant.similar.seen_before``),
    added by the feed when it shows the card."""

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


def _reach(card: ItemCard) -> Markup:
    members = card.affected_members
    countries = [c for c in card.countries if c]
    text = "—" if members is None else f"{members} member{'s' if members != 1 else ''}"
    if countries:
        shown = ", ".join(countries[:12]) + (", …" if len(countries) > 12 else "")
        text += f" in {len(countries)} countr{'ies' if len(countries) != 1 else 'y'} ({shown})"
    return escape(text)


def state_line(card: ItemCard) -> Markup:
    """Where the item stands, in one line."""
    state = card.state
    if state == "claimed":
        return join(["Claimed by " + (card.claimed_by or "a founder")])
    if state == "answered":
        parts: list[str] = ["Answered by " + (card.answered_by or card.claimed_by or "a founder")]
        if card.answer_url:
            parts.append(link("the answer", card.answer_url))
        return join(parts, " — ")
    if state == "dismissed":
        reason = humanise(card.dismissed_reason) if card.dismissed_reason else "dismissed"
        return join([f"Not for us: {reason}"])
    if state == "snoozed":
        if card.snoozed_until:
            return Markup(escape("Snoozed until ") + timestamp(card.snoozed_until, "f"))
        return escape("Snoozed")
    if state == "expired":
        return escape("Expired: the answer-by time passed")
    return escape("Open")


def item_embed(card: ItemCard) -> discord.Embed:
    """The feed post for one queue item."""
    answer_by: str = "—"
    if card.answer_by is not None:
        answer_by = Markup(timestamp(card.answer_by, "f") + " (" + timestamp(card.answer_by) + ")")
    footer = f"Queue item #{card.item_id}"
    if card.priority is not None:
        footer += f" · priority {card.priority:.2f}"
    fields = [
        Field("Category", humanise(card.category)),
        Field("Kind", humanise(card.kind)),
        Field("Asker", humanise(card.asker_type)),
        Field("Affected", _reach(card)),
        Field("Answer by", answer_by),
        Field("State", state_line(card)),
    ]
    if card.seen_before:
        # Full width under the rest: the line names a thread, a date and a link.
        fields.append(Field("Seen before", seen_before_value(card.seen_before), inline=False))
    return build_embed(
        title=card.title,
        url=card.url,
        author=card.community_name or card.community,
        description=("Why: " + one_line(card.why)) if card.why else None,
        fields=fields,
        footer=footer,
        colour=STATE_COLOURS.get(card.state, 0x5865F2),
    )


def seen_before_value(line: str) -> str:
    """The service's line without its own "Seen before" lead, which the
    field's name already says: ``(62% alike): "…" in forum, …``."""
    rest = one_line(line)
    return rest[len("Seen before "):] if rest.casefold().startswith("seen before ") else rest


def queue_line(card: ItemCard) -> Markup:
    """One line of ``/queue``: id, linked title, community, category, answer-by."""
    parts: list[str] = [Markup(f"**#{card.item_id}**"), link(card.title, card.url, 120),
                        escape(card.community), humanise(card.category)]
    if card.state == "claimed":
        parts.append("claimed by " + (card.claimed_by or "a founder"))
    if card.answer_by is not None:
        parts.append(Markup("answer " + timestamp(card.answer_by)))
    return join(parts)
