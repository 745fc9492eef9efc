"""From a ward's page a resident sees the grants that named the ward, on 'where the money went'."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from .conftest import GrantSet
from .test_pages import find, header, page, text_of

pytestmark = pytest.mark.django_db


def test_the_grants_in_one_ward_are_listed_with_its_share(client: Client, grant_set: GrantSet) -> None:
    first = grant_set.wards[0]
    doc = page(client.get(f"/funding/where-the-money-went/?ward={first.code}"))
    assert text_of(doc, "ward-grants-heading") == f"Grants in {first.name} ward"
    # £4,750 of the charity's £9,500 for two wards and £300 of the group's £1,200 for four.
    assert text_of(doc, "ward-grants-total").startswith(f"£5,050 of our grants went to {first.name}, from 2 grants")
    recipients = sorted(header(row) for row in find(doc, "money-latest-row"))
    assert recipients == ["Pollards Hill Litter Pickers", "Wimbledon Food Bank"]


def test_an_unknown_ward_shows_the_latest_grants_and_says_why(client: Client, grant_set: GrantSet) -> None:
    doc = page(client.get("/funding/where-the-money-went/?ward=E05999999"))
    assert "There is no ward with that code" in text_of(doc, "ward-not-found")
    assert len(find(doc, "money-latest-row")) == 3


def test_a_ward_page_links_to_its_grants(client: Client, grant_set: GrantSet, merton: Any) -> None:
    third = grant_set.wards[2]
    response = client.get(f"/places/wards/{third.code}/")
    doc = page(response)
    assert text_of(doc, "ward-grants") == (
        f"Grants £2,800.50 from 2 grants that named {third.name}. See the grants in {third.name}"
    )
    link = find(doc, "ward-grants")[0].xpath(".//a")[0]
    assert link.get("href") == f"/funding/where-the-money-went/?ward={third.code}#grants"
