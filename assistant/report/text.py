"""Small formatting helpers the Markdown and HTML reports share, so a number
reads the same in both."""

from __future__ import annotations

from datetime import datetime

from assistant.domain import parse_timestamp

CATEGORY_NAMES = {
    "pervasive_solvable": "pervasive, solvable",
    "unrewarded": "unrewarded",
    "unsolvable": "unsolvable",
    "not_a_problem": "not a problem",
    "unclassified": "not judged yet",
}

QUEUE_ROWS = (
    ("enqueued", "queued this week"),
    ("due", "answer-by time passed"),
    ("answered_on_time", "answered on time"),
    ("answered_late", "answered late"),
    ("expired", "expired unanswered"),
    ("overdue", "claimed, still unanswered"),
    ("dismissed", "dismissed"),
    ("on_time_share", "on-time share"),
    ("median_hours_to_answer", "median hours from post to founder answer"),
    ("median_hours_from_queue", "median hours from queue to founder answer"),
    ("backlog", "open at the end (backlog)"),
)


def count(n: int, word: str, many: str | None = None) -> str:
    """3 countries, 1 country."""
    return f"{n} {word if n == 1 else many or word + 's'}"


def signed(value: float | int | None) -> str:
    if value is None:
        return "–"
    if value == 0:
        return "±0"
    text = f"{value:+.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:+d}"
    return text.replace("-", "−")


def pct(share: float | None) -> str:
    return "–" if share is None else f"{share * 100:.0f}%"


def number(value: float | int | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def queue_value(key: str, section: dict) -> str:
    value = section[key]
    if key == "on_time_share":
        return pct(value)
    return number(value)


def when(stamp: str) -> str:
    moment: datetime = parse_timestamp(stamp)
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def category(name: str) -> str:
    return CATEGORY_NAMES.get(name, name.replace("_", " "))


def kind(name: str) -> str:
    return name.replace("_", " ")
