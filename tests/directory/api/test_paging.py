"""ORUK paging: page (from 1), per_page (50 unless asked, at most 500) and the page envelope's figures."""

from __future__ import annotations

from typing import Any

import pytest

from commonweal.directory.search import reindex_services
from tests.directory.api.directory_data import make_ward
from tests.directory.factories import OrganisationFactory, ServiceFactory, TaxonomyFactory, TaxonomyTermFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seven_services() -> list[str]:
    """Seven published services, named so that their order (by name) is known."""
    make_ward()
    org = OrganisationFactory(name="Busy Charity")
    names = [f"Service {letter}" for letter in "ABCDEFG"]
    for name in names:
        ServiceFactory(organisation=org, name=name)
    reindex_services(None)
    return names


def names(page: dict[str, Any]) -> list[str]:
    return [item["name"] for item in page["contents"]]


def test_the_first_page(seven_services: list[str], get_json: Any) -> None:
    status, page = get_json("/api/oruk/services", per_page=3)
    assert status == 200
    assert names(page) == ["Service A", "Service B", "Service C"]
    assert page["total_items"] == 7
    assert page["total_pages"] == 3
    assert (page["page_number"], page["size"]) == (1, 3)
    assert (page["first_page"], page["last_page"], page["empty"]) == (True, False, False)


def test_a_middle_page(seven_services: list[str], get_json: Any) -> None:
    _, page = get_json("/api/oruk/services", per_page=3, page=2)
    assert names(page) == ["Service D", "Service E", "Service F"]
    assert (page["page_number"], page["size"], page["first_page"], page["last_page"]) == (2, 3, False, False)


def test_the_last_page_holds_what_is_left(seven_services: list[str], get_json: Any) -> None:
    _, page = get_json("/api/oruk/services", per_page=3, page=3)
    assert names(page) == ["Service G"]
    assert (page["size"], page["first_page"], page["last_page"], page["empty"]) == (1, False, True, False)


def test_a_page_beyond_the_last_is_empty_not_an_error(seven_services: list[str], get_json: Any) -> None:
    status, page = get_json("/api/oruk/services", per_page=3, page=9)
    assert status == 200
    assert page["contents"] == []
    assert (page["size"], page["empty"], page["last_page"], page["total_items"]) == (0, True, True, 7)


def test_walking_every_page_gives_every_service_once(seven_services: list[str], get_json: Any) -> None:
    seen: list[str] = []
    page_number = 1
    while True:
        _, page = get_json("/api/oruk/services", per_page=2, page=page_number)
        seen += names(page)
        if page["last_page"]:
            break
        page_number += 1
    assert seen == seven_services
    assert page_number == 4


def test_no_results_is_one_empty_first_and_last_page(db: None, get_json: Any) -> None:
    _, page = get_json("/api/oruk/services")
    assert page == {
        "total_items": 0,
        "total_pages": 1,
        "page_number": 1,
        "size": 0,
        "first_page": True,
        "last_page": True,
        "empty": True,
        "contents": [],
    }


def test_fifty_to_a_page_unless_asked_and_never_more_than_five_hundred(db: None, get_json: Any) -> None:
    org = OrganisationFactory()
    ServiceFactory.create_batch(51, organisation=org)
    reindex_services(None)
    _, page = get_json("/api/oruk/services")
    assert (page["size"], page["total_pages"]) == (50, 2)
    _, page = get_json("/api/oruk/services", per_page=500)
    assert (page["size"], page["total_pages"]) == (51, 1)
    status, body = get_json("/api/oruk/services", per_page=501)
    assert status == 400
    assert body["problems"] == [
        {"parameter": "per_page", "message": "per_page must be a whole number from 1 to 500 (you sent '501')."}
    ]


def test_services_at_locations_and_organisations_page_the_same_way(db: None, get_json: Any) -> None:
    from tests.directory.factories import ServiceAtLocationFactory

    for n in range(5):
        group = OrganisationFactory(name=f"Group {n}")
        ServiceAtLocationFactory(service__name=f"Club {n}", service__organisation=group, location__organisation=group)
    reindex_services(None)
    _, page = get_json("/api/oruk/service_at_locations", per_page=2, page=3)
    assert [item["service"]["name"] for item in page["contents"]] == ["Club 4"]
    assert (page["total_items"], page["total_pages"], page["last_page"]) == (5, 3, True)
    _, page = get_json("/api/oruk/organizations", per_page=2, page=2)
    assert [item["name"] for item in page["contents"]] == ["Group 2", "Group 3"]
    assert (page["total_items"], page["total_pages"], page["first_page"], page["last_page"]) == (5, 3, False, False)


def test_vocabularies_and_their_terms_page_too(db: None, get_json: Any) -> None:
    for n in range(3):
        TaxonomyFactory(name=f"Vocabulary {n}")
    terms = TaxonomyFactory(name="Big vocabulary")
    for n in range(5):
        TaxonomyTermFactory(taxonomy=terms, name=f"Term {n}", position=n)
    _, page = get_json("/api/oruk/taxonomies", per_page=3, page=2)
    assert [t["name"] for t in page["contents"]] == ["Vocabulary 2"]
    assert (page["total_items"], page["total_pages"]) == (4, 2)
    _, page = get_json("/api/oruk/taxonomy_terms", per_page=2, page=3)
    assert [t["name"] for t in page["contents"]] == ["Term 4"]
    assert (page["total_items"], page["total_pages"], page["last_page"]) == (5, 3, True)


LISTS = [
    "/api/oruk/services",
    "/api/oruk/service_at_locations",
    "/api/oruk/organizations",
    "/api/oruk/taxonomies",
    "/api/oruk/taxonomy_terms",
]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("page", [str(10**20), "10001", "-1", "0", "abc", "1e3"])
def test_a_hostile_page_number_is_a_400_that_says_what_is_allowed(
    seven_services: list[str], get_json: Any, path: str, page: str
) -> None:
    status, body = get_json(path, page=page)
    assert status == 400
    assert f"page must be a whole number from 1 to 10000 (you sent '{page}')" in str(body)


def test_the_last_allowed_page_is_empty_not_an_error(seven_services: list[str], get_json: Any) -> None:
    status, page = get_json("/api/oruk/services", page=10000)
    assert status == 200
    assert page["contents"] == []


@pytest.mark.parametrize("path", ["/api/oruk/services", "/api/oruk/taxonomy_terms"])
def test_a_5000_character_search_is_a_400_that_says_how_long_it_may_be(
    seven_services: list[str], get_json: Any, path: str
) -> None:
    status, body = get_json(path, search="x" * 5000)
    assert status == 400
    assert body["problems"] == [
        {"parameter": "search", "message": "search must be 200 characters or fewer; it has 5,000."}
    ]


def test_a_100_word_search_is_answered_or_refused_with_a_message_never_a_crash(
    seven_services: list[str], get_json: Any
) -> None:
    tiny = " ".join("abcdefghij"[n % 10] for n in range(100))  # 100 words in 199 characters
    status, page = get_json("/api/oruk/services", search=tiny)
    assert status == 200 and page["contents"] == []
    status, body = get_json("/api/oruk/services", search=" ".join(f"word{n}" for n in range(100)))
    assert status == 400
    assert body["problems"][0]["parameter"] == "search"
