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


PROVEN = 1e-6  # a gap below the solvers' own tolerances: the lowest chance is the best possible


@register.filter
def gap(value: Any) -> str:
    """The distance from the certificate, in words: 'none: the best possible' within the solvers' tolerance (a
    gap of 9.84e-08% says nothing to a reader), else the gap as a chance."""
    if value is None or value == "":
        return "–"
    if float(value) < PROVEN:
        return "none: the lowest chance is the best possible"
    return chance(value)
