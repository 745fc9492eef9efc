"""Working days as a council counts them: weekends and the bank holidays of the council's own nation left out."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commonweal.core import workdays
from commonweal.core.workdays import ENGLAND, NORTHERN_IRELAND, SCOTLAND, WALES

nations = st.sampled_from([ENGLAND, WALES, SCOTLAND, NORTHERN_IRELAND])
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
counts = st.integers(min_value=0, max_value=400)


def one_day_at_a_time(start: date, n: int, nation: str) -> date:
    day = start
    while n:
        day += timedelta(days=1)
        if workdays.is_working_day(day, nation):
            n -= 1
    return day


@given(days, st.integers(min_value=1, max_value=400), nations)
def test_a_due_date_is_never_a_weekend_or_a_bank_holiday(start: date, n: int, nation: str) -> None:
    due = workdays.add(start, n, nation)
    assert due.weekday() < 5
    assert workdays.holiday_name(due, nation) == ""


@given(days, counts, counts, nations)
def test_adding_n_then_m_working_days_is_adding_n_plus_m(start: date, n: int, m: int, nation: str) -> None:
    assert workdays.add(workdays.add(start, n, nation), m, nation) == workdays.add(start, n + m, nation)


@settings(max_examples=300)
@given(days, counts, nations)
def test_the_quick_count_agrees_with_counting_one_day_at_a_time(start: date, n: int, nation: str) -> None:
    assert workdays.add(start, n, nation) == one_day_at_a_time(start, n, nation)


@given(days, counts, nations)
def test_counting_the_days_between_gives_back_the_days_added(start: date, n: int, nation: str) -> None:
    assert workdays.between(start, workdays.add(start, n, nation), nation) == n


@given(days, days, nations)
def test_days_between_counts_backwards_as_lateness(a: date, b: date, nation: str) -> None:
    assert workdays.between(a, b, nation) == -workdays.between(b, a, nation)


def test_five_working_days_across_christmas_in_england() -> None:
    # Raised on Wednesday 23 December 2026: Thu 24 (1); Fri 25 Christmas; Mon 28 Boxing Day (observed);
    # Tue 29 (2), Wed 30 (3), Thu 31 (4); Fri 1 January New Year's Day; Mon 4 January 2027 (5).
    assert workdays.add(date(2026, 12, 23), 5, ENGLAND) == date(2027, 1, 4)


def test_scotland_keeps_2_january_as_well() -> None:
    # 2 January 2027 is a Saturday, so Scotland's holiday moves to Monday 4 January (New Year's Day being
    # Friday 1st): the fifth working day is a day later than in England.
    assert workdays.add(date(2026, 12, 23), 5, SCOTLAND) == date(2027, 1, 5)
    assert workdays.holiday_name(date(2027, 1, 4), SCOTLAND)


def test_easter_monday_in_england_but_not_good_friday_only_in_scotland() -> None:
    # Easter 2027 is Sunday 28 March: Good Friday 26th is a bank holiday everywhere in the UK, Easter Monday
    # 29th everywhere but Scotland.
    assert not workdays.is_working_day(date(2027, 3, 26), ENGLAND)
    assert not workdays.is_working_day(date(2027, 3, 29), ENGLAND)
    assert not workdays.is_working_day(date(2027, 3, 26), SCOTLAND)
    assert workdays.is_working_day(date(2027, 3, 29), SCOTLAND)
    assert workdays.add(date(2027, 3, 25), 1, ENGLAND) == date(2027, 3, 30)
    assert workdays.add(date(2027, 3, 25), 1, SCOTLAND) == date(2027, 3, 29)


def test_st_patricks_day_is_a_holiday_in_northern_ireland_only() -> None:
    assert not workdays.is_working_day(date(2027, 3, 17), NORTHERN_IRELAND)
    assert workdays.is_working_day(date(2027, 3, 17), ENGLAND)


def test_raised_on_a_saturday_counts_from_the_monday() -> None:
    assert workdays.add(date(2026, 12, 5), 1, ENGLAND) == date(2026, 12, 7)
    assert workdays.add(date(2026, 12, 5), 5, ENGLAND) == date(2026, 12, 11)


def test_the_nation_comes_from_the_councils_ons_code() -> None:
    assert workdays.nation_of("E09000024") == ENGLAND
    assert workdays.nation_of("W06000015") == WALES
    assert workdays.nation_of("S12000033") == SCOTLAND
    assert workdays.nation_of("N09000001") == NORTHERN_IRELAND
    assert workdays.nation_of("") == ENGLAND


def test_a_negative_count_is_refused_with_a_reason() -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        workdays.add(date(2026, 1, 1), -1)
