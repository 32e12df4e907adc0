"""Readers for the evaluation data sets, kept here so the estimators can be
measured without the application (and without loading a whole dump in memory).
"""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path


def iter_dump_rows(path: str | Path) -> Iterator[dict[str, str]]:
    """Yield the attributes of each ``<row>`` of a Stack Exchange dump file,
    streaming: each element is cleared once read, so memory stays flat."""
    context = ET.iterparse(str(path), events=("start", "end"))
    _, root = next(context)
    for event, element in context:
        if event == "end" and element.tag == "row":
            yield dict(element.attrib)
            element.clear()
            root.clear()


def read_csv_rows(path: str | Path) -> list[dict[str, str]]:
    """All rows of a UTF-8 CSV file with a header line."""
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def read_jsonl_rows(path: str | Path) -> list[dict]:
    """All JSON objects of a JSON Lines file; a bad line is reported with its
    number rather than skipped, because evaluation data must be complete."""
    rows = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}: line {number}: not valid JSON ({error.msg})") from None
    return rows
