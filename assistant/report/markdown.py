"""The weekly report as Markdown: short tables and sentences that read well
pasted into a chat or a pull request. Forum text is escaped, so a title full of
asterisks or pipes cannot break the layout."""

from __future__ import annotations

import re
from typing import Any

from assistant.report.text import (
    QUEUE_ROWS,
    category,
    count,
    kind,
    number,
    pct,
    queue_value,
    signed,
    when,
)

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#])")


def escape(text: Any) -> str:
    """Forum text inside Markdown: special characters escaped, one line."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """First column left, numbers right."""
    marks = ["---:" if i else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(marks) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def render_markdown(data: dict[str, Any]) -> str:
    lines: list[str] = []
    status = "complete" if data["complete"] else "week still under way"
    lines += [
        f"# Weekly report {data['week']} ({data['span']})",
        "",
        f"{escape(data['startup']['name'])} · as of {when(data['as_of'])} ({status}) · "
        f"compared with {data['previous_week']}",
        "",
    ]
    for section in (_threads, _problems, _faq, _queue, _credibility, _etiquette, _experts,
                    _communities, _user_types, _reach, _agreement):
        lines += section(data)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _threads(data: dict) -> list[str]:
    week, previous = data["threads"]["week"], data["threads"]["previous"]
    rows = [
        [escape(c), str(n), str(previous["by_community"].get(c, 0)),
         signed(n - previous["by_community"].get(c, 0))]
        for c, n in week["by_community"].items()
    ]
    rows.append(["**all**", f"**{week['total']}**", str(previous["total"]),
                 signed(week["total"] - previous["total"])])
    categories = " · ".join(
        f"{category(cat)} {n} ({signed(n - previous['by_category'].get(cat, 0))})"
        for cat, n in week["by_category"].items()
    )
    return [
        "## New threads",
        "",
        *_table(["community", "this week", "last week", "change"], rows),
        "",
        f"By category: {categories}.",
    ]


def _problems(data: dict) -> list[str]:
    problems = data["problems"]
    lines = ["## Pervasive problems: the candidates for a product", ""]
    if not problems["groups"]:
        return [*lines, f"No pervasive, solvable problem in the last {problems['lookback_days']} "
                        "days."]
    lines.append(
        f"{problems['candidates']} same-problem group(s) are pervasive and solvable "
        f"(last {problems['lookback_days']} days); the top {len(problems['groups'])}:"
    )
    lines.append("")
    for rank, group in enumerate(problems["groups"], 1):
        countries = ", ".join(group["countries"]) or "no known country"
        capability = f"; capability {escape(group['capability'])}" if group["capability"] else ""
        lines.append(
            f"{rank}. **{escape(group['label'])}**: {count(group['affected_members'], 'member')} "
            f"in {count(len(group['countries']), 'country', 'countries')} ({countries}), "
            f"{count(len(group['communities']), 'community', 'communities')}, "
            f"{count(group['threads'], 'thread')}; {group['new_members_week']} new this week "
            f"(growth {signed(group['growth'])}){capability}"
        )
        for example in group["examples"]:
            lines.append(f"   - {escape(example['title'])} ({escape(example['community'])})")
    return lines


def _faq(data: dict) -> list[str]:
    lines = ["## FAQ and tool candidates: problems the founders keep solving", ""]
    candidates = data["faq_candidates"]
    if not candidates:
        return [*lines, "No problem group has been solved by the founders three times yet."]
    for candidate in candidates:
        what = "write a free tool" if candidate["suggestion"] == "tool" else "write one FAQ answer"
        lines.append(f"- **{escape(candidate['label'])}** — {what}: {escape(candidate['why'])}")
    return lines


def _etiquette(data: dict) -> list[str]:
    lines = ["## Etiquette: founders' posts to fix", ""]
    if not data["etiquette"]:
        return [*lines, "Every founder post this week kept its community's rules."]
    for finding in data["etiquette"]:
        lines.append(f"- {escape(finding['founder'])} in {escape(finding['community_id'])} "
                     f"({when(finding['created_at'])}): {escape(finding['message'])} "
                     f"{escape(finding['url'] or '')}".rstrip())
    return lines


def _communities(data: dict) -> list[str]:
    lines = ["## Communities: where to keep showing up (last four weeks)", ""]
    if not data["communities"]:
        return [*lines, "No thread in the last four weeks."]
    rows = [
        [escape(c["spec"]), f"{c['fit']:.0f}", pct(c["problem_share"]), pct(c["solvable_share"]),
         pct(c["unanswered_share"]), str(len(c["countries"])), ", ".join(c["languages"])]
        for c in data["communities"]
    ]
    return lines + _table(["community", "fit", "problems", "we can solve", "unanswered",
                           "countries", "languages"], rows)


def _queue(data: dict) -> list[str]:
    queue = data["queue"]
    rows = [
        [label, queue_value(key, queue["week"]), queue_value(key, queue["previous"])]
        for key, label in QUEUE_ROWS
    ]
    lines = [
        "## Queue health",
        "",
        f"Every queued thread has an answer-by time {number(queue['answer_within_hours'])} hours "
        "after it is queued.",
        "",
        *_table(["", "this week", "last week"], rows),
    ]
    founders = queue["week"]["answered_by_founder"]
    if founders:
        lines += ["", "Answered this week: " + ", ".join(
            f"{escape(name)} {n}" for name, n in founders.items()) + "."]
    return lines


def _credibility(data: dict) -> list[str]:
    section = data["credibility"]
    lines = ["## Founders' credibility", ""]
    if not section["snapshots"]:
        return [*lines, "No credibility snapshot yet: the first one is taken when credibility is "
                        "scored."]
    if not section["founders"]:
        return [*lines, f"No credibility snapshot up to {data['week']} yet."]
    rows = []
    for row in section["founders"]:
        week = row["week"] if row["current"] else f"{row['week']} (latest)"
        rows.append([escape(row["founder"]), escape(row["community"]), number(row["score"]),
                     signed(row["change"]), week])
    lines += _table(["founder", "community", "score", "change", "snapshot"], rows)
    if not section["snapshots_this_week"]:
        lines += ["", f"No snapshot for {data['week']} yet; the latest ones are shown."]
    return lines


def _experts(data: dict) -> list[str]:
    lines = ["## The communities' experts", ""]
    any_listed = False
    for community, people in data["experts"]["communities"].items():
        if not people:
            continue
        any_listed = True
        names = "; ".join(
            f"{escape(p['handle'])} ({kind(p['user_type'])}, voice {number(p['voice'])}, "
            f"{p['country'] or 'country unknown'}, {p['accepted_answers']} accepted, "
            f"{p['replies_week']} replies this week)"
            for p in people
        )
        lines.append(f"- **{escape(community)}**: {names}")
    if not any_listed:
        lines.append("No expert found yet: members get a voice once replies are scored.")
    return lines


def _user_types(data: dict) -> list[str]:
    section = data["user_types"]
    week, previous = section["week"], section["previous"]
    kinds = list(week["by_type"]) + [k for k in previous["by_type"] if k not in week["by_type"]]
    rows = [
        [kind(k), str(week["by_type"].get(k, {}).get("members", 0)),
         number(section["values"].get(k)),
         number(week["by_type"].get(k, {}).get("value", 0.0)),
         str(previous["by_type"].get(k, {}).get("members", 0))]
        for k in kinds
    ]
    rows.append(["**all**", f"**{week['members']}**", "", number(week["total_value"]),
                 str(previous["members"])])
    return [
        "## User types and their value",
        "",
        "Members who posted this week, by type; value is what each type is worth to the startup.",
        "",
        *_table(["type", "members", "value each", "total value", "last week"], rows),
    ]


def _reach_line(label: str, week: dict, previous: dict, home: str | None) -> str:
    return (
        f"- {label}: {week['count']} ({pct(week['share_abroad'])} outside {home or 'home'}: "
        f"{week['abroad']} abroad, {week['home']} home, {week['unknown']} unknown); last week "
        f"{previous['count']} ({pct(previous['share_abroad'])} outside)"
    )


def _reach(data: dict) -> list[str]:
    reach = data["reach"]
    home = reach["home_country"]
    leads = reach["leads"]["week"]
    lines = [
        "## Leads and international reach",
        "",
        _reach_line("Askers the founders answered", reach["engaged"]["week"],
                    reach["engaged"]["previous"], home),
        _reach_line("Members active in the communities", reach["active"]["week"],
                    reach["active"]["previous"], home),
        _reach_line("Leads", leads, reach["leads"]["previous"], home),
    ]
    if leads["count"]:
        stages = ", ".join(f"{escape(k)} {v}" for k, v in leads["by_stage"].items())
        places = ", ".join(f"{k} {v}" for k, v in leads["by_country"].items()) or "none known"
        lines.append(
            f"- Lead value {number(leads['value'])} ({number(leads['value_abroad'])} from abroad); "
            f"stages: {stages}; countries: {places}"
        )
        if leads["by_problem"]:
            lines.append("- Leads by problem: " + ", ".join(
                f"{escape(k)} {v}" for k, v in leads["by_problem"].items()))
    return lines


def _agreement(data: dict) -> list[str]:
    week = data["agreement"]["week"]
    lines = ["## Model agreement with the analysts", ""]
    if not week["sessions"]:
        return [*lines, f"No triage session for {data['week']} yet: run `beachhead triage`."]
    lines.append(
        f"{week['sessions']} triage session(s) by {escape(', '.join(week['analysts']))}: "
        f"{week['labelled']} threads labelled, {week['accepted']} accepted as predicted, "
        f"{week['corrected']} corrected."
    )
    for key, label in (("category", "Category"), ("user_type", "User type")):
        part = week[key]
        if part["held_out"]:
            lines.append(
                f"- {label}, on {part['held_out']} held-out labels: {part['before']}/"
                f"{part['held_out']} ({pct(part['before_share'])}) before retraining, "
                f"{part['after']}/{part['held_out']} ({pct(part['after_share'])}) after"
            )
        else:
            lines.append(f"- {label}: no held-out label")
    return lines
