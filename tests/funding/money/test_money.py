"""Sharing money between themes and wards: totals always add up to what was awarded."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from commonweal.funding.money import leverage, split_equally, total_by


def test_a_grant_against_two_themes_counts_half_against_each() -> None:
    assert split_equally(Decimal("2500.00"), ["a", "b"]) == {"a": Decimal("1250.00"), "b": Decimal("1250.00")}


def test_left_over_pennies_go_to_the_first_theme() -> None:
    assert split_equally(Decimal("100.00"), ["a", "b", "c"]) == {
        "a": Decimal("33.34"),
        "b": Decimal("33.33"),
        "c": Decimal("33.33"),
    }


def test_a_grant_with_no_themes_counts_nowhere() -> None:
    assert split_equally(Decimal("10"), []) == {}


@given(
    st.decimals(min_value=0, max_value=10_000_000, places=2),
    st.lists(st.integers(min_value=1, max_value=30), min_size=1, max_size=8),
)
def test_shares_always_add_up_to_the_award(amount: Decimal, keys: list[int]) -> None:
    assert sum(split_equally(amount, keys).values()) == amount


def test_totals_by_ward_add_the_shares_of_each_grant() -> None:
    totals = total_by([(Decimal("1000"), ["E05000457"]), (Decimal("1000"), ["E05000457", "E05000458"])])
    assert totals == {"E05000457": Decimal("1500.00"), "E05000458": Decimal("500.00")}


def test_leverage_is_external_pounds_per_council_pound() -> None:
    assert leverage(Decimal("7500"), Decimal("10000")) == Decimal("0.75")
    assert leverage(Decimal("100"), Decimal("0")) is None
