"""The Discourse source, through real httpx, against a loopback Discourse that
replays the recorded responses in the shared data (perceval's 20-post support
topic and topic lists; discourse_api's topic, category list and user action).

Expected values are read from the recordings at run time, never copied here.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant import pipeline
from assistant.cli import cli
from assistant.domain import parse_timestamp
from assistant.sources import FetchRequest, build_source
from assistant.sources.discourse import DiscourseSource, Locator, activity, parse_locator
from assistant.sources.http import Backoff
from assistant.sources.text import html_to_text
from assistant.store import Store, load_cursors
from playbooks import load_playbook
from tests.fakes.discourse_server import DiscourseFake
from tests.shared_data import shared_path

pytestmark = pytest.mark.shared_data

NOW = datetime(2026, 3, 1, tzinfo=UTC)
FAST = Backoff(base_delay=0.001, max_delay=0.5, timeout=2.0)


@pytest.fixture
def fake():
    with DiscourseFake(shared_path("discourse")) as server:
        yield server


@pytest.fixture
def store(tmp_path: Path):
    opened = Store(tmp_path / "d.db")
    yield opened
    opened.close()


def recorded(*parts: str) -> dict:
    return json.loads(shared_path("discourse", *parts).read_text(encoding="utf-8"))


def source(fake: DiscourseFake, **options) -> DiscourseSource:
    options.setdefault("backoff", FAST)
    return DiscourseSource("forum", options.pop("locator", fake.url), **options)


def run(store: Store, src: DiscourseSource, **request):
    return pipeline.pull(store, "forum", src, FetchRequest(load_cursors(store, "forum"), **request),
                         NOW)


def topic_paths(fake: DiscourseFake, since: int = 0) -> list[str]:
    return [s.path for s in fake.seen[since:] if s.path.startswith("/t/")]


# ----------------------------------------------------------------- locator


def test_locators_name_a_forum_a_subfolder_or_a_category():
    assert parse_locator("https://forum.example.com/") == Locator("https://forum.example.com")
    assert parse_locator("https://example.com/forum") == Locator("https://example.com/forum")
    assert parse_locator("https://forum.example.com/c/support/5").category == "support/5"
    assert parse_locator("https://f.example/c/hw/printers/12.json").list_path == "/c/hw/printers/12.json"
    with pytest.raises(ValueError, match="ends with its id"):
        parse_locator("https://forum.example.com/c/support")
    with pytest.raises(ValueError, match="is not a forum URL"):
        parse_locator("forum.example.com")


# --------------------------------------------------------- the long topic


def test_the_20_post_support_topic_with_its_remaining_posts(fake, store):
    page = recorded("perceval", "discourse_topic_1148.json")
    posts = page["post_stream"]["posts"]
    fake.serve_list("/latest.json", recorded("perceval", "discourse_topics.json"))
    src = source(fake)
    batches = list(src.fetch(FetchRequest({})))
    thread = next(t for b in batches for t in b.threads if t.native_id == "1148")

    assert thread.title == page["title"]
    assert thread.author == posts[0]["username"]
    assert thread.body_markup == posts[0]["cooked"]
    assert thread.url == f"{fake.url}/t/{page['slug']}/1148"
    # 20 posts recorded, 22 in the stream: #1 is the body, #2-#20 came with the
    # topic, #21 and #22 with one post_ids request.
    assert len(posts) == 20 and len(page["post_stream"]["stream"]) == 22
    assert [p.position for p in thread.posts] == list(range(2, 23))
    assert [p.author for p in thread.posts[:19]] == [p["username"] for p in posts[1:]]
    assert len({p["username"] for p in posts}) == 10
    chunk = [s for s in fake.seen if s.path == "/t/1148/posts.json"]
    assert [s.params_named("post_ids[]") for s in chunk] == [["21", "22"]]
    assert thread.reply_count == 21

    # Parents follow reply_to_post_number; a reply to #1 replies to the topic.
    ids = {p["post_number"]: str(p["id"]) for p in posts}
    expected = {str(p["id"]): ids.get(p["reply_to_post_number"]) if (p["reply_to_post_number"] or 1) > 1
                else None for p in posts[1:]}
    assert {p.native_id: p.parent_native_id for p in thread.posts[:19]} == expected
    assert sum(1 for p in thread.posts if p.parent_native_id) == 9
    assert all(p.markup_format == "html" and p.body_text for p in thread.posts)
    quoting = thread.posts[2]  # post #4 quotes #3
    assert quoting.body_text.startswith(f"> {posts[2]['username']} wrote:\n> ")

    report = run(store, source(fake))
    assert (report.new_threads, report.new_posts, report.error) == (2, 21, None)
    assert store.scalar("SELECT count(*) FROM posts WHERE thread_id IS NULL") == 0
    members = store.query("SELECT native_id, trust_level FROM members")
    assert {m["native_id"] for m in members} == {p["username"] for p in posts} | {"chr_c"}


def test_a_long_topic_is_read_in_chunks_without_gaps_or_repeats(fake):
    listing = recorded("perceval", "discourse_topics.json")
    listing["topic_list"]["topics"] = [dict(listing["topic_list"]["topics"][0], id=5000)]
    fake.serve_list("/latest.json", listing)
    fake.long_topic(5000, 95)
    batches = list(source(fake).fetch(FetchRequest({})))
    thread = batches[0].threads[0]
    assert [p.position for p in thread.posts] == list(range(2, 96))
    assert len({p.native_id for p in thread.posts}) == 94
    chunks = [len(s.params_named("post_ids[]")) for s in fake.seen if s.path == "/t/5000/posts.json"]
    assert chunks == [20, 20, 20, 15]
    assert batches[0].requests == 1 + 1 + 4


def test_accepted_answers_staff_and_trust_levels_are_kept(fake, store):
    fake.accept(1148, 4)
    topic57 = recorded("discourse_api", "topic.json")
    listing = recorded("perceval", "discourse_topics.json")
    entry = dict(listing["topic_list"]["topics"][0], id=57, bumped_at="2016-06-01T00:00:00.000Z")
    listing["topic_list"]["topics"].insert(0, entry)
    fake.serve_list("/latest.json", listing)
    run(store, source(fake))

    accepted_id = str(next(p["id"] for p in recorded("perceval", "discourse_topic_1148.json")
                           ["post_stream"]["posts"] if p["post_number"] == 4))
    solved = store.query_one("SELECT is_solved, accepted_post_native_id FROM threads "
                             "WHERE native_id = '1148'")
    assert solved == {"is_solved": 1, "accepted_post_native_id": accepted_id}
    assert store.scalar("SELECT group_concat(native_id) FROM posts WHERE is_accepted = 1") == accepted_id

    staff = {p["username"] for p in topic57["post_stream"]["posts"] if p.get("staff")}
    rows = store.query("SELECT native_id, is_staff, trust_level FROM members WHERE native_id IN "
                       f"({','.join('?' * len(staff))})", sorted(staff))
    assert rows and all(r["is_staff"] == 1 and r["trust_level"] == 1 for r in rows)
    assert store.scalar("SELECT author_is_staff FROM threads WHERE native_id = '57'") == 1
    # Post #14 of topic 57 replies to #1: it replies to the topic, no parent.
    assert store.scalar("SELECT parent_native_id FROM posts WHERE native_id = '226'") is None


# ------------------------------------------------------------ topic lists


def test_cursor_through_pinned_empty_and_null_last_posted_at_lists(fake, store):
    lists = {name: recorded("perceval", f"discourse_topics{name}.json")
             for name in ("", "_pinned", "_empty", "_last_posted_at_null")}

    fake.serve_list("/latest.json", lists[""])
    first = run(store, source(fake))
    assert topic_paths(fake) == ["/t/1149.json", "/t/1148.json", "/t/1148/posts.json"]
    assert (first.new_threads, first.requests) == (2, 4)
    assert load_cursors(store, "forum")["topics"] == {"at": "2016-05-25T02:52:49.526000+00:00",
                                                      "ids": [1148]}

    # Pinned topics head the list whatever their age; only 1150 is new
    # (its last post is newer than its bump), and the old 1148 ends the paging.
    mark = len(fake.seen)
    fake.serve_list("/latest.json", lists["_pinned"])
    second = run(store, source(fake))
    assert topic_paths(fake, mark) == ["/t/1150.json"]
    assert (second.new_threads, second.requests) == (1, 2)
    assert load_cursors(store, "forum")["topics"] == {"at": "2016-05-26T15:01:10.809000+00:00",
                                                      "ids": [1150]}

    # 1148 was bumped (null last_posted_at, newer bumped_at): read again.
    mark = len(fake.seen)
    fake.serve_list("/latest.json", lists["_last_posted_at_null"])
    third = run(store, source(fake))
    assert topic_paths(fake, mark) == ["/t/1148.json", "/t/1148/posts.json"]
    assert (third.new_threads, third.updated_threads, third.requests) == (0, 1, 3)
    bumped = lists["_last_posted_at_null"]["topic_list"]["topics"][0]["bumped_at"]
    assert parse_timestamp(store.scalar(
        "SELECT last_activity_at FROM threads WHERE native_id = '1148'")) == \
        parse_timestamp(bumped).replace(microsecond=0)

    for name in ("_empty", "_last_posted_at_null"):  # nothing new: one request each
        mark = len(fake.seen)
        fake.serve_list("/latest.json", lists[name])
        again = run(store, source(fake))
        assert (again.new_threads, again.updated_threads, again.requests) == (0, 0, 1)
        assert topic_paths(fake, mark) == []
    assert store.scalar("SELECT count(*) FROM threads") == 3


def test_pages_follow_more_topics_url(fake):
    fake.serve_list("/latest.json", recorded("perceval", "discourse_topics.json"),
                    recorded("perceval", "discourse_topics_pinned.json"))
    batches = list(source(fake).fetch(FetchRequest({})))
    lists = [(s.path, s.param("page")) for s in fake.seen if s.path == "/latest.json"]
    assert lists == [("/latest.json", None), ("/latest.json", "1")]
    assert [t.native_id for b in batches for t in b.threads] == ["1149", "1148", "1150"]


def test_a_category_locator_reads_the_category_and_skips_missing_topics(fake, store):
    fake.serve_list("/c/support/2.json", recorded("discourse_api", "category_latest_topics.json"))
    report = run(store, source(fake, locator=f"{fake.url}/c/support/2"))
    assert [s.path for s in fake.seen] == ["/c/support/2.json", "/t/4.json", "/t/5.json"]
    assert report.problems == [
        f"topic 4 skipped: community 'forum', {fake.url}/t/4.json: nothing here (HTTP 404): "
        "The requested URL or resource could not be found.",
        f"topic 5 skipped: community 'forum', {fake.url}/t/5.json: nothing here (HTTP 404): "
        "The requested URL or resource could not be found.",
    ]
    newest = max(recorded("discourse_api", "category_latest_topics.json")["topic_list"]["topics"],
                 key=activity)
    assert load_cursors(store, "forum")["topics"] == {"at": activity(newest).isoformat(), "ids": [5]}


# ---------------------------------------------------------------- founders


def test_founders_own_posts_are_followed_through_user_actions(fake, store):
    # The recorded topics 1149 and 1150 repeat 1148's first post ids; a real
    # forum never does, so they are left out here.
    for copy_of_1148 in (1149, 1150):
        fake.topics.pop(copy_of_1148)
        fake.posts.pop(copy_of_1148)
    fake.serve_list("/latest.json", recorded("perceval", "discourse_topics_empty.json"))
    founder = recorded("perceval", "discourse_topic_1148.json")["post_stream"]["posts"][0]["username"]
    report = run(store, source(fake, founders=[founder]))
    assert report.error is None
    actions = [s for s in fake.seen if s.path == "/user_actions.json"]
    assert [(s.param("username"), s.param("filter"), s.param("offset")) for s in actions] == \
        [(founder, "4,5", "0")]
    assert store.conn.execute("SELECT native_id FROM threads").fetchall() == [("1148",)]
    assert store.scalar("SELECT count(*) FROM posts WHERE thread_id IS NOT NULL") == 21
    cursor = load_cursors(store, "forum")[f"user:{founder}"]
    newest = max(p["created_at"] for p in recorded("perceval", "discourse_topic_1148.json")
                 ["post_stream"]["posts"] if p["username"] == founder)
    assert cursor["at"] == parse_timestamp(newest).isoformat()

    again = run(store, source(fake, founders=[founder]))
    assert (again.new_threads, again.new_posts, again.requests) == (0, 0, 2)


# ------------------------------------------------------------------ faults


def stored(store: Store) -> tuple[list, list]:
    threads = store.conn.execute("SELECT native_id, content_hash FROM threads ORDER BY 1").fetchall()
    posts = store.conn.execute("SELECT native_id, thread_native_id, content_hash FROM posts "
                               "ORDER BY 1").fetchall()
    return threads, posts


def test_faults_are_retried_with_nothing_lost_or_repeated(fake, tmp_path):
    fake.serve_list("/latest.json", recorded("perceval", "discourse_topics.json"))
    clean = Store(tmp_path / "clean.db")
    run(clean, source(fake))
    expected = stored(clean)
    clean.close()

    fake.inject("500", "/latest.json")
    fake.inject("429", "/t/1148.json", retry_after="0.01")
    fake.inject("truncate", "/t/1148.json")
    fake.inject("malformed", "/t/1149.json")
    fake.inject("slow", "/t/1148/posts.json", delay=0.5)
    faulty = Store(tmp_path / "faulty.db")
    report = run(faulty, source(fake, backoff=Backoff(base_delay=0.001, timeout=0.25)))
    assert report.error is None
    assert report.requests == 4 + 5
    assert stored(faulty) == expected
    assert load_cursors(faulty, "forum")["topics"]["ids"] == [1148]
    faulty.close()


def test_a_fault_that_outlives_the_retries_keeps_what_came_before(fake, store, tmp_path):
    fake.serve_list("/latest.json", recorded("perceval", "discourse_topics.json"))
    clean = Store(tmp_path / "clean.db")
    run(clean, source(fake))
    expected = stored(clean)
    clean.close()
    fake.inject("malformed", "/t/1148.json", times=3)
    report = run(store, source(fake, backoff=Backoff(base_delay=0.001, attempts=3)))
    assert report.error == (
        f"community 'forum', {fake.url}/t/1148.json: malformed JSON at character 12 (21 bytes); "
        "gave up after 3 attempts"
    )
    assert store.conn.execute("SELECT native_id FROM threads").fetchall() == [("1149",)]
    assert load_cursors(store, "forum")["topics"]["ids"] == [1149]

    retry = run(store, source(fake))
    assert (retry.error, retry.new_threads) == (None, 1)
    assert topic_paths(fake)[-2:] == ["/t/1148.json", "/t/1148/posts.json"]
    assert stored(store) == expected


# --------------------------------------------------------- wiring and CLI


PLAYBOOK = """\
version = 1

[startup]
name = "Tern Works"
domains = ["ternworks.example"]
disclosure = "Disclosure: I co-founded Tern Works."

[[founders]]
name = "Ada Quintero"
[founders.handles]
discourse = "{founder}"

[[capabilities]]
id = "filters"
description = "Content filter rules."
keywords = ["filter", "blocker"]
examples = ["The blocker breaks the comments section."]

[[communities]]
id = "forum"
name = "Support forum"
platform = "discourse"
locator = "{url}"

[user_types]
vendor = {{ names = ["Widget Co"], domains = ["widget.example"] }}

[scoring]
answer_within_hours = 24
queue_threshold = 0.25
"""


def test_the_factory_reads_keys_from_the_environment(fake, tmp_path, monkeypatch):
    monkeypatch.setenv("DISCOURSE_API_KEY", "k-secret")
    monkeypatch.setenv("DISCOURSE_API_USERNAME", "watcher")
    (tmp_path / "b.toml").write_text(PLAYBOOK.format(url=fake.url, founder="nobody"))
    playbook = load_playbook(tmp_path / "b.toml")
    fake.serve_list("/latest.json", recorded("perceval", "discourse_topics_empty.json"))
    built = build_source(playbook.community("forum"), playbook, backoff=FAST)
    assert isinstance(built, DiscourseSource) and built.founders == ("nobody",)
    list(built.fetch(FetchRequest({})))
    built.close()
    assert {(s.headers["api-key"], s.headers["api-username"]) for s in fake.seen} == \
        {("k-secret", "watcher")}


def test_beachhead_fetch_end_to_end(fake, tmp_path):
    fake.serve_list("/latest.json", recorded("perceval", "discourse_topics.json"))
    founder = recorded("perceval", "discourse_topic_1148.json")["post_stream"]["posts"][0]["username"]
    (tmp_path / "b.toml").write_text(PLAYBOOK.format(url=fake.url, founder=founder))
    args = ["--db", str(tmp_path / "b.db"), "--playbook", str(tmp_path / "b.toml"),
            "fetch", "--community", "forum"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if "forum" in line)
    # 2 topics (1149, 1148: 21 replies, 11 writers); then the founder's actions
    # bring topic 1150, whose posts share their ids with 1148's in the recording.
    assert row.split("│")[1:-1] == [" forum     ", "       3 ", "       0 ", "    21 ",
                                    "      11 ", "        6 ", "      0 "]
    with Store(tmp_path / "b.db") as check:
        assert check.scalar("SELECT count(*) FROM threads") == 3
        assert set(load_cursors(check, "forum")) == {"topics", f"user:{founder}"}

    again = CliRunner().invoke(cli, args)
    row = next(line for line in again.output.splitlines() if "forum" in line)
    assert [cell.strip() for cell in row.split("│")[1:-1]] == ["forum", "0", "0", "0", "0", "2", "0"]


def test_cooked_html_keeps_quotes_code_and_drops_furniture():
    cooked = (
        '<aside class="quote no-group" data-username="mira" data-post="2" data-topic="9">'
        '<div class="title"><div class="quote-controls"></div><img class="avatar" src="a.png">'
        ' mira:</div><blockquote><p>The tray jams.</p></blockquote></aside>'
        '<p>Hi <a class="mention" href="/u/mira">@mira</a> <img src="/e/wave.png" class="emoji" '
        'alt=":wave:"> see <a class="hashtag" href="/c/printers/4">#<span>printers</span></a></p>'
        '<pre><code class="lang-yaml">tray:\n  size: A4\n</code></pre>'
        '<aside class="onebox allowlistedgeneric" data-onebox-src="https://kb.example/jam">'
        '<header class="source"><a href="https://kb.example/jam">kb.example</a></header>'
        '<article class="onebox-body"><h3><a href="https://kb.example/jam">Paper jams</a></h3>'
        '<p>Some other site\'s words.</p></article></aside>'
        '<div class="lightbox-wrapper"><a class="lightbox" href="big.png" title="jam.png">'
        '<img src="small.png" alt="jam photo"><div class="meta"><span class="filename">jam.png'
        '</span><span class="informations">800×600 90 KB</span></div></a></div>'
    )
    assert html_to_text(cooked) == (
        "> mira wrote:\n> The tray jams.\n\n"
        "Hi @mira :wave: see #printers\n\n"
        "```yaml\ntray:\n  size: A4\n```\n\n"
        "Paper jams (https://kb.example/jam)\n\n"
        "[image: jam photo]"
    )
