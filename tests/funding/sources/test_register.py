"""The register of external funding: residents search and filter it; officers keep it true."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from commonweal.funding.models import FundingSource
from tests.funding.sources.conftest import HOSTILE
from tests.funding.sources.factories import SourceFactory

pytestmark = pytest.mark.django_db

URL = "/funding/sources/"


def names(response: Any) -> list[str]:
    return [s.name for s in response.context["sources"]]


@pytest.fixture
def register(themes: list[Any]) -> dict[str, FundingSource]:
    today = timezone.localdate()
    youth = SourceFactory(
        funder="National Lottery Community Fund",
        name="Awards for All",
        what_they_fund="Youth clubs and sport",
        min_amount=Decimal("300"),
        max_amount=Decimal("20000"),
        deadline=None,
    )
    youth.themes.set([themes[0]])
    soon = SourceFactory(
        funder="Wimbledon Foundation",
        name="Community Grants",
        what_they_fund="Older people and lunch clubs",
        min_amount=Decimal("1000"),
        max_amount=Decimal("5000"),
        deadline=today + timedelta(days=10),
    )
    soon.themes.set([themes[1]])
    later = SourceFactory(
        funder="City Bridge Foundation",
        name="Bridging Divides",
        what_they_fund="Organisations working with disabled people",
        min_amount=Decimal("10000"),
        max_amount=Decimal("100000"),
        deadline=today + timedelta(days=90),
    )
    passed = SourceFactory(funder="Old Trust", name="Last Year", deadline=today - timedelta(days=5))
    closed = SourceFactory(funder="Closed Trust", name="Gone", is_active=False)
    return {"youth": youth, "soon": soon, "later": later, "passed": passed, "closed": closed}


def test_a_resident_sees_every_open_programme_soonest_deadline_first(client: Client, register: dict) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    # Deadlines to come first (soonest first), then rolling, then passed; programmes no longer open are hidden.
    assert names(response) == ["Community Grants", "Bridging Divides", "Awards for All", "Last Year"]
    assert "Gone" not in response.content.decode()


def test_words_search_funder_programme_and_what_they_fund_whatever_the_case(client: Client, register: dict) -> None:
    assert names(client.get(URL, {"q": "LOTTERY"})) == ["Awards for All"]
    assert names(client.get(URL, {"q": "bridging"})) == ["Bridging Divides"]
    assert names(client.get(URL, {"q": "lunch clubs"})) == ["Community Grants"]


def test_a_theme_filter_shows_only_programmes_for_that_theme(client: Client, register: dict, themes: list) -> None:
    assert names(client.get(URL, {"theme": themes[1].pk})) == ["Community Grants"]


def test_a_grant_size_shows_programmes_whose_range_includes_it(client: Client, register: dict) -> None:
    found = names(client.get(URL, {"amount": "15000"}))
    assert "Awards for All" in found and "Bridging Divides" in found
    assert "Community Grants" not in found  # £1,000 to £5,000
    assert "Community Grants" in names(client.get(URL, {"amount": "5000"}))  # the largest is included


def test_deadline_filters_open_now_closing_soon_and_rolling(client: Client, register: dict) -> None:
    assert names(client.get(URL, {"deadline": "soon"})) == ["Community Grants"]
    assert names(client.get(URL, {"deadline": "rolling"})) == ["Awards for All"]
    assert "Last Year" not in names(client.get(URL, {"deadline": "open"}))
    assert "Bridging Divides" in names(client.get(URL, {"deadline": "open"}))


def test_sorting_by_funder(client: Client, register: dict) -> None:
    assert names(client.get(URL, {"sort": "funder"}))[0] == "Bridging Divides"  # City Bridge Foundation


def test_nothing_found_says_so_and_offers_every_programme(client: Client, register: dict) -> None:
    response = client.get(URL, {"q": "submarines"})
    assert "No funding programmes match your search." in response.content.decode()
    assert response.context["total"] == 0


def test_a_bad_filter_value_is_explained_not_a_500(client: Client, register: dict) -> None:
    response = client.get(URL, {"amount": "lots", "theme": "999999"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "The grant size must be an amount of money, like 1500 or 1,500.50" in page
    assert "Choose a theme from the list." in page
    assert "The grant size must be £0 or more" in client.get(URL, {"amount": "-5"}).content.decode()


def test_pages_keep_the_filters(client: Client, themes: list) -> None:
    for n in range(25):
        SourceFactory(name=f"Youth programme {n:02d}", what_they_fund="youth")
    response = client.get(URL, {"q": "youth", "sort": "funder"})
    page = response.content.decode()
    assert response.context["total"] == 25
    assert "q=youth&amp;sort=funder&amp;page=2" in page
    second = client.get(URL, {"q": "youth", "sort": "funder", "page": "2"})
    assert len(second.context["sources"]) == 5


def test_a_programme_page_shows_its_facts(client: Client, register: dict) -> None:
    response = client.get(f"{URL}{register['soon'].pk}/")
    page = response.content.decode()
    assert "Wimbledon Foundation" in page and "£1,000 to £5,000" in page


def test_a_closed_programme_is_not_found_by_the_public(client: Client, register: dict) -> None:
    assert client.get(f"{URL}{register['closed'].pk}/").status_code == 404


def test_hostile_text_in_the_register_is_shown_as_text(client: Client, themes: list) -> None:
    SourceFactory(funder=HOSTILE, name=HOSTILE, what_they_fund=HOSTILE * 100)
    page = client.get(URL).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<bdi>&lt;script&gt;" in page


def test_the_register_downloads_as_a_csv_safe_from_formulas(client: Client, register: dict) -> None:
    SourceFactory(funder='=HYPERLINK("http://evil")', name="Formula")
    response = client.get("/funding/sources/register.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "Funder"
    funders = [row[0] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil")' in funders
    assert "Closed Trust" not in funders
