"""Same-problem groups, built one thread at a time.

A problem is pervasive when many members in several countries report it; to
know that, every new thread must find the earlier threads about the same
problem — in any community, in any language — the moment it arrives, without
re-clustering history. Each group keeps a centroid of hashed, idf-weighted
terms (see ``classifiers.terms``) and is indexed under its most distinctive
terms; a new thread looks up only the groups that share its own most
distinctive terms (each posting list is read from its most recent end and
capped), so the cost of placing one thread does not grow with history.

All state is plain data: each group exports to a JSON-able dict, and the index
(document frequencies and counters) to one small dict; the posting lists are
rebuilt exactly from the groups, because a group's place in them is a function
of its centroid and of when it last changed.
"""

from __future__ import annotations

import base64
import math
import zlib
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from heapq import nlargest
from itertools import islice
from operator import itemgetter, mul

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from classifiers.data.countries import CONTINENTS
from classifiers.terms import ANCHOR_BIT, EMPTY_GLOSSARY, SOFT_BITS, Glossary, extract_terms

STATE_VERSION = 1
DAY = 86400.0
LABEL_CHARS = 48


class GroupStateError(ValueError):
    """Stored group state that this version cannot read."""


class UnknownGroupError(KeyError):
    """A group id the index has never had."""


@dataclass(frozen=True, slots=True)
class AffectedMember:
    """A member affected by a problem: the asker, or someone who replied
    "me too". ``member_id`` should already be the linked person when the same
    person is known in several communities, so that they count once."""

    member_id: str
    country: str | None = None
    language: str | None = None
    at: float | datetime | None = None


@dataclass(slots=True)
class ThreadRecord:
    """What grouping needs to know about a thread; ``text`` is the title and
    the opening post. ``created_at`` is epoch seconds (UTC) or a datetime."""

    thread_id: str
    text: str
    community: str = ""
    author: str | None = None
    created_at: float | datetime | None = None
    country: str | None = None
    language: str | None = None
    affected: Sequence[AffectedMember] = ()


@dataclass(frozen=True, slots=True)
class GroupingParams:
    """How strict and how wide the search is. ``threshold`` is the cosine a
    thread needs with a group's centroid to join it when they share an error
    code or quoted message; ``word_threshold`` when they share only words
    (None: the same threshold). When both cite error
    codes or quoted messages and share none of them, the cosine is first
    multiplied by ``anchor_conflict`` (E1042 and E2210 are two problems however
    alike the words around them), and what shared anchors contribute counts
    ``1 + anchor_boost`` times (the words around one error differ by
    language, the error does not). The other numbers bound the work per
    thread (probe terms x posting cap, candidates verified).

    ``active_days`` bounds history: a group with no thread for that many days
    (by the threads' own times) is no longer a candidate, and the next sweep
    drops it from memory (its saved state stays where it was saved; the
    database flow uses the playbook's lookback window). None keeps every
    group. ``track_members`` keeps each affected member per group for
    ``summary``; the database flow counts members from its own tables and
    turns it off, so a group's state stays the same size however many
    members it has."""

    threshold: float = 0.35
    word_threshold: float | None = 0.7
    anchor_conflict: float = 0.5
    anchor_boost: float = 1.0
    n_probe: int = 6
    n_keys: int = 12
    posting_cap: int = 16
    n_verify: int = 4
    vector_terms: int = 32
    centroid_terms: int = 64
    ngram: int = 4
    ngram_min_length: int = 10
    df_bits: int = 20
    glossary: tuple[tuple[str, str], ...] = ()
    active_days: float | None = None
    track_members: bool = True

    def to_dict(self) -> dict:
        data = asdict(self)
        data["glossary"] = [list(pair) for pair in self.glossary]
        return data

    @classmethod
    def from_dict(cls, data: Mapping) -> GroupingParams:
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        values["glossary"] = tuple(tuple(pair) for pair in values.get("glossary", ()))
        return cls(**values)


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where one thread went, and why."""

    thread_id: str
    group_id: int
    new_group: bool
    similarity: float
    shared_terms: tuple[str, ...]
    merged: tuple[int, ...] = ()

    def reasons(self) -> list[str]:
        if self.new_group:
            return [f"started group {self.group_id}: no earlier thread shares its distinctive terms"]
        shared = ", ".join(self.shared_terms) or "no single dominant term"
        reasons = [f"joined group {self.group_id} (similarity {self.similarity:.2f}): shares {shared}"]
        if self.merged:
            absorbed = ", ".join(str(g) for g in self.merged)
            reasons.append(f"merged group(s) {absorbed} into {self.group_id}: this thread cites their error too")
        return reasons


@dataclass(frozen=True, slots=True)
class GroupSummary:
    """How pervasive a problem is: who, where, which languages and
    communities, since when, and whether it is spreading."""

    group_id: int
    n_threads: int
    n_members: int
    countries: tuple[tuple[str, int], ...]
    regions: tuple[tuple[str, int], ...]
    languages: tuple[tuple[str, int], ...]
    communities: tuple[tuple[str, int], ...]
    first_seen: float | None
    last_seen: float | None
    new_members_7d: int
    new_members_prev_7d: int
    label: tuple[str, ...]

    @property
    def n_countries(self) -> int:
        return len(self.countries)

    @property
    def n_languages(self) -> int:
        return len(self.languages)

    @property
    def growth(self) -> int:
        """New affected members in the last 7 days minus the 7 before."""
        return self.new_members_7d - self.new_members_prev_7d


def _magnitude(item: tuple[int, float]) -> float:
    return abs(item[1])


_weight_of = itemgetter(1)


def _strongest(items, n: int) -> list[tuple[int, float]]:
    """The ``n`` heaviest (term, weight) pairs; by magnitude when some weights
    are negative (numeric input), ties in their original order."""
    ranked = sorted(items, key=_weight_of, reverse=True)
    if ranked and ranked[-1][1] < 0:
        ranked = sorted(ranked, key=_magnitude, reverse=True)
    return ranked[:n]


def _epoch(value: float | datetime | None) -> float | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.timestamp()
    return float(value)


@dataclass(slots=True)
class Group:
    """One same-problem group. ``members`` maps each affected member to
    ``[first_seen, country, language]`` so that counts stay distinct."""

    group_id: int
    seq: int = 0
    n_threads: int = 0
    # The centroid, packed: term ids and weights in two flat arrays (a dict
    # of boxed ints and floats costs about six times as much memory).
    terms: array = field(default_factory=lambda: array("q"))
    weights: array = field(default_factory=lambda: array("d"))
    norm: float = 0.0
    keys: tuple[int, ...] = ()
    anchors: frozenset[int] = frozenset()
    members: dict[str, list] = field(default_factory=dict)
    communities: dict[str, int] = field(default_factory=dict)
    first_seen: float | None = None
    last_seen: float | None = None
    label_terms: dict[str, float] = field(default_factory=dict)
    # Threads per language (None: a state saved before they were counted).
    languages: dict[str, int] | None = field(default_factory=dict)

    @property
    def centroid(self) -> dict[int, float]:
        """The centroid as a fresh dict (term id → weight), in stored order;
        assign a dict back to change it."""
        return dict(zip(self.terms, self.weights, strict=True))

    @centroid.setter
    def centroid(self, value: Mapping[int, float]) -> None:
        self.terms = array("q", value.keys())
        self.weights = array("d", value.values())

    def __len__(self) -> int:
        return len(self.terms)

    def to_dict(self) -> dict:
        return {
            "group_id": self.group_id,
            "seq": self.seq,
            "n_threads": self.n_threads,
            "centroid": [[term, weight] for term, weight in zip(self.terms, self.weights, strict=True)],
            "members": {member: list(info) for member, info in self.members.items()},
            "communities": dict(self.communities),
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "label_terms": dict(self.label_terms),
            **({"languages": dict(self.languages)} if self.languages is not None else {}),
        }

    @classmethod
    def from_dict(cls, data: Mapping, n_keys: int) -> Group:
        try:
            group = cls(
                group_id=int(data["group_id"]),
                seq=int(data["seq"]),
                n_threads=int(data["n_threads"]),
                members={str(m): list(info) for m, info in data.get("members", {}).items()},
                communities={str(c): int(n) for c, n in data.get("communities", {}).items()},
                first_seen=data.get("first_seen"),
                last_seen=data.get("last_seen"),
                label_terms={str(t): float(w) for t, w in data.get("label_terms", {}).items()},
                languages=({str(k): int(n) for k, n in data["languages"].items()}
                           if "languages" in data else None),
            )
            centroid = {int(term): float(weight) for term, weight in data["centroid"]}
        except (KeyError, TypeError, ValueError) as error:
            raise GroupStateError(f"group state is malformed: {error}") from None
        group.centroid = centroid
        group.norm = _norm(centroid.values())
        group.keys = _top_keys(centroid, n_keys)
        group.anchors = frozenset(term for term in centroid if term >= ANCHOR_BIT)
        return group

    def touch(self, member: AffectedMember | None, at: float | None) -> None:
        if at is not None:
            self.first_seen = at if self.first_seen is None else min(self.first_seen, at)
            self.last_seen = at if self.last_seen is None else max(self.last_seen, at)
        if member is None:
            return
        info = self.members.get(member.member_id)
        if info is None:
            self.members[member.member_id] = [at, member.country, member.language]
            return
        if at is not None and (info[0] is None or at < info[0]):
            info[0] = at
        if info[1] is None and member.country:
            info[1] = member.country
        if info[2] is None and member.language:
            info[2] = member.language

    def summary(self, now: float | None = None) -> GroupSummary:
        countries: dict[str, int] = {}
        languages: dict[str, int] = {}
        new_7d = prev_7d = 0
        now = self.last_seen if now is None else now
        for first_seen, country, language in self.members.values():
            if country:
                countries[country] = countries.get(country, 0) + 1
            if language:
                languages[language] = languages.get(language, 0) + 1
            if first_seen is not None and now is not None:
                age = now - first_seen
                if 0 <= age < 7 * DAY:
                    new_7d += 1
                elif 7 * DAY <= age < 14 * DAY:
                    prev_7d += 1
        label = tuple(term for term, _ in nlargest(6, self.label_terms.items(), key=lambda kv: kv[1]))
        regions: dict[str, int] = {}
        for country, count in countries.items():
            region = CONTINENTS.get(country.upper()[:2])
            if region:
                regions[region] = regions.get(region, 0) + count
        return GroupSummary(
            group_id=self.group_id,
            n_threads=self.n_threads,
            n_members=len(self.members),
            countries=_ranked(countries),
            regions=_ranked(regions),
            languages=_ranked(languages),
            communities=_ranked(self.communities),
            first_seen=self.first_seen,
            last_seen=self.last_seen,
            new_members_7d=new_7d,
            new_members_prev_7d=prev_7d,
            label=label,
        )


def _ranked(counts: Mapping[str, int]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _norm(values) -> float:
    """Euclidean norm, computed the same way everywhere (restore must agree)."""
    return math.hypot(*values)


def _top_keys(centroid: Mapping[int, float], n: int) -> tuple[int, ...]:
    return tuple(term for term, _ in _strongest(centroid.items(), n))


class GroupIndex:
    """The live set of same-problem groups and the index that finds them.

    ``add`` places one thread and returns its ``Assignment``; ``add_affected``
    records later "me too" replies; ``summary`` reports a group's spread.
    Persist with ``export_meta`` + ``export_groups`` (or only the groups that
    ``pop_dirty`` names since the last save) and come back with ``restore``.
    """

    def __init__(self, params: GroupingParams | None = None) -> None:
        self.params = params or GroupingParams()
        self.glossary = Glossary.build(dict(self.params.glossary)) if self.params.glossary else EMPTY_GLOSSARY
        self.groups: dict[int, Group] = {}
        self.n_threads = 0
        self.next_group_id = 0
        self.seq = 0
        self.latest: float | None = None
        self._mask = (1 << self.params.df_bits) - 1
        self._df = np.zeros(1 << self.params.df_bits, dtype=np.uint32)
        # term -> {group id: the term's weight in the group's unit centroid},
        # ordered from the least to the most recently changed group.
        self._postings: dict[int, dict[int, float]] = {}
        self._dirty: set[int] = set()
        self._next_sweep = -math.inf
        # Unpacked centroids of the groups most recently read or changed
        # (the ones new threads keep meeting), least recent first.
        self._unpacked: dict[int, dict[int, float]] = {}
        # groups merged away → the group that absorbed them
        self.aliases: dict[int, int] = {}

    # --- placing threads -------------------------------------------------

    def add(self, thread: ThreadRecord) -> Assignment:
        """Place a thread: join the most similar group or start a new one."""
        raw, labels = extract_terms(
            thread.text, self.glossary, self.params.ngram, self.params.ngram_min_length
        )
        return self.add_terms(thread, raw, labels)

    def add_terms(
        self, thread: ThreadRecord, raw: Mapping[int, float], labels: Mapping[int, str] | None = None
    ) -> Assignment:
        """Place a thread whose terms are already extracted (or any sparse
        non-negative or signed vector keyed by integer feature ids)."""
        query, norm, slots = self._weigh(raw)
        at = _epoch(thread.created_at)
        self._sweep(at)
        verified = self._verify(query, norm, at)
        best, similarity = self._first_passing(query, verified)
        if best is None:
            similarity = verified[0][1] if verified else 0.0
            group = Group(group_id=self.next_group_id)
            self.next_group_id += 1
            self.groups[group.group_id] = group
            assignment_shared: tuple[str, ...] = ()
            new = True
            similarity = max(similarity, 0.0)  # to the nearest group it did not join
        else:
            group = self.groups[best]
            assignment_shared = self._shared(query, group, labels)
            new = False
        self._update_centroid(group, query)
        self._count_document(slots)
        group.n_threads += 1
        if thread.community:
            group.communities[thread.community] = group.communities.get(thread.community, 0) + 1
        if thread.language and group.languages is not None:
            group.languages[thread.language] = group.languages.get(thread.language, 0) + 1
        if thread.author and self.params.track_members:
            group.touch(AffectedMember(thread.author, thread.country, thread.language, at), at)
        else:
            group.touch(None, at)
        for member in thread.affected:
            group.touch(member if self.params.track_members else None,
                        _epoch(member.at) if member.at is not None else at)
        if labels:
            self._update_label(group, query, labels, assignment_shared if not new else None)
        if at is not None:
            self.latest = at if self.latest is None else max(self.latest, at)
        self._dirty.add(group.group_id)
        merged: list[int] = []
        if not new:
            # A thread that cites the error of another group too bridges them:
            # one problem reported with different anchors. (Words alone do
            # not merge groups: measured, it costs more precision than it adds.)
            for other, other_similarity, shares_anchor in verified:
                if (
                    other != group.group_id
                    and shares_anchor
                    and other in self.groups
                    and other_similarity >= self.params.threshold
                ):
                    self.merge(group.group_id, other)
                    merged.append(other)
        return Assignment(
            thread_id=thread.thread_id,
            group_id=group.group_id,
            new_group=new,
            similarity=round(similarity, 6),
            shared_terms=assignment_shared,
            merged=tuple(merged),
        )

    def match(self, text: str) -> Assignment | None:
        """The group a text would join, without changing anything; ``None``
        when no group is similar enough (it would start its own)."""
        raw, labels = extract_terms(text, self.glossary, self.params.ngram, self.params.ngram_min_length)
        return self.match_terms(raw, labels)

    def match_terms(self, raw: Mapping[int, float], labels: Mapping[int, str] | None = None) -> Assignment | None:
        query, norm, _ = self._weigh(raw)
        best, similarity = self._first_passing(query, self._verify(query, norm))
        if best is None:
            return None
        group = self.groups[best]
        return Assignment("", best, False, round(similarity, 6), self._shared(query, group, labels))

    def add_affected(self, group_id: int, members: Iterable[AffectedMember]) -> None:
        """Record members who said "me too" after their thread was grouped."""
        group = self._group(group_id)
        track = self.params.track_members
        for member in members:
            at = _epoch(member.at)
            group.touch(member if track else None, at)
            if at is not None:
                self.latest = at if self.latest is None else max(self.latest, at)
        self._dirty.add(group.group_id)

    def merge(self, keep: int, absorb: int) -> None:
        """An analyst's correction: two groups are one problem."""
        keep, absorb = self.resolve(keep), self.resolve(absorb)
        if keep == absorb:
            return
        target, source = self._group(keep), self._group(absorb)
        self._unindex(source)
        del self.groups[absorb]
        centroid = target.centroid
        self._unpacked.pop(absorb, None)
        for term, weight in source.centroid.items():
            centroid[term] = centroid.get(term, 0.0) + weight
        target.anchors = target.anchors | source.anchors
        self._trim_and_reindex(target, centroid=centroid)
        target.n_threads += source.n_threads
        for community, count in source.communities.items():
            target.communities[community] = target.communities.get(community, 0) + count
        for member_id, (at, country, language) in source.members.items():
            target.touch(AffectedMember(member_id, country, language), at)
        for at in (source.first_seen, source.last_seen):
            target.touch(None, at)
        for term, weight in source.label_terms.items():
            target.label_terms[term] = target.label_terms.get(term, 0.0) + weight
        if target.languages is not None and source.languages is not None:
            for language, count in source.languages.items():
                target.languages[language] = target.languages.get(language, 0) + count
        else:
            target.languages = None
        self.aliases[absorb] = keep
        self._dirty.update((keep, absorb))

    # --- reading ---------------------------------------------------------

    def summary(self, group_id: int, now: float | datetime | None = None) -> GroupSummary:
        """A group's spread; growth is measured back from ``now`` (default:
        the latest activity the index has seen)."""
        moment = _epoch(now) if now is not None else self.latest
        return self._group(group_id).summary(moment)

    def resolve(self, group_id: int) -> int:
        """The group a (possibly merged-away) group id now belongs to."""
        seen = 0
        while group_id in self.aliases and seen <= len(self.aliases):
            group_id = self.aliases[group_id]
            seen += 1
        return group_id

    def __len__(self) -> int:
        return len(self.groups)

    def __contains__(self, group_id: object) -> bool:
        return group_id in self.groups

    # --- persistence -----------------------------------------------------

    def pop_dirty(self) -> set[int]:
        """Ids of groups changed (or, for a merge, removed) since the last call."""
        dirty, self._dirty = self._dirty, set()
        return dirty

    def export_groups(self, group_ids: Iterable[int] | None = None) -> Iterator[dict]:
        """JSON-able state of each group (all, or those named; removed ones skipped)."""
        ids = self.groups.keys() if group_ids is None else group_ids
        for group_id in ids:
            group = self.groups.get(group_id)
            if group is not None:
                yield group.to_dict()

    def export_meta(self) -> dict:
        """The index's own state: parameters, counters and document
        frequencies (compressed, base64) — everything but the groups."""
        return {
            "version": STATE_VERSION,
            "params": self.params.to_dict(),
            "n_threads": self.n_threads,
            "next_group_id": self.next_group_id,
            "seq": self.seq,
            "latest": self.latest,
            "aliases": {str(old): new for old, new in self.aliases.items()},
            "df": base64.b64encode(zlib.compress(self._df.tobytes(), 6)).decode("ascii"),
        }

    @classmethod
    def restore(cls, meta: Mapping, groups: Iterable[Mapping],
                params: GroupingParams | None = None) -> GroupIndex:
        """Rebuild an index from ``export_meta`` and ``export_groups`` output;
        the posting lists come back in the same order they had. ``params``
        replaces the saved parameters (the database flow sets its window);
        groups outside the ``active_days`` window are left out."""
        version = meta.get("version")
        if version != STATE_VERSION:
            raise GroupStateError(
                f"group state version {version!r} is not supported (this version reads {STATE_VERSION})"
            )
        index = cls(params or GroupingParams.from_dict(meta.get("params", {})))
        try:
            index.n_threads = int(meta["n_threads"])
            index.next_group_id = int(meta["next_group_id"])
            index.seq = int(meta["seq"])
            index.latest = meta.get("latest")
            index.aliases = {int(old): int(new) for old, new in meta.get("aliases", {}).items()}
            df = np.frombuffer(zlib.decompress(base64.b64decode(meta["df"])), dtype=np.uint32).copy()
        except (KeyError, TypeError, ValueError, zlib.error) as error:
            raise GroupStateError(f"group index state is malformed: {error}") from None
        if len(df) != len(index._df):
            raise GroupStateError("group index state has document frequencies of the wrong size")
        index._df = df
        cutoff = index._cutoff(index.latest)
        loaded = []
        for data in groups:
            group = Group.from_dict(data, index.params.n_keys)
            if cutoff is not None and group.last_seen is not None and group.last_seen < cutoff:
                continue
            if not index.params.track_members:
                group.members = {}
            loaded.append(group)
        for group in sorted(loaded, key=lambda g: g.seq):
            index.groups[group.group_id] = group
            index._post(group, group.keys)
        return index

    def revive(self, state: Mapping) -> Group:
        """Bring back a group that left memory (its saved state), e.g. when a
        late "me too" reaches a thread of an old group."""
        group = self.groups.get(int(state["group_id"]))
        if group is not None:
            return group
        group = Group.from_dict(state, self.params.n_keys)
        if not self.params.track_members:
            group.members = {}
        self.groups[group.group_id] = group
        self._post(group, group.keys)
        return group

    # --- internals -------------------------------------------------------

    UNPACKED = 4096
    """Centroids kept unpacked (a few MB): unpacking one costs microseconds."""

    def _centroid(self, group: Group) -> dict[int, float]:
        """The group's centroid as a dict; do not change it in place."""
        centroid = self._unpacked.pop(group.group_id, None)
        if centroid is None:
            centroid = group.centroid
        self._remember(group.group_id, centroid)
        return centroid

    def _remember(self, group_id: int, centroid: dict[int, float]) -> None:
        cache = self._unpacked
        cache.pop(group_id, None)
        if len(cache) >= self.UNPACKED:
            del cache[next(iter(cache))]
        cache[group_id] = centroid

    def _cutoff(self, at: float | None) -> float | None:
        """Groups last seen before this are out of the window."""
        if at is None or self.params.active_days is None:
            return None
        return at - self.params.active_days * DAY

    def _sweep(self, at: float | None) -> None:
        """Drop the groups gone quiet for longer than the window from memory
        (and from the posting lists), a few times per window so the cost
        per thread stays small; groups with unsaved changes wait."""
        cutoff = self._cutoff(at)
        if cutoff is None or at < self._next_sweep:
            return
        self._next_sweep = at + self.params.active_days * DAY / 16
        dirty = self._dirty
        stale = [group for group in self.groups.values()
                 if group.last_seen is not None and group.last_seen < cutoff
                 and group.group_id not in dirty]
        for group in stale:
            self._unindex(group)
            del self.groups[group.group_id]
            self._unpacked.pop(group.group_id, None)

    def _post(self, group: Group, terms: Iterable[int], centroid: Mapping[int, float] | None = None) -> None:
        """Put ``group`` at the most recent end of each term's posting list;
        a list keeps only its most recent entries (a lookup reads at most
        ``posting_cap`` of them from that end)."""
        postings, group_id = self._postings, group.group_id
        norm = group.norm or 1.0
        centroid = group.centroid if centroid is None else centroid
        limit = 4 * self.params.posting_cap
        for term in terms:
            posting = postings.get(term)
            if posting is None:
                postings[term] = {group_id: centroid[term] / norm}
                continue
            posting.pop(group_id, None)
            posting[group_id] = centroid[term] / norm  # most recently changed at the end
            if len(posting) > 2 * limit:
                for old in list(islice(posting, len(posting) - limit)):
                    del posting[old]

    def _group(self, group_id: int) -> Group:
        group = self.groups.get(self.resolve(group_id))
        if group is None:
            raise UnknownGroupError(f"no group {group_id}")
        return group

    def _first_passing(
        self, query: list[tuple[int, float]], verified: list[tuple[int, float, bool]]
    ) -> tuple[int | None, float]:
        """The most similar candidate that clears its own threshold."""
        for group_id, similarity, _ in verified:
            if similarity >= self._threshold_for(query, group_id):
                return group_id, similarity
        return None, 0.0

    def _threshold_for(self, query: list[tuple[int, float]], group_id: int) -> float:
        """Sharing an error code or quoted message with the group is the
        strongest evidence; without one, words alone must agree more."""
        word_threshold = self.params.word_threshold
        if word_threshold is None:
            return self.params.threshold
        anchors = self.groups[group_id].anchors
        if anchors and any(term in anchors for term, _ in query if term >= ANCHOR_BIT):
            return self.params.threshold
        return max(word_threshold, self.params.threshold)

    def _weigh(self, raw: Mapping[int, float]) -> tuple[list[tuple[int, float]], float, np.ndarray | None]:
        """Idf-weight, keep the strongest terms, normalise to unit length;
        also the document's slots in the df table, for ``_count_document``."""
        count = len(raw)
        if count == 0:
            return [], 0.0, None
        slots = np.fromiter(raw.keys(), dtype=np.int64, count=count)
        terms = slots.copy()
        slots &= self._mask
        weights = np.fromiter(raw.values(), dtype=np.float64, count=count)
        weights *= (math.log(self.n_threads + 1) + 1.0) - np.log1p(self._df[slots])
        order = np.argsort(-np.abs(weights), kind="stable")[: self.params.vector_terms]
        kept = weights[order]
        norm = float(np.sqrt(np.dot(kept, kept)))
        if norm > 0:
            kept = kept / norm
        return list(zip(terms[order].tolist(), kept.tolist(), strict=True)), norm, slots

    def _verify(
        self, query: list[tuple[int, float]], norm: float, at: float | None = None
    ) -> list[tuple[int, float, bool]]:
        """Candidate groups (sharing the query's strongest terms, found in the
        posting lists, active within the window before ``at``) with their
        exact similarity and whether they share an error code or quoted
        message, most similar first."""
        if norm == 0 or not self.groups:
            return []
        postings, cap = self._postings, self.params.posting_cap
        votes: dict[int, float] = {}
        enough = self.params.n_verify
        for term, weight in query[: self.params.n_probe]:
            posting = postings.get(term)
            if posting:
                if len(posting) > cap and len(votes) >= enough:
                    continue  # a common term: the rarer ones already found candidates
                for group_id, share in islice(reversed(posting.items()), cap):
                    votes[group_id] = votes.get(group_id, 0.0) + weight * share
        if not votes:
            return []
        groups = self.groups
        ranked = sorted(votes.items(), key=_weight_of, reverse=True)
        cutoff = self._cutoff(at)
        if cutoff is None:
            candidates = ranked[:enough]
        else:  # only groups active within the window
            candidates = []
            for item in ranked:
                last_seen = groups[item[0]].last_seen
                if last_seen is None or last_seen >= cutoff:
                    candidates.append(item)
                    if len(candidates) == enough:
                        break
        anchor_terms = [term for term, _ in query if term >= ANCHOR_BIT]
        hard = {term for term in anchor_terms if term < SOFT_BITS}
        conflict, boost = self.params.anchor_conflict, self.params.anchor_boost
        weights = dict(query)
        weight_of = weights.__getitem__
        verified = []
        for group_id, _ in candidates:
            group = groups[group_id]
            if group.norm == 0:
                continue
            centroid = self._centroid(group)
            common = weights.keys() & centroid.keys()
            dot = sum(map(mul, map(weight_of, common), map(centroid.__getitem__, common)))
            shares_hard = False
            if anchor_terms:
                anchor_dot = sum(weights[t] * centroid[t] for t in anchor_terms if t in centroid)
                dot += boost * anchor_dot
                shares_hard = bool(hard) and not hard.isdisjoint(centroid)
                if hard and not shares_hard and any(t < SOFT_BITS for t in group.anchors):
                    dot *= conflict  # both cite errors, and not the same ones
            verified.append((group_id, dot / group.norm, shares_hard))
        verified.sort(key=lambda item: (-item[1], item[0]))
        return verified

    def _shared(
        self, query: list[tuple[int, float]], group: Group, labels: Mapping[int, str] | None
    ) -> tuple[str, ...]:
        if not labels:
            return ()
        centroid = self._centroid(group)
        contributions = [(weight * centroid[term], term) for term, weight in query if term in centroid]
        top = nlargest(5, contributions)
        return tuple(labels[term] for value, term in top if term in labels and value > 0)

    def _update_centroid(self, group: Group, query: list[tuple[int, float]]) -> None:
        if not len(group) and query and min(w for _, w in query) >= 0:
            # A new group: its centroid is the query, already in key order.
            group.anchors = frozenset(term for term, _ in query if term >= ANCHOR_BIT)
            self._trim_and_reindex(group, tuple(term for term, _ in query[: self.params.n_keys]),
                                   centroid=dict(query))
            return
        centroid = dict(self._centroid(group))
        new_anchors = []
        for term, weight in query:
            centroid[term] = centroid.get(term, 0.0) + weight
            if term >= ANCHOR_BIT:
                new_anchors.append(term)
        if new_anchors:
            group.anchors = group.anchors.union(new_anchors)
        self._trim_and_reindex(group, centroid=centroid)

    def _trim_and_reindex(self, group: Group, keys: tuple[int, ...] | None = None,
                          centroid: dict[int, float] | None = None) -> None:
        """Store ``centroid`` (the group's new one; None: unchanged), trimmed
        to its strongest terms, and move the group to the recent end of its
        keys' posting lists."""
        if centroid is None:
            centroid = group.centroid
        if len(centroid) > 2 * self.params.centroid_terms:
            centroid = dict(_strongest(centroid.items(), self.params.centroid_terms))
            group.anchors = frozenset(term for term in centroid if term >= ANCHOR_BIT)
        group.centroid = centroid
        self._remember(group.group_id, centroid)
        group.norm = _norm(centroid.values())
        self.seq += 1
        group.seq = self.seq
        new_keys = keys if keys is not None else _top_keys(centroid, self.params.n_keys)
        postings, group_id = self._postings, group.group_id
        if group.keys:
            kept = set(new_keys)
            for term in group.keys:
                if term not in kept:
                    posting = postings.get(term)
                    if posting is not None:
                        posting.pop(group_id, None)
                        if not posting:
                            del postings[term]
        self._post(group, new_keys, centroid)
        group.keys = new_keys

    def _unindex(self, group: Group) -> None:
        for term in group.keys:
            posting = self._postings.get(term)
            if posting is not None:
                posting.pop(group.group_id, None)
                if not posting:
                    del self._postings[term]

    def _count_document(self, slots: np.ndarray | None) -> None:
        if slots is not None:
            self._df[slots] += 1
        self.n_threads += 1

    def _update_label(
        self,
        group: Group,
        query: list[tuple[int, float]],
        labels: Mapping[int, str],
        shared: tuple[str, ...] | None,
    ) -> None:
        """Keep a few readable terms that name the problem: the founder's
        strongest terms, then the ones later threads confirm by sharing.
        Long quoted messages are cut, so no sentence of a post is kept."""
        label_terms = group.label_terms
        if shared is None:
            for term, weight in query[:6]:
                text = labels.get(term)
                if text:
                    text = text[:LABEL_CHARS]
                    label_terms[text] = label_terms.get(text, 0.0) + abs(weight)
        else:
            for text in shared:
                text = text[:LABEL_CHARS]
                label_terms[text] = label_terms.get(text, 0.0) + 1.0
        if len(label_terms) > 16:
            group.label_terms = dict(nlargest(12, label_terms.items(), key=lambda kv: kv[1]))


class SameProblemGrouper(ClusterMixin, BaseEstimator):
    """Same-problem grouping as a scikit-learn clusterer.

    ``X`` is a sequence of texts (or ``ThreadRecord``s, to count members,
    countries and communities) or a numeric matrix whose columns are feature
    ids. ``fit`` groups from scratch in one pass, ``partial_fit`` carries on
    from where the last call stopped — the two give the same groups, which is
    the point: the batch result is the incremental one (labels handed out by
    earlier calls go through ``resolve_labels``, since a later thread can show
    two groups to be one). ``predict`` names the group each row would join
    without changing anything, -1 for none.
    The fitted ``index_`` holds hashed term weights only, never the texts.
    """

    def __init__(
        self,
        threshold: float = 0.35,
        word_threshold: float | None = 0.7,
        anchor_conflict: float = 0.5,
        anchor_boost: float = 1.0,
        glossary: Mapping[str, str] | None = None,
        n_probe: int = 6,
        n_keys: int = 12,
        posting_cap: int = 16,
        n_verify: int = 4,
        vector_terms: int = 32,
        centroid_terms: int = 64,
        ngram: int = 4,
        ngram_min_length: int = 10,
        df_bits: int = 20,
    ) -> None:
        self.threshold = threshold
        self.word_threshold = word_threshold
        self.anchor_conflict = anchor_conflict
        self.anchor_boost = anchor_boost
        self.glossary = glossary
        self.n_probe = n_probe
        self.n_keys = n_keys
        self.posting_cap = posting_cap
        self.n_verify = n_verify
        self.vector_terms = vector_terms
        self.centroid_terms = centroid_terms
        self.ngram = ngram
        self.ngram_min_length = ngram_min_length
        self.df_bits = df_bits

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.sparse = True
        return tags

    def _params(self) -> GroupingParams:
        return GroupingParams(
            threshold=float(self.threshold),
            word_threshold=None if self.word_threshold is None else float(self.word_threshold),
            anchor_conflict=float(self.anchor_conflict),
            anchor_boost=float(self.anchor_boost),
            n_probe=int(self.n_probe),
            n_keys=int(self.n_keys),
            posting_cap=int(self.posting_cap),
            n_verify=int(self.n_verify),
            vector_terms=int(self.vector_terms),
            centroid_terms=int(self.centroid_terms),
            ngram=int(self.ngram),
            ngram_min_length=int(self.ngram_min_length),
            df_bits=int(self.df_bits),
            glossary=tuple(sorted((self.glossary or {}).items())),
        )

    def fit(self, X, y=None):
        for name in ("index_", "labels_", "n_groups_", "input_kind_", "n_features_in_"):
            self.__dict__.pop(name, None)
        return self.partial_fit(X, y)

    def partial_fit(self, X, y=None):
        """Place more rows; ``labels_`` are the groups of this call's rows."""
        kind, rows = self._rows(X, reset=not hasattr(self, "index_"))
        if not hasattr(self, "index_"):
            self.index_ = GroupIndex(self._params())
            self.input_kind_ = kind
        elif kind != self.input_kind_:
            raise ValueError(f"this grouper was fitted on {self.input_kind_} input, not {kind}")
        labels = np.empty(len(rows), dtype=np.int64)
        for position, (record, raw, term_labels) in enumerate(rows):
            labels[position] = self.index_.add_terms(record, raw, term_labels).group_id
        self.labels_ = self.resolve_labels(labels)
        self.n_groups_ = len(self.index_)
        return self

    def resolve_labels(self, labels) -> np.ndarray:
        """Labels from earlier calls, mapped to the groups that absorbed
        them since (a later thread can reveal two groups to be one)."""
        check_is_fitted(self, "index_")
        resolve = self.index_.resolve
        return np.array([resolve(int(label)) if label >= 0 else -1 for label in labels], dtype=np.int64)

    def predict(self, X):
        check_is_fitted(self, "index_")
        kind, rows = self._rows(X, reset=False)
        if kind != self.input_kind_:
            raise ValueError(f"this grouper was fitted on {self.input_kind_} input, not {kind}")
        labels = np.full(len(rows), -1, dtype=np.int64)
        for position, (_, raw, term_labels) in enumerate(rows):
            found = self.index_.match_terms(raw, term_labels)
            if found is not None:
                labels[position] = found.group_id
        return labels

    def _rows(self, X, reset: bool):
        """Turn ``X`` into (record, raw terms, term labels) triples."""
        if isinstance(X, str):
            raise ValueError("expected a sequence of texts, got a single string")
        if not hasattr(X, "shape") and not isinstance(X, Sequence):
            X = list(X)  # a generator of texts or records
        if _is_text_input(X):
            params = self._params()
            glossary = Glossary.build(dict(params.glossary)) if params.glossary else EMPTY_GLOSSARY
            rows = []
            for position, item in enumerate(X):
                record = item if isinstance(item, ThreadRecord) else ThreadRecord(str(position), item)
                raw, term_labels = extract_terms(record.text, glossary, params.ngram, params.ngram_min_length)
                rows.append((record, raw, term_labels))
            if not rows:
                raise ValueError("no threads to group (0 samples)")
            return "text", rows
        matrix = validate_data(self, X, reset=reset, accept_sparse="csr", dtype=[np.float64, np.float32])
        rows = []
        if sp.issparse(matrix):
            for position in range(matrix.shape[0]):
                start, end = matrix.indptr[position], matrix.indptr[position + 1]
                raw = dict(zip(matrix.indices[start:end].tolist(), matrix.data[start:end].tolist(), strict=True))
                rows.append((ThreadRecord(str(position), ""), raw, None))
        else:
            for position, row in enumerate(np.asarray(matrix)):
                nonzero = np.flatnonzero(row)
                raw = dict(zip(nonzero.tolist(), row[nonzero].tolist(), strict=True))
                rows.append((ThreadRecord(str(position), ""), raw, None))
        return "numeric", rows


def _is_text_input(X) -> bool:
    if isinstance(X, np.ndarray):
        return X.ndim == 1 and X.size > 0 and all(isinstance(v, str | ThreadRecord) for v in X)
    if not isinstance(X, Sequence):
        return False
    return len(X) > 0 and all(isinstance(v, str | ThreadRecord) for v in X)
