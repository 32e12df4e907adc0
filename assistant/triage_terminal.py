"""The triage session at a terminal: single keys in, rich text out.

Keys are read one at a time (cbreak mode, restored on exit, Ctrl-C still
works); when standard input is not a terminal each line is one key, so a
session can also be scripted. Forum text is printed as plain text, never as
rich markup, so a title such as "[bold]" is shown as written.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from collections.abc import Sequence
from typing import IO

from rich.console import Console
from rich.text import Text

from assistant.render import CATEGORY_STYLE
from assistant.report.text import category as category_name
from assistant.triage import SessionResult, TriageItem, WeekNumbers

ACTIONS = {"a": "accept", "c": "category", "u": "user type", "s": "skip", "o": "open", "q": "quit"}
PROMPT = "[a]ccept  [c]ategory  [u]ser type  [s]kip  [o]pen  [q]uit"
ESCAPE = "\x1b"
BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def safe(text: str) -> str:
    """Forum text made harmless for a terminal: control characters (escape
    sequences could recolour, retitle or scramble the analyst's screen) and
    bidirectional overrides become visible placeholders."""
    return "".join(
        " " if char in "\t\n\r" else "\ufffd"
        if unicodedata.category(char) == "Cc" or char in BIDI else char
        for char in text
    )


class KeyReader:
    """Single key presses from a terminal, or one key per line from a pipe.
    Returns "" at end of input."""

    def __init__(self, stream: IO[str] | None = None):
        self.stream = stream or sys.stdin
        self._buffer: list[str] = []
        self._saved = None
        try:
            self._fd = self.stream.fileno()
            self.is_terminal = os.isatty(self._fd)
        except (AttributeError, OSError, ValueError):
            self._fd, self.is_terminal = None, False

    def __enter__(self) -> KeyReader:
        if self.is_terminal:
            import termios
            import tty

            self._saved = termios.tcgetattr(self._fd)
            tty.setcbreak(self._fd)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._saved is not None:
            import termios

            termios.tcsetattr(self._fd, termios.TCSADRAIN, self._saved)
            self._saved = None

    def read(self) -> str:
        if not self.is_terminal:
            line = self.stream.readline()
            if not line:
                return ""
            return line.strip()[:1] or "\n"
        if self._buffer:
            return self._buffer.pop(0)
        chunk = os.read(self._fd, 32).decode("utf-8", errors="replace")
        if not chunk:
            return ""
        if chunk.startswith(ESCAPE):
            return ESCAPE  # an arrow or function key: one escape, the rest dropped
        self._buffer.extend(chunk[1:])
        return chunk[0]


class TerminalUI:
    """Renders a session and reads the analyst's keys."""

    def __init__(self, console: Console, read_key):
        self.console = console
        self.read_key = read_key

    def _line(self, *parts: tuple[str, str] | str) -> None:
        text = Text()
        for part in parts:
            if isinstance(part, tuple):
                text.append(safe(part[0]), style=part[1])
            else:
                text.append(safe(part))
        self.console.print(text, highlight=False, soft_wrap=False)

    def say(self, text: str) -> None:
        self._line((text, "cyan"))

    def show_week(self, numbers: WeekNumbers) -> None:
        threads, queue = numbers.threads, numbers.queue
        communities = ", ".join(f"{c} {n}" for c, n in threads["by_community"].items())
        categories = " · ".join(
            f"{category_name(c)} {n}" for c, n in threads["by_category"].items() if n
        ) or "none"
        labels = ", ".join(f"{n} from {source}" for source, n in sorted(numbers.labels.items()))
        self._line((f"Week {numbers.week}", "bold"), f" · {numbers.week.span()} · clock "
                   f"{numbers.now:%Y-%m-%d %H:%M} UTC")
        self._line(("New threads  ", "bold"), f"{threads['total']} ({communities})")
        self._line(("Categories   ", "bold"), categories)
        self._line(("Queue        ", "bold"),
                   f"{queue['enqueued']} queued this week · {queue['answered']} answered · "
                   f"{queue['expired']} expired · {queue['backlog']} open")
        self._line(("Labelled     ", "bold"),
                   f"{numbers.already_labelled} threads already" + (f" ({labels})" if labels else ""))
        self._line(("To triage    ", "bold"),
                   f"{numbers.to_triage} threads, the least sure first")

    def show_item(self, item: TriageItem, position: int, total: int) -> None:
        self.console.print()
        queue = f" · queue #{item.queue_item_id} {item.queue_state}" if item.queue_item_id else ""
        priority = f" · priority {item.priority:.2f}" if item.priority is not None else ""
        self._line((f"[{position}/{total}] ", "bold"), f"{item.community_id} · thread {item.thread_id}"
                   f"{priority}{queue}")
        self._line((item.title, "bold"))
        if item.excerpt:
            self._line(("  " + item.excerpt, "dim"))
        runner_up = sorted(item.probabilities.items(), key=lambda kv: -kv[1])[:2]
        odds = ", ".join(f"{category_name(k)} {v:.2f}" for k, v in runner_up)
        self._line(("category   ", "bold"),
                   (category_name(item.category), CATEGORY_STYLE.get(item.category, "")),
                   f"  (margin {item.margin:.2f}: {odds})")
        self._line(("kind       ", "bold"), item.kind.replace("_", " "))
        self._line(("asker      ", "bold"),
                   f"{item.asker or 'unknown'} — {item.asker_type.replace('_', ' ')}")
        for reason in item.reasons:
            self._line(("why        ", "bold"), reason)
        if item.url:
            self._line(("link       ", "bold"), item.url)

    def ask_action(self) -> str:
        while True:
            self.console.print(Text(PROMPT + " › ", style="bold"), end="")
            key = self.read_key()
            if key == "":
                self.console.print("quit")
                return "q"
            key = key.lower()
            if key in ACTIONS:
                self.console.print(ACTIONS[key], highlight=False)
                return key
            self.console.print()
            self.say("Keys: a accept what is shown · c change the category · u change the user "
                     "type · s skip · o open in the browser · q quit (labels are kept)")

    def choose(self, title: str, options: Sequence[str]) -> str | None:
        menu = "  ".join(f"{n} {option}" for n, option in enumerate(options, 1))
        self.console.print(Text(f"{title}: {menu}  (other key: back) › ", style="bold"), end="")
        key = self.read_key()
        if key.isdigit() and 1 <= int(key) <= len(options):
            chosen = options[int(key) - 1]
            self.console.print(chosen, highlight=False)
            return chosen
        self.console.print("back", highlight=False)
        return None

    def show_outcome(self, result: SessionResult) -> None:
        self.console.print()
        self._line((f"{result.labelled} threads labelled", "bold"),
                   f" ({result.accepted} accepted, {result.corrected} corrected); "
                   f"{result.remaining} left for next time.")
        outcome = result.outcome
        if outcome is None:
            if result.written:
                self._line("The labels are saved; the models were not retrained.")
            return
        self._line(("Agreement on held-out labels", "bold"),
                   f" ({len(outcome.held_out)} of the session's threads were held out of training):")
        for kind, label in (("category", "category"), ("user_type", "user type")):
            part = outcome.agreement[kind]
            if not part.held_out:
                self._line(f"  {label}: no held-out label")
                continue
            self._line(
                f"  {label}: before {part.before}/{part.held_out} "
                f"({part.before / part.held_out:.0%}) → after {part.after}/{part.held_out} "
                f"({part.after / part.held_out:.0%})"
            )
        if not outcome.moved:
            self._line("No queued thread moved.")
            return
        self._line((f"Queued threads that moved ({len(outcome.moved)}):", "bold"))
        for move in outcome.moved[:15]:
            if move.before_priority is None:
                change = f"newly queued at {move.after_priority:.2f} ({move.after_category})"
            else:
                change = f"priority {move.before_priority:.2f} → {move.after_priority:.2f}"
                if move.before_category != move.after_category:
                    change += f", category {move.before_category} → {move.after_category}"
            self._line(f"  #{move.item_id} {move.community_id}: ", (move.title, "bold"),
                       f" — {change}")
        if len(outcome.moved) > 15:
            self._line(f"  … and {len(outcome.moved) - 15} more (beachhead queue shows them all)")
