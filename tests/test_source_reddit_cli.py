"""End to end: `beachhead fetch` reads a subreddit through real praw from the
loopback Reddit and stores each thread once, with its cursors.

The playbook and every title here are invented for the test; the submissions'
other fields come from a real recorded submission the fake uses as a template.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import cli
from assistant.store import Store, load_cursors
from tests.fakes.reddit_server import RedditFake
from tests.shared_data import shared_path

pytestmark = pytest.mark.shared_data

PLAYBOOK = """\
version = 1

[startup]
name = "Tern Works"
domains = ["ternworks.example"]
disclosure = "Disclosure: I co-founded Tern Works."
home_country = "CO"

[[founders]]
name = "Ada Quintero"
[founders.handles]
r-kestrel = "ada_q"

[[capabilities]]
id = "mail"
description = "Mailbox channels and mail fetching."
keywords = ["imap", "mailbox"]
examples = ["Mail stopped arriving in the mailbox."]

[[communities]]
id = "r-kestrel"
name = "r/KestrelDesk"
platform = "reddit"
locator = "r/KestrelDesk"
languages = ["en"]

[user_types]
vendor = { names = ["Widget Co"], domains = ["widget.example"] }
"""


@pytest.fixture
def fake(monkeypatch):
    with RedditFake(shared_path("reddit", "cassettes")) as server:
        monkeypatch.setenv("REDDIT_CLIENT_ID", server.client_id)
        monkeypatch.setenv("REDDIT_CLIENT_SECRET", server.client_secret)
        monkeypatch.setenv("REDDIT_USER_AGENT", "beachhead-tests/0.1 (cli)")
        monkeypatch.setenv("REDDIT_OAUTH_URL", server.url)
        monkeypatch.setenv("REDDIT_URL", server.url)
        for name in ("REDDIT_USERNAME", "REDDIT_PASSWORD", "REDDIT_SITE"):
            monkeypatch.delenv(name, raising=False)
        yield server


def fetch(tmp_path: Path):
    return CliRunner().invoke(
        cli,
        [
            "--db",
            str(tmp_path / "t.db"),
            "--playbook",
            str(tmp_path / "beachhead.toml"),
            "fetch",
            "--community",
            "r-kestrel",
        ],
    )


def test_fetch_stores_each_submission_once_and_its_cursors(fake, tmp_path):
    (tmp_path / "beachhead.toml").write_text(PLAYBOOK, encoding="utf-8")
    titles = [
        f"Question {n}: IMAP mailbox stopped" if n % 10 == 0 else f"Note {n}" for n in range(250)
    ]
    authors: list[str | None] = [f"member{n % 7}" for n in range(250)]
    authors[120] = "ada_q"
    first = fake.add_submissions("KestrelDesk", 250, titles=titles, authors=authors)

    result = fetch(tmp_path)

    assert result.exit_code == 0, result.output
    store = Store(tmp_path / "t.db")
    rows = store.query(
        "SELECT native_id, title, author FROM threads WHERE community_id = 'r-kestrel'"
    )
    assert sorted(r["native_id"] for r in rows) == sorted(p["id"] for p in first)
    assert {r["title"] for r in rows} == set(titles)
    cursors = load_cursors(store, "r-kestrel")
    assert cursors["submissions"] == {
        "fullname": first[-1]["name"],
        "created_utc": first[-1]["created_utc"],
    }
    matching = [p for p in first if "IMAP" in p["title"]]
    assert cursors["search"] == {
        "fullname": matching[-1]["name"],
        "created_utc": matching[-1]["created_utc"],
        "query": "imap OR mailbox",
    }
    assert cursors["user:ada_q"]["fullname"] == first[120]["name"]
    assert store.scalar("SELECT count(*) FROM members WHERE community_id = 'r-kestrel'") == 8
    store.close()
    assert fake.count("/r/KestrelDesk/new") == 3

    later = fake.add_submissions("KestrelDesk", 30, titles=[f"Later {n}" for n in range(30)])
    fake.reset_counts()

    again = fetch(tmp_path)

    assert again.exit_code == 0, again.output
    store = Store(tmp_path / "t.db")
    assert store.scalar("SELECT count(*) FROM threads") == 280
    assert store.scalar("SELECT count(DISTINCT native_id) FROM threads") == 280
    assert load_cursors(store, "r-kestrel")["submissions"]["fullname"] == later[-1]["name"]
    store.close()
    assert fake.count("/r/KestrelDesk/new") == 1
    assert fake.count("/r/KestrelDesk/search") == 1
    assert fake.count("/user/ada_q/overview") == 1


def test_missing_credentials_fail_the_fetch_with_a_clear_line(fake, tmp_path, monkeypatch):
    (tmp_path / "beachhead.toml").write_text(PLAYBOOK, encoding="utf-8")
    monkeypatch.delenv("REDDIT_CLIENT_SECRET")

    result = fetch(tmp_path)

    assert result.exit_code == 1
    assert (
        "error: community 'r-kestrel': Reddit credentials missing: set REDDIT_CLIENT_SECRET "
        "(or REDDIT_SITE to a praw.ini section)"
    ) in " ".join(result.output.split())
