"""`beachhead triage` driven key by key through a real pseudo-terminal
(pexpect): single keys without Enter, the browser opened through the real
`webbrowser` module ($BROWSER points at a small recording script), labels
saved as they are given, retraining at the end, and resuming afterwards.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pexpect
import pytest

from assistant.store import Store
from assistant.triage import week_items
from assistant.triage_terminal import PROMPT
from playbooks import load_playbook
from tests.test_triage import W47, build_triage_world, labels

PROMPT_SHOWN = PROMPT + " › "
STYLE = r"(?:\x1b\[[0-9;]*m)*"
"""Rich styles words on a real terminal: text may be cut by colour codes anywhere."""


def shown(text: str) -> re.Pattern:
    return re.compile(STYLE.join(re.escape(char) for char in text))


def see(child: pexpect.spawn, *texts: str) -> None:
    for text in texts:
        child.expect(shown(text))


def spawn(tmp_path: Path, *args: str) -> pexpect.spawn:
    recorder = tmp_path / "browser.sh"
    recorder.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{tmp_path / "opened.txt"}"\n',
                        encoding="utf-8")
    recorder.chmod(0o755)
    env = {**os.environ, "BROWSER": str(recorder), "TERM": "xterm-256color", "COLUMNS": "200",
           "LINES": "50"}
    env.pop("NO_COLOR", None)
    return pexpect.spawn(
        sys.executable,
        ["-m", "assistant", "--db", str(tmp_path / "triage.db"), "--playbook",
         str(tmp_path / "beachhead.toml"), "triage", *args],
        cwd=str(tmp_path), env=env, encoding="utf-8", timeout=20, dimensions=(50, 200),
    )


def press(child: pexpect.spawn, key: str, *expected: str) -> None:
    """Send one key (no Enter) and wait for what it should print."""
    child.send(key)
    see(child, *expected)


@pytest.fixture
def world(tmp_path: Path):
    store, _ = build_triage_world(tmp_path)
    store.close()
    return tmp_path


def test_a_session_key_by_key_then_resume(world: Path):
    child = spawn(world, "--analyst", "ines")
    see(child, "Week 2026-W47 · Mon 16 Nov – Sun 22 Nov 2026 · clock 2026-11-20 12:00 UTC",
        "To triage    8 threads, the least sure first", "[1/8] ", "MB-SYNC-7 on the shared mailbox",
        PROMPT_SHOWN)

    press(child, "o", "Opened https://forum.example/t/f2", PROMPT_SHOWN)
    press(child, "c", "category: 1 pervasive_solvable  2 unrewarded  3 unsolvable  4 not_a_problem")
    press(child, "4", "category → not_a_problem (saved); a accepts the rest, s moves on",
          PROMPT_SHOWN)
    press(child, "a", "[2/8] ", "¿Cómo configuro el buzón smtp?", PROMPT_SHOWN)
    press(child, "u", "user type: 1 customer  2 channel_partner")
    press(child, "2", "user type → channel_partner (saved)", PROMPT_SHOWN)
    press(child, "s", "[3/8] ", "Phone app crash on login, why?", PROMPT_SHOWN)
    press(child, "x", "Keys: a accept what is shown", PROMPT_SHOWN)
    press(child, "s", "[4/8] ", "Error MB-SYNC-7 en el buzón", PROMPT_SHOWN)
    press(child, "a", "[5/8] ", PROMPT_SHOWN)
    press(child, "q", "Retraining on the labels (5 new)…",
          "3 threads labelled (1 accepted, 2 corrected); 5 left for next time.",
          "Agreement on held-out labels (1 of the session's threads were held out of training):",
          "Queued threads that moved")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    assert (world / "opened.txt").read_text(encoding="utf-8") == "https://forum.example/t/f2\n"
    with Store(world / "triage.db") as store:
        assert labels(store) == [
            ("f2", None, "category", "not_a_problem", "triage", "ines"),
            ("f2", "dee", "user_type", "customer", "triage", "ines"),
            ("e1", "lu", "user_type", "channel_partner", "triage", "ines"),
            ("e2", None, "category", "pervasive_solvable", "triage", "ines"),
            ("e2", "pia", "user_type", "customer", "triage", "ines"),
        ]
        playbook = load_playbook(world / "beachhead.toml")
        next_up = week_items(store, playbook, W47)
    assert len(next_up) == 5

    # Running again resumes: the three labelled threads are not shown again.
    # Ctrl-C ends the session as cleanly as q.
    child = spawn(world, "--analyst", "ines")
    see(child, "Labelled     3 threads already (3 from triage)",
        "To triage    5 threads, the least sure first", "[1/5] ", next_up[0].title, PROMPT_SHOWN)
    press(child, "\x03", "0 threads labelled")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    with Store(world / "triage.db") as store:
        assert len(labels(store)) == 5
