"""Posting a date as GOV.UK's date input sends it: three boxes, `<name>_day`, `<name>_month`, `<name>_year`."""

from __future__ import annotations

from datetime import date
from typing import Any


def date_boxes(name: str, value: date | str) -> dict[str, str]:
    """The three boxes for a date, or for what a person typed as 'day/month/year' (which may not be a date)."""
    if isinstance(value, date):
        day, month, year = str(value.day), str(value.month), str(value.year)
    else:
        day, month, year = ([*value.split("/"), "", ""])[:3]
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}


def fill_date(within: Any, legend: str, value: date | str) -> None:
    """Type a date into the three boxes of the date input whose legend is `legend`, as a person would."""
    group = within.get_by_role("group", name=legend)
    for part, typed in zip(("Day", "Month", "Year"), date_boxes("x", value).values(), strict=True):
        group.get_by_label(part, exact=True).fill(typed)
