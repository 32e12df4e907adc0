"""Stack Exchange: the API source against a loopback API serving an invented
site, and the data-dump import of the real Cardano dump (read at run time
from the shared data; slices of it are written to tmp_path when the whole
dump is not the point)."""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant import pipeline
from assistant.cli import cli
from assistant.domain import Batch
from assistant.sources import FetchRequest
from assistant.sources.base import SourceDataError
from assistant.sources.http import Backoff
from assistant.sources.stackexchange import (
    StackExchangeSource,
    method_key,
    site_base_url,
    site_name,
    split_tags,
)
from assistant.sources.stackexchange_dump import StackExchangeDumpSource
from assistant.store import Store, load_cursors
from assistant.store.items import store_batch
from tests.fakes.stackexchange_server import SITE, START, StackExchangeFake
from tests.shared_data import shared_path

NOW = datetime(2026, 3, 1, tzinfo=UTC)
FAST = Backoff(base_delay=0.001, max_delay=5.0, timeout=2.0)


def wallclock() -> datetime:
    return datetime.fromtimestamp(START + 86_400, UTC)


@pytest.fixture
def fake():
    with StackExchangeFake() as server:
        yield server


@pytest.fixture
def store(tmp_path: Path):
    opened = Store(tmp_path / "se.db")
    yield opened
    opened.close()


def api(fake: StackExchangeFake, tags=("drivers",), **options) -> StackExchangeSource:
    options.setdefault("backoff", FAST)
    return StackExchangeSource("se", options.pop("site", SITE), tags, api_url=f"{fake.url}/2.3",
                               page_size=10, wallclock=wallclock, **options)


def run(store: Store, source, community: str = "se", **request):
    return pipeline.pull(store, community, source,
                         FetchRequest(load_cursors(store, community), **request), NOW)


def stored(store: Store) -> tuple[list, list, list]:
    return (
        store.conn.execute("SELECT native_id, content_hash FROM threads ORDER BY 1").fetchall(),
        store.conn.execute("SELECT native_id, thread_native_id, content_hash FROM posts "
                           "ORDER BY 1").fetchall(),
        store.conn.execute("SELECT native_id, handle, location, reputation FROM members "
                           "ORDER BY 1").fetchall(),
    )


# ----------------------------------------------------------------- helpers


def test_sites_tags_and_methods():
    assert site_name("superuser") == "superuser"
    assert site_name("https://superuser.com/questions") == "superuser"
    assert site_name("cardano.stackexchange.com") == "cardano"
    assert site_name("https://meta.stackoverflow.com") == "meta.stackoverflow"
    assert site_base_url("superuser") == "https://superuser.com"
    assert site_base_url("cardano") == "https://cardano.stackexchange.com"
    assert site_base_url("mathoverflow.net") == "https://mathoverflow.net"
    assert split_tags("<stake-pool><yoroi>") == split_tags("|stake-pool|yoroi|") == \
        ["stake-pool", "yoroi"]
    assert method_key("/2.3/questions/1;2;3/answers") == "/2.3/questions/{ids}/answers"
    assert method_key("/2.3/users/17") == "/2.3/users/{ids}"


# --------------------------------------------------------------------- API


def test_first_pass_reads_questions_answers_comments_and_users(fake, store):
    report = run(store, api(fake))
    site = fake.site
    questions = {q["question_id"]: q for q in site.questions if "drivers" in q["tags"]}
    answers = {a["answer_id"]: a for a in site.answers if a["question_id"] in questions}
    comments = [c for c in site.comments if c["post_id"] in questions or c["post_id"] in answers]
    writers = {i["owner"]["user_id"] for i in [*questions.values(), *answers.values(), *comments]}

    assert report.error is None and report.problems == []
    assert (report.new_threads, report.new_posts, report.new_members) == \
        (len(questions), len(answers) + len(comments), len(writers))
    assert report.requests == len(fake.seen)
    assert store.scalar("SELECT count(*) FROM threads WHERE is_solved = 1") == \
        sum(1 for q in questions.values() if "accepted_answer_id" in q)
    assert store.scalar("SELECT count(*) FROM posts WHERE is_accepted = 1") == \
        sum(1 for a in answers.values() if a["is_accepted"])
    assert store.scalar("SELECT count(*) FROM posts WHERE thread_id IS NULL") == 0

    on_answer = next(c for c in comments if c["post_id"] in answers)
    on_question = next(c for c in comments if c["post_id"] in questions)
    parents = dict(store.conn.execute("SELECT native_id, parent_native_id FROM posts"))
    assert parents[f"c{on_answer['comment_id']}"] == str(on_answer["post_id"])
    assert parents[f"c{on_question['comment_id']}"] is None
    assert all(parents[str(a)] is None for a in answers)

    title = store.scalar("SELECT title FROM threads ORDER BY native_id LIMIT 1")
    assert '"' in title and "&quot;" not in title
    people = {row[0]: row[1:] for row in store.conn.execute(
        "SELECT native_id, handle, location, is_moderator, is_staff FROM members")}
    assert people.get("107", ("Hugo Marín",))[0] == "Hugo Marín"
    assert all(row[0] == next(u["display_name"] for u in site.users if str(u["user_id"]) == k)
               .replace("&#237;", "í") for k, row in people.items())

    newest = max(q["last_activity_date"] for q in questions.values())
    assert load_cursors(store, "se")["questions:drivers"] == {
        "activity": newest,
        "ids": sorted(q for q, item in questions.items() if item["last_activity_date"] == newest),
    }
    first = fake.seen[0]
    assert (first.param("sort"), first.param("order"), first.param("min"), first.param("tagged"),
            first.param("filter")) == ("activity", "asc", str(START - 6 * 86_400), "drivers", "withbody")


def test_two_tags_are_two_streams_and_a_question_is_read_once(fake, store):
    report = run(store, api(fake, tags=("drivers", "network")))
    both = [q for q in fake.site.questions if {"drivers", "network"} & set(q["tags"])]
    assert report.new_threads == len(both)
    assert set(load_cursors(store, "se")) == {"questions:drivers", "questions:network"}
    answered = [s for s in fake.seen if s.path.endswith("/answers") and s.param("page") == "1"]
    asked = [i for s in answered for i in s.path.split("/")[3].split(";")]
    assert len(asked) == len(set(asked))


def test_next_passes_read_only_what_moved(fake, store):
    run(store, api(fake))
    mark = len(fake.seen)
    quiet = run(store, api(fake))
    assert (quiet.new_threads, quiet.updated_threads, quiet.new_posts, quiet.requests) == (0, 0, 0, 1)
    assert fake.seen[mark].param("min") == str(load_cursors(store, "se")["questions:drivers"]
                                               ["activity"])

    question = next(q for q in fake.site.questions if "drivers" in q["tags"])
    later = load_cursors(store, "se")["questions:drivers"]["activity"] + 600
    answer = fake.add_answer(question["question_id"], "<p>Power-cycle the duplex unit.</p>", later)
    moved = run(store, api(fake))
    assert (moved.new_threads, moved.updated_threads, moved.new_posts) == (0, 1, 1)
    assert store.scalar("SELECT body_text FROM posts WHERE native_id = ?",
                        (str(answer["answer_id"]),)) == "Power-cycle the duplex unit."
    assert load_cursors(store, "se")["questions:drivers"] == {
        "activity": later, "ids": [question["question_id"]]}


def test_backoff_and_throttle_are_honoured(fake, store):
    clock = [1000.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        clock[0] += seconds

    fake.backoff_once("questions", 4)
    fake.throttle_once(2)
    report = run(store, api(fake, sleep=sleep, monotonic=lambda: clock[0]))
    assert report.error is None
    # The throttled first request waited the 2 s it was told; the backoff on
    # /questions held the next /questions call 4 s, not the other methods.
    assert sleeps == [2.0, 4.0]

    fake.throttle_once(80_000)
    failed = run(store, api(fake, sleep=sleep, monotonic=lambda: clock[0]))
    assert failed.error.startswith(f"community 'se', {fake.url}/2.3/questions?site={SITE}&")
    assert failed.error.endswith(
        "throttle_violation (error 502): too many requests from this IP, more requests available "
        "in 80000 seconds; asked to wait 80000s, more than the 5s allowed")


def test_an_unknown_site_is_reported_by_name(fake, store):
    report = run(store, api(fake, site="nosuchsite"))
    assert report.error.endswith("bad_parameter (error 400): No site found for name `nosuchsite`")
    assert report.requests == 1


def test_faults_are_retried_with_nothing_lost_or_repeated(fake, tmp_path):
    clean = Store(tmp_path / "clean.db")
    run(clean, api(fake))
    expected = stored(clean)
    clean.close()

    fake.inject("429", "/2.3/questions", retry_after="0")
    fake.inject("500", "/2.3/questions/")
    fake.inject("malformed", "/2.3/posts/")
    fake.inject("truncate", "/2.3/users/")
    fake.inject("slow", "/2.3/questions", skip=1, delay=0.5)
    faulty = Store(tmp_path / "faulty.db")
    report = run(faulty, api(fake, backoff=Backoff(base_delay=0.001, timeout=0.25)))
    assert report.error is None
    assert stored(faulty) == expected
    faulty.close()


def test_a_failing_page_keeps_the_pages_before_it(fake, store, tmp_path):
    clean = Store(tmp_path / "clean.db")
    run(clean, api(fake))
    expected = stored(clean)
    clean.close()

    fake.inject("500", "/2.3/questions", skip=1, times=5)  # the second page of questions
    broken = run(store, api(fake, backoff=Backoff(base_delay=0.001, attempts=3)))
    assert "server error (HTTP 500): injected 500; gave up after 3 attempts" in broken.error
    first_page = load_cursors(store, "se")["questions:drivers"]
    assert 0 < broken.new_threads < len(expected[0])
    assert first_page["activity"] == max(
        int(r[0]) for r in store.conn.execute(
            "SELECT json_extract(raw_json, '$.last_activity_date') FROM threads"))

    mended = run(store, api(fake))
    assert mended.error is None
    assert stored(store) == expected


def test_quota_is_logged_and_flagged_when_low(fake, store, caplog):
    fake.quota_max = fake.quota_remaining = 22
    with caplog.at_level(logging.INFO, logger="assistant.sources"):
        report = run(store, api(fake))
    left = 22 - len(fake.seen)
    assert left == 2
    assert "se: Stack Exchange quota: 2 of 22 requests left today" in caplog.text
    assert report.problems == ["Stack Exchange quota low: 2 of 22 requests left today "
                               "(set STACKEXCHANGE_KEY for 10,000 a day)"]


PLAYBOOK = """\
version = 1

[startup]
name = "Tern Works"
domains = ["ternworks.example"]
disclosure = "Disclosure: I co-founded Tern Works."

[[founders]]
name = "Ada Quintero"
[founders.handles]
stackexchange = "17"

[[capabilities]]
id = "staking"
description = "Stake pools and delegation."
keywords = ["stake", "pool", "delegation", "spooler"]
examples = ["My stake pool gets no rewards."]

[[communities]]
id = "{id}"
name = "A Stack Exchange site"
platform = "stackexchange"
locator = "{site}"
tags = {tags}

[user_types]
vendor = {{ names = ["Widget Co"], domains = ["widget.example"] }}

[scoring]
answer_within_hours = 24
queue_threshold = 0.25
"""


def test_beachhead_fetch_shows_counts_and_quota(fake, tmp_path, monkeypatch):
    monkeypatch.setenv("STACKEXCHANGE_API_URL", f"{fake.url}/2.3")
    monkeypatch.setenv("STACKEXCHANGE_KEY", "app-key-1")
    (tmp_path / "b.toml").write_text(PLAYBOOK.format(id="kp", site=SITE, tags='["toner"]'))
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "b.db"), "--playbook",
                                      str(tmp_path / "b.toml"), "fetch", "--community", "kp",
                                      "--since", "2025-12-31"])
    assert result.exit_code == 0, result.output
    toner = [q for q in fake.site.questions if "toner" in q["tags"]]
    row = next(line for line in result.output.splitlines() if "│ kp" in line)
    cells = [cell.strip() for cell in row.split("│")[1:-1]]
    assert cells[:3] == ["kp", str(len(toner)), "0"] and cells[-2:] == [str(len(fake.seen)), "0"]
    assert f"note: kp: Stack Exchange quota: {fake.quota_remaining} of 10000 requests left today" \
        in result.output
    assert {s.param("key") for s in fake.seen} == {"app-key-1"}


# -------------------------------------------------------------------- dump


def cardano() -> Path:
    return shared_path("stackexchange", "cardano")


def rows(path: Path) -> list[dict[str, str]]:
    return [dict(r.attrib) for r in ET.parse(path).getroot()]


@pytest.mark.shared_data
def test_importing_the_cardano_dump_twice(tmp_path):
    dump = cardano()
    posts = rows(dump / "Posts.xml")
    questions = {p["Id"] for p in posts if p["PostTypeId"] == "1"}
    answers = {p["Id"] for p in posts if p["PostTypeId"] == "2"}
    on_posts = [c for c in rows(dump / "Comments.xml") if c["PostId"] in questions | answers]
    users = rows(dump / "Users.xml")
    assert (len(questions), sum(1 for p in posts if p.get("AcceptedAnswerId"))) == (1042, 459)
    assert (len(answers), len(on_posts), len(users)) == (1496, 1828, 3988)

    (tmp_path / "b.toml").write_text(PLAYBOOK.format(id="cardano", site="cardano", tags="[]"))
    args = ["--db", str(tmp_path / "c.db"), "--playbook", str(tmp_path / "b.toml"),
            "import", "stackexchange", str(dump), "--community", "cardano"]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert (f"Read 1042 questions, 1496 answers, 1828 comments and 3988 users from {dump}."
            in first.output)
    assert "Judged 1042 threads" in first.output
    with Store(tmp_path / "c.db") as db:
        counts = lambda: db.query_one(  # noqa: E731
            "SELECT (SELECT count(*) FROM threads) AS threads, "
            "(SELECT count(*) FROM threads WHERE is_solved = 1) AS solved, "
            "(SELECT count(*) FROM posts WHERE native_id NOT LIKE 'c%') AS answers, "
            "(SELECT count(*) FROM posts WHERE native_id LIKE 'c%') AS comments, "
            "(SELECT count(*) FROM posts WHERE is_accepted = 1) AS accepted, "
            "(SELECT count(*) FROM posts WHERE thread_id IS NULL) AS orphans, "
            "(SELECT count(*) FROM members) AS members")
        assert counts() == {"threads": 1042, "solved": 459, "answers": 1496, "comments": 1828,
                            "accepted": 459, "orphans": 0, "members": 3988}
        accepted = {p["AcceptedAnswerId"] for p in posts if p.get("AcceptedAnswerId")}
        assert {r[0] for r in db.conn.execute("SELECT native_id FROM posts WHERE is_accepted")} \
            == accepted
        links = [r for r in rows(dump / "PostLinks.xml") if r["LinkTypeId"] == "3"]
        duplicates = {r["PostId"] for r in links if r["PostId"] in questions}
        assert {r[0] for r in db.conn.execute(
            "SELECT native_id FROM threads WHERE json_extract(raw_json, '$.duplicate_of') "
            "IS NOT NULL")} == duplicates
        # Authors are stored by user id; their profile's name stays their handle.
        names = {u["Id"]: u["DisplayName"] for u in users}
        handles = dict(db.conn.execute("SELECT native_id, handle FROM members"))
        assert handles == names
        assert db.scalar("SELECT count(*) FROM members WHERE location IS NOT NULL") == \
            sum(1 for u in users if u.get("Location"))
        assert db.scalar("SELECT count(*) FROM threads WHERE url LIKE "
                         "'https://cardano.stackexchange.com/questions/%'") == 1042
        before = stored(db)

        second = CliRunner().invoke(cli, args)
        assert second.exit_code == 0, second.output
        row = next(line for line in second.output.splitlines() if "│ cardano" in line)
        assert [c.strip() for c in row.split("│")[1:-1]] == ["cardano", "0", "0", "0", "0", "0",
                                                             "0"]
        assert "Judged 0 threads; 0 newly queued." in second.output
        again = CliRunner().invoke(cli, [*args, "--restart"])
        assert "Read 1042 questions, 1496 answers, 1828 comments and 3988 users" in again.output
        assert "Judged 0 threads" in again.output
        assert stored(db) == before and counts()["threads"] == 1042


def write_slice(source: Path, target: Path, posts: int) -> Path:
    """The first ``posts`` rows of Posts.xml with the comments, votes, links
    and users that belong to them."""
    target.mkdir()
    kept = rows(source / "Posts.xml")[:posts]
    ids = {p["Id"] for p in kept}
    comments = [c for c in rows(source / "Comments.xml") if c["PostId"] in ids]
    people = {p.get("OwnerUserId") for p in kept} | {c.get("UserId") for c in comments}
    tables = {
        "Posts.xml": ("posts", kept),
        "Comments.xml": ("comments", comments),
        "Users.xml": ("users", [u for u in rows(source / "Users.xml") if u["Id"] in people]),
        "Votes.xml": ("votes", [v for v in rows(source / "Votes.xml") if v["PostId"] in ids]),
        "PostLinks.xml": ("postlinks", [r for r in rows(source / "PostLinks.xml")
                                        if r["PostId"] in ids]),
    }
    for name, (tag, items) in tables.items():
        root = ET.Element(tag)
        for item in items:
            ET.SubElement(root, "row", item)
        ET.ElementTree(root).write(target / name, encoding="utf-8", xml_declaration=True)
    return target


@pytest.mark.shared_data
def test_an_interrupted_import_resumes_where_it_stopped(tmp_path):
    dump = write_slice(cardano(), tmp_path / "slice", 400)
    clean = Store(tmp_path / "clean.db")
    run(clean, StackExchangeDumpSource("c", dump, batch_rows=100), community="c")
    expected = stored(clean)
    expected_threads = len(expected[0])
    clean.close()

    store = Store(tmp_path / "resumed.db")
    reading = StackExchangeDumpSource("c", dump, batch_rows=100).fetch(FetchRequest({}))
    for _ in range(5):  # users, then the first posts
        store_batch(store, next(reading), "c", NOW)
    reading.close()  # the process is stopped here
    cursor = load_cursors(store, "c")[f"import:{dump.resolve()}"]
    assert cursor["phase"] == "posts" and cursor["row"] in (100, 200, 300)
    assert 0 < store.scalar("SELECT count(*) FROM threads") < expected_threads

    resumed = run(store, StackExchangeDumpSource("c", dump, batch_rows=100), community="c")
    assert resumed.error is None and resumed.problems == []
    assert stored(store) == expected
    assert load_cursors(store, "c")[f"import:{dump.resolve()}"]["phase"] == "done"
    store.close()


@pytest.mark.shared_data
def test_reading_in_a_second_process_stores_the_same(tmp_path):
    dump = write_slice(cardano(), tmp_path / "slice", 300)
    serial, parallel = Store(tmp_path / "serial.db"), Store(tmp_path / "parallel.db")
    run(serial, StackExchangeDumpSource("c", dump), community="c")
    steps: list[str] = []
    source = StackExchangeDumpSource("c", dump, parallel=True,
                                     progress=lambda step, done, total: steps.append(step))
    report = run(parallel, source, community="c")
    assert report.error is None
    assert stored(parallel) == stored(serial)
    assert source.counts["question"] == serial.scalar("SELECT count(*) FROM threads")
    assert {"import Users.xml", "import Posts.xml", "import Comments.xml"} <= set(steps)
    serial.close()
    parallel.close()

    # Stopped midway, the reader process goes and leaves no scratch behind.
    (tmp_path / "scratch").mkdir()
    stopped = StackExchangeDumpSource("c", dump, parallel=True, batch_rows=50,
                                      scratch_dir=str(tmp_path / "scratch")).fetch(FetchRequest({}))
    next(stopped), next(stopped)
    stopped.close()
    assert list((tmp_path / "scratch").iterdir()) == []


INVENTED = {
    # Written for this test: an accepted answer that comes before its question
    # (as merged questions leave them), a comment on it, and a broken row.
    "Posts.xml": [
        '<row Id="5" PostTypeId="2" ParentId="9" CreationDate="2024-05-02T10:00:00.000" Score="3" '
        'Body="&lt;p&gt;Flush the spooler cache.&lt;/p&gt;" OwnerUserId="2" />',
        '<row Id="7" PostTypeId="1" Score="1" Body="&lt;p&gt;No date here.&lt;/p&gt;" Title="x" />',
        '<row Id="9" PostTypeId="1" AcceptedAnswerId="5" CreationDate="2024-05-01T09:00:00.000" '
        'Score="4" Title="Jobs stall in the queue" Tags="|queue|spooler|" AnswerCount="1" '
        'Body="&lt;p&gt;Every job stalls at 40 %.&lt;/p&gt;" OwnerUserId="1" '
        'LastActivityDate="2024-05-02T10:00:00.000" />',
    ],
    "Comments.xml": [
        '<row Id="3" PostId="5" Score="0" Text="That worked, **thanks**." '
        'CreationDate="2024-05-02T11:00:00.000" UserId="1" />',
    ],
    "Users.xml": [
        '<row Id="1" Reputation="11" CreationDate="2024-01-01T00:00:00.000" DisplayName="Asker" '
        'Location="Quito, Ecuador" />',
        '<row Id="2" Reputation="250" CreationDate="2023-01-01T00:00:00.000" DisplayName="Helper" '
        'WebsiteUrl="https://helper.example" AboutMe="&lt;p&gt;I fix &lt;b&gt;queues&lt;/b&gt;.&lt;/p&gt;" />',
    ],
}


def write_invented(target: Path) -> Path:
    target.mkdir()
    for name, lines in INVENTED.items():
        tag = name.removesuffix(".xml").lower()
        body = "\n".join(f"  {line}" for line in lines)
        (target / name).write_text(f'<?xml version="1.0" encoding="utf-8"?>\n<{tag}>\n{body}\n</{tag}>\n')
    return target


def test_an_answer_before_its_question_waits_for_it(tmp_path, store):
    dump = write_invented(tmp_path / "dump")
    source = StackExchangeDumpSource("c", dump, batch_rows=1, site_url="https://q.example")
    batches: list[Batch] = []
    for batch in source.fetch(FetchRequest({})):
        batches.append(batch)
        store_batch(store, batch, "c", NOW)
    posts_cursors = [b.cursor["row"] for b in batches if b.cursor and b.cursor["phase"] == "posts"]
    # Users done (row 0 of posts), then rows 1-3: never past the answer that
    # waited (row 1) for its question, until it is stored.
    assert posts_cursors == [0, 0, 0, 0]
    assert batches[-1].cursor["phase"] == "done"
    problems = [p for b in batches for p in b.problems]
    assert problems == ["Posts.xml: row 2 (Id 7): CreationDate is missing"]

    thread = store.query_one("SELECT * FROM threads")
    assert (thread["native_id"], thread["is_solved"], thread["accepted_post_native_id"],
            thread["tags_json"], thread["url"]) == \
        ("9", 1, "5", '["queue", "spooler"]', "https://q.example/questions/9")
    posts = {p["native_id"]: p for p in store.query("SELECT * FROM posts")}
    assert (posts["5"]["is_accepted"], posts["5"]["thread_native_id"], posts["5"]["author"]) == \
        (1, "9", "2")
    assert (posts["c3"]["parent_native_id"], posts["c3"]["thread_native_id"],
            posts["c3"]["body_text"]) == ("5", "9", "That worked, thanks.")
    helper = store.query_one("SELECT * FROM members WHERE native_id = '2'")
    assert (helper["handle"], helper["website"], helper["about"], helper["reputation"]) == \
        ("Helper", "https://helper.example", "I fix queues.", 250)


def test_a_truncated_dump_file_keeps_the_rows_before_the_damage(tmp_path, store):
    dump = write_invented(tmp_path / "dump")
    posts = dump / "Posts.xml"
    whole = posts.read_text()
    posts.write_text(whole[: whole.index('<row Id="9"') + 40])
    report = run(store, StackExchangeDumpSource("c", dump, batch_rows=1), community="c")
    assert report.error == "Posts.xml: not well-formed XML at line 5, column 2"
    assert store.scalar("SELECT count(*) FROM members") == 2
    assert store.scalar("SELECT count(*) FROM threads") == 0
    cursor = load_cursors(store, "c")[f"import:{dump.resolve()}"]
    assert (cursor["phase"], cursor["row"]) == ("posts", 0)

    posts.write_text(whole)  # a mended dump is a different dump: read again whole
    mended = run(store, StackExchangeDumpSource("c", dump), community="c")
    assert mended.error is None
    assert mended.problems[0] == "the dump changed since the last import; reading it again"
    assert (store.scalar("SELECT count(*) FROM threads"), store.scalar("SELECT count(*) FROM posts")) \
        == (1, 2)


def test_a_directory_without_posts_is_refused(tmp_path, store):
    (tmp_path / "empty").mkdir()
    report = run(store, StackExchangeDumpSource("c", tmp_path / "empty"), community="c")
    assert report.error == (f"community 'c': {tmp_path / 'empty'} has no Posts.xml: "
                            "not a Stack Exchange dump directory")
    with pytest.raises(SourceDataError, match="not well-formed"):
        from assistant.sources.stackexchange_dump import iter_rows

        (tmp_path / "bad.xml").write_bytes(b"<posts><row Id='1'")
        with open(tmp_path / "bad.xml", "rb") as handle:
            list(iter_rows(handle, "bad.xml"))
