"""Working days: service standards counted the way a council counts them, without weekends or the bank holidays
of the council's own nation (the `holidays` package's UK calendars: England, Wales, Scotland, Northern Ireland).

A pure module (no Django import): solutions' due dates and engagement's consultation periods both use it.

The rules, which the property tests hold it to:
- `add(start, n)` is the n-th working day after `start` (never `start` itself, whatever day it is), so
  "acknowledge within 5 working days" of a blockage raised on a Saturday ends on the Friday after next Monday;
- a due date is always a working day;
- `add(add(d, n), m) == add(d, n + m)` for any n, m >= 0 (n = 0 gives `d` back unchanged);
- `between(a, b)` counts the working days after `a` up to and including `b`, so `between(d, add(d, n)) == n`.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

ENGLAND, WALES, SCOTLAND, NORTHERN_IRELAND = "ENG", "WLS", "SCT", "NIR"
NATIONS = {
    ENGLAND: "England",
    WALES: "Wales",
    SCOTLAND: "Scotland",
    NORTHERN_IRELAND: "Northern Ireland",
}
# The first letter of an ONS code (E06000015, W06000015, S12000033, N09000001) is the nation.
_BY_CODE_LETTER = {"E": ENGLAND, "W": WALES, "S": SCOTLAND, "N": NORTHERN_IRELAND}


def nation_of(gss_code: str) -> str:
    """The nation whose bank holidays a council keeps, from its ONS code; England where the code says nothing."""
    return _BY_CODE_LETTER.get((gss_code or "E")[:1].upper(), ENGLAND)


@lru_cache(maxsize=4 * 64)
def _holidays(nation: str, year: int) -> frozenset[date]:
    if nation not in NATIONS:
        raise ValueError(f"Unknown UK nation {nation!r}: use one of {', '.join(NATIONS)}.")
    return frozenset(holidays.country_holidays("GB", subdiv=nation, years=year))


def holiday_name(day: date, nation: str = ENGLAND) -> str:
    """The bank holiday's name ('Christmas Day'), or '' on an ordinary day."""
    if day not in _holidays(nation, day.year):
        return ""
    return str(holidays.country_holidays("GB", subdiv=nation, years=day.year).get(day, ""))


def is_working_day(day: date, nation: str = ENGLAND) -> bool:
    return day.weekday() < 5 and day not in _holidays(nation, day.year)


def add(start: date, days: int, nation: str = ENGLAND) -> date:
    """The `days`-th working day after `start` (`start` itself for 0). Negative counts are refused: a deadline
    is never before its start."""
    if days < 0:
        raise ValueError("A number of working days to add cannot be negative.")
    day = start
    remaining = days
    # Whole weeks first (five working days each, less any holidays in them), then day by day.
    while remaining >= 10:
        weeks = remaining // 5 - 1
        end = day + timedelta(weeks=weeks)
        lost = sum(1 for h in _holidays_between(day, end, nation) if h.weekday() < 5)
        # A week jump counts 5 working days a week, less the holidays it crossed.
        gained = weeks * 5 - lost
        if gained <= 0:
            break
        day, remaining = end, remaining - gained
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day, nation):
            remaining -= 1
    return day


def _holidays_between(after: date, upto: date, nation: str) -> list[date]:
    """Holidays strictly after `after` and up to `upto`."""
    found: list[date] = []
    for year in range(after.year, upto.year + 1):
        found.extend(h for h in _holidays(nation, year) if after < h <= upto)
    return found


def between(start: date, end: date, nation: str = ENGLAND) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is before `start` (how late)."""
    if end < start:
        return -between(end, start, nation)
    days = (end - start).days
    weeks, extra = divmod(days, 7)
    count = weeks * 5
    for offset in range(1, extra + 1):
        if (start + timedelta(days=offset)).weekday() < 5:
            count += 1
    count -= sum(1 for h in _holidays_between(start, end, nation) if h.weekday() < 5)
    return count


def next_working_day(day: date, nation: str = ENGLAND) -> date:
    """`day` itself if it is a working day, else the first one after it."""
    while not is_working_day(day, nation):
        day += timedelta(days=1)
    return day
