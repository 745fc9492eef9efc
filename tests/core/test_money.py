"""Money reads the same on every page and in every message: '£1,234' or '£1,234.50'."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from commonweal.core.money import pounds


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
