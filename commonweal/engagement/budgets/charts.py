"""The result's chart: each counted project's votes as a bar (server-side SVG; the table beside it has them all)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.safestring import SafeString

from commonweal.core import charts

from ..models import Budget, Proposal

TOP = 30


def result_chart(budget: Budget, rows: Sequence[Proposal]) -> SafeString | None:
    counted = [p for p in rows if p.rank is not None][:TOP]
    if not counted:
        return None
    shown = [
        {
            "project": f"{p.rank}. {p.title[:40]}",
            "Funded": p.votes if p.funded else 0,
            "Not funded": 0 if p.funded else p.votes,
        }
        for p in counted
    ]
    spec = charts.bar_chart(
        shown,
        label="project",
        value="",
        series=("Funded", "Not funded"),
        label_title="Project, by rank",
        value_title="Points" if budget.method == Budget.Method.CUMULATIVE else "Votes",
    )
    return charts.svg(spec, title=f"Votes for each project in {budget.title}", chart_id="budget-result-chart")
