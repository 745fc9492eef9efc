"""How the panel's pages write a chance of selection."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def chance(value: Any) -> str:
    """0.0261 -> '2.61%'; a chance under 0.01% keeps three significant figures ('0.00412%'); None -> '–'."""
    if value is None or value == "":
        return "–"
    percent = float(value) * 100
    if percent == 0:
        return "0%"
    if percent < 0.01:
        return f"{percent:.3g}%"
    return f"{percent:.2f}%"
