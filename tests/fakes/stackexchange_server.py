"""A loopback Stack Exchange API (v2.3) serving an invented site.

No recording of the API exists in the shared data, so the site here is built
from text written for these tests (a made-up printer-fleet product, "Kestrel
Print"), in the documented shapes: the common wrapper (``items``,
``has_more``, ``quota_max``, ``quota_remaining``, optional ``backoff``, and
``error_id``/``error_name``/``error_message`` on errors), questions, answers,
comments and users with the fields the default filter plus ``withbody``
returns. Answers are gzip-compressed when asked, like the real API.

Routes: ``/2.3/questions`` (``tagged``, ``sort=activity``, ``order``, ``min``,
``page``, ``pagesize``), ``/2.3/questions/{ids}/answers``,
``/2.3/posts/{ids}/comments``, ``/2.3/users/{ids}``. ``backoff_once`` adds a
``backoff`` field to the next answer of a method; ``throttle_once`` answers
the next request with a throttle violation; faults come from
``LoopbackServer.inject``.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.loopback_http import LoopbackServer, Reply, Seen

SITE = "kestrelprint"
START = 1_767_225_600  # 2026-01-01T00:00:00Z
TAGS = ("drivers", "network", "toner", "firmware", "scanning")

_SUBJECTS = ("the duplex unit", "the tray 3 feeder", "the network card", "the scan-to-mail job",
             "the toner sensor", "the print queue", "the firmware updater", "the badge reader")
_SYMPTOMS = ("stops after the first page", "reports error KP-{code}", "drops off the network",
             "ignores the tray setting", "prints blank pages", "hangs at 40 %")
_CONTEXTS = ("since the spring update", "only on the second floor", "after a power cut",
             "when more than ten jobs are queued", "on the older KP-200 units")
_ANSWERS = ("Reset the spooler and clear the job table; that fixed {subject} for us.",
            "This is a known issue in firmware 4.{minor}; roll back or wait for the patch.",
            "Check the DHCP lease: {subject} loses its address when the lease is short.",
            "Replace the pickup roller, it wears out after about 60k pages.")
_COMMENTS = ("Which firmware are you on?", "Same here on three units.", "Thanks, that worked!",
             "Did you try a cold restart?", "Can you post the exact error code?")
_NAMES = ("Ana Ruiz", "Bert Okafor", "Chiara Neri", "Dmitri Volk", "Eun-ji Park", "Farid Haddad",
          "Greta Lind", "Hugo Mar&#237;n", "Ines Duarte", "Jonas Weber")
_PLACES = ("Lima, Peru", "Berlin, Germany", None, "Osaka, Japan", "Porto, Portugal", None,
           "Nairobi, Kenya", "Montr&#233;al, Canada")


@dataclass
class Site:
    questions: list[dict[str, Any]] = field(default_factory=list)
    answers: list[dict[str, Any]] = field(default_factory=list)
    comments: list[dict[str, Any]] = field(default_factory=list)
    users: list[dict[str, Any]] = field(default_factory=list)


def _owner(user: dict[str, Any]) -> dict[str, Any]:
    return {k: user[k] for k in ("account_id", "reputation", "user_id", "user_type",
                                 "display_name", "link", "profile_image")}


def invented_site(questions: int = 60, *, seed: int = 7, start: int = START,
                  site: str = SITE) -> Site:
    """A deterministic site: ``questions`` questions, 5 minutes apart, each
    with 0-3 answers and 0-2 comments per post."""
    rng = random.Random(seed)
    data = Site()
    for index, name in enumerate(_NAMES):
        user_id = 100 + index
        data.users.append({
            "badge_counts": {"bronze": index, "silver": index // 3, "gold": 0},
            "account_id": 9000 + index, "is_employee": index == 0,
            "reputation": 1 + index * 137, "creation_date": start - 86_400 * (100 + index),
            "user_type": "moderator" if index == 1 else "registered", "user_id": user_id,
            "location": _PLACES[index % len(_PLACES)],
            "website_url": f"https://example.org/~u{user_id}" if index % 3 == 0 else "",
            "link": f"https://{site}.stackexchange.com/users/{user_id}",
            "profile_image": f"https://example.org/avatar/{user_id}.png", "display_name": name,
        })
    next_answer, next_comment = 50_000, 90_000
    for index in range(questions):
        question_id = 1_000 + index
        created = start + index * 300
        asker = rng.choice(data.users)
        subject, symptom = rng.choice(_SUBJECTS), rng.choice(_SYMPTOMS).format(code=100 + index)
        tags = sorted(rng.sample(TAGS, 2))
        question = {
            "tags": tags, "owner": _owner(asker), "is_answered": False, "view_count": 10 + index,
            "answer_count": 0, "score": rng.randint(-1, 9), "last_activity_date": created,
            "creation_date": created, "question_id": question_id,
            "content_license": "CC BY-SA 4.0",
            "link": f"https://{site}.stackexchange.com/questions/{question_id}/q-{question_id}",
            "title": f"{subject.capitalize()} {symptom} &quot;{rng.choice(_CONTEXTS)}&quot;",
            "body": f"<p>At our office {subject} {symptom} {rng.choice(_CONTEXTS)}.</p>\n"
                    f"<pre><code>spooler: job {index} state=STALLED\n  retry=3\n</code></pre>\n"
                    "<p>What should we check first?</p>",
        }
        data.questions.append(question)
        posts = [(question_id, created)]
        answers = rng.randint(0, 3)
        accepted = rng.randrange(answers) if answers and rng.random() < 0.5 else None
        for number in range(answers):
            answer_id = next_answer
            next_answer += 1
            when = created + 60 * (number + 1)
            author = rng.choice(data.users)
            data.answers.append({
                "owner": _owner(author), "is_accepted": number == accepted,
                "score": rng.randint(0, 5), "last_activity_date": when, "creation_date": when,
                "answer_id": answer_id, "question_id": question_id,
                "content_license": "CC BY-SA 4.0",
                "body": "<p>" + rng.choice(_ANSWERS).format(subject=subject, minor=index % 9)
                        + "</p>",
            })
            posts.append((answer_id, when))
            question["answer_count"] += 1
            question["is_answered"] = True
            question["last_activity_date"] = max(question["last_activity_date"], when)
            if number == accepted:
                question["accepted_answer_id"] = answer_id
        for post_id, when in posts:
            for number in range(rng.randint(0, 2)):
                comment_id = next_comment
                next_comment += 1
                moment = when + 30 * (number + 1)
                data.comments.append({
                    "owner": _owner(rng.choice(data.users)), "edited": False, "score": 0,
                    "creation_date": moment, "post_id": post_id, "comment_id": comment_id,
                    "content_license": "CC BY-SA 4.0", "body": rng.choice(_COMMENTS),
                })
                question["last_activity_date"] = max(question["last_activity_date"], moment)
    return data


class StackExchangeFake(LoopbackServer):
    def __init__(self, site: Site | None = None, *, name: str = SITE, quota_max: int = 10_000):
        super().__init__()
        self.site = site or invented_site()
        self.name = name
        self.quota_max = quota_max
        self.quota_remaining = quota_max
        self._backoff: dict[str, int] = {}
        self._throttle: int | None = None

    def backoff_once(self, method: str, seconds: int) -> None:
        """The next answer to ``method`` (e.g. "questions") carries ``backoff``."""
        self._backoff[method] = seconds

    def throttle_once(self, seconds: int) -> None:
        self._throttle = seconds

    def add_answer(self, question_id: int, body: str, when: int, user_index: int = 2) -> dict:
        """New activity on a question between two passes."""
        question = next(q for q in self.site.questions if q["question_id"] == question_id)
        answer_id = 60_000 + len(self.site.answers)
        answer = {"owner": _owner(self.site.users[user_index]), "is_accepted": False, "score": 0,
                  "last_activity_date": when, "creation_date": when, "answer_id": answer_id,
                  "question_id": question_id, "content_license": "CC BY-SA 4.0", "body": body}
        self.site.answers.append(answer)
        question["answer_count"] += 1
        question["last_activity_date"] = max(question["last_activity_date"], when)
        return answer

    # ------------------------------------------------------------- serving

    def _wrap(self, items: list[dict], seen: Seen, method: str, *, paged: bool = True) -> Reply:
        self.quota_remaining -= 1
        page = int(seen.param("page") or 1)
        size = int(seen.param("pagesize") or 30)
        chosen = items[(page - 1) * size : page * size] if paged else items
        body: dict[str, Any] = {"items": chosen, "has_more": paged and page * size < len(items),
                                "quota_max": self.quota_max,
                                "quota_remaining": self.quota_remaining}
        if method in self._backoff:
            body["backoff"] = self._backoff.pop(method)
        if seen.param("filter") != "withbody":
            body["items"] = [{k: v for k, v in i.items() if k != "body"} for i in chosen]
        reply = Reply.json(body)
        reply.headers["X-Gzip"] = "1"
        return reply

    @staticmethod
    def _error(error_id: int, name: str, message: str, status: int = 400) -> Reply:
        return Reply.json({"error_id": error_id, "error_name": name, "error_message": message},
                          status)

    def route(self, seen: Seen) -> Reply:
        if self._throttle is not None:
            seconds, self._throttle = self._throttle, None
            return self._error(502, "throttle_violation", "too many requests from this IP, more "
                               f"requests available in {seconds} seconds")
        if seen.param("site") != self.name:
            return self._error(400, "bad_parameter", f"No site found for name `{seen.param('site')}`")
        path = seen.path
        if path == "/2.3/questions":
            return self._questions(seen)
        match = re.fullmatch(r"/2\.3/questions/([\d;]+)/answers", path)
        if match:
            ids = {int(i) for i in match.group(1).split(";")}
            items = sorted((a for a in self.site.answers if a["question_id"] in ids),
                           key=lambda a: (a["creation_date"], a["answer_id"]))
            return self._wrap(items, seen, "answers")
        match = re.fullmatch(r"/2\.3/posts/([\d;]+)/comments", path)
        if match:
            ids = {int(i) for i in match.group(1).split(";")}
            items = sorted((c for c in self.site.comments if c["post_id"] in ids),
                           key=lambda c: (c["creation_date"], c["comment_id"]))
            return self._wrap(items, seen, "comments")
        match = re.fullmatch(r"/2\.3/users/([\d;]+)", path)
        if match:
            ids = {int(i) for i in match.group(1).split(";")}
            return self._wrap([u for u in self.site.users if u["user_id"] in ids], seen, "users")
        return self._error(404, "no_method", f"no method found with this name: {path}", 404)

    def _questions(self, seen: Seen) -> Reply:
        if seen.param("sort") not in (None, "activity"):
            return self._error(400, "bad_parameter", "the fake sorts by activity only")
        wanted = set((seen.param("tagged") or "").split(";")) - {""}
        low = int(seen.param("min") or 0)
        items = [q for q in self.site.questions
                 if wanted <= set(q["tags"]) and q["last_activity_date"] >= low]
        items.sort(key=lambda q: (q["last_activity_date"], q["question_id"]),
                   reverse=seen.param("order") == "desc")
        return self._wrap(items, seen, "questions")
