"""The weekly report: ``data`` computes every number once; ``markdown``,
``html`` (with ``charts``) and JSON only render them.

    beachhead report --week 2026-W47 --format html -o week47.html
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant import clock
from assistant.report.data import build_report
from assistant.report.weeks import Week, WeekError, parse_week, week_of
from assistant.store import Store
from playbooks import Playbook

FORMATS = ("md", "html", "json")
SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".json": "json"}


class ReportError(Exception):
    """A report that cannot be made as asked; the message says why."""


def render(data: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "md":
        from assistant.report.markdown import render_markdown

        return render_markdown(data)
    if fmt == "html":
        from assistant.report.html import render_html

        return render_html(data)
    raise ReportError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")


def choose_format(fmt: str | None, output: str | Path | None) -> str:
    """--format wins; else the output file's suffix; else Markdown."""
    if fmt:
        if fmt not in FORMATS:
            raise ReportError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
        return fmt
    if output is not None:
        return SUFFIXES.get(Path(output).suffix.lower(), "md")
    return "md"


@dataclass
class WrittenReport:
    week: Week
    format: str
    text: str
    path: Path | None


def make_report(store: Store, playbook: Playbook, *, week: str | Week | None = None,
                fmt: str = "md", output: str | Path | None = None,
                now: datetime | None = None) -> WrittenReport:
    """Compute and render one week's report; write it when ``output`` is given.
    The default week is the current ISO week by the store's clock."""
    now = now or clock.now(store)
    try:
        chosen = week if isinstance(week, Week) else parse_week(week) if week else week_of(now)
    except WeekError as error:
        raise ReportError(str(error)) from None
    text = render(build_report(store, playbook, chosen, now=now), fmt)
    path = None
    if output is not None:
        path = Path(output)
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as error:
            raise ReportError(f"cannot write {str(path)!r}: {error.strerror}") from None
    return WrittenReport(chosen, fmt, text, path)


__all__ = [
    "FORMATS",
    "ReportError",
    "Week",
    "WrittenReport",
    "build_report",
    "choose_format",
    "make_report",
    "parse_week",
    "render",
    "week_of",
]
