"""Posting a date as GOV.UK's date input sends it: three boxes, `<name>_day`, `<name>_month`, `<name>_year`
(and `<name>_time` for a date and a time)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone


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


def moment_boxes(name: str, value: datetime | str) -> dict[str, str]:
    """The four boxes of a date-and-time input: a moment (in the council's time zone), or what a person typed as
    'day/month/year time'."""
    if isinstance(value, datetime):
        local = timezone.localtime(value)
        return {**date_boxes(name, local.date()), f"{name}_time": f"{local:%H:%M}"}
    day, _, clock = value.partition(" ")
    return {**date_boxes(name, day), f"{name}_time": clock}


def fill_moment(within: Any, legend: str, value: datetime | str) -> None:
    """Type a date and a time into the date-and-time input whose legend is `legend`, as a person would."""
    boxes = list(moment_boxes("x", value).values())
    group = within.get_by_role("group", name=legend)
    for part, typed in zip(("Day", "Month", "Year", "Time"), boxes, strict=True):
        group.get_by_label(part, exact=True).fill(typed)
