"""The demo corpus is the world `beachhead demo` shows a new user: these tests pin
what it promises (how many threads where, which languages and countries, how
often the founders answered and when) so that every feature built on it can
rely on the numbers, and check that the committed files are exactly what the
generator writes."""

from __future__ import annotations

import json
import tomllib
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assistant.demo import build_corpus
from assistant.demo.build_corpus import CORPUS_DIR
from assistant.demo.timeline import END, START

ROOT = Path(__file__).resolve().parent.parent
COMMUNITIES = ("kestrel-forum", "r-kestreldesk", "kestrel-es", "kestrel-de")
SCOUTS = ("scout-helpdesk-pros", "scout-local-chat")
FILES = sorted([f"{c}.jsonl" for c in COMMUNITIES + SCOUTS] + ["extras.json", "truth.json"])
FINAL_WEEK = datetime(2026, 11, 16, tzinfo=UTC)
WEEK_BEFORE = datetime(2026, 11, 9, tzinfo=UTC)


def ts(value: str) -> datetime:
    assert value.endswith("Z"), value
    return datetime.fromisoformat(value[:-1] + "+00:00")


def read(name: str) -> tuple[list[dict], list[dict]]:
    members, threads = [], []
    with (CORPUS_DIR / f"{name}.jsonl").open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            item = json.loads(line)
            assert isinstance(item, dict), f"{name}.jsonl:{number}"
            (members if item.get("type") == "member" else threads).append(item)
    return members, threads


@pytest.fixture(scope="module")
def corpus() -> dict[str, tuple[list[dict], list[dict]]]:
    return {name: read(name) for name in COMMUNITIES + SCOUTS}


@pytest.fixture(scope="module")
def truth() -> dict:
    return json.loads((CORPUS_DIR / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def founder_handles() -> dict[str, dict[str, str]]:
    """community → handle → founder name, as the default playbook declares them."""
    playbook = tomllib.loads((ROOT / "playbooks" / "dewak.toml").read_text(encoding="utf-8"))
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for founder in playbook["founders"]:
        for community, handle in founder["handles"].items():
            out[community][handle] = founder["name"]
    return out


def test_generator_rewrites_the_committed_files_byte_for_byte(tmp_path: Path) -> None:
    sizes = build_corpus.write(tmp_path)
    assert sorted(sizes) == FILES
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (CORPUS_DIR / name).read_bytes(), name
    assert sorted(p.name for p in CORPUS_DIR.iterdir()) == FILES
    assert max(sizes.values()) < 250_000


def test_every_line_follows_the_archive_format(corpus) -> None:
    for name, (members, threads) in corpus.items():
        member_ids = [m["id"] for m in members]
        assert len(member_ids) == len(set(member_ids)), name
        thread_ids, post_ids = set(), set()
        for thread in threads:
            for key in ("id", "title", "author", "created_at"):
                assert key in thread, (name, thread.get("id"), key)
            assert isinstance(thread["id"], str) and thread["title"]
            assert thread["id"] not in thread_ids
            thread_ids.add(thread["id"])
            assert thread.get("format", "text") in ("text", "markdown", "html")
            created = ts(thread["created_at"])
            assert START <= created <= END, (name, thread["id"])
            assert thread["author"] is None or thread["author"] in member_ids, (name, thread["author"])
            seen, previous, accepted = set(), created, []
            for post in thread.get("posts", []):
                for key in ("id", "author", "created_at", "body"):
                    assert key in post, (name, thread["id"], key)
                assert post["id"] not in post_ids and post["id"] not in thread_ids
                post_ids.add(post["id"])
                assert post["author"] is None or post["author"] in member_ids, (name, post["author"])
                when = ts(post["created_at"])
                assert previous < when <= END, (name, post["id"])
                previous = when
                assert post.get("parent") is None or post["parent"] in seen, (name, post["id"])
                assert post.get("format", "text") in ("text", "markdown", "html")
                seen.add(post["id"])
                if post.get("accepted"):
                    accepted.append(post["id"])
            assert accepted == ([thread["accepted_post"]] if "accepted_post" in thread else [])
            assert thread.get("solved", False) == bool(accepted)
            if thread.get("posts"):
                assert thread["last_activity_at"] == thread["posts"][-1]["created_at"]
        assert not thread_ids & post_ids


def test_thread_totals_and_the_weeks_the_demo_compares(corpus) -> None:
    counts = {c: len(corpus[c][1]) for c in COMMUNITIES}
    assert counts == {"kestrel-forum": 154, "r-kestreldesk": 72, "kestrel-es": 56, "kestrel-de": 46}
    threads = [t for c in COMMUNITIES for t in corpus[c][1]]
    assert sum(1 for t in threads if t["posts"]) == 320
    final = [t for t in threads if ts(t["created_at"]) >= FINAL_WEEK]
    before = [t for t in threads if WEEK_BEFORE <= ts(t["created_at"]) < FINAL_WEEK]
    assert (len(final), len(before)) == (41, 36)
    assert sum(1 for t in final if not t["posts"]) == 7
    assert sum(len(t["posts"]) for t in threads) == 845


def test_languages_countries_and_members(corpus, truth) -> None:
    languages = {lang for c in COMMUNITIES for t in truth["threads"][c].values() for lang in t["languages"]}
    assert languages == {"en", "es", "de", "pt", "fr"}
    assert {t["language"] for t in truth["threads"]["kestrel-es"].values()} == {"es"}
    assert {t["language"] for t in truth["threads"]["kestrel-de"].values()} == {"de"}
    persons, located, countries = set(), set(), set()
    for c in COMMUNITIES:
        for member in corpus[c][0]:
            who = truth["members"][c][member["id"]]
            persons.add(who["person"])
            if member.get("location"):
                located.add(who["person"])
                countries.add(who["country"])
    assert len(persons) == 128
    assert len(located) == 75
    assert len(countries) == 33
    assert {"CO", "MX", "ES", "DE", "AT", "CH", "NL", "AU", "US", "GB", "PT", "BR", "FR"} <= countries
    assert not any("location" in m for m in corpus["r-kestreldesk"][0])  # Reddit shows none


def test_who_is_who(corpus, truth) -> None:
    types: dict[str, set[str]] = defaultdict(set)
    for c in COMMUNITIES:
        for handle, who in truth["members"][c].items():
            types[who["user_type"]].add(f"{c}:{handle}")
    assert {"kestrel-es:ximena.rdz", "kestrel-de:hwinkler", "kestrel-forum:pieter_vd",
            "kestrel-forum:jarrah_w"} <= types["expert"]
    assert {"kestrel-forum:helphive_dan", "kestrel-es:marta_hh"} <= types["competitor"]
    assert {"kestrel-forum:erik_nordicdesk", "r-kestreldesk:liv_nordicdesk"} <= types["channel_partner"]
    assert types["complementor"] == {"kestrel-forum:chatbridge_tom", "r-kestreldesk:chatbridge_tom"}
    staff = {f"{c}:{m['id']}" for c in COMMUNITIES for m in corpus[c][0] if m.get("staff")}
    assert staff == types["vendor_staff"] == {
        "kestrel-forum:kestrel_anna", "kestrel-forum:kestrel_support", "kestrel-forum:kestrel_ravi",
        "r-kestreldesk:KestrelDesk_Team", "kestrel-es:kestrel_soporte", "kestrel-de:kestrel_jonas"}
    competitor_links = [p for c in ("kestrel-forum", "r-kestreldesk", "kestrel-es") for t in corpus[c][1]
                        for p in t["posts"] if p["author"] in ("helphive_dan", "marta_hh")]
    assert len(competitor_links) == 10
    assert all("helphive.example" in p["body"] for p in competitor_links)


def test_founders_answers_grow_week_by_week(corpus, founder_handles) -> None:
    answers = []
    for c in COMMUNITIES:
        handles = founder_handles[c]
        for thread in corpus[c][1]:
            if thread["author"] in handles:
                continue
            answered: set[str] = set()
            for post in thread["posts"]:
                if post["author"] in handles and post["author"] not in answered:
                    answered.add(post["author"])
                    acked = any(p["parent"] == post["id"] and p["author"] == thread["author"]
                                for p in thread["posts"] if "parent" in p)
                    answers.append((handles[post["author"]], c, ts(post["created_at"]).isocalendar().week,
                                    acked, post.get("accepted", False), post["body"]))
    assert len(answers) == 35
    assert Counter(a[0] for a in answers) == {"Lucía Restrepo": 19, "Mateo Gómez": 16}
    assert Counter((a[0], a[1]) for a in answers) == {
        ("Lucía Restrepo", "kestrel-forum"): 7, ("Lucía Restrepo", "r-kestreldesk"): 3,
        ("Lucía Restrepo", "kestrel-es"): 9, ("Mateo Gómez", "kestrel-forum"): 8,
        ("Mateo Gómez", "r-kestreldesk"): 2, ("Mateo Gómez", "kestrel-de"): 6}
    per_week = Counter(a[2] for a in answers)
    assert [per_week[w] for w in range(36, 48)] == [1, 1, 2, 2, 3, 3, 4, 4, 3, 5, 4, 3]
    assert sum(a[3] for a in answers) == 30  # the asker replied to the founder's answer
    assert sum(a[4] for a in answers) == 22  # and accepted it (Discourse communities)
    disclosure = "Disclosure: I am a co-founder of Corvina Labs"
    linked = [a for a in answers if "corvinalabs.example" in a[5]]
    assert len(linked) == 3
    assert sum(disclosure in a[5] for a in linked) == 2
    assert sum("\n" not in a[5].strip() for a in answers) == 3  # one-line answers, not solutions


def test_truth_records_the_founders_answers(truth) -> None:
    answers = truth["founder_answers"]
    assert len(answers) == 35
    assert sum(a["acknowledged"] for a in answers) == 26  # "that fixed it", in the asker's language
    assert Counter(a["group"] for a in answers) == {
        "mail-401": 14, "sla-weekend": 9, "smtp-535": 3, "csv-import": 3, "webhook-502": 2,
        "escalation-reopen": 1, None: 3}
    assert Counter(a["style"] for a in answers) == {
        "steps": 29, "short": 3, "link": 1, "steps+link": 1, "steps+nodisc": 1}


def test_recurring_problems_share_an_anchor_across_languages(corpus, truth) -> None:
    groups: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for c in COMMUNITIES:
        for thread in corpus[c][1]:
            group = truth["threads"][c][thread["id"]]["group"]
            if group:
                groups[group].append((c, thread))
    assert {g: len(ts_) for g, ts_ in groups.items()} == {
        "mail-401": 18, "sla-weekend": 12, "csv-import": 9, "webhook-502": 9,
        "smtp-535": 6, "escalation-reopen": 4, "mob-9": 7, "seat-licence": 5}
    for group, threads in groups.items():
        anchor = truth["groups"][group]["anchor"]
        assert all(anchor in t["title"] + t["body"] for _, t in threads), group
        assert len({t["title"] for _, t in threads}) >= len(threads) - 1, group
    mail = groups["mail-401"]
    askers = {truth["members"][c][t["author"]]["country"] for c, t in mail}
    assert {c for c, _ in mail} == set(COMMUNITIES)
    assert len(askers) >= 6
    languages = {lang for c, t in mail for lang in truth["threads"][c][t["id"]]["languages"]}
    assert languages == {"en", "es", "de", "pt"}
    categories = Counter(t["category"] for c in COMMUNITIES for t in truth["threads"][c].values())
    assert categories == {"pervasive_solvable": 58, "unrewarded": 130, "unsolvable": 45, "not_a_problem": 95}


def test_review_thread(corpus, founder_handles) -> None:
    thread = next(t for t in corpus["kestrel-forum"][1] if t["id"] == "7001")
    assert thread["title"] == "Review of Corvina Labs"
    reviews = [p for p in thread["posts"] if p["author"] not in founder_handles["kestrel-forum"]]
    assert len(reviews) == 10
    assert len({ts(p["created_at"]).isocalendar().week for p in reviews}) == 7


def test_hostile_input_samples(corpus) -> None:
    threads = [t for c in COMMUNITIES for t in corpus[c][1]]
    hostile = [t for t in threads if "@everyone" in t["title"]]
    assert len(hostile) == 1
    assert "**" in hostile[0]["title"] and "](" in hostile[0]["title"]
    assert "<script>" in hostile[0]["body"]
    assert max(len(p["body"]) for t in threads for p in t["posts"]) >= 20_000
    assert sum(t["author"] is None for t in threads) == 1
    assert sum(p["author"] is None for t in threads for p in t["posts"]) == 1


def test_leads_come_mostly_from_abroad(corpus) -> None:
    leads = json.loads((CORPUS_DIR / "extras.json").read_text(encoding="utf-8"))["leads"]
    assert len(leads) == 7
    for lead in leads:
        members, threads = corpus[lead["community"]]
        assert lead["thread"] in {t["id"] for t in threads}
        assert lead["member"] in {m["id"] for m in members}
        assert lead["stage"] in ("contacted", "lead", "customer")
        assert START <= ts(lead["created_at"]) <= END
    total = sum(lead["value_usd"] for lead in leads)
    abroad = sum(lead["value_usd"] for lead in leads if lead["country"] != "CO")
    assert (total, abroad) == (21400, 19600)
    assert Counter(lead["stage"] for lead in leads) == {"customer": 3, "lead": 2, "contacted": 2}


def test_scouting_candidates_contrast(corpus, truth) -> None:
    _, threads = corpus["scout-helpdesk-pros"]
    assert len(threads) == 24
    assert sum(1 for t in threads if not t["posts"]) == 16
    assert len({m["country"] for m in truth["members"]["scout-helpdesk-pros"].values()}) == 22
    assert sum(t["problem"] for t in truth["threads"]["scout-helpdesk-pros"].values()) == 24
    _, threads = corpus["scout-local-chat"]
    assert len(threads) == 24
    assert all(t["posts"] for t in threads)
    assert {m["country"] for m in truth["members"]["scout-local-chat"].values()} == {"AU"}
    assert sum(t["problem"] for t in truth["threads"]["scout-local-chat"].values()) == 2
