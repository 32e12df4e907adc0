"""Small, hand-written worlds for tests: a playbook and archive lines.

All text here is invented for the tests.
"""

from __future__ import annotations

import json
from pathlib import Path

TEST_PLAYBOOK = """\
version = 1

[startup]
name = "Tern Works"
domains = ["ternworks.example"]
disclosure = "Disclosure: I co-founded Tern Works."
home_country = "CO"

[[founders]]
name = "Ada Quintero"
discord = "ada"
[founders.handles]
jsonl = "ada_q"

[[founders]]
name = "Bruno Paz"
[founders.handles]
forum = "bruno_p"

[[capabilities]]
id = "mail"
description = "Mailbox channels and mail fetching."
keywords = ["imap", "mailbox", "smtp"]
examples = ["Mail stopped arriving in the mailbox."]

[[communities]]
id = "forum"
name = "Widget Forum"
platform = "jsonl"
locator = "forum.jsonl"
languages = ["en"]

[[communities]]
id = "foro"
platform = "jsonl"
locator = "foro.jsonl"
languages = ["es"]

[user_types]
vendor = { names = ["Widget Co"], domains = ["widget.example"] }
competitors = [{ names = ["Rival Ltd"], domains = ["rival.example"] }]
channel_partners = [{ names = ["Resell AB"], domains = ["resell.example"] }]

[categories]
min_affected_members = 3
min_countries = 2

[scoring]
answer_within_hours = 24
queue_threshold = 0.25
"""


def write_playbook(directory: Path, text: str = TEST_PLAYBOOK, name: str = "beachhead.toml") -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def thread_line(native_id: str, title: str, author: str | None, created_at: str, body: str = "",
                posts: list[dict] | None = None, **extra) -> str:
    data = {"id": native_id, "title": title, "author": author, "created_at": created_at,
            "body": body, "posts": posts or [], **extra}
    return json.dumps(data, ensure_ascii=False)


def member_line(native_id: str, **fields) -> str:
    return json.dumps({"type": "member", "id": native_id, **fields}, ensure_ascii=False)


def post(native_id: str, author: str | None, created_at: str, body: str, **extra) -> dict:
    return {"id": native_id, "author": author, "created_at": created_at, "body": body, **extra}


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path
