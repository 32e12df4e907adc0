"""Check a draft answer against its community's etiquette before a founder posts it.

Lesson 2 of the Dewak case: be a good member. Communities tolerate a little
self-promotion (Reddit's 9:1 rule), want to know who a poster works for, and
reward answers that solve the problem over answers that point elsewhere. The
research adds one risk: what staff write in public stays searchable forever,
so customer names, unreleased plans and contract terms must never slip out.

Each finding has a ``code``, a ``severity`` (``block``: do not post as is;
``warn``: worth a second look; ``info``: for the record), a message and a
suggestion. Everything is a rule a founder can read; nothing is learned.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from assistant import clock
from assistant.domain import iso
from assistant.store import Store
from assistant.threadref import resolve_thread
from playbooks import CommunityConfig, Founder, Playbook
from playbooks.model import Startup

SEVERITIES = ("block", "warn", "info")
PROMOTION_WINDOW_DAYS = 30
SHORT_ANSWER_WORDS = 20
BARE_LINK_WORDS = 8

URL = re.compile(r"(?:https?://|\bwww\.)[^\s<>()\[\]\"'`]+", re.IGNORECASE)
HOST = re.compile(r"\b((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,})\b", re.IGNORECASE)

LIST_ITEM = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*•])\s+\S", re.MULTILINE)
CODE = re.compile(r"```|`[^`\n]+`|^(?: {4}|\t)\S", re.MULTILINE)
MENU_PATH = re.compile(r"\w+\s*(?:>|→|»)\s*\w+\s*(?:>|→|»)\s*\w+")
IMPERATIVE = re.compile(
    r"(?:^|[.!?:;]\s+|\n\s*)(?:then\s+|and\s+|first,?\s+|luego\s+|después\s+|dann\s+|zuerst\s+)?"
    r"(check|open|go to|set|run|change|enable|disable|add|remove|restart|click|select|update|"
    r"install|configure|edit|create|delete|make sure|try|use|replace|rename|reconnect|"
    r"revisa|abre|ve a|configura|cambia|activa|desactiva|añade|agrega|elimina|borra|reinicia|"
    r"haz clic|selecciona|instala|comprueba|asegúrate|prueba|usa|"
    r"prüfe|prüft|öffne|öffnet|gehe|geht|setze|setzt|stelle|ändere|aktiviere|deaktiviere|"
    r"füge|entferne|starte|klicke|wähle|installiere|trage|lege)\b",
    re.IGNORECASE,
)
EXPLANATION = re.compile(
    r"\b(because|the reason|this happens|happens when|caused by|that's why|which means|so that|"
    r"porque|debido a|la causa|por eso|ocurre cuando|pasa cuando|"
    r"weil|daher|deshalb|liegt an|liegt daran|Ursache|passiert, wenn)\b",
    re.IGNORECASE,
)
ROADMAP = re.compile(
    r"\bQ[1-4]\s*(?:['’]\s*\d{2}|(?:19|20)\d{2})\b"
    r"|\b(?:H[12]|[1-4]Q)\s*(?:19|20)\d{2}\b"
    r"|\b(?:next|upcoming|coming|planned|scheduled|due|forthcoming)\s+(?:\w+\s+){0,3}?"
    r"(?:in|for|by|around)\s+(?:early\s+|late\s+|mid-?\s*)?"
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"spring|summer|autumn|fall|winter|(?:19|20)\d{2})\b"
    r"|\b(?:pr[oó]xim[ao]|nuev[ao])\s+(?:\w+\s+){0,2}?(?:en|para)\s+"
    r"(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|"
    r"primavera|verano|otoño|invierno|(?:19|20)\d{2})\b"
    r"|\b(?:primer|segundo|tercer|cuarto)\s+trimestre\b"
    r"|\b(?:nächste|kommende)[nrs]?\s+(?:\w+\s+){0,2}?(?:im|in|ab)\s+"
    r"(?:januar|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember|"
    r"frühjahr|sommer|herbst|winter|(?:19|20)\d{2})\b"
    r"|\b(?:ersten|zweiten|dritten|vierten)\s+quartal\b",
    re.IGNORECASE,
)
PRICING = re.compile(
    r"(?:[$€£]\s?\d[\d.,]*|\b\d[\d.,]*\s?(?:€|usd|eur|gbp|cop|dollars?|euros?)\b"
    r"|\b(?:usd|eur|gbp)\s?\d[\d.,]*)(?:\s*(?:/|per|por|pro)\s*(?:seat|agent|user|month|year|"
    r"agente|usuario|mes|año|nutzer|monat|jahr))?"
    r"|\b\d{1,2}\s?%\s*(?:off|discount|descuento|rabatt)\b"
    r"|\b(?:discount|descuento|rabatt|contract|contrato|vertrag|renewal|renovación|"
    r"verlängerung|price list|lista de precios|preisliste)\b",
    re.IGNORECASE,
)
SELF_IDENTIFICATION = re.compile(
    r"\b(i am|i'm|i work|i co-?founded|we built|we make|founder|co-?founder|disclosure|"
    r"soy|trabajo en|cofundador[a]?|fundador[a]?|aviso|"
    r"ich bin|ich arbeite|gründer(?:in)?|mitgründer(?:in)?|offenlegung|hinweis)\b",
    re.IGNORECASE,
)


class EtiquetteError(Exception):
    """A draft that cannot be checked (empty, unreadable)."""


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str
    suggestion: str


@dataclass
class CheckResult:
    thread_id: int
    community_id: str
    founder: str | None
    findings: list[Finding] = field(default_factory=list)
    promotion: dict[str, Any] = field(default_factory=dict)

    @property
    def blocked(self) -> bool:
        return any(f.severity == "block" for f in self.findings)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["blocked"] = self.blocked
        return data


# ------------------------------------------------------------ reading text


def links(text: str) -> list[str]:
    """Every URL in the text (markdown and HTML links included)."""
    return [match.rstrip(".,;:!?") for match in URL.findall(text or "")]


def _host_matches(host: str, domains: tuple[str, ...]) -> bool:
    host = host.lower().removeprefix("www.")
    return any(host == d.lower() or host.endswith("." + d.lower()) for d in domains)


def own_domain_mentions(text: str, domains: tuple[str, ...]) -> list[str]:
    """Hosts of the startup's own domains, linked or written out bare
    ("see corvinalabs.example/tools" points people there too)."""
    if not domains:
        return []
    return sorted({h.lower() for h in HOST.findall(text or "") if _host_matches(h, domains)})


def has_disclosure(text: str, startup: Startup) -> bool:
    """The playbook's disclosure line (whitespace and case aside), or the
    startup's name beside a self-identification ("I'm a co-founder of …",
    "soy cofundador de …") — the line translated for a community in another
    language still counts."""
    normal = " ".join((text or "").split()).casefold()
    line = " ".join(startup.disclosure.split()).casefold()
    if line and line in normal:
        return True
    return startup.name.casefold() in normal and bool(SELF_IDENTIFICATION.search(text or ""))


def words(text: str) -> int:
    return len(re.findall(r"\w+", URL.sub(" ", text or "")))


def promotes(text: str, startup: Startup) -> bool:
    return bool(own_domain_mentions(text, startup.domains))


def post_text(row: dict[str, Any]) -> str:
    """Plain text plus markup: a link may only show up in the markup's href."""
    return f"{row.get('body_text') or ''}\n{row.get('body_markup') or ''}"


# ------------------------------------------------------------ the founder


def _founder_for(playbook: Playbook, community: CommunityConfig, name: str | None) -> Founder | None:
    if name:
        return playbook.founder(name)
    present = [f for f in playbook.founders if f.handle_in(community)]
    return present[0] if len(present) == 1 else None


def promotion_share(
    store: Store, playbook: Playbook, community: CommunityConfig, handle: str, now: datetime,
    *, days: int = PROMOTION_WINDOW_DAYS,
) -> tuple[int, int]:
    """(posts linking the startup's domains, all posts) by ``handle`` in the
    community over the last ``days``: replies and threads they opened."""
    since = iso(now - timedelta(days=days))
    rows = store.query(
        "SELECT body_text, body_markup FROM posts WHERE community_id = ? AND author = ? "
        "AND created_at >= ? AND created_at <= ? "
        "UNION ALL SELECT body_text, body_markup FROM threads WHERE community_id = ? "
        "AND author = ? AND created_at >= ? AND created_at <= ?",
        (community.id, handle, since, iso(now), community.id, handle, since, iso(now)),
    )
    promoted = sum(1 for row in rows if promotes(post_text(row), playbook.startup))
    return promoted, len(rows)


# ------------------------------------------------------------ the checks


def _solution_findings(text: str) -> list[Finding]:
    found = links(text)
    count = words(text)
    if found and count < BARE_LINK_WORDS:
        return [Finding(
            "bare_link", "warn",
            f"the answer is only a link ({count} word{'s' if count != 1 else ''} besides it)",
            "Put the fix itself in the answer — the steps, or the key setting — and keep the "
            "link as a source; links rot and readers skip them.",
        )]
    steps = (
        len(LIST_ITEM.findall(text)) >= 2
        or bool(CODE.search(text))
        or bool(MENU_PATH.search(text))
        or len(IMPERATIVE.findall(text)) >= 2
    )
    if steps:
        return []
    if count < SHORT_ANSWER_WORDS:
        return [Finding(
            "answer_not_solution", "warn",
            f"{count} words and no steps: an answer to the question, not a solution to the problem",
            "Say what to change and where (numbered steps, the exact setting or command), and "
            "why it fixes the problem.",
        )]
    if not EXPLANATION.search(text):
        return [Finding(
            "no_steps", "info",
            "no steps, commands or settings, and no explanation of the cause",
            "Readers act on steps; add them, or say why the problem happens.",
        )]
    return []


def _confidential_findings(text: str, playbook: Playbook) -> list[Finding]:
    findings = []
    lowered = text.casefold()
    for name in playbook.confidential.customer_names:
        if re.search(rf"(?<!\w){re.escape(name.casefold())}(?!\w)", lowered):
            findings.append(Finding(
                "confidential_customer", "block",
                f"names the customer {name!r}, which the playbook lists as confidential",
                f"Remove {name!r}; describe the case without saying who it was "
                "(\"a bank we work with\").",
            ))
    roadmap = sorted({m.group(0).strip() for m in ROADMAP.finditer(text)})
    if roadmap:
        findings.append(Finding(
            "roadmap_date", "warn",
            "mentions a date for unreleased work: " + ", ".join(repr(r) for r in roadmap),
            "Public posts stay searchable for years: drop the date, or say \"planned\" "
            "without one unless it is already announced.",
        ))
    terms = {m.group(0).strip() for m in PRICING.finditer(text)}
    for term in playbook.confidential.terms:
        if re.search(rf"(?<!\w){re.escape(term.casefold())}(?!\w)", lowered):
            terms.add(term)
    if terms:
        findings.append(Finding(
            "contract_terms", "warn",
            "mentions prices or contract terms: " + ", ".join(repr(t) for t in sorted(terms)),
            "Keep prices, discounts and contract details out of public answers; offer to "
            "continue in a private message.",
        ))
    return findings


def check_text(
    store: Store,
    playbook: Playbook,
    community: CommunityConfig,
    text: str,
    *,
    founder: Founder | None,
    now: datetime,
) -> tuple[list[Finding], dict[str, Any]]:
    """Every rule on a draft for one community; the community's own etiquette
    comes from the playbook."""
    rules = community.etiquette
    startup = playbook.startup
    findings: list[Finding] = []
    promotion: dict[str, Any] = {}
    found_links = links(text)
    own = own_domain_mentions(text, startup.domains)

    if found_links and not rules.links_allowed:
        findings.append(Finding(
            "links_not_allowed", "block",
            f"{community.id} does not allow links; the draft has {len(found_links)}",
            "Write the steps out in the answer and remove the link(s).",
        ))
    if own and rules.disclosure_required and not has_disclosure(text, startup):
        findings.append(Finding(
            "undisclosed_link", "block",
            f"links to {', '.join(own)} (our own site) without saying who we are",
            f"Add the disclosure line: {startup.disclosure}",
        ))

    handle = founder.handle_in(community) if founder else None
    if founder is None:
        findings.append(Finding(
            "founder_unknown", "info",
            "no founder given, so the self-promotion share was not counted",
            "Pass --as NAME to count your last 30 days of posts.",
        ))
    elif handle is None:
        findings.append(Finding(
            "founder_unknown", "info",
            f"{founder.name} has no handle in {community.id}, so the self-promotion share "
            "was not counted",
            f"Add a handle for {community.id} to the founder in the playbook.",
        ))
    else:
        promoted, total = promotion_share(store, playbook, community, handle, now)
        limit = rules.max_self_promotion_share
        draft_promotes = bool(own)
        share = (promoted + draft_promotes) / (total + 1)
        promotion = {"handle": handle, "promoted": promoted + draft_promotes, "posts": total + 1,
                     "share": round(share, 4), "limit": limit, "days": PROMOTION_WINDOW_DAYS}
        ratio = f"{promoted + draft_promotes} of {total + 1} posts ({share:.0%})"
        if draft_promotes and share > limit:
            findings.append(Finding(
                "self_promotion_share", "block",
                f"with this draft, {ratio} in the last {PROMOTION_WINDOW_DAYS} days would point at "
                f"our own site; {community.id} allows {limit:.0%}",
                "Drop the link to our site from this answer, or post more answers without one first.",
            ))
        elif draft_promotes:
            findings.append(Finding(
                "self_promotion_share", "info",
                f"with this draft, {ratio} in the last {PROMOTION_WINDOW_DAYS} days point at our own "
                f"site (limit {limit:.0%})",
                "Within the community's limit.",
            ))
        elif total and promoted / total > limit:
            findings.append(Finding(
                "self_promotion_share", "info",
                f"{promoted} of {total} recent posts ({promoted / total:.0%}) point at our own site, "
                f"above {community.id}'s {limit:.0%}; this draft brings it down to {share:.0%}",
                "Keep answering without links for a while.",
            ))

    findings.extend(_solution_findings(text))
    findings.extend(_confidential_findings(text, playbook))
    order = {severity: index for index, severity in enumerate(SEVERITIES)}
    findings.sort(key=lambda f: order[f.severity])
    return findings, promotion


def check_draft(
    store: Store,
    playbook: Playbook,
    thread: Any,
    text: str,
    *,
    founder: str | None = None,
    now: datetime | None = None,
) -> CheckResult:
    """Check ``text`` as an answer to ``thread`` (id, ``community:native_id`` or
    URL) by ``founder`` (name, handle or Discord name; optional when only one
    founder has a handle in the thread's community)."""
    if not (text or "").strip():
        raise EtiquetteError("the draft is empty")
    row = resolve_thread(store, thread)
    community = playbook.community(row["community_id"])
    who = _founder_for(playbook, community, founder)
    now = now or clock.now(store)
    findings, promotion = check_text(store, playbook, community, text, founder=who, now=now)
    if row["is_solved"]:
        findings.append(Finding(
            "already_solved", "info",
            "the thread is already marked solved",
            "Add something the accepted answer lacks, or let it be.",
        ))
    return CheckResult(row["id"], community.id, who.name if who else None, findings, promotion)


# ------------------------------------------------------------ past posts


@dataclass(frozen=True)
class AuditFinding:
    """A founder post already on the forum that broke a community rule."""

    community_id: str
    founder: str
    handle: str
    thread_id: int
    post_id: int | None
    created_at: str
    url: str | None
    code: str
    message: str


def audit_posts(store: Store, playbook: Playbook, *, since: datetime | None = None) -> list[AuditFinding]:
    """The founders' stored posts (and threads they opened) that link our own
    site without the disclosure where one is required, or link at all where
    links are not allowed: what to edit on the forum, oldest first."""
    found: list[AuditFinding] = []
    floor = iso(since) if since else ""
    for community in playbook.communities:
        rules = community.etiquette
        for handle, name in playbook.founder_handles(community).items():
            rows = store.query(
                "SELECT p.thread_id, p.id AS post_id, p.created_at, coalesce(p.url, t.url) AS url, "
                "p.body_text, p.body_markup FROM posts p JOIN threads t ON t.id = p.thread_id "
                "WHERE p.community_id = ? AND p.author = ? AND p.created_at >= ? "
                "UNION ALL SELECT id, NULL, created_at, url, body_text, body_markup FROM threads "
                "WHERE community_id = ? AND author = ? AND created_at >= ? ORDER BY 3",
                (community.id, handle, floor, community.id, handle, floor),
            )
            for row in rows:
                text = post_text(row)
                problems = []
                own = own_domain_mentions(text, playbook.startup.domains)
                if own and rules.disclosure_required and not has_disclosure(text, playbook.startup):
                    problems.append(("undisclosed_link",
                                     f"links to {', '.join(own)} without the disclosure"))
                if links(row["body_text"] or "") and not rules.links_allowed:
                    problems.append(("links_not_allowed", f"{community.id} does not allow links"))
                for code, message in problems:
                    found.append(AuditFinding(community.id, name, handle, row["thread_id"],
                                              row["post_id"], row["created_at"], row["url"], code,
                                              message))
    found.sort(key=lambda f: f.created_at)
    return found
