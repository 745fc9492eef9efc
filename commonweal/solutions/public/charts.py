"""The dashboard's charts (server-side SVG through core.charts) and its figures as spreadsheet rows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.safestring import SafeString

from commonweal.core import charts

CSV_HEADER = ["Section", "Name", "Figure", "Value"]
TOP = 15  # the most a bar chart shows: the table beside it has every row


def _count_chart(rows: list[dict[str, Any]], *, title: str, chart_id: str, label_title: str) -> SafeString | None:
    if not rows:
        return None
    shown = [{"name": r["name"], "Open": r["open"], "Resolved": r["resolved"]} for r in rows[:TOP]]
    spec = charts.bar_chart(
        shown, label="name", value="", series=("Open", "Resolved"), label_title=label_title, value_title="Blockages"
    )
    return charts.svg(spec, title=title, chart_id=chart_id)


def dashboard_charts(figures: dict[str, Any]) -> dict[str, SafeString | None]:
    """One chart per section of the dashboard; None where there is nothing to draw yet."""
    drawn: dict[str, SafeString | None] = {
        "by_department": _count_chart(
            figures["by_department"],
            title="Open and resolved blockages by department",
            chart_id="chart-departments",
            label_title="Department",
        ),
        "by_category": _count_chart(
            figures["by_category"],
            title="Open and resolved blockages by category",
            chart_id="chart-categories",
            label_title="Category",
        ),
        "by_ward": _count_chart(
            figures["by_ward"], title="Open and resolved blockages by ward", chart_id="chart-wards", label_title="Ward"
        ),
    }
    timed = [t for t in figures["stage_times"] if t.count]
    drawn["stage_times"] = (
        charts.svg(
            charts.bar_chart(
                [{"stage": t.label, "Median": t.median, "90th percentile": t.p90} for t in timed],
                label="stage",
                value="",
                series=("Median", "90th percentile"),
                label_title="Stage",
                value_title="Working days",
            ),
            title="Working days each stage took: median and 90th percentile",
            chart_id="chart-stage-times",
        )
        if timed
        else None
    )
    trend = figures["trend"]
    drawn["trend"] = (
        charts.svg(
            charts.bar_chart(
                [{"quarter": r["quarter"], "Raised": r["raised"], "Resolved": r["resolved"]} for r in trend],
                label="quarter",
                value="",
                series=("Raised", "Resolved"),
                label_title="Quarter",
                value_title="Blockages",
                horizontal=False,
            ),
            title="Blockages raised and resolved each quarter",
            chart_id="chart-trend",
        )
        if trend
        else None
    )
    moving = [r for r in figures["transfers"] if r["count"]]
    drawn["transfers"] = (
        charts.svg(
            charts.bar_chart(
                [{"stage": r["stage"], "count": r["count"]} for r in moving],
                label="stage",
                value="count",
                label_title="Stage",
                value_title="Asset transfers",
            ),
            title="Asset transfers at each stage",
            chart_id="chart-transfers",
        )
        if moving
        else None
    )
    return drawn


def _blank(value: Any) -> Any:
    """A figure for a spreadsheet: empty when there is none, 3 rather than 3.0, tenths at most."""
    if value is None:
        return ""
    if isinstance(value, float):
        return int(value) if value.is_integer() else round(value, 1)
    return value


def dashboard_rows(figures: dict[str, Any]) -> Iterator[list[Any]]:
    """Every figure on the dashboard as (section, name, figure, value)."""
    yield ["All blockages", "", "Blockages", figures["total"]]
    for section, key in (("Department", "by_department"), ("Category", "by_category"), ("Ward", "by_ward")):
        for row in figures[key]:
            for figure in ("total", "open", "resolved"):
                yield [section, row["name"], figure.capitalize(), row[figure]]
    for t in figures["stage_times"]:
        yield ["Stage", t.label, "Stages finished", t.count]
        yield ["Stage", t.label, "Median working days", _blank(t.median)]
        yield ["Stage", t.label, "90th percentile working days", _blank(t.p90)]
        yield ["Stage", t.label, "Finished late", t.late]
    breaches = figures["breaches"]
    yield ["Breaches", "", "Stages finished late", breaches["stages_late"]]
    yield ["Breaches", "", "Open blockages late now", breaches["late_now"]]
    yield ["Breaches", "", "Escalated to the champion", breaches["to_champion"]]
    yield ["Breaches", "", "Escalated to the stewards", breaches["to_stewards"]]
    decisions = figures["decisions"]
    yield ["Decisions", "", "Resolved", decisions["resolved"]]
    yield ["Decisions", "", "Could not be resolved", decisions["not_resolvable"]]
    yield ["Decisions", "", "Share resolved (%)", _blank(decisions["share"])]
    for row in figures["trend"]:
        yield ["Quarter", row["quarter"], "Raised", row["raised"]]
        yield ["Quarter", row["quarter"], "Resolved", row["resolved"]]
    for row in figures["transfers"]:
        yield ["Asset transfers", row["stage"], "Transfers", row["count"]]
        yield ["Asset transfers", row["stage"], "Median age (months)", _blank(row["median_months"])]
        yield ["Asset transfers", row["stage"], "Oldest (months)", _blank(row["oldest_months"])]
