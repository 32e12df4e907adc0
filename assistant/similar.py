"""Solution memory: threads like this one that were already solved, and the
problems the founders keep solving.

A founder who has solved a problem once should answer the next asker in
minutes, and the same way: so for any thread Beachhead finds the most similar
threads that were solved — by a founder or by the community — with the text
of the solution (the accepted post, or the post the asker thanked).

Speed: the full-text index (``threads_fts``, FTS5) pre-selects at most
``CANDIDATES`` solved threads that share the thread's rarest words (rare words
say most about a problem and keep the match set small even at a million
threads); only those are compared by TF-IDF cosine. Threads in the same
problem group are always candidates.

When a problem group has been solved by the founders three times or more, one
written answer (an FAQ) or one small free tool, as Dewak built, would serve
everyone: ``faq_candidates`` lists those groups for the weekly report.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from assistant import solutions
from assistant.domain import iso
from assistant.store import Store
from assistant.threadref import resolve_thread
from playbooks import Playbook

CANDIDATES = 200
QUERY_TERMS = 12
MIN_SIMILARITY = 0.12
SEEN_BEFORE_SIMILARITY = 0.25
SOLUTION_CHARS = 1200
COMMON_SHARE = 0.05
"""Words in more than this share of all threads say little; they are used
only when the thread has no rarer ones."""


def _fold(word: str) -> str:
    """What FTS5's unicode61 tokenizer stores: lower case, no diacritics."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


WORD = re.compile(r"[^\W_]{3,}", re.UNICODE)
_STOPWORDS = (
    """the and for with that this from have has had was were are but not you your our can
    how what why when who which any all has does did get got into out there their they them
    then than just also been its it's after before since still some help please thanks
    hello anyone know idea issue problem question using used use would could should will
    los las del que por para con una uno como pero más este esta esto hay sus ser está
    hola gracias alguien saber problema ayuda desde cuando
    der die das und mit für von den dem ist sind nicht ein eine einen auf auch wie bei
    noch nach seit wir ich hallo danke jemand problem hilfe wenn oder aber"""
)
STOPWORDS = frozenset(_fold(word) for word in _STOPWORDS.split())


def terms_of(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for word in WORD.findall(text or ""):
        folded = _fold(word)
        if folded not in STOPWORDS and not folded.isdigit():
            seen.setdefault(folded, None)
    return list(seen)


@dataclass
class SimilarSolution:
    thread_id: int
    community_id: str
    native_id: str
    title: str
    url: str | None
    created_at: str
    similarity: float
    solved_by: str | None
    founder: str | None
    """The founder's name when a founder's post solved it."""
    how: str
    solution_text: str | None
    solution_url: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def tfidf_cosine(query: str, texts: list[str]) -> list[float]:
    """Cosine similarity of ``query`` to each text over TF-IDF vectors fitted
    on them all (sublinear term frequency, smoothed idf: ``1 + ln((1+n)/(1+df))``).
    A few hundred candidates need no sparse-matrix library, so the bot's
    "seen before" line costs milliseconds and no heavy import."""
    documents = [Counter(_tokens(text)) for text in [query, *texts]]
    frequency: Counter[str] = Counter(term for document in documents for term in document)
    n = len(documents)
    idf = {term: 1 + math.log((1 + n) / (1 + df)) for term, df in frequency.items()}

    def vector(document: Counter[str]) -> dict[str, float]:
        weights = {term: (1 + math.log(count)) * idf[term] for term, count in document.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {term: w / norm for term, w in weights.items()}

    target = vector(documents[0])
    return [
        round(sum(weight * target.get(term, 0.0) for term, weight in vector(document).items()), 6)
        for document in documents[1:]
    ]


def _tokens(text: str) -> list[str]:
    return [w for w in (_fold(word) for word in WORD.findall(text or ""))
            if w not in STOPWORDS and not w.isdigit()]


def _vocabulary(store: Store) -> None:
    store.conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.threads_fts_vocab USING fts5vocab(main, threads_fts, row)"
    )


def _rare_terms(store: Store, terms: list[str], limit: int = QUERY_TERMS) -> list[str]:
    if not terms:
        return []
    _vocabulary(store)
    total = store.scalar("SELECT max(id) FROM threads") or 1
    frequencies: dict[str, int] = {}
    for start in range(0, len(terms), 400):
        chunk = terms[start : start + 400]
        marks = ",".join("?" * len(chunk))
        for term, doc in store.conn.execute(
            f"SELECT term, doc FROM temp.threads_fts_vocab WHERE term IN ({marks})", chunk
        ):
            frequencies[term] = doc
    shared = [t for t in terms if frequencies.get(t, 0) >= 2]
    rare = [t for t in shared if frequencies[t] <= COMMON_SHARE * total] or shared
    return sorted(rare, key=lambda t: (frequencies[t], t))[:limit]


def _candidates(store: Store, thread: dict[str, Any]) -> list[int]:
    ids: dict[int, None] = {}
    for (thread_id,) in store.conn.execute(
        "SELECT t.id FROM thread_clusters mine JOIN thread_clusters tc ON tc.cluster_id = mine.cluster_id "
        "JOIN threads t ON t.id = tc.thread_id LEFT JOIN classifications c ON c.thread_id = t.id "
        "WHERE mine.thread_id = ? AND t.id != ? AND (t.is_solved = 1 OR "
        "json_extract(c.signals_json, '$.solved') = 1) ORDER BY t.created_at DESC LIMIT ?",
        (thread["id"], thread["id"], CANDIDATES),
    ):
        ids.setdefault(thread_id, None)
    query = " OR ".join(f'"{t}"' for t in _rare_terms(store, terms_of(f"{thread['title']} {thread['body_text']}")))
    if query:
        for (thread_id,) in store.conn.execute(
            "SELECT t.id FROM threads_fts JOIN threads t ON t.id = threads_fts.rowid "
            "LEFT JOIN classifications c ON c.thread_id = t.id "
            "WHERE threads_fts MATCH ? AND t.id != ? AND (t.is_solved = 1 OR "
            "json_extract(c.signals_json, '$.solved') = 1) ORDER BY threads_fts.rank LIMIT ?",
            (query, thread["id"], CANDIDATES),
        ):
            ids.setdefault(thread_id, None)
    return list(ids)[: 2 * CANDIDATES]


def _founders(store: Store, playbook: Playbook | None) -> dict[tuple[str, str], str]:
    """(community, handle) → founder name: from the playbook when given, else
    from the members the judge marked as founders."""
    if playbook is not None:
        return {
            (config.id, handle): name
            for config in playbook.communities
            for handle, name in playbook.founder_handles(config).items()
        }
    return {
        (row[0], row[1]): row[1]
        for row in store.conn.execute(
            "SELECT community_id, native_id FROM members WHERE user_type = 'founder'"
        )
    }


def similar_solved(
    store: Store,
    thread: Any,
    *,
    playbook: Playbook | None = None,
    limit: int = 5,
    min_similarity: float = MIN_SIMILARITY,
) -> list[SimilarSolution]:
    """The solved threads most like ``thread`` (id, ``community:native_id`` or
    URL), most similar first, each with its solution's text."""
    row = resolve_thread(store, thread)
    ids = _candidates(store, row)
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = store.query(f"SELECT * FROM threads WHERE id IN ({marks})", ids)
    similarity = tfidf_cosine(f"{row['title']}\n{row['body_text']}",
                              [f"{r['title']}\n{r['body_text']}" for r in rows])
    ranked = sorted(
        ((s, r) for s, r in zip(similarity, rows, strict=True) if s >= min_similarity),
        key=lambda pair: (-pair[0], -pair[1]["id"]),
    )
    founders = _founders(store, playbook)
    result = []
    for score, candidate in ranked:
        posts = store.query("SELECT * FROM posts WHERE thread_id = ?", (candidate["id"],))
        solution = solutions.solution_of(candidate, posts)
        if solution is None:
            continue
        post = solution.post
        result.append(SimilarSolution(
            thread_id=candidate["id"], community_id=candidate["community_id"],
            native_id=candidate["native_id"], title=candidate["title"], url=candidate["url"],
            created_at=candidate["created_at"], similarity=round(score, 3),
            solved_by=solution.solver,
            founder=founders.get((candidate["community_id"], solution.solver or "")),
            how=solution.how,
            solution_text=(post["body_text"][:SOLUTION_CHARS] if post else None),
            solution_url=(post.get("url") if post else None) or candidate["url"],
        ))
        if len(result) >= limit:
            break
    return result


def seen_before(store: Store, thread_id: Any, *, playbook: Playbook | None = None) -> str | None:
    """One line for the bot's feed when a close match was solved before, else None."""
    found = similar_solved(store, thread_id, playbook=playbook, limit=1,
                           min_similarity=SEEN_BEFORE_SIMILARITY)
    if not found:
        return None
    best = found[0]
    who = best.founder or best.solved_by or "the community"
    if best.founder:
        who = f"{best.founder} (founder)"
    return (
        f"Seen before ({best.similarity:.0%} alike): \"{best.title}\" in {best.community_id}, "
        f"{best.created_at[:10]}, solved by {who} — {best.solution_url or best.url or best.thread_id}"
    )


# ----------------------------------------------------------- FAQ and tools


@dataclass
class FaqCandidate:
    cluster_id: int
    label: str
    solved: int
    founders: dict[str, int]
    communities: list[str]
    countries: list[str]
    affected_members: int
    suggestion: str
    """``faq`` (one written answer) or ``tool`` (a small free tool applying the fix)."""
    why: str
    threads: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def faq_candidates(
    store: Store,
    playbook: Playbook,
    *,
    min_solved: int = 3,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[FaqCandidate]:
    """Problem groups the founders solved ``min_solved`` times or more (by the
    solved-by signal stored per thread) in threads created from ``since`` to
    before ``until``, most solved first. Mostly bugs → a tool that applies
    the fix; otherwise an FAQ answer."""
    founders = _founders(store, playbook)
    rows = store.query(
        "SELECT t.id, t.community_id, t.title, t.url, t.created_at, c.kind, tc.cluster_id, "
        "json_extract(c.signals_json, '$.solved_by') AS solver FROM thread_clusters tc "
        "JOIN threads t ON t.id = tc.thread_id JOIN classifications c ON c.thread_id = t.id "
        "WHERE solver IS NOT NULL AND t.created_at >= ? AND t.created_at < ? ORDER BY t.created_at",
        (iso(since) if since else "", iso(until) if until else "9999"),
    )
    by_group: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        name = founders.get((row["community_id"], row["solver"]))
        if name:
            row["founder"] = name
            by_group.setdefault(row["cluster_id"], []).append(row)
    result = []
    for cluster_id, threads in by_group.items():
        if len(threads) < min_solved:
            continue
        group = store.query_one("SELECT * FROM problem_clusters WHERE id = ?", (cluster_id,)) or {}
        names = Counter(t["founder"] for t in threads)
        communities = sorted({t["community_id"] for t in threads} | set(
            json.loads(group.get("communities_json") or "[]")))
        countries = json.loads(group.get("countries_json") or "[]")
        bugs = sum(1 for t in threads if t["kind"] == "bug")
        suggestion = "tool" if bugs * 2 >= len(threads) else "faq"
        by_whom = ", ".join(f"{name} ({count})" for name, count in names.most_common())
        why = (
            f"solved {len(threads)} times by {by_whom} in {len(communities)} "
            f"communit{'y' if len(communities) == 1 else 'ies'}; "
            f"{group.get('affected_members', 0)} members in {len(countries)} countries; "
            + ("mostly bugs: a small tool that applies the fix would serve everyone"
               if suggestion == "tool" else "one written answer would serve everyone")
        )
        result.append(FaqCandidate(
            cluster_id=cluster_id, label=group.get("label", str(cluster_id)), solved=len(threads),
            founders=dict(names), communities=communities, countries=countries,
            affected_members=group.get("affected_members", 0), suggestion=suggestion, why=why,
            threads=[{"id": t["id"], "community_id": t["community_id"], "title": t["title"],
                      "url": t["url"]} for t in threads],
        ))
    result.sort(key=lambda c: (-c.solved, -c.affected_members, c.cluster_id))
    return result
