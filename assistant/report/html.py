"""The weekly report as one self-contained HTML file: inline CSS, charts as
data: URIs, no script, and a Content-Security-Policy that forbids fetching
anything, so it opens the same offline, in a mail client or as a CI artifact.
Every piece of forum text is escaped."""

from __future__ import annotations

from html import escape
from typing import Any

from assistant.report.charts import CATEGORY_COLOURS, Chart, render_charts
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

DARK_TEXT = ("unrewarded", "unclassified")
"""Pills light enough to need dark text."""
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

STYLE = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: #1f2933; background: #f5f7fa; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 32px 48px; }
header h1 { margin: 0 0 4px; font-size: 26px; }
header p { margin: 0; color: #52606d; }
section { background: #fff; border: 1px solid #e4e7eb; border-radius: 8px; padding: 16px 20px;
          margin-top: 20px; }
section h2 { margin: 0 0 12px; font-size: 19px; }
.grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 20px;
        align-items: start; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { padding: 4px 8px; border-bottom: 1px solid #e4e7eb; text-align: right;
         vertical-align: top; }
th:first-child, td:first-child { text-align: left; }
td.text { text-align: left; overflow-wrap: anywhere; }
tfoot td { font-weight: 600; }
figure.chart { margin: 0; }
figure.chart img { display: block; width: 100%; height: auto; }
figure.chart figcaption { font-size: 13px; color: #52606d; }
.note { color: #52606d; font-style: italic; }
.pill { display: inline-block; padding: 0 8px; border-radius: 10px; color: #fff; font-size: 12px; }
ol.problems > li { margin-bottom: 10px; }
ol.problems ul { margin: 4px 0 0; padding-left: 18px; color: #3e4c59; font-size: 14px; }
.up { color: #2e7d32; } .down { color: #c62828; }
"""


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def _change(value: float | int | None) -> str:
    css = "up" if value and value > 0 else "down" if value and value < 0 else ""
    return f'<span class="{css}">{_e(signed(value))}</span>' if css else _e(signed(value))


def _table(header: list[str], rows: list[list[str]], footer: list[str] | None = None) -> str:
    """Cells arrive already escaped (they may hold markup of our own)."""
    head = "".join(f"<th>{cell}</th>" for cell in header)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    foot = ("<tfoot><tr>" + "".join(f"<td>{cell}</td>" for cell in footer) + "</tr></tfoot>"
            if footer else "")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody>{foot}</table>"


def _figure(charts: dict[str, Chart], name: str, empty: str) -> str:
    chart = charts.get(name)
    if chart is None:
        return f'<p class="note">{_e(empty)}</p>'
    return (
        f'<figure class="chart" data-chart="{_e(name)}"><img src="{chart.data_uri}" '
        f'alt="{_e(chart.alt)}"><figcaption>{_e(chart.title)}</figcaption></figure>'
    )


def render_html(data: dict[str, Any], *, charts: bool = True) -> str:
    drawn = render_charts(data) if charts else {}
    status = "complete" if data["complete"] else "week still under way"
    sections = [
        _threads(data, drawn),
        _problems(data, drawn),
        _faq(data),
        _queue(data, drawn),
        _credibility(data, drawn),
        _etiquette(data),
        _experts(data),
        _communities(data),
        _user_types(data, drawn),
        _reach(data, drawn),
        _agreement(data),
    ]
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Weekly report {_e(data['week'])} · {_e(data['startup']['name'])}</title>"
        f"<style>{STYLE}</style></head><body><main>"
        f"<header><h1>Weekly report {_e(data['week'])}</h1>"
        f"<p>{_e(data['startup']['name'])} · {_e(data['span'])} · as of {_e(when(data['as_of']))} "
        f"({_e(status)}) · compared with {_e(data['previous_week'])}</p></header>"
        + "".join(sections)
        + "</main></body></html>\n"
    )


def _section(anchor: str, title: str, *parts: str) -> str:
    return f'<section id="{anchor}"><h2>{_e(title)}</h2>{"".join(parts)}</section>'


def _threads(data: dict, charts: dict[str, Chart]) -> str:
    week, previous = data["threads"]["week"], data["threads"]["previous"]
    rows = [
        [_e(c), _e(n), _e(previous["by_community"].get(c, 0)),
         _change(n - previous["by_community"].get(c, 0))]
        for c, n in week["by_community"].items()
    ]
    by_category = [
        [f'<span class="pill" style="background:{CATEGORY_COLOURS.get(cat, "#607d8b")};'
         f'color:{"#1f2933" if cat in DARK_TEXT else "#fff"}">{_e(category(cat))}</span>', _e(n), _e(previous["by_category"].get(cat, 0)),
         _change(n - previous["by_category"].get(cat, 0))]
        for cat, n in week["by_category"].items()
    ]
    header = ["", "this week", "last week", "change"]
    tables = (
        _table(["community", *header[1:]], rows,
               ["all", _e(week["total"]), _e(previous["total"]),
                _change(week["total"] - previous["total"])])
        + _table(["category", *header[1:]], by_category)
    )
    return _section(
        "threads", "New threads",
        f'<div class="grid"><div>{tables}</div><div>'
        f'{_figure(charts, "threads", "No thread in either week.")}</div></div>',
    )


def _problems(data: dict, charts: dict[str, Chart]) -> str:
    problems = data["problems"]
    if not problems["groups"]:
        return _section(
            "problems", "Pervasive problems: the candidates for a product",
            f'<p class="note">No pervasive, solvable problem in the last '
            f"{_e(problems['lookback_days'])} days.</p>",
        )
    items = []
    for group in problems["groups"]:
        examples = "".join(
            f"<li>{_e(example['title'])} <span class='note'>({_e(example['community'])})</span></li>"
            for example in group["examples"]
        )
        capability = f"; capability {_e(group['capability'])}" if group["capability"] else ""
        items.append(
            f"<li><strong>{_e(group['label'])}</strong>: "
            f"{_e(count(group['affected_members'], 'member'))} in "
            f"{_e(count(len(group['countries']), 'country', 'countries'))} "
            f"({_e(', '.join(group['countries']) or 'none known')}), "
            f"{_e(count(len(group['communities']), 'community', 'communities'))}, "
            f"{_e(count(group['threads'], 'thread'))}; {_e(group['new_members_week'])} new this "
            f"week (growth {_change(group['growth'])}){capability}<ul>{examples}</ul></li>"
        )
    intro = (
        f"<p>{_e(problems['candidates'])} same-problem group(s) are pervasive and solvable "
        f"(last {_e(problems['lookback_days'])} days); the top {len(problems['groups'])}:</p>"
    )
    return _section(
        "problems", "Pervasive problems: the candidates for a product",
        f'<div class="grid"><div>{intro}<ol class="problems">{"".join(items)}</ol></div>'
        f'<div>{_figure(charts, "problems", "")}</div></div>',
    )


def _faq(data: dict) -> str:
    title = "FAQ and tool candidates: problems the founders keep solving"
    candidates = data["faq_candidates"]
    if not candidates:
        return _section("faq", title, '<p class="note">No problem group has been solved by the '
                                      "founders three times yet.</p>")
    items = "".join(
        f"<li><strong>{_e(c['label'])}</strong> — "
        f"{'write a free tool' if c['suggestion'] == 'tool' else 'write one FAQ answer'}: "
        f"{_e(c['why'])}</li>"
        for c in candidates
    )
    return _section("faq", title, f"<ul>{items}</ul>")


def _etiquette(data: dict) -> str:
    title = "Etiquette: founders' posts to fix"
    if not data["etiquette"]:
        return _section("etiquette", title,
                        '<p class="note">Every founder post this week kept its community\'s rules.</p>')
    items = "".join(
        f"<li>{_e(f['founder'])} in {_e(f['community_id'])} ({_e(when(f['created_at']))}): "
        f"{_e(f['message'])} {_e(f['url'] or '')}</li>"
        for f in data["etiquette"]
    )
    return _section("etiquette", title, f"<ul>{items}</ul>")


def _communities(data: dict) -> str:
    title = "Communities: where to keep showing up (last four weeks)"
    if not data["communities"]:
        return _section("communities", title, '<p class="note">No thread in the last four weeks.</p>')
    rows = "".join(
        f"<tr><td>{_e(c['spec'])}</td><td>{c['fit']:.0f}</td><td>{_e(pct(c['problem_share']))}</td>"
        f"<td>{_e(pct(c['solvable_share']))}</td><td>{_e(pct(c['unanswered_share']))}</td>"
        f"<td>{len(c['countries'])}</td><td>{_e(', '.join(c['languages']))}</td></tr>"
        for c in data["communities"]
    )
    head = ("<tr><th>community</th><th>fit</th><th>problems</th><th>we can solve</th>"
            "<th>unanswered</th><th>countries</th><th>languages</th></tr>")
    return _section("communities", title, f"<table>{head}{rows}</table>")


def _queue(data: dict, charts: dict[str, Chart]) -> str:
    queue = data["queue"]
    rows = [
        [_e(label), _e(queue_value(key, queue["week"])), _e(queue_value(key, queue["previous"]))]
        for key, label in QUEUE_ROWS
    ]
    founders = queue["week"]["answered_by_founder"]
    by_founder = (
        "<p>Answered this week: " + ", ".join(f"{_e(k)} {_e(v)}" for k, v in founders.items())
        + ".</p>" if founders else ""
    )
    return _section(
        "queue", "Queue health",
        f"<p>Every queued thread has an answer-by time {_e(number(queue['answer_within_hours']))} "
        "hours after it is queued.</p>"
        f'<div class="grid"><div>{_table(["", "this week", "last week"], rows)}{by_founder}</div>'
        f'<div>{_figure(charts, "queue", "No answer-by time passed in either week.")}</div></div>',
    )


def _credibility(data: dict, charts: dict[str, Chart]) -> str:
    section = data["credibility"]
    title = "Founders' credibility"
    if not section["snapshots"]:
        return _section("credibility", title, '<p class="note">No credibility snapshot yet: the '
                        "first one is taken when credibility is scored.</p>")
    if not section["founders"]:
        return _section("credibility", title,
                        f'<p class="note">No credibility snapshot up to {_e(data["week"])} yet.</p>')
    rows = [
        [_e(row["founder"]), _e(row["community"]), _e(number(row["score"])), _change(row["change"]),
         _e(row["week"] if row["current"] else f"{row['week']} (latest)")]
        for row in section["founders"]
    ]
    note = ("" if section["snapshots_this_week"] else
            f'<p class="note">No snapshot for {_e(data["week"])} yet; the latest ones are shown.</p>')
    return _section(
        "credibility", title,
        f'<div class="grid"><div>{_table(["founder", "community", "score", "change", "snapshot"], rows)}'
        f'{note}</div><div>{_figure(charts, "credibility", "")}</div></div>',
    )


def _experts(data: dict) -> str:
    blocks = []
    for community, people in data["experts"]["communities"].items():
        if not people:
            continue
        rows = [
            [_e(p["handle"]), _e(kind(p["user_type"])), _e(number(p["voice"])),
             _e(p["country"] or "–"), _e(p["accepted_answers"]), _e(p["replies_week"])]
            for p in people
        ]
        blocks.append(
            f"<h3>{_e(community)}</h3>"
            + _table(["member", "type", "voice", "country", "accepted", "replies this week"], rows)
        )
    body = "".join(blocks) or ('<p class="note">No expert found yet: members get a voice once '
                               "replies are scored.</p>")
    return _section("experts", "The communities' experts", body)


def _user_types(data: dict, charts: dict[str, Chart]) -> str:
    section = data["user_types"]
    week, previous = section["week"], section["previous"]
    kinds = list(week["by_type"]) + [k for k in previous["by_type"] if k not in week["by_type"]]
    rows = [
        [_e(kind(k)), _e(week["by_type"].get(k, {}).get("members", 0)),
         _e(number(section["values"].get(k))),
         _e(number(week["by_type"].get(k, {}).get("value", 0.0))),
         _e(previous["by_type"].get(k, {}).get("members", 0))]
        for k in kinds
    ]
    table = _table(["type", "members", "value each", "total value", "last week"], rows,
                   ["all", _e(week["members"]), "", _e(number(week["total_value"])),
                    _e(previous["members"])])
    return _section(
        "user-types", "User types and their value",
        "<p>Members who posted this week, by type; value is what each type is worth to the "
        f'startup.</p><div class="grid"><div>{table}</div>'
        f'<div>{_figure(charts, "user_types", "Nobody posted in either week.")}</div></div>',
    )


def _reach_row(label: str, week: dict, previous: dict) -> list[str]:
    return [_e(label), _e(week["count"]), _e(week["abroad"]), _e(week["home"]),
            _e(week["unknown"]), _e(pct(week["share_abroad"])), _e(pct(previous["share_abroad"]))]


def _reach(data: dict, charts: dict[str, Chart]) -> str:
    reach = data["reach"]
    home = reach["home_country"] or "home"
    leads = reach["leads"]["week"]
    rows = [
        _reach_row("askers the founders answered", reach["engaged"]["week"],
                   reach["engaged"]["previous"]),
        _reach_row("members active", reach["active"]["week"], reach["active"]["previous"]),
        _reach_row("leads", leads, reach["leads"]["previous"]),
    ]
    table = _table(["", "count", "abroad", f"in {_e(home)}", "unknown", "share abroad",
                    "last week"], rows)
    details = ""
    if leads["count"]:
        details = (
            f"<p>Lead value {_e(number(leads['value']))} ({_e(number(leads['value_abroad']))} from "
            "abroad). Stages: " + _e(", ".join(f"{k} {v}" for k, v in leads["by_stage"].items()))
            + ". By problem: "
            + _e(", ".join(f"{k} {v}" for k, v in leads["by_problem"].items()) or "none linked")
            + ".</p>"
        )
    return _section(
        "reach", "Leads and international reach",
        f'<div class="grid"><div>{table}{details}</div>'
        f'<div>{_figure(charts, "reach", "No member with a known country yet.")}</div></div>',
    )


def _agreement(data: dict) -> str:
    week = data["agreement"]["week"]
    title = "Model agreement with the analysts"
    if not week["sessions"]:
        return _section("agreement", title, f'<p class="note">No triage session for '
                        f"{_e(data['week'])} yet: run <code>beachhead triage</code>.</p>")
    rows = []
    for key, label in (("category", "category"), ("user_type", "user type")):
        part = week[key]
        rows.append([
            _e(label), _e(part["held_out"]),
            _e(f"{part['before']} ({pct(part['before_share'])})"),
            _e(f"{part['after']} ({pct(part['after_share'])})"),
        ])
    return _section(
        "agreement", title,
        f"<p>{_e(week['sessions'])} triage session(s) by {_e(', '.join(week['analysts']))}: "
        f"{_e(week['labelled'])} threads labelled, {_e(week['accepted'])} accepted as predicted, "
        f"{_e(week['corrected'])} corrected.</p>"
        + _table(["", "held-out labels", "agreed before retraining", "agreed after"], rows),
    )
