"""A chart per question of the results (server-side SVG through core.charts): a bar for each count shown; a
hidden count gets no bar (the table beside the chart says why)."""

from __future__ import annotations

from django.utils.safestring import SafeString

from commonweal.core import charts

from .queries import QuestionResult

TOP = 20  # the most bars drawn: the table beside the chart has every row


def question_chart(item: QuestionResult, *, index: int) -> SafeString | None:
    """The question's counts as a bar chart, or None when no count is shown."""
    bars = [{"answer": row.label[:60], "people": row.count.value} for row in item.rows if not row.count.hidden]
    if not bars or not any(bar["people"] for bar in bars):
        return None
    ranking = item.question.kind == item.question.Kind.RANKING
    spec = charts.bar_chart(
        bars[:TOP],
        label="answer",
        value="people",
        label_title="Answer",
        value_title="People who put it first" if ranking else "People",
    )
    title = f"{item.question.text}: " + ("first choices" if ranking else "answers") + ", as the table shows"
    return charts.svg(spec, title=title, chart_id=f"chart-question-{index}")
