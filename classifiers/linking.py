"""The same person in several communities.

A reseller active on Reddit, the vendor's Discourse and Stack Exchange is one
lead, and one member affected by a problem should count once. Accounts are
linked when their profiles point to the same place (a GitHub or LinkedIn
page, a personal site), when their posts end with the same signature, or when
they use the same distinctive handle. Each proposal is a plain record with
its reasons and a confidence, so the application can store it, show why, and
undo it when an analyst says the match was wrong.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

MemberKey = tuple[str, str]  # (community, member id)


@dataclass(frozen=True, slots=True)
class MemberRef:
    """What can identify a member across communities."""

    community: str
    member_id: str
    handle: str = ""
    display_name: str | None = None
    website: str | None = None
    profile_urls: Sequence[str] = ()
    about: str | None = None
    signature: str | None = None
    texts: Sequence[str] = ()

    @property
    def key(self) -> MemberKey:
        return (self.community, self.member_id)


@dataclass(frozen=True, slots=True)
class LinkProposal:
    """Two accounts believed to be one person, and why."""

    a: MemberKey
    b: MemberKey
    confidence: float
    reasons: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict:
        return {
            "a_community": self.a[0],
            "a_member": self.a[1],
            "b_community": self.b[0],
            "b_member": self.b[1],
            "confidence": self.confidence,
            "reasons": list(self.reasons),
        }


# Handles too common to identify anyone.
COMMON_HANDLES = frozenset(
    ["admin", "administrator", "user", "guest", "test", "anonymous", "anon", "deleted", "removed", "moderator", "mod", "support", "help", "john", "mike", "david", "chris", "alex", "sam", "max", "tom", "dan", "ben", "nick", "matt", "james", "paul", "mark", "peter", "steve", "joe", "bob", "me", "you", "dev", "developer", "coder", "hacker", "root", "system", "bot"]
)
# Hosts whose first path segment names a person.
PROFILE_HOSTS = frozenset(
    ["github.com", "gitlab.com", "bitbucket.org", "twitter.com", "x.com", "linkedin.com", "mastodon.social", "medium.com", "dev.to", "keybase.io", "facebook.com", "instagram.com", "youtube.com", "reddit.com", "stackoverflow.com", "stackexchange.com", "discord.com", "t.me"]
)
# Hosts shared by everyone: a link to them alone identifies nobody.
SHARED_HOSTS = frozenset(
    ["gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "yahoo.com", "icloud.com", "proton.me", "protonmail.com", "google.com", "wikipedia.org", "example.com", "localhost"]
)

_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"')\]]+", re.IGNORECASE)
_NORMAL_HANDLE_RE = re.compile(r"[\W_]+")


def normalise_handle(handle: str) -> str:
    """``Ana_Silva-PT`` and ``ana.silva.pt`` are the same handle."""
    return _NORMAL_HANDLE_RE.sub("", handle.lower())


def normalise_url(url: str) -> str | None:
    """A comparable form of a profile link: the host, plus the first path
    segment for sites where it names the person (github.com/ana-silva)."""
    value = url.strip().lower()
    value = re.sub(r"^[a-z][a-z0-9+.\-]*://", "", value).removeprefix("www.")
    host, _, path = value.partition("/")
    host = host.split(":", 1)[0].strip(".")
    if not host or "." not in host or host in SHARED_HOSTS:
        return None
    if host.startswith("m.") or host.startswith("mobile."):
        host = host.split(".", 1)[1]
    if host in PROFILE_HOSTS:
        segments = [s for s in path.split("/") if s and s not in ("in", "u", "user", "users", "@")]
        if not segments:
            return None
        return f"{host}/{segments[0].lstrip('@').split('?', 1)[0]}"
    return host


def profile_links(member: MemberRef) -> set[str]:
    links = set()
    for value in (member.website, *member.profile_urls):
        if value:
            normal = normalise_url(value)
            if normal:
                links.add(normal)
    for text in (member.about, member.signature):
        for url in _URL_RE.findall(text or ""):
            normal = normalise_url(url)
            if normal:
                links.add(normal)
    return links


def extract_signature(texts: Sequence[str], min_posts: int = 2) -> str | None:
    """The closing lines a member repeats at the end of their posts (after a
    ``--`` line, or the same last line in several posts)."""
    endings: Counter = Counter()
    for text in texts:
        lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
        if len(lines) < 2:
            continue
        if "--" in lines[:-1]:
            index = len(lines) - 1 - lines[::-1].index("--")
            ending = " ".join(lines[index + 1 :])
        else:
            ending = lines[-1]
        if 8 <= len(ending) <= 200:
            endings[ending] += 1
    if not endings:
        return None
    ending, count = endings.most_common(1)[0]
    return ending if count >= min_posts else None


def _normal_signature(signature: str | None) -> str | None:
    if not signature:
        return None
    normal = re.sub(r"\s+", " ", signature.lower()).strip(" -—")
    return normal if len(normal) >= 12 and len(set(normal.split())) >= 2 else None


def _handle_strength(handle: str) -> float:
    if not handle or handle in COMMON_HANDLES or len(handle) < 4:
        return 0.0
    if len(handle) >= 8 or any(c.isdigit() for c in handle):
        return 0.7
    return 0.5 if len(handle) >= 6 else 0.35


MAX_BLOCK = 20
"""Accounts sharing one value beyond which the value is generic."""


def propose_links(
    members: Iterable[MemberRef], min_confidence: float = 0.5, max_block: int = MAX_BLOCK,
    *, generic: Collection[tuple[str, str]] = (),
) -> list[LinkProposal]:
    """Pairs of accounts in different communities that look like one person.
    Only accounts sharing a handle, link or signature are compared, and a
    value shared by more than ``max_block`` accounts is ignored as generic,
    as are the ``generic`` keys (known to be shared by more accounts than
    were passed)."""
    members = list(members)
    blocks: dict[tuple[str, str], list[int]] = {}
    for index, member in enumerate(members):
        for key in block_keys(member):
            blocks.setdefault(key, []).append(index)
    evidence: dict[tuple[int, int], list[tuple[float, str]]] = {}
    for (kind, value), indexes in blocks.items():
        if len(indexes) < 2 or len(indexes) > max_block or (kind, value) in generic:
            continue
        for i, j in combinations(sorted(set(indexes)), 2):
            if members[i].community == members[j].community:
                continue
            if kind == "handle":
                item = (_handle_strength(value), f"same handle {members[i].handle!r} / {members[j].handle!r}")
            elif kind == "link":
                item = (0.9, f"both profiles link to {value}")
            else:
                item = (0.8, f"same signature {value[:60]!r}")
            evidence.setdefault((i, j), []).append(item)
    proposals = []
    for (i, j), items in evidence.items():
        a, b = members[i], members[j]
        if a.display_name and b.display_name and _same_name(a.display_name, b.display_name):
            items.append((0.3, f"same display name {a.display_name!r}"))
        doubt = 1.0
        for strength, _ in items:
            doubt *= 1.0 - strength
        confidence = round(1.0 - doubt, 4)
        if confidence >= min_confidence:
            first, second = sorted((a.key, b.key))
            reasons = tuple(reason for _, reason in sorted(items, key=lambda item: -item[0]))
            proposals.append(LinkProposal(first, second, confidence, reasons))
    return sorted(proposals, key=lambda p: (-p.confidence, p.a, p.b))


def block_keys(member: MemberRef) -> list[tuple[str, str]]:
    """The values a member is compared on (a distinctive handle, profile
    links, a signature): only members sharing one are ever paired, so an
    index of these keys finds a member's candidates without reading everyone."""
    keys = []
    handle = normalise_handle(member.handle)
    if _handle_strength(handle) > 0:
        keys.append(("handle", handle))
    keys += [("link", link) for link in profile_links(member)]
    signature = _normal_signature(member.signature or extract_signature(member.texts))
    if signature:
        keys.append(("signature", signature))
    return keys


def _same_name(a: str, b: str) -> bool:
    left, right = a.lower().split(), b.lower().split()
    return len(left) >= 2 and left == right


def linked_people(
    members: Iterable[MemberKey], links: Iterable[LinkProposal | tuple[MemberKey, MemberKey]]
) -> dict[MemberKey, str]:
    """A person id for every member, given the links kept (undone links are
    simply left out): linked accounts share the id of the first of them."""
    parent: dict[MemberKey, MemberKey] = {}

    def find(key: MemberKey) -> MemberKey:
        root = key
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(key, key) != root:
            parent[key], key = root, parent[key]
        return root

    keys = list(members)
    for key in keys:
        parent.setdefault(key, key)
    for link in links:
        a, b = (link.a, link.b) if isinstance(link, LinkProposal) else link
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            first, second = sorted((root_a, root_b))
            parent[second] = first
    return {key: "{}:{}".format(*find(key)) for key in parent}
