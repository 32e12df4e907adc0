"""Terminal rendering for credibility, experts, the draft check, value,
solution memory and scouting: tables and lines, no decisions."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group
from rich.text import Text

from assistant.credibility import WEIGHTS, Standing
from assistant.etiquette import CheckResult
from assistant.experts import Expert
from assistant.scout import Fit
from assistant.similar import FaqCandidate, SimilarSolution
from assistant.value import Lead, Reach, ReviewThread

SEVERITY_STYLE = {"block": "bold red", "warn": "yellow", "info": "dim"}
SENTIMENT_STYLE = {"positive": "green", "negative": "red", "neutral": "dim"}


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _components_line(standing: Standing) -> str:
    c = standing.components
    median = c["median_hours_to_answer"]
    parts = [
        f"{c['solutions']} solutions acknowledged of {c['answers']} answers",
        f"score {c['score_received']}",
        f"{c['expert_replies']} expert replies",
        f"median {median:.1f}h to answer" if median is not None else "no answers timed",
        f"{_percent(c['worth_share'])} on worth-it problems",
        f"self-promotion {_percent(c['promo_share'])}"
        + (f", disclosed {_percent(c['disclosure_share'])}" if c["promo_posts"] else ""),
    ]
    return " · ".join(parts)


def credibility_view(standings: Sequence[Standing], *, weeks: int) -> Group:
    """One block per founder and community: it reads the same at 80 columns
    as on a wide terminal."""
    parts: list[Text] = [Text(f"Credibility (0–100), trend over the last {weeks} weeks", style="bold")]
    for s in standings:
        head = Text(f"\n{s.founder}", style="bold")
        head.append(f" · {s.community_id} ({s.handle})  ")
        head.append(f"{s.score:.1f}", style="bold")
        head.append("  ")
        head.append(s.sparkline, style="cyan")
        if s.change is not None:
            head.append(f"  {s.change:+.1f} since {s.trend[0][0]}")
        rank = (f"voice rank #{s.rank} of {s.ranked}" if s.rank
                else f"no voice yet among {s.ranked} members")
        if s.louder:
            rank += ", behind experts " + ", ".join(e["handle"] for e in s.louder[:3])
        head.append(f"\n  {rank}")
        head.append(f"\n  {_components_line(s)}")
        terms = " · ".join(f"{key} {s.terms[key]:.2f}×{WEIGHTS[key]:.2f}" for key in WEIGHTS)
        head.append(f"\n  terms: {terms}", style="dim")
        parts.append(head)
    return Group(*parts)


def experts_table(experts: Sequence[Expert], community_id: str) -> Group:
    """One block per member, loudest first."""
    parts: list[Text] = [Text(f"Experts of {community_id}: who to learn from, who to win over",
                              style="bold")]
    for e in experts:
        block = Text(f"\n{e.rank}. ", style="bold")
        block.append(e.handle, style="bold")
        block.append(f"  voice {e.voice:.2f} · {e.user_type.replace('_', ' ')}"
                     + (f" · {e.country}" if e.country else ""))
        block.append(f"\n   {e.answers} answers, {e.solutions} solutions, {e.helped} people helped")
        groups = "; ".join(g["label"] for g in e.groups)
        if groups:
            block.append(f"\n   answers about: {groups}")
        block.append(f"\n   with founders: we replied {e.founder_replies_to}×, they replied "
                     f"{e.replies_to_founders}×, {e.shared_threads} threads together")
        block.append(f"\n   {e.relation}", style="dim")
        parts.append(block)
    return Group(*parts)


def check_view(result: CheckResult) -> Group:
    lines: list[Text] = []
    for f in result.findings:
        line = Text(f"{f.severity.upper():5} ", style=SEVERITY_STYLE[f.severity])
        line.append(f"{f.code}: ", style="bold")
        line.append(f.message)
        line.append(f"\n      → {f.suggestion}", style="dim")
        lines.append(line)
    if result.blocked:
        verdict = Text("Do not post this draft as it is.", style="bold red")
    else:
        warned = sum(1 for f in result.findings if f.severity == "warn")
        verdict = Text(
            f"OK to post in {result.community_id}"
            + (f" ({warned} warning{'s' if warned != 1 else ''} worth a look)." if warned else "."),
            style="bold green",
        )
    return Group(*lines, verdict)


def leads_table(leads: Sequence[Lead]) -> Group:
    parts: list[Text] = [Text("Leads", style="bold")]
    for lead in leads:
        line = Text(f"#{lead.id} ", style="bold")
        line.append(f"{lead.member} · {lead.stage} · {lead.value:,.0f} · "
                    f"{lead.country or 'country unknown'}" + (" (abroad)" if lead.abroad else ""))
        line.append(f"\n   from {lead.community_id}, #{lead.thread_id} {lead.thread_title or ''}",
                    style="dim")
        if lead.problem_group:
            line.append(f"\n   problem group {lead.problem_group}", style="dim")
        parts.append(line)
    return Group(*parts)


def reach_lines(reach: Reach) -> list[str]:
    def line(label: str, share, unit: str) -> str:
        known = f"{share.known:,.0f}" if unit else f"{share.known:g}"
        return (f"{label:<18}{_percent(share.share):>5} from abroad  "
                f"({share.abroad:,.0f} of {known}{unit} with a known country; {share.total:,.0f}{unit} in all)")

    lines = [
        f"International reach (home country {reach.home_country}; Dewak reached "
        f"{reach.dewak_share:.0%} of revenue from abroad)",
        line("Engaged members", reach.engaged, ""),
        line("Leads", reach.leads, ""),
        line("Revenue", reach.revenue, " value"),
        line("Pipeline", reach.pipeline, " value"),
    ]
    if reach.countries:
        lines.append("Engaged countries " + ", ".join(f"{c} {n}" for c, n in reach.countries.items()))
    for community_id, entry in reach.by_community.items():
        lines.append(f"  {community_id:<20} {entry['engaged']} engaged, "
                     f"{_percent(entry['share'])} of known abroad")
    return lines


def review_view(threads: Sequence[ReviewThread]) -> Group:
    parts: list[Text] = []
    for review in threads:
        if review.thread_id is None:
            parts.append(Text(f"{review.community_id}: review thread {review.native_id} is not "
                              "stored yet (fetch the community first)", style="yellow"))
            continue
        mean = "—" if review.mean_sentiment is None else f"{review.mean_sentiment:+.2f}"
        parts.append(Text(
            f"{review.community_id}: {review.title} — {len(review.posts)} "
            f"{'new ' if any(p.new for p in review.posts) else ''}of {review.total_posts} posts, "
            f"mean sentiment {mean}" + ("; nothing new" if not review.posts else ""),
            style="bold",
        ))
        for post in review.posts:
            line = Text(f"\n{post.created_at[:10]} {post.author or '?'}"
                        + (" (us)" if post.by_founder else "") + "  ")
            line.append(f"{post.label} {post.sentiment:+.2f}", style=SENTIMENT_STYLE[post.label])
            line.append(f"  ({post.why})", style="dim")
            line.append(f"\n   {post.text[:400]}")
            parts.append(line)
    return Group(*parts)


def similar_view(matches: Sequence[SimilarSolution], title: str) -> Group:
    parts: list = [Text(f"Solved before, most like “{title}”:", style="bold")]
    for index, m in enumerate(matches, start=1):
        who = f"{m.founder} (founder)" if m.founder else (m.solved_by or "the community")
        head = Text(f"{index}. {m.similarity:.0%} alike  ", style="bold")
        head.append(f"#{m.thread_id} {m.title}")
        head.append(f"\n   {m.community_id} · {m.created_at[:10]} · solved by {who} ({m.how})"
                    f" · {m.solution_url or m.url or ''}", style="dim")
        parts.append(head)
        if m.solution_text:
            parts.append(Text("   " + m.solution_text.strip().replace("\n", "\n   ")))
    return Group(*parts)


def faq_table(candidates: Sequence[FaqCandidate]) -> Group:
    parts: list[Text] = [Text("FAQ and tool candidates: problems the founders keep solving",
                              style="bold")]
    for c in candidates:
        line = Text(f"\n{c.label}", style="bold")
        line.append(f" — write {'a tool' if c.suggestion == 'tool' else 'an FAQ answer'}")
        line.append(f"\n   {c.why}", style="dim")
        parts.append(line)
    return Group(*parts)


def scout_table(fits: Sequence[Fit]) -> Group:
    parts: list[Text] = [Text("Community fit (0–100), best first", style="bold")]
    for index, fit in enumerate(fits, start=1):
        line = Text(f"\n{index}. ", style="bold")
        if fit.error:
            line.append(fit.spec, style="bold")
            line.append(f"  could not read: {fit.error}", style="red")
        else:
            line.append(f"{fit.fit:.0f}  {fit.spec}", style="bold")
            for reason in fit.reasons:
                line.append(f"\n   {reason}")
        parts.append(line)
    return Group(*parts)
