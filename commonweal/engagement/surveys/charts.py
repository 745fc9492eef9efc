"""The survey results' charts (server-side SVG through core.charts), each drawn once for the same figures and
kept in the cache; the page shows a table beside each with every figure and its confidence interval."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

from commonweal.core import charts

CACHE_SECONDS = 60 * 60


def _drawn(rows: Sequence[dict[str, Any]], *, title: str, chart_id: str, **options: Any) -> SafeString | None:
    if not rows:
        return None
    key = (
        "engagement:survey-chart:"
        + hashlib.sha256(
            json.dumps([list(rows), title, chart_id, options], sort_keys=True, default=str).encode()
        ).hexdigest()
    )
    found = cache.get(key)
    if found is not None:
        return mark_safe(found)  # noqa: S308 - our own SVG, drawn by core.charts from escaped labels
    spec = charts.bar_chart(rows, **options)
    drawn = charts.svg(spec, title=title, chart_id=chart_id)
    cache.set(key, str(drawn), CACHE_SECONDS)
    return drawn


def headline_chart(items: Sequence[tuple[str, float | None]], *, title: str) -> SafeString | None:
    """One bar a question: its weighted per cent positive (hidden figures get no bar)."""
    rows = [{"question": label[:60], "percent": round(p, 1)} for label, p in items if p is not None]
    return _drawn(
        rows,
        title=title,
        chart_id="chart-headlines",
        label="question",
        value="percent",
        value_title="Per cent (weighted)",
    )


def _field(name: str) -> str:
    """A wave's name as a field name Vega-Lite reads as one (no dots or brackets)."""
    return "".join(ch for ch in name if ch not in ".[]\\\"'")[:40] or "Wave"


def trend_chart(
    questions: Sequence[str], waves: Sequence[str], percents: Sequence[Sequence[float | None]], *, title: str
) -> SafeString | None:
    """A group of bars a question, one a wave, oldest first."""
    if len(waves) < 2:
        return None
    fields = [_field(w) for w in waves]
    rows = []
    for question, row in zip(questions, percents, strict=True):
        rows.append(
            {"question": question[:60], **{f: round(p, 1) for f, p in zip(fields, row, strict=True) if p is not None}}
        )
    return _drawn(
        rows,
        title=title,
        chart_id="chart-trends",
        label="question",
        value="percent",
        series=fields,
        value_title="Per cent (weighted)",
    )


def ward_chart(items: Sequence[tuple[str, float | None]], *, title: str) -> SafeString | None:
    rows = [{"ward": ward, "percent": round(p, 1)} for ward, p in items if p is not None]
    return _drawn(
        rows, title=title, chart_id="chart-wards", label="ward", value="percent", value_title="Per cent (weighted)"
    )
