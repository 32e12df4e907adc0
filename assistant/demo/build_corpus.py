"""Writes the demo corpus: four Kestrel Desk communities, two scouting candidates,
the founders' leads and the truth the corpus was written to contain.

The demo has to show every part of the Dewak playbook on data nobody owns, so
the world is invented and generated from hand-written phrasings (templates_en,
templates_es, templates_de), a cast (cast.py) and a storyline (plan.py). The
generator is deterministic — one seeded ``random.Random`` and no clock — so
``python -m assistant.demo.build_corpus`` rewrites the committed files byte for
byte and a change to any phrasing shows up as a reviewable diff.

Files written to ``assistant/demo/corpus/`` (format: docs/jsonl-format.md):
  kestrel-forum.jsonl, r-kestreldesk.jsonl, kestrel-es.jsonl, kestrel-de.jsonl
  scout-helpdesk-pros.jsonl, scout-local-chat.jsonl   candidates for `scout`
  extras.json   {"leads": [...]}: thread, community, member, stage, value_usd,
                country, created_at — what `beachhead lead add` would record
  truth.json    per thread: category, problem group, capability, kind, language;
                per member: person, country, user type; the founders' answers.
                Ground truth for evaluating the demo; the pipeline never reads it.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from assistant.demo import plan, render, scouts, templates_en
from assistant.demo.cast import BY_KEY, DE, ES, FORUM, REDDIT, members_of
from assistant.demo.drafts import COMMUNITIES, DISCOURSE, LANG, Draft, Fill, PlanError, Reply, T
from assistant.demo.timeline import DEMO_CLOCK, END, awake, from_local, monday, stamp

SEED = 20261120
CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
REVIEW_OPENED = datetime(2026, 8, 31, 14, 10, tzinfo=UTC)
LOG_MARK = "\x00worker-log\x00"


class Builder:
    """Drafts the storyline of plan.py into threads, then hands them to render."""

    def __init__(self, seed: int = SEED) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.usage: Counter[str] = Counter()
        self.drafts: list[Draft] = []
        self.used_text: set[tuple[str, str]] = set()
        self.used_titles: set[tuple[str, str]] = set()
        self.seen: Counter[str] = Counter()
        self.fills: dict[tuple[str, str | None], Fill] = {}
        self.pools: dict[str, dict[str, list[Any]]] = {}

    # ---------------------------------------------------------------- helpers
    def customers(self, community: str) -> list[str]:
        return [p.key for p in members_of(community)
                if p.role in ("customer", "msp", "partner", "consultant")]

    def experts(self, community: str) -> list[tuple[str, int]]:
        return {
            FORUM: [("pieter", 5), ("jarrah", 4), ("ximena", 1), ("winkler", 1)],
            REDDIT: [("pieter", 3), ("jarrah", 2)],
            ES: [("ximena", 1)],
            DE: [("winkler", 1)],
        }[community]

    def staff(self, community: str, topic: str = "") -> str:
        if community == FORUM:
            return "ravi" if topic.startswith("email") else "kst_support"
        return {REDDIT: "kst_team", ES: "soporte", DE: "jonas"}[community]

    def competitor(self, community: str) -> str | None:
        return {FORUM: "dan", REDDIT: "dan", ES: "marta_hh"}.get(community)

    def pick(self, candidates: list[str], exclude: set[str] | None = None,
             avoid_countries: set[str] | None = None) -> str:
        """The least-used candidate (with a little chance), preferring new countries,
        so that many members and many countries take part."""
        exclude = exclude or set()
        avoid_countries = avoid_countries or set()
        pool = [c for c in candidates if c not in exclude]
        if not pool:
            raise PlanError(f"no candidate left among {candidates}")
        scores = {c: self.usage[c] + self.rng.random() * 3
                  + (2.5 if BY_KEY[c].country in avoid_countries else 0) for c in pool}
        choice = min(pool, key=lambda c: scores[c])
        self.usage[choice] += 1
        return choice

    def pick_expert(self, community: str, exclude: set[str]) -> str:
        weighted = [(k, w) for k, w in self.experts(community) if k not in exclude]
        keys = [k for k, _ in weighted]
        choice = self.rng.choices(keys, weights=[w for _, w in weighted])[0]
        self.usage[choice] += 1
        return choice

    def choose(self, options: list[str], scope: str) -> str:
        """A phrasing not yet used in ``scope`` (e.g. one thread) and, among those,
        one of the least used so far, so repeated phrasings stay rare."""
        fresh = [o for o in options if (scope, o) not in self.used_text] or list(options)
        low = min(self.seen[o] for o in fresh)
        pick = self.rng.choice([o for o in fresh if self.seen[o] == low])
        self.seen[pick] += 1
        self.used_text.add((scope, pick))
        return pick

    def version(self, week: int) -> str:
        if week < 37:
            return "8.3.1"
        if week < 40:
            return "8.3.2"
        if week < 43:
            return "8.4.0"
        if week < 46:
            return self.rng.choice(["8.4.0", "8.4.1"])
        return self.rng.choice(["8.4.1", "8.4.2"])

    def slots(self, lang: str, week: int, person: str | None) -> Fill:
        t = T[lang]
        when = self.rng.choice(t.SLOTS["when"])
        seats_old = self.rng.choice([5, 10, 15, 20])
        return Fill(
            version=self.version(week), provider=self.rng.choice(t.SLOTS["provider"]), when=when,
            when_cap=when[0].upper() + when[1:], agents=self.rng.randint(3, 40),
            mailboxes=self.rng.randint(2, 9), hours=self.rng.randint(5, 60),
            city=BY_KEY[person].city_name() if person else "", tickets=f"{self.rng.randint(8, 240)}k"
            if lang == "en" else f"{self.rng.randint(8, 240)}.000", users=self.rng.randint(300, 9000),
            crm=self.rng.choice(t.SLOTS["crm"]), phone=self.rng.choice(t.SLOTS["phone"]),
            app_version="3.12", seats_old=seats_old, seats_new=seats_old + self.rng.choice([5, 10, 15]),
            seats_old_plus=seats_old + 1,
        )

    def fmt(self, text: str, d: Draft, person: str | None) -> str:
        """Fills slots with values that stay the same for one person within one thread."""
        key = (d.ref, person)
        if key not in self.fills:
            self.fills[key] = self.slots(d.lang, d.week, person)
        return text.format_map(self.fills[key])

    # ------------------------------------------------------------- group text
    def group_title(self, d: Draft) -> str:
        titles = T[d.lang].GROUPS[d.group]["titles"]
        fresh = [t for t in titles if (d.lang, t) not in self.used_titles]
        title = self.rng.choice(fresh or titles)
        self.used_titles.add((d.lang, title))
        return self.fmt(title, d, d.asker)

    def group_body(self, d: Draft, lang: str, prefix: str = "", extra: str = "") -> str:
        g = T[lang].GROUPS[d.group]
        parts = [self.rng.choice(g["openers"]), self.rng.choice(g["symptoms"])]
        if self.rng.random() < 0.5:
            parts.reverse()
        if self.rng.random() < 0.75:
            parts.append(self.rng.choice(g["tried"]))
        text = " ".join(parts) + "\n\n" + self.rng.choice(g["asks"])
        greet = self.rng.choice(T[lang].GREETINGS)
        sign = self.rng.choice(T[lang].SIGNOFFS)
        if prefix:
            text = prefix + "\n\n" + text
        if greet:
            text = greet + "\n\n" + text
        if extra:
            text = text + "\n\n" + extra
        if sign:
            text = text + "\n\n" + sign
        return self.fmt(text, d, d.asker)

    def solution(self, d: Draft, lang: str, author: str) -> str:
        g = T[lang].GROUPS[d.group]
        combos = [(a, b, c) for a in g["diag"] for b in g["steps"] for c in g["close"]]
        fresh = [c for c in combos if (lang + d.group, repr(c)) not in self.used_text]
        diag, steps, close = self.rng.choice(fresh or combos)
        self.used_text.add((lang + d.group, repr((diag, steps, close))))
        text = diag + "\n\n" + steps + ("\n\n" + close if close else "")
        return self.fmt(text, d, author)

    # ------------------------------------------------------------ the replies
    def founder_delay(self, week: int) -> tuple[float, float]:
        """Founders get faster as they settle in: about a day in week 36, hours by week 47."""
        i = week - 36
        return (max(0.5, 12.0 - i), max(3.0, 30.0 - 2.3 * i))

    def play(self, d: Draft, steps: str) -> None:
        """Turns a reply plan (see plan.py) into replies."""
        lang = d.lang
        t = T[lang]
        posted: set[str] = {d.asker} if d.asker else set()
        countries = {BY_KEY[d.asker].country} if d.asker else set()
        last_answer: int | None = None
        for step in steps.split():
            scope = f"{d.ref}:{step[0]}"
            if step == "m":
                who = self.pick(self.customers(d.community), posted, countries)
                posted.add(who)
                countries.add(BY_KEY[who].country)
                writes = BY_KEY[who].writes
                if lang == "en" and d.group == "mail-401" and "pt" in writes:
                    body, plang = self.choose(templates_en.PT["metoo"], scope), "pt"
                elif lang == "en" and d.group == "sla-weekend" and "fr" in writes:
                    body, plang = self.choose(templates_en.FR["metoo"], scope), "fr"
                else:
                    options = (t.GROUPS[d.group]["metoo"] if d.group else t.METOO_GENERIC)
                    body, plang = self.fmt(self.choose(options, scope), d, who), lang
                d.replies.append(Reply(who, body, "metoo", (1, 30), lang=plang))
            elif step.startswith("F:"):
                _, founder, style = step.split(":")
                self.usage[founder] += 1
                d.replies.append(Reply(founder, self.founder_text(d, founder, style), "founder",
                                       self.founder_delay(d.week), style=style, lang=lang))
                last_answer = len(d.replies) - 1
                posted.add(founder)
            elif step in ("E", "Es"):
                who = self.pick_expert(d.community, posted)
                if d.group and step == "E":
                    body = self.solution(d, lang, who)
                elif d.group:
                    body = self.choose(t.GROUPS[d.group]["short"], scope)
                else:
                    body = d.answer
                d.replies.append(Reply(who, body, "answer", (1, 20), lang=lang))
                last_answer = len(d.replies) - 1
                posted.add(who)
            elif step == "S":
                who = self.staff(d.community, d.capability or "")
                g = t.GROUPS[d.group]
                if "staff" in g:
                    body = self.fmt(self.choose(g["staff"], scope), d, who)
                else:
                    body = self.fmt(g["diag"][0] + " " + g["short"][0], d, who)
                d.replies.append(Reply(who, body, "staff", (2, 26), lang=lang))
                posted.add(who)
            elif step == "C":
                who = self.competitor(d.community)
                if who is None:
                    continue
                shorts = t.GROUPS[d.group].get("short", []) if d.group else []
                hint = self.choose(shorts, scope) if shorts else ""
                body = (hint + " " if hint else "") + self.choose(t.COMPETITOR_PITCH, scope)
                d.replies.append(Reply(who, body, "competitor", (2, 24), lang=lang))
                posted.add(who)
            elif step == "X":
                who = self.pick(self.customers(d.community), posted, countries)
                posted.add(who)
                d.replies.append(Reply(who, self.choose(t.GROUPS[d.group]["vendor_only"], scope),
                                       "vendor_only", (1, 20), lang=lang))
            elif step == "q":
                who = self.pick_expert(d.community, posted)
                question = "Can you post the worker log?" if "log" in d.flags else self.choose(t.QUESTIONS, scope)
                d.replies.append(Reply(who, question, "question", (0.5, 8), lang=lang))
                q_index = len(d.replies) - 1
                answer = self.fmt(self.choose(t.QUESTION_REPLIES, scope), d, d.asker)
                fmt = None
                if "log" in d.flags:
                    answer = "Sure, here it is:\n\n```\n" + LOG_MARK + "```"
                    fmt = "markdown"
                d.replies.append(Reply(d.asker, answer, "asker", (0.3, 5), parent=q_index, fmt=fmt, lang=lang))
            elif step in ("A", "a", "t"):
                if d.asker is None:
                    continue
                if step == "t":
                    body, role = self.choose(t.THANKS, scope), "thanks"
                elif "pt" in d.langs:
                    body, role = templates_en.PT["ack"], "ack"
                elif "fr" in d.langs:
                    body, role = templates_en.FR["ack"], "ack"
                else:
                    body, role = self.choose(t.ACK + t.ACK_TRIED, scope), "ack"
                plang = "pt" if "pt" in d.langs and role == "ack" else (
                    "fr" if "fr" in d.langs and role == "ack" else lang)
                d.replies.append(Reply(d.asker, body, role, (1, 20), parent=last_answer, lang=plang))
                if step == "A" and last_answer is not None and d.community in DISCOURSE:
                    d.replies[last_answer].accepted = True
            else:
                raise PlanError(f"{d.ref}: unknown plan step {step!r}")

    def founder_text(self, d: Draft, founder: str, style: str) -> str:
        t = T[d.lang]
        if d.group is None:
            if style == "short":
                return d.answer.split(". ")[0].rstrip(".") + "."
            return d.answer + "\n\n" + t.FOUNDER_HOWTO_EXTRA
        link = templates_en.FOUNDER_LINKS.get(d.group, "")
        if style == "short":
            return self.choose(t.GROUPS[d.group]["short"], f"{d.ref}:F")
        if style == "link":
            return link + "\n\n" + templates_en.DISCLOSURE
        text = self.solution(d, d.lang, founder)
        if style == "steps+link":
            text += "\n\n" + link + "\n\n" + templates_en.DISCLOSURE
        elif style == "steps+nodisc":
            text += "\n\n" + link
        return text

    def worker_log(self, until: datetime) -> str:
        """A pasted mail-worker log of about 20 KB: the oversized post a renderer must cope with."""
        rng = random.Random(self.seed + 45)
        t = until - timedelta(hours=11)
        lines: list[str] = []
        size = 0
        pid = 4412
        while size < 20_000:
            t += timedelta(seconds=rng.randint(20, 320))
            mailbox = rng.choice([1, 2, 3])
            if mailbox == 3 or rng.random() < 0.2:
                line = (f"{stamp(t)} mail-worker[{pid}] ERROR KST-MAIL-401 Authentication rejected by mail server "
                        f"mailbox={mailbox} attempt={rng.randint(1, 5)} auth=password token_age={rng.randint(20, 40)}d")
            else:
                line = (f"{stamp(t)} mail-worker[{pid}] INFO  fetch ok mailbox={mailbox} "
                        f"new={rng.randint(0, 6)} elapsed_ms={rng.randint(180, 2400)}")
            lines.append(line)
            size += len(line) + 1
        return "\n".join(lines) + "\n"

    # ------------------------------------------------------------- threads
    def add_group_threads(self) -> None:
        for ref, group, community, week, asker, steps, flags in plan.GROUP_THREADS:
            info = plan.GROUPS[group]
            d = Draft(ref, community, "group", week, asker, LANG[community], info["category"],
                      group=group, capability=info["capability"], problem_kind="bug")
            d.flags = flags.split()
            self.usage[asker] += 1
            self.timing(d, steps, flags)
            d.langs = {d.lang}
            if "pt" in d.flags:
                d.title, d.body = templates_en.PT["mail-401-thread"]
                d.langs = {"pt"}
            elif "fr" in d.flags:
                d.title, d.body = templates_en.FR["sla-weekend-thread"]
                d.langs = {"fr"}
            else:
                prefix = extra = ""
                if "partner" in d.flags:
                    prefix = (templates_en.PARTNER_MAIL if d.group == "mail-401" and d.lang == "en"
                              else self.rng.choice(T[d.lang].PARTNER_PREFIX))
                if "hostile" in d.flags:
                    extra = ("Our monitor email says: <b>DOWN</b> <script>alert('x')</script>\n\n"
                             "[Click here for our internal runbook](https://evil.example/phish) @here")
                d.title = self.group_title(d)
                d.body = self.group_body(d, d.lang, prefix, extra)
            if "hostile" in d.flags:
                d.title = ("@everyone **URGENT** mail intake dead again — KST-MAIL-401, "
                           "see [status page](javascript:alert('pwned'))")
                d.fmt = "markdown"
            self.play(d, steps)
            self.drafts.append(d)

    def timing(self, d: Draft, steps: str, flags: str) -> None:
        if "late" in flags:
            d.days = (3, 4)
        elif "early" in flags:
            d.days = (0, 1)
        elif "F:" in steps:
            d.days = (0, 1, 2)
        elif d.week == 47:
            d.days = (0, 1, 2, 3)

    def pool(self, lang: str) -> dict[str, list[Any]]:
        if lang not in self.pools:
            t = T[lang]
            pools = {
                "howto": list(t.HOWTOS), "solved": list(t.SOLVED), "bug": list(t.BUGS),
                "feature": list(t.FEATURES), "show": list(t.SHOWS), "chat": list(t.CHATS),
            }
            for items in pools.values():
                self.rng.shuffle(items)
            self.pools[lang] = pools
        return self.pools[lang]

    def take(self, lang: str, kind: str, capability_only: bool = False) -> Any:
        items = self.pool(lang)[kind]
        for i, item in enumerate(items):
            if not capability_only or item[0] == "email-channels":
                return items.pop(i)
        raise PlanError(f"pool {lang}/{kind} is empty")

    def pool_thread(self, ref: str, kind: str, community: str, week: int, asker: str | None,
                    steps: str | None = None, flags: str = "", item: Any = None) -> Draft:
        lang = LANG[community]
        t = T[lang]
        if item is None:
            item = self.take(lang, kind, capability_only="email" in flags)
        if asker == "":
            asker = self.pick(self.customers(community))
        category = {"howto": "unrewarded", "solved": "unrewarded", "bug": "unsolvable",
                    "feature": "unsolvable", "show": "not_a_problem", "chat": "not_a_problem"}[kind]
        problem_kind = {"howto": "howto", "solved": "bug", "bug": "bug", "feature": "feature_request"}.get(kind, "other")
        d = Draft(ref, community, kind, week, asker, lang, category, problem_kind=problem_kind)
        d.langs = {lang}
        d.flags = flags.split()
        if kind in ("howto", "solved"):
            cap, title, body, answer = item
            d.capability = cap or None
        elif kind in ("bug", "feature"):
            title, body, answer = item
        else:
            title, body, _ = item
            answer = ""
        d.answer = answer.format_map(Fill())
        d.title = title.format_map(Fill())
        d.body = body.format_map(Fill())
        if asker and BY_KEY[asker].role in ("partner", "msp") and kind in ("howto", "solved", "bug"):
            d.body = self.rng.choice(t.PARTNER_PREFIX) + " " + d.body
        if "late" in flags:
            d.days = (3, 4)
        elif week == 47:
            d.days = (0, 1, 2, 3)
        if steps is not None:
            if steps:
                self.play(d, steps)
        else:
            self.default_replies(d, kind, item)
        if "deleted" in flags:
            d.replies[1].author = None
        self.drafts.append(d)
        return d

    def default_replies(self, d: Draft, kind: str, item: Any) -> None:
        t = T[d.lang]
        r = self.rng.random()
        exclude = {d.asker} if d.asker else set()
        others = self.customers(d.community)
        if kind == "howto":
            if r < 0.45:
                who = self.pick_expert(d.community, exclude)
            elif r < 0.6:
                who = self.staff(d.community, d.capability or "")
            else:
                who = self.pick(others, exclude)
            d.replies.append(Reply(who, d.answer, "answer", (0.5, 16)))
            if d.asker and self.rng.random() < 0.6:
                d.replies.append(Reply(d.asker, self.choose(t.THANKS, d.ref), "thanks", (0.5, 12), parent=0))
        elif kind == "solved":
            if self.rng.random() < 0.3:
                q = self.pick_expert(d.community, exclude)
                d.replies.append(Reply(q, self.choose(t.QUESTIONS, d.ref), "question", (0.5, 8)))
                reply = self.fmt(self.choose(t.QUESTION_REPLIES, d.ref), d, d.asker)
                d.replies.append(Reply(d.asker, reply, "asker", (0.3, 5), parent=0))
            who = self.pick_expert(d.community, exclude) if r < 0.75 else self.pick(others, exclude)
            d.replies.append(Reply(who, d.answer, "answer", (0.5, 16)))
            answer = len(d.replies) - 1
            d.replies.append(Reply(d.asker, self.choose(t.ACK, d.ref), "ack", (1, 20), parent=answer,
                                   accepted=False))
            if d.community in DISCOURSE:
                d.replies[answer].accepted = True
        elif kind == "bug":
            posted = set(exclude)
            for _ in range(self.rng.randint(0, 2)):
                who = self.pick(others, posted)
                posted.add(who)
                d.replies.append(Reply(who, self.fmt(self.choose(t.METOO_GENERIC, d.ref), d, who),
                                       "metoo", (1, 40)))
            d.replies.append(Reply(self.staff(d.community), d.answer, "staff", (3, 30)))
            if self.rng.random() < 0.3:
                d.replies.append(Reply(d.asker, self.choose(t.THANKS, d.ref), "thanks", (1, 20)))
        elif kind == "feature":
            posted = set(exclude)
            for _ in range(self.rng.randint(1, 3)):
                who = self.pick(others, posted)
                posted.add(who)
                d.replies.append(Reply(who, self.choose(t.PLUS_ONE, d.ref), "plus_one", (1, 48)))
            if self.rng.random() < 0.75:
                staff = "anna" if d.community == FORUM else self.staff(d.community)
                d.replies.append(Reply(staff, d.answer, "staff", (3, 40)))
        elif kind in ("show", "chat"):
            _, _, lines = item
            posted = set(exclude)
            candidates = others + [k for k, _ in self.experts(d.community)]
            for line in lines:
                who = self.pick(candidates, posted)
                posted.add(who)
                d.replies.append(Reply(who, line, "chat", (0.5, 30)))
            if kind == "show" and d.asker:
                d.replies.append(Reply(d.asker, self.choose(t.APPRECIATION, d.ref), "thanks", (1, 20)))
            if kind == "chat" and d.lang == "en" and item == templates_en.CHATS[0]:
                d.replies.insert(2, Reply("dan", templates_en.CHAT_PITCH, "competitor", (2, 20)))

    def add_special_threads(self) -> None:
        for ref, kind, community, week, asker, steps, flags in plan.SPECIAL_THREADS:
            if kind == "chat":
                self.pool_thread(ref, kind, community, week, asker, None, flags)
            else:
                self.pool_thread(ref, kind, community, week, asker, steps, flags)

    def add_announcements(self) -> None:
        for community, week, version, other in plan.ANNOUNCEMENTS:
            lang = LANG[community]
            t = T[lang]
            staff = "anna" if community == FORUM else self.staff(community)
            d = Draft(f"announce-{community}-{week}", community, "announce", week, staff, lang, "not_a_problem")
            d.langs = {lang}
            d.days = (1, 2)
            if version:
                items = self.rng.sample(t.RELEASE_ITEMS, 4)
                d.title = self.rng.choice(t.ANNOUNCE_RELEASE_TITLE).format(version=version)
                d.body = t.ANNOUNCE_RELEASE_BODY.format(version=version, items="\n".join("- " + i for i in items))
            else:
                d.title, d.body = t.ANNOUNCE_OTHER[other]
            posted = {staff}
            for line in self.rng.sample(t.ANNOUNCE_REPLIES, self.rng.randint(1, 3)):
                who = self.pick(self.customers(community), posted)
                posted.add(who)
                d.replies.append(Reply(who, line, "chat", (1, 40)))
            self.drafts.append(d)

    def add_weekly(self) -> None:
        months = {"en": ["Aug", "Sep", "Oct", "Nov"], "es": ["ago", "sep", "oct", "nov"],
                  "de": ["Aug.", "Sep.", "Okt.", "Nov."]}
        for community, weeks in plan.WEEKLY.items():
            lang = LANG[community]
            t = T[lang]
            for week in weeks:
                day = {FORUM: 0, REDDIT: 3, ES: 4, DE: 4}[community]
                if week == 47 and community in (ES, DE):
                    day = 2
                date = monday(week) + timedelta(days=day)
                month = months[lang][date.month - 8]
                label = {"en": f"{month} {date.day}", "es": f"{date.day} {month}", "de": f"{date.day}. {month}"}[lang]
                host = {FORUM: "anna", REDDIT: "kst_team", ES: "soporte", DE: "jonas"}[community]
                titles, bodies = ((t.REDDIT_WEEKLY_TITLE, t.REDDIT_WEEKLY_BODY) if community == REDDIT
                                  else (t.WEEKLY_TITLE, t.WEEKLY_BODY))
                d = Draft(f"weekly-{community}-{week}", community, "weekly", week, host, lang, "not_a_problem")
                d.langs = {lang}
                d.days = (day,)
                d.title = self.rng.choice(titles).format(date=label)
                d.body = self.rng.choice(bodies)
                posted = {host}
                candidates = self.customers(community) + [k for k, _ in self.experts(community)]
                for _ in range(self.rng.randint(3, 6)):
                    who = self.pick(candidates, posted)
                    posted.add(who)
                    line = (f"{self.choose(t.WEEKLY_OPEN, d.ref)} {self.choose(t.WEEKLY_WHAT, lang + 'weekly')}."
                            f"{self.rng.choice(t.WEEKLY_END)}")
                    d.replies.append(Reply(who, line, "chat", (0.5, 40)))
                self.drafts.append(d)

    def add_chatbridge_and_tool(self) -> None:
        for community, week, index in plan.CHATBRIDGE_THREADS:
            title, body, lines = templates_en.CHATBRIDGE[index]
            d = Draft(f"chatbridge-{community}-{week}", community, "chatbridge", week, "tom", "en", "not_a_problem")
            d.langs = {"en"}
            d.title, d.body = title, body
            posted = {"tom"}
            for i, line in enumerate(lines):
                who = self.pick(self.customers(community), posted)
                posted.add(who)
                d.replies.append(Reply(who, line, "chat", (1, 30)))
                if i == 0:
                    d.replies.append(Reply("tom", templates_en.CHATBRIDGE_FOLLOWUP[index], "answer", (0.5, 12),
                                           parent=len(d.replies) - 1))
            self.drafts.append(d)
        community, week = plan.TOOL_THREAD
        title, body, lines = templates_en.TOOL_THREAD
        d = Draft("tool", community, "tool", week, "mateo", "en", "not_a_problem")
        d.langs = {"en"}
        d.title, d.body, d.fmt = title, body, "markdown"
        d.days = (0,)
        posted = {"mateo"}
        for line in lines:
            who = self.pick(self.customers(community), posted)
            posted.add(who)
            d.replies.append(Reply(who, line, "chat", (0.5, 20)))
        self.drafts.append(d)

    def add_review_thread(self) -> None:
        title, body = templates_en.REVIEW_OPEN
        d = Draft("review", FORUM, "review", 36, "lucia", "en", "not_a_problem")
        d.langs = {"en", "pt"}
        d.title, d.body = title, body
        d.fixed_time = REVIEW_OPENED
        answers = list(templates_en.REVIEW_REPLIES["critical"])
        targets: dict[int, Reply] = {}
        for week, person, index in plan.REVIEW_POSTS:
            tone, text = templates_en.REVIEWS[index]
            when = self.local_time(person, week, (1, 2, 3), (9, 17))
            review = Reply(person, text, "review", (0, 0), created=when)
            d.replies.append(review)
            if tone == "critical":
                answered = awake(when + timedelta(hours=self.rng.randint(3, 9)), BY_KEY["lucia"].zone, self.rng)
                reply = Reply("lucia", answers.pop(0), "founder_review", (0, 0), created=answered)
                targets[id(reply)] = review
                d.replies.append(reply)
        d.replies.sort(key=lambda r: r.created or END)
        for reply in d.replies:
            if id(reply) in targets:
                reply.parent = d.replies.index(targets[id(reply)])
        self.drafts.append(d)

    def fill_pools(self) -> None:
        for community in COMMUNITIES:
            lang = LANG[community]
            placed = Counter(d.week for d in self.drafts if d.community == community)
            slots: list[int] = []
            for week, total in zip(plan.WEEKS, plan.WEEK_TOTALS[community], strict=True):
                free = total - placed[week]
                if free < 0:
                    raise PlanError(f"{community} week {week}: {placed[week]} planned threads exceed {total}")
                slots.extend([week] * free)
            pools = self.pool(lang)
            items = [(kind, item) for kind in ("howto", "solved", "bug", "feature", "show", "chat")
                     for item in pools[kind]]
            self.rng.shuffle(items)
            if len(items) < len(slots):
                raise PlanError(f"{lang} pools hold {len(items)} threads, {community} needs {len(slots)}")
            for n, (week, (kind, item)) in enumerate(zip(slots, items, strict=False)):
                pools[kind].remove(item)
                self.pool_thread(f"{community}-{kind}-{n}", kind, community, week, "", item=item)

    # ---------------------------------------------------------------- times
    def local_time(self, person: str | None, week: int, days: tuple[int, ...], hours: tuple[int, int]) -> datetime:
        zone = BY_KEY[person].zone if person else "EU0"
        for _ in range(50):
            wall = monday(week).replace(tzinfo=None) + timedelta(
                days=self.rng.choice(days), hours=self.rng.randint(*hours), minutes=self.rng.randint(0, 59))
            when = from_local(wall.replace(tzinfo=UTC), zone)
            when = max(when, monday(week) + timedelta(minutes=self.rng.randint(30, 300)))
            when = min(when, monday(week + 1) - timedelta(minutes=self.rng.randint(30, 300)))
            if when <= END - timedelta(minutes=40):
                return when
        raise PlanError(f"no time for {person} in week {week} within the corpus window")

    def schedule(self, d: Draft) -> None:
        if d.fixed_time is not None:
            d.created = d.fixed_time
        else:
            d.created = self.local_time(d.asker, d.week, d.days, d.hours)
            if d.community == FORUM and d.created < REVIEW_OPENED:
                d.created += timedelta(days=1)  # the review thread is the forum's first, id 7001
        if d.kind == "review":
            return
        for scale, shift in ((1.0, True), (0.5, True), (0.25, True), (0.1, True), (0.03, True),
                             (0.1, False), (0.03, False)):
            times = self.reply_times(d, scale, shift)
            if not times or times[-1] <= END:
                break
        kept = []
        for reply, when in zip(d.replies, times, strict=True):
            if when > END:
                if reply.role == "founder":
                    raise PlanError(f"{d.ref}: founder answer would fall after the corpus end")
                break
            reply.created = when
            if LOG_MARK in reply.body:
                reply.body = reply.body.replace(LOG_MARK, self.worker_log(when))
            kept.append(reply)
        d.replies = kept

    def reply_times(self, d: Draft, scale: float, shift: bool) -> list[datetime]:
        rng = random.Random(f"{self.seed}:{d.ref}:{scale}")
        prev = d.created
        times: list[datetime] = []
        for reply in d.replies:
            lo, hi = reply.delay
            when = prev + timedelta(minutes=rng.randint(int(lo * 60 * scale) + 2, int(hi * 60 * scale) + 3))
            if shift and reply.author is not None:
                when = awake(when, BY_KEY[reply.author].zone, rng)
            times.append(when)
            prev = when
        return times

    # --------------------------------------------------------------- output
    def build(self) -> dict[str, str]:
        self.add_review_thread()
        self.add_group_threads()
        self.add_special_threads()
        self.add_announcements()
        self.add_weekly()
        self.add_chatbridge_and_tool()
        self.fill_pools()
        for d in self.drafts:
            self.schedule(d)
        return self.render()

    def render(self) -> dict[str, str]:
        files: dict[str, str] = {}
        truth: dict[str, Any] = {
            "generator": "assistant.demo.build_corpus", "seed": self.seed, "clock": DEMO_CLOCK,
            "groups": plan.GROUPS, "threads": {}, "members": {}, "founder_answers": [],
        }
        refs: dict[str, tuple[str, str, Draft]] = {}
        for community in COMMUNITIES:
            lines, thread_truth = render.render_community(
                community, self.drafts, self.seed, refs, truth["founder_answers"])
            files[f"{community}.jsonl"] = jsonl(lines)
            truth["threads"][community] = thread_truth
            truth["members"][community] = {
                p.handles[community]: {"person": p.key, "country": p.country, "user_type": p.user_type}
                for p in members_of(community)
            }
        for name, (lines, thread_truth, member_truth) in scouts.scouts(self.seed).items():
            files[f"{name}.jsonl"] = jsonl(lines)
            truth["threads"][name] = thread_truth
            truth["members"][name] = member_truth
        files["extras.json"] = json.dumps({"leads": render.leads(refs)}, ensure_ascii=False, indent=2) + "\n"
        files["truth.json"] = json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        return files

    # --------------------------------------------------------------- scouts
def jsonl(items: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items)


def generate(seed: int = SEED) -> dict[str, str]:
    """File name → exact file content of the whole demo corpus."""
    return Builder(seed).build()


def write(out_dir: Path = CORPUS_DIR, seed: int = SEED) -> dict[str, int]:
    out_dir.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for name, text in generate(seed).items():
        data = text.encode("utf-8")
        (out_dir / name).write_bytes(data)
        sizes[name] = len(data)
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate the Beachhead demo corpus.")
    parser.add_argument("--out", type=Path, default=CORPUS_DIR, help=f"output folder (default {CORPUS_DIR})")
    args = parser.parse_args(argv)
    for name, size in sorted(write(args.out).items()):
        print(f"{size:>9,}  {args.out / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
