"""The weekly report's numbers, asserted exactly against a database built by
hand for the test (threads, judgements, queue events, labels, leads,
credibility snapshots), and its Markdown, JSON and CLI renderings.

Every text here is invented for the tests.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant import clock
from assistant.cli import cli
from assistant.report import ReportError, build_report, make_report, parse_week
from assistant.report.data import TRIAGE_SETTING, state_at
from assistant.report.markdown import escape, render_markdown
from assistant.report.weeks import Week, WeekError, week_key, week_of
from assistant.store import Store
from playbooks import load_playbook
from tests.builders import write_playbook

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
W47 = parse_week("2026-W47")

MEMBERS = {
    # (community, handle): (user_type, user_value, country, voice)
    ("forum", "ana"): ("customer", 1.0, "PT", 0.2),
    ("forum", "bo"): ("customer", 1.0, "DE", 0.5),
    ("forum", "cy"): ("customer", None, "AU", None),
    ("forum", "dee"): ("customer", 1.0, "PE", None),
    ("forum", "eva"): ("customer", 1.0, "CO", None),
    ("forum", "rex"): ("competitor", 0.1, None, None),
    ("forum", "sage"): ("expert", 0.6, "DE", 0.9),
    ("forum", "kim"): ("expert", 0.6, None, None),
    ("forum", "zed"): ("customer", 1.0, "FR", None),
    ("forum", "ada_q"): ("founder", 0.0, "CO", 0.95),
    ("forum", "bruno_p"): ("founder", 0.0, "CO", None),
    ("foro", "lu"): ("customer", 1.0, "MX", None),
    ("foro", "pia"): ("channel_partner", 1.5, "CO", 0.3),
    ("foro", "tom"): ("expert", 0.6, "ES", 0.7),
    ("foro", "ada_q"): ("founder", 0.0, "CO", None),
}

# native id: community, title, author, created, category (None: not judged), cluster, me too
THREADS = {
    "t1": ("forum", "Mail fetch stalls with MB-IMAP-401", "ana", "2026-11-16T09:00:00",
           "pervasive_solvable", 1, ["bo"]),
    "t2": ("forum", "MB-IMAP-401 again after a password change", "cy", "2026-11-17T10:00:00",
           "pervasive_solvable", 1, []),
    "t3": ("forum", "Export button *missing* | since the update", "eva", "2026-11-18T08:00:00",
           "unrewarded", None, []),
    "t4": ("forum", "Community meetup in Lisbon", "bo", "2026-11-19T08:00:00", "not_a_problem",
           None, []),
    "t5": ("forum", "Rival's migration tool broke <script>alert(1)</script>", "rex",
           "2026-11-19T12:00:00", "unsolvable", None, []),
    "t6": ("foro", "MB-IMAP-401 en el buzón compartido", "lu", "2026-11-18T15:00:00",
           "pervasive_solvable", 1, []),
    "t7": ("foro", "Cómo exportar tickets antiguos", "pia", "2026-11-20T09:00:00", "unrewarded",
           None, []),
    "t13": ("forum", "Just joined, hello", "eva", "2026-11-20T10:00:00", None, None, []),
    "t8": ("forum", "Mailbox MB-IMAP-401, first report", "dee", "2026-11-10T09:00:00",
           "pervasive_solvable", 1, []),
    "t9": ("forum", "Webhook retries pile up", "eva", "2026-11-12T09:00:00", "unrewarded", 2, []),
    "t10": ("foro", "Hola a todos", "lu", "2026-11-11T09:00:00", "not_a_problem", None, []),
    "t11": ("forum", "SLA timer counts weekends", "bo", "2026-10-01T08:00:00",
            "pervasive_solvable", 3, ["eva"]),
    "t12": ("forum", "MB-IMAP-401 in the old days", "zed", "2026-06-01T08:00:00",
            "pervasive_solvable", 1, []),
}

# native id: thread, author, created, accepted
POSTS = {
    "p1": ("t1", "ada_q", "2026-11-16T12:00:00", False),
    "p2": ("t1", "bo", "2026-11-16T13:00:00", False),
    "p3": ("t3", "sage", "2026-11-18T09:00:00", True),
    "p4": ("t6", "tom", "2026-11-18T16:00:00", False),
    "p5": ("t7", "ada_q", "2026-11-20T10:00:00", False),
    "p6": ("t8", "sage", "2026-11-10T10:00:00", True),
    "p7": ("t9", "bruno_p", "2026-11-12T10:00:00", False),
}

# thread: created, answer_by, final state, answered (at, by), events [(at, to_state)]
QUEUE = {
    "t1": ("2026-11-16T10:00:00", "2026-11-17T10:00:00", "answered",
           ("2026-11-16T12:00:00", "Ada Quintero"),
           [("2026-11-16T11:00:00", "claimed"), ("2026-11-16T12:00:00", "answered")]),
    "t2": ("2026-11-17T11:00:00", "2026-11-18T11:00:00", "answered",
           ("2026-11-18T15:00:00", "Ada Quintero"),
           [("2026-11-18T15:00:00", "answered")]),
    "t6": ("2026-11-18T16:00:00", "2026-11-19T16:00:00", "expired", None,
           [("2026-11-19T16:05:00", "expired")]),
    "t3": ("2026-11-18T09:00:00", "2026-11-19T09:00:00", "dismissed", None,
           [("2026-11-18T10:00:00", "dismissed")]),
    "t7": ("2026-11-20T09:30:00", "2026-11-21T09:30:00", "queued", None, []),
    "t5": ("2026-11-19T13:00:00", "2026-11-20T13:00:00", "claimed", None,
           [("2026-11-19T14:00:00", "claimed")]),
    "t8": ("2026-11-10T10:00:00", "2026-11-11T10:00:00", "answered",
           ("2026-11-10T15:00:00", "Bruno Paz"), [("2026-11-10T15:00:00", "answered")]),
    "t9": ("2026-11-12T10:00:00", "2026-11-13T10:00:00", "queued", None, []),
    "t11": ("2026-11-15T10:00:00", "2026-11-16T10:00:00", "answered",
            ("2026-11-16T09:00:00", "Bruno Paz"),
            [("2026-11-15T11:00:00", "snoozed"), ("2026-11-15T20:00:00", "queued"),
             ("2026-11-16T09:00:00", "answered")]),
}

CLUSTERS = {1: "MB-IMAP-401", 2: "Webhook retries", 3: "SLA weekends"}

SNAPSHOTS = [
    ("Ada Quintero", "forum", "2026-W45", 0.2),
    ("Ada Quintero", "forum", "2026-W46", 0.3),
    ("Ada Quintero", "forum", "2026-W47", 0.45),
    ("Ada Quintero", "foro", "2026-W46", 0.1),
    ("Bruno Paz", "forum", "2026-W47", 0.5),
    ("Bruno Paz", "forum", "2026-W48", 0.9),
]

# member, community, cluster, stage, value, country, created
LEADS = [
    ("lu", "foro", 1, "lead", 500, None, "2026-11-19T10:00:00"),
    ("pia", "foro", None, "customer", 1200, "CO", "2026-11-20T08:00:00"),
    ("ana", "forum", 1, "lead", 0, None, "2026-11-17T10:00:00"),
    ("ghost", "forum", None, "contacted", 100, None, "2026-11-18T10:00:00"),
    ("dee", "forum", None, "lead", 300, "PE", "2026-11-10T10:00:00"),
]

SESSION = {
    "analyst": "ines", "started_at": "2026-11-20T10:00:00+00:00",
    "finished_at": "2026-11-20T10:30:00+00:00", "labelled": 6, "accepted": 4, "corrected": 2,
    "labels": 8, "retrained": True, "held_out": [3, 7], "moved": 1,
    "agreement": {"category": {"held_out": 2, "before": 1, "after": 2},
                  "user_type": {"held_out": 1, "before": 1, "after": 1}},
}


def stamp(text: str) -> str:
    return text + "+00:00"


def build_world(store: Store) -> dict[str, int]:
    """The hand-built database; returns thread ids by native id."""
    conn = store.conn
    members = {}
    for (community, handle), (user_type, value, country, voice) in MEMBERS.items():
        members[(community, handle)] = conn.execute(
            "INSERT INTO members (community_id, native_id, handle, user_type, user_value, country, "
            "voice) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (community, handle, handle, user_type, value, country, voice),
        ).lastrowid
    for cluster_id, label in CLUSTERS.items():
        conn.execute("INSERT INTO problem_clusters (id, label, state_json, updated_at) "
                     "VALUES (?, ?, '{}', ?)", (cluster_id, label, stamp("2026-11-20T12:00:00")))
    threads = {}
    for native, (community, title, author, created, category, cluster, me_too) in THREADS.items():
        thread_id = conn.execute(
            "INSERT INTO threads (community_id, native_id, title, url, author, created_at, "
            "content_hash, fetched_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'h', ?, ?)",
            (community, native, title, f"https://{community}.example/t/{native}", author,
             stamp(created), stamp(created), stamp(created)),
        ).lastrowid
        threads[native] = thread_id
        if category:
            conn.execute(
                "INSERT INTO classifications (thread_id, is_problem, problem_probability, kind, "
                "capability_id, capability_score, asker_type, asker_value, category, "
                "category_probabilities_json, margin, language, signals_json, reasons_json, "
                "model_version, classified_at) VALUES (?, 1, 0.9, 'bug', ?, 0.9, 'customer', 1.0, "
                "?, '{}', 0.5, ?, ?, '[]', 'test', ?)",
                (thread_id, "mail" if cluster == 1 else None, category,
                 "es" if community == "foro" else "en", json.dumps({"me_too": me_too}),
                 stamp("2026-11-20T12:00:00")),
            )
        if cluster:
            conn.execute("INSERT INTO thread_clusters (thread_id, cluster_id, similarity, "
                         "assigned_at) VALUES (?, ?, 1.0, ?)",
                         (thread_id, cluster, stamp(created)))
    for native, (thread, author, created, accepted) in POSTS.items():
        community = THREADS[thread][0]
        conn.execute(
            "INSERT INTO posts (community_id, native_id, thread_native_id, thread_id, author, "
            "created_at, is_accepted, content_hash, fetched_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, 'h', ?, ?)",
            (community, native, thread, threads[thread], author, stamp(created), int(accepted),
             stamp(created), stamp(created)),
        )
    for thread, (created, answer_by, state, answered, events) in QUEUE.items():
        item_id = conn.execute(
            "INSERT INTO queue_items (thread_id, community_id, state, priority, components_json, "
            "why, answer_by, answered_at, answered_by, created_at, updated_at) "
            "VALUES (?, ?, ?, 0.5, '{}', 'test', ?, ?, ?, ?, ?)",
            (threads[thread], THREADS[thread][0], state, stamp(answer_by),
             stamp(answered[0]) if answered else None, answered[1] if answered else None,
             stamp(created), stamp(created)),
        ).lastrowid
        previous = None
        for at, to_state in [(created, "new"), (created, "queued"), *events]:
            conn.execute("INSERT INTO queue_events (item_id, at, from_state, to_state) "
                         "VALUES (?, ?, ?, ?)", (item_id, stamp(at), previous, to_state))
            previous = to_state
    conn.execute(
        "INSERT INTO contributions (founder, community_id, thread_id, kind, created_at) "
        "VALUES ('Ada Quintero', 'foro', ?, 'answer', ?)",
        (threads["t6"], stamp("2026-11-19T10:00:00")),
    )
    for founder, community, week, score in SNAPSHOTS:
        conn.execute(
            "INSERT INTO credibility_snapshots (founder, community_id, week, score, "
            "components_json, taken_at) VALUES (?, ?, ?, ?, ?, ?)",
            (founder, community, week, score, json.dumps({"solutions": score * 10}),
             stamp("2026-11-20T11:00:00")),
        )
    for member, community, cluster, stage, value, country, created in LEADS:
        conn.execute(
            "INSERT INTO leads (community_id, cluster_id, member, stage, value, country, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (community, cluster, member, stage, value, country, stamp(created), stamp(created)),
        )
    for thread, kind, value, source, created in [
        ("t1", "category", "pervasive_solvable", "triage", "2026-11-20T10:05:00"),
        ("t2", "category", "pervasive_solvable", "triage", "2026-11-20T10:06:00"),
        ("t4", "category", "not_a_problem", "triage", "2026-11-20T10:07:00"),
        ("t1", "user_type", "customer", "triage", "2026-11-20T10:05:00"),
        ("t2", "user_type", "customer", "triage", "2026-11-20T10:06:00"),
        ("t3", "category", "unrewarded", "dismiss", "2026-11-18T10:00:00"),
        ("t9", "category", "unrewarded", "triage", "2026-11-13T10:00:00"),
    ]:
        conn.execute("INSERT INTO labels (thread_id, kind, value, source, author, created_at) "
                     "VALUES (?, ?, ?, ?, 'ines', ?)",
                     (threads[thread], kind, value, source, stamp(created)))
    store.set_setting(TRIAGE_SETTING.format(week="2026-W47"), [SESSION])
    # What the pipeline's grouping.refresh keeps for the groups as of NOW: members
    # and countries over the 90-day window (t12 is older), communities and
    # languages of all the group's threads; growth = new members this week minus
    # the week before.
    for cluster_id, count, affected, countries, communities, languages, first, last, growth in [
        (1, 5, 5, ["AU", "DE", "MX", "PE", "PT"], ["foro", "forum"], ["en", "es"],
         "2026-06-01T08:00:00", "2026-11-18T15:00:00", 3),
        (2, 1, 1, ["CO"], ["forum"], ["en"], "2026-11-12T09:00:00", "2026-11-12T09:00:00", 0),
        (3, 1, 2, ["CO", "DE"], ["forum"], ["en"], "2026-10-01T08:00:00", "2026-10-01T08:00:00", 0),
    ]:
        conn.execute(
            "UPDATE problem_clusters SET thread_count = ?, affected_members = ?, countries_json = ?, "
            "communities_json = ?, languages_json = ?, first_seen_at = ?, last_seen_at = ?, "
            "growth = ? WHERE id = ?",
            (count, affected, json.dumps(countries), json.dumps(communities), json.dumps(languages),
             stamp(first), stamp(last), growth, cluster_id))
    return threads


@pytest.fixture
def world(tmp_path: Path):
    playbook = load_playbook(write_playbook(tmp_path))
    store = Store(tmp_path / "report.db")
    threads = build_world(store)
    clock.pin(store, NOW)
    yield store, playbook, threads, tmp_path
    store.close()


@pytest.fixture
def data(world):
    store, playbook, _, _ = world
    return build_report(store, playbook, W47, now=NOW)


# ------------------------------------------------------------------- weeks


def test_weeks_parse_and_reject():
    assert (W47.start, W47.end) == (datetime(2026, 11, 16, tzinfo=UTC),
                                    datetime(2026, 11, 23, tzinfo=UTC))
    assert str(W47.previous) == "2026-W46"
    assert str(parse_week("2027-W01").previous) == "2026-W53"
    assert week_of(datetime(2026, 11, 22, 23, 59, tzinfo=UTC)) == W47
    assert parse_week("2026w7") == Week(2026, 7)
    assert week_key("2026-11-18") == W47 and week_key("soon") is None
    assert W47.span() == "Mon 16 Nov – Sun 22 Nov 2026"
    with pytest.raises(WeekError, match=r"^week '2025-W53' is not an ISO week such as 2026-W47$"):
        parse_week("2025-W53")


# ---------------------------------------------------------------- sections


def test_header(data):
    assert {k: data[k] for k in ("schema", "week", "previous_week", "start", "end", "as_of",
                                 "complete", "generated_at", "startup")} == {
        "schema": 1, "week": "2026-W47", "previous_week": "2026-W46",
        "start": "2026-11-16T00:00:00+00:00", "end": "2026-11-23T00:00:00+00:00",
        "as_of": "2026-11-20T12:00:00+00:00", "complete": False,
        "generated_at": "2026-11-20T12:00:00+00:00",
        "startup": {"name": "Tern Works", "home_country": "CO"},
    }
    assert list(data) == [
        "schema", "week", "span", "start", "end", "previous_week", "generated_at", "as_of",
        "complete", "startup", "threads", "problems", "faq_candidates", "communities",
        "etiquette", "queue", "credibility", "experts", "user_types", "reach", "agreement",
    ]


def test_new_threads_per_community_and_category(data):
    week, previous = data["threads"]["week"], data["threads"]["previous"]
    assert week == {
        "total": 8,
        "by_community": {"forum": 6, "foro": 2},
        "by_category": {"pervasive_solvable": 3, "unrewarded": 2, "unsolvable": 1,
                        "not_a_problem": 1, "unclassified": 1},
        "by_community_category": {
            "forum": {"pervasive_solvable": 2, "unrewarded": 1, "unsolvable": 1,
                      "not_a_problem": 1, "unclassified": 1},
            "foro": {"pervasive_solvable": 1, "unrewarded": 1, "unsolvable": 0,
                     "not_a_problem": 0, "unclassified": 0},
        },
    }
    assert previous["total"] == 3
    assert previous["by_community"] == {"forum": 2, "foro": 1}
    assert previous["by_category"] == {"pervasive_solvable": 1, "unrewarded": 1, "unsolvable": 0,
                                       "not_a_problem": 1}


def test_pervasive_problems_are_counted_over_the_lookback(data, world):
    _, _, threads, _ = world
    problems = data["problems"]
    assert (problems["lookback_days"], problems["candidates"]) == (90, 2)
    first, second = problems["groups"]
    assert first == {
        "id": 1,
        "label": "MB-IMAP-401",
        "capability": "mail",
        "threads": 4,
        "threads_week": 3,
        "affected_members": 5,
        "countries": ["AU", "DE", "MX", "PE", "PT"],
        "communities": ["foro", "forum"],
        "languages": ["en", "es"],
        "new_members_week": 4,
        "new_members_previous": 1,
        "growth": 3,
        "examples": [
            {"thread_id": threads["t6"], "community": "foro",
             "title": "MB-IMAP-401 en el buzón compartido", "url": "https://foro.example/t/t6"},
            {"thread_id": threads["t2"], "community": "forum",
             "title": "MB-IMAP-401 again after a password change",
             "url": "https://forum.example/t/t2"},
            {"thread_id": threads["t1"], "community": "forum",
             "title": "Mail fetch stalls with MB-IMAP-401", "url": "https://forum.example/t/t1"},
        ],
    }
    assert (second["label"], second["affected_members"], second["countries"], second["growth"],
            second["threads_week"]) == ("SLA weekends", 2, ["CO", "DE"], 0, 0)


def test_queue_health(data):
    queue = data["queue"]
    assert queue["answer_within_hours"] == 24
    assert queue["week"] == {
        "enqueued": 6,
        "due": 5,
        "answered_on_time": 2,
        "answered_late": 1,
        "expired": 1,
        "dismissed": 1,
        "overdue": 0,
        "on_time_share": 0.5,
        "answered": 3,
        "answered_by_founder": {"Ada Quintero": 2, "Bruno Paz": 1},
        "median_hours_to_answer": 29.0,
        "median_hours_from_queue": 23.0,
        "backlog": 2,
        "backlog_by_state": {"queued": 1, "claimed": 1, "snoozed": 0},
    }
    assert queue["previous"] == {
        "enqueued": 3,
        "due": 2,
        "answered_on_time": 1,
        "answered_late": 0,
        "expired": 1,
        "dismissed": 0,
        "overdue": 0,
        "on_time_share": 0.5,
        "answered": 1,
        "answered_by_founder": {"Bruno Paz": 1},
        "median_hours_to_answer": 6.0,
        "median_hours_from_queue": 5.0,
        "backlog": 1,
        "backlog_by_state": {"queued": 1, "claimed": 0, "snoozed": 0},
    }


def test_a_claimed_item_past_its_answer_by_is_overdue_once_the_clock_passes(world):
    store, playbook, _, _ = world
    later = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
    week = build_report(store, playbook, W47, now=later)["queue"]["week"]
    assert (week["due"], week["overdue"], week["on_time_share"]) == (6, 1, 0.4)


def test_state_at_reads_events_and_lapsed_answer_by():
    item = {"created_at": "2026-11-15T10:00:00+00:00", "state": "answered",
            "answer_by": "2026-11-16T10:00:00+00:00"}
    events = [(datetime(2026, 11, 15, 10, tzinfo=UTC), "queued"),
              (datetime(2026, 11, 15, 11, tzinfo=UTC), "snoozed")]
    assert state_at(item, events, datetime(2026, 11, 15, 9, tzinfo=UTC)) is None
    assert state_at(item, events, datetime(2026, 11, 15, 12, tzinfo=UTC)) == "snoozed"
    assert state_at(item, events, datetime(2026, 11, 16, 10, tzinfo=UTC)) == "expired"


def test_credibility_trend(data):
    section = data["credibility"]
    assert (section["snapshots"], section["snapshots_this_week"]) == (True, 2)
    assert section["founders"] == [
        {"founder": "Ada Quintero", "community": "foro", "week": "2026-W46", "current": False,
         "score": 0.1, "previous_week": None, "previous_score": None, "change": None,
         "components": {"solutions": 1.0}, "history": [{"week": "2026-W46", "score": 0.1}]},
        {"founder": "Ada Quintero", "community": "forum", "week": "2026-W47", "current": True,
         "score": 0.45, "previous_week": "2026-W46", "previous_score": 0.3, "change": 0.15,
         "components": {"solutions": 4.5},
         "history": [{"week": "2026-W45", "score": 0.2}, {"week": "2026-W46", "score": 0.3},
                     {"week": "2026-W47", "score": 0.45}]},
        {"founder": "Bruno Paz", "community": "forum", "week": "2026-W47", "current": True,
         "score": 0.5, "previous_week": None, "previous_score": None, "change": None,
         "components": {"solutions": 5.0}, "history": [{"week": "2026-W47", "score": 0.5}]},
    ]


def test_no_snapshot_yet_is_said_plainly(tmp_path):
    playbook = load_playbook(write_playbook(tmp_path))
    with Store(tmp_path / "empty.db") as store:
        data = build_report(store, playbook, W47, now=NOW)
    assert data["credibility"] == {"snapshots": False, "snapshots_this_week": 0, "founders": []}
    from assistant.report.markdown import render_markdown

    assert ("No credibility snapshot yet: the first one is taken when credibility is scored."
            in render_markdown(data))


def test_experts_per_community(data):
    assert data["experts"]["communities"] == {
        "forum": [
            {"handle": "sage", "user_type": "expert", "voice": 0.9, "country": "DE",
             "accepted_answers": 2, "replies_week": 1},
            {"handle": "bo", "user_type": "customer", "voice": 0.5, "country": "DE",
             "accepted_answers": 0, "replies_week": 1},
            {"handle": "ana", "user_type": "customer", "voice": 0.2, "country": "PT",
             "accepted_answers": 0, "replies_week": 0},
            {"handle": "kim", "user_type": "expert", "voice": None, "country": None,
             "accepted_answers": 0, "replies_week": 0},
        ],
        "foro": [
            {"handle": "tom", "user_type": "expert", "voice": 0.7, "country": "ES",
             "accepted_answers": 0, "replies_week": 1},
            {"handle": "pia", "user_type": "channel_partner", "voice": 0.3, "country": "CO",
             "accepted_answers": 0, "replies_week": 0},
        ],
    }


def test_user_types_and_their_value(data):
    section = data["user_types"]
    assert section["week"] == {
        "members": 9,
        "total_value": 7.8,
        "by_type": {
            "customer": {"members": 5, "value": 5.0},
            "channel_partner": {"members": 1, "value": 1.5},
            "competitor": {"members": 1, "value": 0.1},
            "expert": {"members": 2, "value": 1.2},
        },
    }
    assert section["previous"] == {
        "members": 4, "total_value": 3.6,
        "by_type": {"customer": {"members": 3, "value": 3.0}, "expert": {"members": 1, "value": 0.6}},
    }


def test_leads_and_international_reach(data):
    reach = data["reach"]
    assert reach["home_country"] == "CO"
    # ana and pia (founders' replies), cy and bo (answered queue items), lu (a contribution)
    assert reach["engaged"]["week"] == {
        "count": 5, "home": 1, "abroad": 4, "unknown": 0, "share_abroad": 0.8,
        "by_country": {"AU": 1, "CO": 1, "DE": 1, "MX": 1, "PT": 1},
    }
    assert reach["engaged"]["previous"] == {
        "count": 2, "home": 1, "abroad": 1, "unknown": 0, "share_abroad": 0.5,
        "by_country": {"CO": 1, "PE": 1},
    }
    assert reach["active"]["week"] == {
        "count": 9, "home": 2, "abroad": 6, "unknown": 1, "share_abroad": 0.75,
        "by_country": {"CO": 2, "DE": 2, "AU": 1, "ES": 1, "MX": 1, "PT": 1},
    }
    leads = reach["leads"]["week"]
    assert {k: v for k, v in leads.items() if k != "items"} == {
        "count": 4, "home": 1, "abroad": 2, "unknown": 1, "share_abroad": 0.6667,
        "by_country": {"CO": 1, "MX": 1, "PT": 1},
        "value": 1800, "value_abroad": 500,
        "by_stage": {"lead": 2, "customer": 1, "contacted": 1},
        "by_community": {"foro": 2, "forum": 2},
        "by_problem": {"MB-IMAP-401": 2},
    }
    assert leads["items"][0] == {"member": "pia", "community": "foro", "stage": "customer",
                                 "value": 1200, "country": "CO", "problem": None}
    assert (reach["leads"]["previous"]["count"], reach["leads"]["previous"]["share_abroad"]) == (1, 1.0)


def test_model_agreement(data):
    assert data["agreement"]["week"] == {
        "sessions": 1, "analysts": ["ines"], "labelled": 6, "accepted": 4, "corrected": 2,
        "labels_by_source": {"dismiss/category": 1, "triage/category": 3, "triage/user_type": 2},
        "category": {"held_out": 2, "before": 1, "after": 2, "before_share": 0.5,
                     "after_share": 1.0},
        "user_type": {"held_out": 1, "before": 1, "after": 1, "before_share": 1.0,
                      "after_share": 1.0},
    }
    assert data["agreement"]["previous"]["sessions"] == 0
    assert data["agreement"]["previous"]["labels_by_source"] == {"triage/category": 1}


def test_a_finished_week_counts_to_its_end(world):
    store, playbook, _, _ = world
    data = build_report(store, playbook, W47, now=datetime(2026, 11, 25, tzinfo=UTC))
    assert (data["complete"], data["as_of"]) == (True, "2026-11-23T00:00:00+00:00")
    # t7 (answer by the 21st) expired unheld; t5 stays claimed, so it is overdue.
    week = data["queue"]["week"]
    assert (week["due"], week["expired"], week["overdue"], week["backlog"]) == (7, 2, 1, 1)


# --------------------------------------------------------------- renderings


def test_markdown_reads_well_and_escapes_forum_text(data):
    from assistant.report.markdown import render_markdown

    text = render_markdown(data)
    assert text.startswith(
        "# Weekly report 2026-W47 (Mon 16 Nov – Sun 22 Nov 2026)\n\n"
        "Tern Works · as of 2026-11-20 12:00 UTC (week still under way) · compared with 2026-W46\n"
    )
    assert "| forum | 6 | 2 | +4 |" in text
    assert "| **all** | **8** | 3 | +5 |" in text
    assert ("1. **MB-IMAP-401**: 5 members in 5 countries (AU, DE, MX, PE, PT), 2 communities, "
            "4 threads; 4 new this week (growth +3); capability mail") in text
    assert ("2. **SLA weekends**: 2 members in 2 countries (CO, DE), 1 community, 1 thread; "
            "0 new this week (growth ±0)") in text
    assert "| on-time share | 50% | 50% |" in text
    assert "| median hours from post to founder answer | 29 | 6 |" in text
    assert "| Ada Quintero | forum | 0.45 | +0.15 | 2026-W47 |" in text
    assert "| Ada Quintero | foro | 0.1 | – | 2026-W46 (latest) |" in text
    assert ("- Askers the founders answered: 5 (80% outside CO: 4 abroad, 1 home, 0 unknown); "
            "last week 2 (50% outside)") in text
    assert ("- Category, on 2 held-out labels: 1/2 (50%) before retraining, 2/2 (100%) after"
            in text)
    assert escape("Export button *missing* | since") == r"Export button \*missing\* \| since"
    assert "<script>" not in text


def test_json_carries_every_number(world, data):
    store, playbook, _, tmp_path = world
    written = make_report(store, playbook, week="2026-W47", fmt="json",
                          output=tmp_path / "w47.json", now=NOW)
    assert json.loads((tmp_path / "w47.json").read_text(encoding="utf-8")) == data
    assert written.path == tmp_path / "w47.json"


def test_html_is_self_contained_and_escaped(data):
    from assistant.report.html import render_html

    page = render_html(data)
    assert page.startswith("<!DOCTYPE html>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" not in page  # t5 is not a listed title
    assert "<script" not in page
    assert "http://" not in page and "https://" not in page.replace(
        "https://forum.example", "").replace("https://foro.example", "")
    assert page.count('<figure class="chart"') == 6
    assert "default-src 'none'" in page


def test_cli_report_writes_each_format(world):
    store, _, _, tmp_path = world
    env = {"BEACHHEAD_PLAYBOOK": str(tmp_path / "beachhead.toml")}
    runner = CliRunner()
    db = str(store.path)
    result = runner.invoke(cli, ["--db", db, "report", "-o", str(tmp_path / "r.html")], env=env)
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote the 2026-W47 report (html) to {tmp_path / 'r.html'}\n"
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    result = runner.invoke(cli, ["--db", db, "report", "--week", "2026-W46", "--format", "json"],
                           env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["threads"]["week"]["total"] == 3
    result = runner.invoke(cli, ["--db", db, "report"], env=env)
    assert result.output.startswith("# Weekly report 2026-W47")


def test_cli_report_refuses_a_bad_week_and_format(world):
    store, _, _, tmp_path = world
    env = {"BEACHHEAD_PLAYBOOK": str(tmp_path / "beachhead.toml")}
    result = CliRunner().invoke(cli, ["--db", str(store.path), "report", "--week", "2026-W60"],
                                env=env)
    assert result.exit_code == 1
    assert result.output == "Error: week '2026-W60' is not an ISO week such as 2026-W47\n"
    result = CliRunner().invoke(cli, ["--db", str(store.path), "report", "--format", "pdf"],
                                env=env)
    assert result.exit_code == 2
    with pytest.raises(ReportError, match="cannot write"):
        make_report(store, load_playbook(tmp_path / "beachhead.toml"), fmt="md",
                    output=tmp_path / "missing" / "r.md", now=NOW)


def test_etiquette_section_lists_the_weeks_rule_breaking_founder_posts(world):
    store, playbook, threads, _ = world
    with store.transaction():
        store.conn.execute(
            "INSERT INTO posts (community_id, native_id, thread_native_id, thread_id, author, "
            "created_at, body_text, url, content_hash, fetched_at, updated_at) VALUES "
            "('forum', 'p9', 't5', ?, 'ada_q', ?, 'Our tool does it: https://ternworks.example/mail', "
            "'https://forum.example/t/t5/9', 'h', ?, ?)",
            (threads["t5"], stamp("2026-11-19T15:00:00"), stamp("2026-11-19T15:00:00"),
             stamp("2026-11-19T15:00:00")),
        )
    data = build_report(store, playbook, W47, now=NOW)
    assert [(f["founder"], f["community_id"], f["code"], f["url"]) for f in data["etiquette"]] == [
        ("Ada Quintero", "forum", "undisclosed_link", "https://forum.example/t/t5/9"),
    ]
    assert build_report(store, playbook, W47.previous, now=NOW)["etiquette"] == []
    assert "Ada Quintero in forum (" in render_markdown(data)


def test_community_fit_ranks_the_playbooks_communities_over_four_weeks(data):
    fits = {fit["spec"]: fit for fit in data["communities"]}
    assert sorted(fits) == ["foro", "forum"]
    assert fits["forum"]["sampled"] == 7  # t1–t5, t8, t9 (t13 unjudged; t11, t12 older)
    assert fits["foro"]["sampled"] == 3
    assert [f["fit"] for f in data["communities"]] == sorted(
        (f["fit"] for f in data["communities"]), reverse=True)
