"""A chart per question of the results (server-side SVG through core.charts): a bar for each count shown; a
hidden count gets no bar (the table beside the chart says why)."""

from __future__ import annotations

import hashlib
import json

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

from commonweal.core import charts

from .queries import QuestionResult

TOP = 20  # the most bars drawn: the table beside the chart has every row
CACHE_SECONDS = 60 * 60


def question_chart(item: QuestionResult, *, index: int) -> SafeString | None:
    """The question's counts as a bar chart, or None when no count is shown."""
    bars = [{"answer": row.label[:60], "people": row.count.value} for row in item.rows if not row.count.hidden]
    if not bars or not any(bar["people"] for bar in bars):
        return None
    ranking = item.question.kind == item.question.Kind.RANKING
    title = f"{item.question.text}: " + ("first choices" if ranking else "answers") + ", as the table shows"
    # Building the chart's spec (altair checks it against the Vega-Lite schema) costs more than the rest of the
    # page: the drawing is kept under a key made of what it shows, so new counts make a new drawing.
    key = "engagement:chart:" + hashlib.sha256(json.dumps([bars[:TOP], title, index]).encode()).hexdigest()
    drawn = cache.get(key)
    if drawn is not None:
        return mark_safe(drawn)  # noqa: S308 - our own SVG, drawn by core.charts from escaped labels
    spec = charts.bar_chart(
        bars[:TOP],
        label="answer",
        value="people",
        label_title="Answer",
        value_title="People who put it first" if ranking else "People",
    )
    drawn = charts.svg(spec, title=title, chart_id=f"chart-question-{index}")
    cache.set(key, str(drawn), CACHE_SECONDS)
    return drawn
