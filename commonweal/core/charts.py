"""Charts drawn on the server as SVG (Vega-Lite through altair, rendered by vl-convert): no script in the browser,
the same picture in a PDF, and a data table beside each on the page (the chart is a picture of the table).

Each SVG is an image with a name: role="img", a <title> and aria-labelledby pointing at it, and its own
`viewBox` so it scales to the width of a 390px phone without losing its proportions. Colours and type are
GOV.UK's. A chart is drawn once for the same data and kept in the cache, as drawing one takes tens of
milliseconds.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from typing import Any

from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# GOV.UK Design System colours.
BLUE = "#1d70b8"
GREEN = "#00703c"
RED = "#d4351c"
GREY = "#505a5f"
TEXT = "#0b0c0c"
PALETTE = [BLUE, GREEN, RED, "#f47738", "#4c2c92", GREY]
FONT = "arial, sans-serif"
WIDTH = 220
CACHE_SECONDS = 60 * 60
PADDING = {"left": 28, "top": 5, "right": 8, "bottom": 5}

_SVG_OPEN = re.compile(r"<svg\b([^>]*)>")
_SIZE = re.compile(r'\s(width|height)="[^"]*"')
# Vega's own ARIA roles on each mark: inside an image they are presentational, and would read as noise.
_MARK_ARIA = re.compile(r'\s(?:role="graphics-[a-z-]+"|aria-roledescription="[^"]*")')


def _config(chart: Any) -> Any:
    return (
        # Room on the left: vl-convert measures labels narrower than a browser draws them in its Arial, and the
        # longest label on a bar chart's axis would otherwise lose its first letters outside the picture.
        chart.configure(font=FONT, background="#ffffff", aria=False, padding=PADDING)
        .configure_axis(labelColor=TEXT, titleColor=TEXT, labelFontSize=13, titleFontSize=13, gridColor="#b1b4b6")
        .configure_legend(labelColor=TEXT, titleColor=TEXT, labelFontSize=13, titleFontSize=13, orient="bottom")
        .configure_view(strokeWidth=0)
        .configure_range(category=PALETTE)
    )


def bar_chart(
    rows: Sequence[dict[str, Any]],
    *,
    label: str,
    value: str,
    series: Sequence[str] = (),
    label_title: str = "",
    value_title: str = "",
    horizontal: bool = True,
) -> dict[str, Any]:
    """A Vega-Lite bar chart's spec: one bar per row (`label` names it, `value` is its length), or, with
    `series`, a group of bars per row, one per field named in `series`."""
    import altair as alt

    data = alt.Data(values=[dict(row) for row in rows])
    base = alt.Chart(data)
    if series:
        base = base.transform_fold(list(series), as_=["series", "amount"])
        amount = alt.X("amount:Q", title=value_title) if horizontal else alt.Y("amount:Q", title=value_title)
        colour = alt.Color("series:N", title=None, sort=list(series))
        if horizontal:
            chart = base.mark_bar().encode(
                y=alt.Y(f"{label}:N", title=label_title or None, sort=None),
                x=amount,
                yOffset=alt.YOffset("series:N", sort=list(series)),
                color=colour,
            )
        else:
            chart = base.mark_bar().encode(
                x=alt.X(f"{label}:N", title=label_title or None, sort=None, axis=alt.Axis(labelAngle=-45)),
                y=amount,
                xOffset=alt.XOffset("series:N", sort=list(series)),
                color=colour,
            )
    elif horizontal:
        chart = base.mark_bar(color=BLUE).encode(
            y=alt.Y(f"{label}:N", title=label_title or None, sort=None), x=alt.X(f"{value}:Q", title=value_title)
        )
    else:
        chart = base.mark_bar(color=BLUE).encode(
            x=alt.X(f"{label}:N", title=label_title or None, sort=None, axis=alt.Axis(labelAngle=-45)),
            y=alt.Y(f"{value}:Q", title=value_title),
        )
    spec: dict[str, Any] = _config(chart.properties(width=WIDTH)).to_dict()
    return spec


def svg(spec: dict[str, Any], *, title: str, chart_id: str) -> SafeString:
    """The chart drawn as an accessible SVG named `title` (ids start with `chart_id`, unique on the page)."""
    key = "chart:" + hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()
    drawn = cache.get(key)
    if drawn is None:
        import vl_convert

        drawn = vl_convert.vegalite_to_svg(spec)
        cache.set(key, drawn, CACHE_SECONDS)
    return accessible(drawn, title=title, chart_id=chart_id)


def accessible(drawn: str, *, title: str, chart_id: str) -> SafeString:
    """Name the SVG as an image: role="img", aria-labelledby its <title>; size it by its viewBox alone."""
    match = _SVG_OPEN.search(drawn)
    if match is None:
        raise ValueError("vl-convert gave something that is not an SVG.")
    attributes = _SIZE.sub("", match.group(1))
    title_id = f"{chart_id}-title"
    opening = (
        f'<svg{attributes} role="img" aria-labelledby="{escape(title_id)}" id="{escape(chart_id)}" '
        f'focusable="false"><title id="{escape(title_id)}">{escape(title)}</title>'
    )
    # The SVG is vl-convert's own drawing of numbers and labels we escaped into its spec; it holds no script.
    inside = _MARK_ARIA.sub("", drawn[match.end() :])
    return mark_safe(drawn[: match.start()] + opening + inside)  # noqa: S308
