"""The report's charts: matplotlib figures drawn off-screen (Agg, no pyplot
state), returned as base64 PNG so the HTML needs nothing from the network.

A chart with nothing to show is not drawn at all; the HTML says so in words.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from assistant.report.text import category, count

CATEGORY_COLOURS = {
    "pervasive_solvable": "#2e7d32",
    "unrewarded": "#f9a825",
    "unsolvable": "#c62828",
    "not_a_problem": "#9e9e9e",
    "unclassified": "#cfd8dc",
}
OUTCOME_COLOURS = {
    "answered_on_time": "#2e7d32",
    "answered_late": "#f9a825",
    "overdue": "#ef6c00",
    "expired": "#c62828",
    "dismissed": "#9e9e9e",
}
ACCENT, MUTED = "#1565c0", "#90caf9"
WIDTH_IN, DPI = 5.6, 100


@dataclass(frozen=True)
class Chart:
    name: str
    title: str
    alt: str
    png_base64: str

    @property
    def data_uri(self) -> str:
        return f"data:image/png;base64,{self.png_base64}"


def _figure(height: float) -> Figure:
    figure = Figure(figsize=(WIDTH_IN, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _encode(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None}, facecolor="white")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _short(text: str, limit: int = 38) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _tidy(axes, *, counts: str = "x", handles: list | None = None, below: bool = False) -> None:
    """Quiet frame, whole-number ticks on the count axis, legend above (or
    below, for long legends)."""
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(labelsize=9)
    if counts in ("x", "y"):
        (axes.xaxis if counts == "x" else axes.yaxis).set_major_locator(MaxNLocator(integer=True))
    handles = handles or axes.get_legend_handles_labels()[0]
    if handles and below:
        axes.legend(handles=handles, fontsize=8, ncols=2, loc="upper left",
                    bbox_to_anchor=(0, -0.14), frameon=False, borderaxespad=0)
    elif handles:
        axes.legend(handles=handles, fontsize=8, ncols=3, loc="lower left",
                    bbox_to_anchor=(0, 1.01), frameon=False, borderaxespad=0)


def threads_chart(data: dict) -> Chart | None:
    week, previous = data["threads"]["week"], data["threads"]["previous"]
    if not week["total"] and not previous["total"]:
        return None
    communities = [c for c in week["by_community"]
                   if week["by_community"][c] or previous["by_community"].get(c)]
    categories = list(week["by_category"])
    figure = _figure(0.55 * len(communities) * 2 + 1.4)
    axes = figure.add_subplot()
    labels, rows = [], []
    for community in communities:
        for name, section in ((data["previous_week"], previous), (data["week"], week)):
            labels.append(f"{_short(community, 24)} · {name[-3:]}")
            counts = section["by_community_category"].get(community, {})
            rows.append([counts.get(cat, 0) for cat in categories])
    positions = list(range(len(rows)))[::-1]
    left = [0] * len(rows)
    for index, cat in enumerate(categories):
        values = [row[index] for row in rows]
        axes.barh(positions, values, left=left, color=CATEGORY_COLOURS.get(cat, ACCENT),
                  label=category(cat), height=0.7)
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.set_yticks(positions, labels)
    axes.set_xlabel("new threads")
    _tidy(axes)
    return Chart(
        "threads", "New threads per community and category",
        f"New threads per community, {data['previous_week']} and {data['week']}, by category",
        _encode(figure),
    )


def problems_chart(data: dict) -> Chart | None:
    groups = data["problems"]["groups"]
    if not groups:
        return None
    figure = _figure(0.5 * len(groups) + 1.2)
    axes = figure.add_subplot()
    positions = list(range(len(groups)))[::-1]
    members = [g["affected_members"] for g in groups]
    new = [g["new_members_week"] for g in groups]
    axes.barh(positions, members, color=CATEGORY_COLOURS["pervasive_solvable"], height=0.6,
              label="affected members")
    axes.barh(positions, new, color="#a5d6a7", height=0.3, label="new this week")
    for y, group in zip(positions, groups, strict=True):
        axes.text(group["affected_members"], y,
                  "  " + count(len(group["countries"]), "country", "countries"),
                  va="center", fontsize=8)
    axes.set_yticks(positions, [_short(g["label"]) for g in groups])
    axes.set_xlabel("members affected")
    axes.set_xlim(0, max(members) * 1.35 + 1)
    _tidy(axes)
    return Chart("problems", "Pervasive problems",
                 "Affected members of the top pervasive, solvable problem groups", _encode(figure))


def queue_chart(data: dict) -> Chart | None:
    week, previous = data["queue"]["week"], data["queue"]["previous"]
    if not week["due"] and not previous["due"]:
        return None
    figure = _figure(2.2)
    axes = figure.add_subplot()
    names = [data["previous_week"], data["week"]]
    left = [0, 0]
    for outcome, colour in OUTCOME_COLOURS.items():
        values = [previous[outcome], week[outcome]]
        axes.barh([1, 0], values, left=left, color=colour, label=outcome.replace("_", " "),
                  height=0.6)
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.set_yticks([1, 0], names)
    axes.set_xlabel("queue items whose answer-by time passed")
    _tidy(axes)
    return Chart("queue", "Answered within the answer-by time",
                 "Outcome of the queue items due each week", _encode(figure))


def credibility_chart(data: dict) -> Chart | None:
    founders = data["credibility"]["founders"]
    if not founders:
        return None
    weeks = sorted({point["week"] for f in founders for point in f["history"]})
    figure = _figure(2.6 + 0.2 * ((len(founders) + 1) // 2))
    axes = figure.add_subplot()
    for row in founders:
        xs = [weeks.index(p["week"]) for p in row["history"]]
        ys = [p["score"] for p in row["history"]]
        label = _short(f"{row['founder']} · {row['community']}", 44)
        axes.plot(xs, ys, marker="o", linewidth=2, label=label)
    step = max(1, (len(weeks) + 5) // 6)
    axes.set_xticks(range(len(weeks)), [w[5:] if i % step == 0 or i == len(weeks) - 1 else ""
                                        for i, w in enumerate(weeks)])
    axes.set_ylabel("credibility")
    _tidy(axes, counts="none", below=True)
    return Chart("credibility", "Founders' credibility by week",
                 "Credibility score of each founder in each community, week by week",
                 _encode(figure))


def reach_chart(data: dict) -> Chart | None:
    reach = data["reach"]
    active = reach["active"]["week"]["by_country"]
    engaged = reach["engaged"]["week"]["by_country"]
    countries = list(dict.fromkeys([*active, *engaged]))[:12]
    if not countries:
        return None
    home = reach["home_country"]
    figure = _figure(2.6)
    axes = figure.add_subplot()
    xs = range(len(countries))
    hatches = ["//" if c == home else "" for c in countries]
    for offset, values, colour, label in (
        (-0.2, active, MUTED, "active members"),
        (0.2, engaged, ACCENT, "answered by founders"),
    ):
        bars = axes.bar([x + offset for x in xs], [values.get(c, 0) for c in countries],
                        width=0.4, color=colour, edgecolor="white", label=label)
        for bar, hatch in zip(bars, hatches, strict=True):
            bar.set_hatch(hatch)
    axes.set_xticks(list(xs), [f"{c} (home)" if c == home else c for c in countries])
    axes.set_ylabel("members")
    _tidy(axes, counts="y", handles=[Patch(color=MUTED, label="active members"),
                                     Patch(color=ACCENT, label="answered by founders")])
    return Chart("reach", "Where the members are",
                 "Active members and members the founders answered, by country", _encode(figure))


def user_types_chart(data: dict) -> Chart | None:
    week = data["user_types"]["week"]["by_type"]
    previous = data["user_types"]["previous"]["by_type"]
    kinds = list(dict.fromkeys([*week, *previous]))
    if not kinds:
        return None
    figure = _figure(2.4)
    axes = figure.add_subplot()
    xs = range(len(kinds))
    axes.bar([x - 0.2 for x in xs], [previous.get(k, {}).get("members", 0) for k in kinds],
             width=0.4, color=MUTED, label=data["previous_week"])
    axes.bar([x + 0.2 for x in xs], [week.get(k, {}).get("members", 0) for k in kinds],
             width=0.4, color=ACCENT, label=data["week"])
    axes.set_xticks(list(xs), [k.replace("_", " ") for k in kinds])
    axes.set_ylabel("members who posted")
    _tidy(axes, counts="y")
    return Chart("user_types", "User types", "Members who posted, by user type, both weeks",
                 _encode(figure))


BUILDERS = {
    "threads": threads_chart,
    "problems": problems_chart,
    "queue": queue_chart,
    "credibility": credibility_chart,
    "reach": reach_chart,
    "user_types": user_types_chart,
}


def render_charts(data: dict[str, Any]) -> dict[str, Chart]:
    """Every chart that has something to show, by section name."""
    charts = {}
    for name, build in BUILDERS.items():
        chart = build(data)
        if chart is not None:
            charts[name] = chart
    return charts
