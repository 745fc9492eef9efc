"""Leverage on a worked example: external pounds per council pound, by fund, by theme and by ward.

Civic Pride Fund:
- grant 1: £10,000 for themes A and B in ward 1; secured £5,000 match and £1,000 in kind; £50,000 only applied for.
- grant 2: £3,000 for theme A in wards 1, 2 and 3; secured £1,000 other external funding.
Youth Fund:
- grant 3: £2,000 with no theme or ward given; nothing from elsewhere.
A declined grant of £100,000 with £90,000 secured counts for nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from commonweal.funding.models import Grant, MatchFunding
from commonweal.funding.sources.queries import (
    LeverageRow,
    leverage_by_fund,
    leverage_by_theme,
    leverage_by_ward,
    leverage_overall,
    leverage_page,
)
from tests.funding.factories import FundFactory, RoundFactory
from tests.funding.sources.factories import make_grant

pytestmark = pytest.mark.django_db
D = Decimal


def match(grant: Grant, amount: str, *, kind: str = "match", status: str = "secured") -> None:
    MatchFunding.objects.create(
        application=grant.application, kind=kind, status=status, funder="Someone", amount=D(amount)
    )


@pytest.fixture
def example(themes: list, wards: list, make_user: Any) -> dict[str, Any]:
    by = make_user("officer")
    civic = RoundFactory(fund=FundFactory(name="Civic Pride Fund"))
    youth = RoundFactory(fund=FundFactory(name="Youth Fund"))
    a, b = themes[0], themes[1]
    w1, w2, w3 = wards[0], wards[1], wards[2]
    one = make_grant(amount="10000", by=by, round=civic, themes=(a, b), wards=(w1,))
    match(one, "5000")
    match(one, "1000", kind="in_kind")
    match(one, "50000", status="pending")
    two = make_grant(amount="3000", by=by, round=civic, themes=(a,), wards=(w1, w2, w3))
    match(two, "1000", kind="external")
    make_grant(amount="2000", by=by, round=youth)
    declined = make_grant(amount="100000", by=by, round=civic, themes=(a,), wards=(w1,), status=Grant.Status.DECLINED)
    match(declined, "90000")
    return {"a": a, "b": b, "w1": w1, "w2": w2, "w3": w3}


def test_overall_leverage_counts_secured_support_of_live_grants_only(example: dict) -> None:
    assert leverage_overall() == LeverageRow("All funds", D("15000"), D("7000"), D("0.47"))


def test_leverage_by_fund(example: dict) -> None:
    assert leverage_by_fund() == [
        LeverageRow("Civic Pride Fund", D("13000"), D("7000"), D("0.54")),
        LeverageRow("Youth Fund", D("2000"), D("0"), D("0.00")),
    ]


def test_leverage_by_theme_splits_each_grant_and_its_match_funding_equally(example: dict) -> None:
    a, b = example["a"].name, example["b"].name
    rows = {row.name: row for row in leverage_by_theme()}
    assert rows[a] == LeverageRow(a, D("8000"), D("4000"), D("0.50"))  # 5,000 + 3,000; 3,000 + 1,000
    assert rows[b] == LeverageRow(b, D("5000"), D("3000"), D("0.60"))
    assert rows["No theme recorded"] == LeverageRow("No theme recorded", D("2000"), D("0"), D("0.00"))
    assert sum(r.council for r in rows.values()) == D("15000")
    assert sum(r.external for r in rows.values()) == D("7000")


def test_leverage_by_ward_splits_in_whole_pounds_and_adds_up(example: dict) -> None:
    rows = {row.name: row for row in leverage_by_ward()}
    w1, w2, w3 = example["w1"].name, example["w2"].name, example["w3"].name
    assert rows[w1] == LeverageRow(w1, D("11000"), D("6334"), D("0.58"))  # the odd pound goes to the first ward
    assert rows[w2] == LeverageRow(w2, D("1000"), D("333"), D("0.33"))
    assert rows[w3] == LeverageRow(w3, D("1000"), D("333"), D("0.33"))
    assert sum(r.external for r in rows.values()) == D("7000")


def test_no_grants_means_no_ratio_rather_than_a_division_by_zero(db: None) -> None:
    assert leverage_overall().ratio is None
    assert leverage_by_fund() == []


def test_the_leverage_page_reads_a_handful_of_queries_however_many_grants(
    example: dict, make_user: Any, django_assert_max_num_queries: Any, themes: list
) -> None:
    by = make_user("officer")
    for _ in range(20):
        grant = make_grant(amount="100", by=by, themes=(themes[0],))
        match(grant, "10")
    with django_assert_max_num_queries(8):
        page = leverage_page()
    assert page["grant_count"] == 23


def test_the_public_leverage_page_shows_the_tables(client: Client, example: dict) -> None:
    response = client.get("/funding/leverage/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "£15,000" in page and "£7,000" in page
    assert "£0.47" in page
    assert 'data-testid="leverage-fund"' in page and "Civic Pride Fund" in page
    assert 'data-testid="leverage-theme"' in page and example["a"].name in page
    assert 'data-testid="leverage-ward"' in page and "£6,334" in page
    assert '<rect x="0" y="2" width="100" height="12" fill="#1d70b8">' in page  # the Civic Pride Fund leads


def test_the_leverage_page_with_no_grants_says_so(client: Client, db: None) -> None:
    assert "No grants yet" in client.get("/funding/leverage/").content.decode()
