"""A deterministic forum corpus of any size, for the speed and scale benchmarks.

Eight communities of an imaginary bookkeeping product ("Ledgerly") in seven
languages, written as Beachhead JSON Lines archives (docs/jsonl-format.md),
one file per community, threads in the order they were posted:

- members live in real countries (a location on about half the profiles, the
  rest known only by their posting hours and language), a few are vendor
  staff, resellers, a competitor's consultants or an add-on maker, the first
  ~1% of each community answer most questions, and some people hold an
  account in two communities under one handle;
- threads are problem reports (recurring problems with error codes, quoted
  messages and config keys, paraphrased in each community's language, their
  popularity following a preferential-attachment law until a release fixes
  them), how-to questions and feature requests (the same few asked again and
  again, for ever) and chatter;
- replies are "me too"s, answers, thanks that acknowledge a fix (some marked
  accepted), "still broken" follow-ups, small talk, and now and then an
  answer from one of the startup's founders.

Everything comes from one seeded ``random.Random`` and is streamed to disk:
only bounded state (the active problems, which members have appeared) is kept,
so a million threads need no more memory than a thousand. The same seed and
size always write the same bytes.
"""

from __future__ import annotations

import json
import random
from collections import deque
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from hashlib import blake2b
from pathlib import Path

from benchmarks import corpus_phrases as P
from benchmarks.synthetic_problems import AREAS, OSES, VERSIONS, Problem, make_problem, write_thread

SEED = 20261120
END = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
"""The corpus's last moment; it starts ``span_days(n)`` earlier."""

# id, language, share of threads, display name
COMMUNITIES = (
    ("ledgerly-forum", "en", 0.30, "Ledgerly Community (official forum)"),
    ("r-ledgerly", "en", 0.20, "r/Ledgerly"),
    ("ledgerly-de", "de", 0.12, "Ledgerly Anwenderforum"),
    ("ledgerly-es", "es", 0.12, "Comunidad Ledgerly"),
    ("ledgerly-fr", "fr", 0.08, "Forum Ledgerly"),
    ("ledgerly-pt", "pt", 0.08, "Comunidade Ledgerly"),
    ("ledgerly-it", "it", 0.05, "Ledgerly Italia"),
    ("ledgerly-nl", "nl", 0.05, "Ledgerly Nederland"),
)
FOUNDERS = {
    "Nadia Ferreira": {"ledgerly-forum": "nadia_tally", "r-ledgerly": "nadia-tallyfin",
                       "ledgerly-pt": "nadia.f"},
    "Kofi Mensah": {"ledgerly-forum": "kofi_mensah", "ledgerly-de": "kofi_mensah",
                    "ledgerly-fr": "kofi.mensah"},
}
DISCLOSURE = "Disclosure: I co-founded Tallyfin Labs, we build Ledgerly add-ons."
KINDS = (("problem", 0.55), ("howto", 0.17), ("feature", 0.08), ("chatter", 0.20))
NEW_PROBLEM = 0.3
"""Chance that a problem report is about a problem nobody reported before."""
ACTIVE_REPORTS = 20_000
"""Reports remembered for preferential attachment: a problem is reported
again in proportion to how often it was reported lately."""
PROBLEM_LIFETIME_DAYS = 45.0
"""Mean time until a problem is fixed (exponential): after it, reports of it
stop. How-to questions and feature requests have no such end."""
MEMBERS_PER_THREAD = 0.35
HELPER_SHARE = 0.01
TRAVELLER_SHARE = 0.03

PLAYBOOK = """\
# Benchmark playbook: an invented startup (Tallyfin Labs) around an invented
# product (Ledgerly). Written by benchmarks/corpus.py.
version = 1

[startup]
name = "Tallyfin Labs"
domains = ["tallyfin.example"]
disclosure = "{disclosure}"
home_country = "PT"

{founders}
[[capabilities]]
id = "sync"
description = "Ledgerly sync: the sync service, peers, timeouts, locks and checksum errors between devices."
keywords = ["sync", "syncing", "Synchronisieren", "synchronisation", "sincronización", "sincronização", "timeout_ms", "max_peers"]
examples = ["Syncing fails with a checksum mismatch on the ledger file.", "Die Synchronisierung bricht mit einem Timeout ab."]

[[capabilities]]
id = "backup-restore"
description = "Backups, restores and moving company files between machines."
keywords = ["backup", "Sicherung", "sauvegarde", "copia de seguridad", "restore", "archive index"]
examples = ["The backup stops with lock held on the archive index."]

[[capabilities]]
id = "payments"
description = "Payment gateways, card terminals and bank feeds connected to Ledgerly."
keywords = ["payment", "payments", "Zahlung", "paiement", "pago", "pagamento", "payment gateway", "bank"]
examples = ["Payments fail with an invalid token from the payment gateway."]

[[capabilities]]
id = "import-export"
description = "Importing and exporting invoices, customers and ledgers (CSV, other bookkeeping tools)."
keywords = ["import", "export", "csv", "Importieren", "Exportieren", "importación", "exportación", "import mapping"]
examples = ["The CSV import stops at the import mapping step.", "How do I export invoices to CSV?"]

{communities}
[user_types]
vendor = {{ names = ["Ledgerly Software"], domains = ["ledgerly.example"] }}
competitors = [{{ names = ["Abacus Partners"], domains = ["abacus.example"] }}]
channel_partners = [{{ names = ["Northbound Books Partners", "Northbound Books"], domains = ["northbound.example"] }}]
complementors = [{{ names = ["PayStitch"], domains = ["paystitch.example"] }}]

[categories]
lookback_days = 90
min_affected_members = 3
min_countries = 2

[scoring]
answer_within_hours = 24
queue_threshold = 0.45
max_age_hours = 72
"""


THREADS_PER_DAY = 1500.0
"""About 10,000 threads a week: a busy set of communities."""


def span_days(n_threads: int) -> float:
    """Every size at the same pace, so a larger corpus is a longer history
    and not a busier week: 10,000 threads span a week, a million two years.
    (Until 2026-12 small corpora were stretched to four weeks; the 10k run
    then saw a quarter of the pace, which made per-thread costs look lower
    at 10k than at 100k for reasons that had nothing to do with history.)"""
    return n_threads / THREADS_PER_DAY


def playbook_text() -> str:
    founders = []
    for name, handles in FOUNDERS.items():
        lines = [f'[[founders]]\nname = "{name}"\ndiscord = "{name.split()[0].lower()}"\n'
                 "[founders.handles]"]
        lines += [f'{community} = "{handle}"' for community, handle in handles.items()]
        founders.append("\n".join(lines) + "\n")
    communities = []
    for community_id, language, _, display in COMMUNITIES:
        communities.append(
            f'[[communities]]\nid = "{community_id}"\nname = "{display}"\nplatform = "jsonl"\n'
            f'locator = "{community_id}.jsonl"\nlanguages = ["{language}"]\n'
        )
    return PLAYBOOK.format(disclosure=DISCLOSURE, founders="\n".join(founders),
                           communities="\n".join(communities))


# --------------------------------------------------------------- members


@dataclass(frozen=True, slots=True)
class Person:
    handle: str
    country: str
    offset: float
    city: str
    role: str  # member, helper, staff, competitor, partner, complementor, founder
    profile: dict | None


def _hash_rng(*parts: object) -> random.Random:
    """A generator of its own for one member: their traits never depend on
    the order in which the corpus meets them."""
    digest = blake2b(repr((SEED, *parts)).encode(), digest_size=8).digest()
    return random.Random(int.from_bytes(digest, "big"))


def _weighted(rng: random.Random, pairs) -> str:
    total = sum(weight for _, weight in pairs)
    pick = rng.random() * total
    for value, weight in pairs:
        pick -= weight
        if pick < 0:
            return value
    return pairs[-1][0]


@dataclass
class Community:
    id: str
    language: str
    share: float
    pool: int
    helpers: int
    travellers: int
    founders: dict[str, str]  # handle → founder name
    twin: tuple | None = None
    """The English forum's ``_person`` arguments, for members of this
    community who also write there."""
    seen: set[str] = field(default_factory=set)

    def person(self, index: int) -> Person:
        return _person(self.id, self.language, self.pool, self.helpers, self.travellers, index,
                       self.twin)


@lru_cache(maxsize=65_536)
def _person(community: str, language: str, pool: int, helpers: int, travellers: int,
            index: int, twin: tuple | None = None) -> Person:
    rng = _hash_rng(community, index)
    home = _weighted(rng, P.HOMES[language])
    if twin is not None and index >= pool - travellers:
        # Also a member of the English forum, under the same handle.
        forum_pool, forum_helpers = twin[2], twin[3]
        other = forum_helpers + _hash_rng("twin", community, index).randrange(forum_pool - forum_helpers)
        handle = _person(*twin, other).handle
    else:
        handle = f"{rng.choice(P.GIVEN_NAMES[language])}{_tag(community, index)}"
    offset, cities = P.COUNTRIES[home]
    city = rng.choice(cities)
    if index < helpers:
        role = "helper"
    elif index % 211 == 17:
        role = "staff"
    elif index % 307 == 29:
        role = "competitor"
    elif index % 401 == 41:
        role = "partner"
    elif index % 503 == 53:
        role = "complementor"
    else:
        role = "member"
    profile: dict | None = None
    if role != "member" or rng.random() < 0.55:
        profile = {"type": "member", "id": handle, "handle": handle}
        if rng.random() < 0.8:
            profile["location"] = f"{city}, {home}" if rng.random() < 0.3 else city
        if role == "helper":
            profile["about"] = P.HELPER_ABOUT[language]
            profile["trust_level"] = 3
        elif role == "staff":
            profile["about"] = P.STAFF_ABOUT
            profile["staff"] = True
            profile["website"] = "https://ledgerly.example"
        elif role == "competitor":
            profile["about"] = P.COMPETITOR_ABOUT
            profile["website"] = "https://abacus.example"
        elif role == "partner":
            profile["about"] = P.PARTNER_ABOUT
            profile["website"] = "https://northbound.example"
        elif role == "complementor":
            profile["about"] = P.COMPLEMENTOR_ABOUT
            profile["website"] = "https://paystitch.example"
        elif rng.random() < 0.35:
            profile["about"] = rng.choice(P.ABOUTS[language])
        if role == "member" and rng.random() < 0.08:
            profile["website"] = f"https://{handle.replace('_', '')}.{home.lower()}"
    return Person(handle, home, offset, city, role, profile)


def _tag(community: str, index: int) -> str:
    """A short suffix that keeps handles apart across communities."""
    digest = blake2b(f"{community}:{index}".encode(), digest_size=4).hexdigest()
    return f"_{digest[:5]}"


LOCAL_ACTIVITY = (0.15, 0.1, 0.05, 0.05, 0.05, 0.1, 0.25, 0.5, 0.8, 0.95, 1.0, 1.0,
                  0.95, 1.0, 1.0, 1.0, 1.0, 0.95, 0.9, 0.9, 0.95, 0.85, 0.6, 0.35)


# --------------------------------------------------------------- writing


@dataclass
class CorpusStats:
    threads: int = 0
    posts: int = 0
    members: int = 0
    problems: int = 0
    me_too: int = 0
    founder_posts: int = 0
    bytes: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "threads": self.threads, "posts": self.posts, "members": self.members,
            "problems": self.problems, "me_too": self.me_too, "founder_posts": self.founder_posts,
            "bytes": self.bytes, "by_kind": dict(self.by_kind),
        }


class _Writer:
    """Thread by thread, into each community's archive."""

    def __init__(self, files: ExitStack, directory: Path, n_threads: int, seed: int):
        self.rng = random.Random(seed)
        self.n = n_threads
        self.start = END - timedelta(days=span_days(n_threads))
        self.step = span_days(n_threads) * 86400.0 / max(1, n_threads)
        self.communities = []
        for community_id, language, share, _ in COMMUNITIES:
            pool = max(40, int(n_threads * share * MEMBERS_PER_THREAD))
            founders = {handles[community_id]: name for name, handles in FOUNDERS.items()
                        if community_id in handles}
            self.communities.append(Community(
                community_id, language, share, pool, max(3, int(pool * HELPER_SHARE)),
                int(pool * TRAVELLER_SHARE) if language != "en" else 0, founders))
        forum = self.communities[0]
        twin = (forum.id, forum.language, forum.pool, forum.helpers, 0)
        for community in self.communities[1:]:
            if community.travellers:
                community.twin = twin
        self.handles = {
            c.id: files.enter_context((directory / f"{c.id}.jsonl").open("w", encoding="utf-8"))
            for c in self.communities
        }
        self.problems: dict[int, tuple[Problem, float]] = {}
        self.reports: deque[int] = deque(maxlen=ACTIVE_REPORTS)
        self.used: set[str] = set()
        self.stats = CorpusStats()

    def written(self) -> int:
        return sum(handle.tell() for handle in self.handles.values())

    # -- choosing ------------------------------------------------------------
    def _community(self) -> Community:
        pick = self.rng.random()
        for community in self.communities:
            pick -= community.share
            if pick < 0:
                return community
        return self.communities[-1]

    def _member(self, community: Community, at: float | None = None, *,
                exclude: set[str] = frozenset()) -> Person:
        """A Zipf-like draw (a few members post a lot); with a time, members
        awake at that local hour are preferred."""
        rng = self.rng
        for _ in range(6):
            index = community.helpers + int((community.pool - community.helpers) * rng.random() ** 2.2)
            person = community.person(index)
            if person.handle in exclude:
                continue
            if at is None:
                break
            hour = int(((at / 3600.0) + person.offset) % 24)
            if rng.random() < LOCAL_ACTIVITY[hour]:
                break
        return person

    def _helper(self, community: Community) -> Person:
        index = int(community.helpers * self.rng.random() ** 1.5)
        return community.person(index)

    def _problem(self, at: float) -> Problem:
        rng = self.rng
        problem = None
        if self.reports and rng.random() >= NEW_PROBLEM:
            problem, until = self.problems[self.reports[rng.randrange(len(self.reports))]]
            if until < at:
                problem = None  # fixed in a release since: people report something else
        if problem is None:
            problem = make_problem(self.stats.problems, rng, self.used)
            self.stats.problems += 1
            lifetime = rng.expovariate(1.0 / (PROBLEM_LIFETIME_DAYS * 86400.0))
            self.problems[problem.problem_id] = (problem, at + lifetime)
        self.reports.append(problem.problem_id)
        if len(self.problems) > 4 * ACTIVE_REPORTS:
            # Forget problems nobody reports any more (bounded memory).
            live = set(self.reports)
            self.problems = {k: v for k, v in self.problems.items() if k in live}
            self.used = {text for p, _ in self.problems.values() for text in (p.code, p.message)}
        return problem

    # -- emitting ------------------------------------------------------------
    def _introduce(self, community: Community, person: Person) -> None:
        if person.handle in community.seen:
            return
        community.seen.add(person.handle)
        self.stats.members += 1
        if person.profile is not None:
            self.handles[community.id].write(
                json.dumps(person.profile, ensure_ascii=False, separators=(",", ":")) + "\n")

    @staticmethod
    def _stamp(at: float) -> str:
        return datetime.fromtimestamp(round(at), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def thread(self, number: int) -> None:
        rng = self.rng
        community = self._community()
        language = community.language
        at = self.start.timestamp() + (number + rng.random() * 0.9) * self.step
        asker = self._member(community, at)
        kind = _weighted(rng, KINDS)
        self.stats.by_kind[kind] = self.stats.by_kind.get(kind, 0) + 1
        version = rng.choice(VERSIONS)
        problem = None
        if kind == "problem":
            problem = self._problem(at)
            area = AREAS[problem.area][P.LANGUAGES.index(language)]
            title = rng.choice(P.PROBLEM_TITLES[language]).format(
                code=problem.code, area=area, version=version)
            body = write_thread(problem, language, rng)
            if rng.random() < 0.35:
                stamp = self._stamp(at - rng.randrange(60, 7200)).replace("T", " ")[:19]
                logs = [rng.choice(P.LOG_LINES).format(stamp=stamp, area=problem.area,
                                                       message=problem.message, code=problem.code)
                        for _ in range(rng.randrange(1, 4))]
                body += "\n\n" + "\n".join(logs)
        elif kind == "howto":
            task = rng.choice(P.TASKS[language])
            title = rng.choice(P.HOWTOS[language]).format(task=task)
            body = rng.choice(P.HOWTO_BODIES[language]).format(version=version)
        elif kind == "feature":
            title = rng.choice(P.FEATURES[language]).format(feature=rng.choice(P.FEATURE_NAMES[language]))
            body = P.FEATURE_BODIES[language]
        else:
            title, body = rng.choice(P.CHATTER[language])
            title = title.format(version=version, city=asker.city)
            body = body.format(city=asker.city)
        native = str(number + 1)
        posts = self._replies(community, native, kind, asker, problem, version, at)
        self._introduce(community, asker)
        for post in posts:
            person = post.pop("_person")
            if person is not None:
                self._introduce(community, person)
        line = {"id": native, "title": title, "author": asker.handle, "created_at": self._stamp(at),
                "body": body, "url": f"https://{community.id}.example/t/{native}",
                "score": rng.randrange(0, 12) if rng.random() < 0.6 else 0, "posts": posts}
        if rng.random() < 0.3:
            line["tags"] = [problem.area if problem else kind]
        if asker.role == "staff":
            line["staff"] = True
        self.handles[community.id].write(
            json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
        self.stats.threads += 1
        self.stats.posts += len(posts)

    def _replies(self, community: Community, native: str, kind: str, asker: Person,
                 problem: Problem | None, version: str, at: float) -> list[dict]:
        rng = self.rng
        language = community.language
        code = problem.code if problem else ""
        config = problem.config if problem else "sync.timeout_ms"
        planned: list[tuple[str, Person | None, str, str | None]] = []
        taken = {asker.handle}
        if kind == "problem":
            if rng.random() < 0.3:
                for _ in range(1 + min(3, int(rng.expovariate(1.2)))):
                    person = self._member(community, exclude=taken)
                    taken.add(person.handle)
                    planned.append(("me_too", person,
                                    rng.choice(P.ME_TOO[language]).format(code=code), None))
                    self.stats.me_too += 1
            if rng.random() < 0.45:
                person = self._member(community, exclude={asker.handle})
                planned.append(("clarify", person, rng.choice(P.CLARIFY[language]), None))
                if rng.random() < 0.8:
                    planned.append(("details", asker, rng.choice(P.ASKER_DETAILS[language]).format(
                        version=version, os=rng.choice(OSES)), str(len(planned) - 1)))
            if rng.random() < 0.65:
                helper = self._helper(community)
                if helper.handle != asker.handle:
                    planned.append(("answer", helper, rng.choice(P.ANSWERS[language]).format(
                        config=config, code=code, version=version), None))
        elif kind == "howto" and rng.random() < 0.7:
            helper = self._helper(community)
            if helper.handle != asker.handle:
                planned.append(("answer", helper, rng.choice(P.HOWTO_ANSWERS[language]), None))
        elif kind == "feature" and rng.random() < 0.3:
            person = self._member(community, exclude=taken)
            planned.append(("me_too", person, "+1", None))
        elif kind == "chatter":
            for _ in range(rng.randrange(0, 5)):
                person = self._member(community, exclude=taken)
                planned.append(("chat", person, rng.choice(P.SMALL_TALK[language]), None))
        if community.founders and kind in ("problem", "howto") and rng.random() < 0.012:
            handle = rng.choice(sorted(community.founders))
            founder = Person(handle, "PT", 0.0, "Lisboa", "founder", None)
            text = (P.FOUNDER_ANSWER.format(code=code or "this", config=config,
                                            disclosure=DISCLOSURE if rng.random() < 0.7 else "")
                    if rng.random() < 0.4 else P.FOUNDER_PLAIN.format(config=config)).strip()
            planned.append(("answer", founder, text, None))
            self.stats.founder_posts += 1
        answered = [i for i, (role, *_rest) in enumerate(planned) if role == "answer"]
        if answered:
            roll = rng.random()
            if roll < 0.45:
                planned.append(("thanks", asker, rng.choice(P.THANKS[language]), str(answered[-1])))
            elif roll < 0.6:
                planned.append(("still", asker, rng.choice(P.STILL_BROKEN[language]), None))
        posts = []
        when = at
        accepted_at = None
        for position, (role, person, text, parent) in enumerate(planned):
            when += rng.expovariate(1 / 5400.0) + 30
            post = {"id": f"{native}-{position + 1}",
                    "author": person.handle if person else None,
                    "created_at": self._stamp(when), "body": text, "_person": person}
            if parent is not None:
                post["parent"] = f"{native}-{int(parent) + 1}"
                if (role == "thanks" and community.id in ("ledgerly-forum", "ledgerly-de")
                        and rng.random() < 0.5):
                    accepted_at = int(parent)
            if person is not None and person.role == "staff":
                post["staff"] = True
            if rng.random() < 0.4:
                post["score"] = rng.randrange(0, 9)
            posts.append(post)
        if accepted_at is not None:
            posts[accepted_at]["accepted"] = True
        return posts


def write_corpus(directory: str | Path, n_threads: int, *, seed: int = SEED) -> dict:
    """Write ``n_threads`` threads (and the members who wrote them) as one
    archive per community, plus ``beachhead.toml``; returns the manifest
    (also written as ``corpus.json``)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    _person.cache_clear()
    with ExitStack() as files:
        writer = _Writer(files, directory, n_threads, seed)
        for number in range(n_threads):
            writer.thread(number)
        writer.stats.bytes = writer.written()
    (directory / "beachhead.toml").write_text(playbook_text(), encoding="utf-8")
    manifest = {
        "seed": seed,
        "threads": n_threads,
        "start": writer.start.isoformat(),
        "end": END.isoformat(),
        "communities": [c.id for c in writer.communities],
        **{f"n_{key}": value for key, value in writer.stats.as_dict().items()},
    }
    (directory / "corpus.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--threads", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    print(json.dumps(write_corpus(args.directory, args.threads, seed=args.seed), indent=2))


if __name__ == "__main__":
    main()
