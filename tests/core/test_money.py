"""Money reads the same on every page and in every message: '£1,234' or '£1,234.50'."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from commonweal.core.money import PENNY, largest_remainder, pounds


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("1234"), "£1,234"),
        (Decimal("1234.00"), "£1,234"),
        (Decimal("1234.5"), "£1,234.50"),
        (Decimal("0.5"), "£0.50"),
        (0, "£0"),
        (2500, "£2,500"),
        (1234.567, "£1,234.57"),
        ("1500", "£1,500"),
        (Decimal("-12.5"), "-£12.50"),
        (Decimal("9999999999.99"), "£9,999,999,999.99"),
        (None, ""),
        ("", ""),
        ("lots", ""),
        (Decimal("NaN"), ""),
    ],
)
def test_pounds_show_pence_only_when_there_are_some(value: Any, shown: str) -> None:
    assert pounds(value) == shown


def test_pence_can_be_always_shown_or_rounded_away() -> None:
    assert pounds(Decimal("3"), True) == "£3.00"
    assert pounds(Decimal("1234.5"), False) == "£1,235"
    assert pounds(Decimal("1234.49"), False) == "£1,234"


@given(st.decimals(min_value=0, max_value=Decimal("9999999999.99"), places=2))
def test_what_is_shown_reads_back_as_the_same_amount(amount: Decimal) -> None:
    assert Decimal(pounds(amount).removeprefix("£").replace(",", "")) == amount


def test_the_filter_is_the_same_function_in_a_template() -> None:
    template = Template("{% load money %}{{ a|pounds }} {{ a|pounds:True }} {{ b|pounds:False }} [{{ c|pounds }}]")
    shown = template.render(Context({"a": Decimal("2000"), "b": Decimal("12.60"), "c": None}))
    assert shown == "£2,000 £2,000.00 £13 []"


# --- largest remainder: whole-pound shares that add up -------------------------------------------------


def test_a_grant_split_three_ways_is_whole_pounds_not_pence() -> None:
    # £72,100 between three wards is £24,033.33... each: shown as whole pounds that add up to the grant.
    assert largest_remainder(Decimal("72100"), [1, 1, 1]) == [Decimal("24034"), Decimal("24033"), Decimal("24033")]


def test_the_leftover_pounds_go_to_the_shares_that_lost_most_by_rounding_down() -> None:
    # Exact shares 1.5, 3.75 and 4.75 round down to 1, 3 and 4; the two pounds left go to the two 0.75s.
    weights = [Decimal("3"), Decimal("7.5"), Decimal("9.5")]
    assert largest_remainder(Decimal("10"), weights) == [Decimal("1"), Decimal("4"), Decimal("5")]


def test_a_grant_with_pence_puts_its_pence_on_one_share() -> None:
    assert largest_remainder(Decimal("100.50"), [1, 1]) == [Decimal("50.50"), Decimal("50")]


def test_pennies_can_be_the_unit() -> None:
    shares = largest_remainder(Decimal("100.00"), [1, 1, 1], PENNY)
    assert shares == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]


def test_nothing_to_share_between_gives_no_shares() -> None:
    assert largest_remainder(Decimal("10"), []) == []


@given(
    st.decimals(min_value=0, max_value=10_000_000, places=2),
    st.lists(st.integers(min_value=1, max_value=1000), min_size=1, max_size=12),
)
def test_shares_add_up_to_the_total_and_each_is_within_a_pound_of_exact(amount: Decimal, weights: list[int]) -> None:
    shares = largest_remainder(amount, weights)
    assert sum(shares) == amount
    whole = sum(weights)
    for share, weight in zip(shares, weights, strict=True):
        assert abs(share - amount * weight / whole) < 1


@given(st.integers(min_value=0, max_value=10_000_000), st.integers(min_value=1, max_value=12))
def test_a_whole_pound_grant_gives_whole_pound_shares(amount: int, count: int) -> None:
    shares = largest_remainder(Decimal(amount), [1] * count)
    assert all(share == share.to_integral_value() for share in shares)
    assert max(shares) - min(shares) <= 1
