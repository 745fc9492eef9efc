"""Every query parameter the ORUK document lists, on the endpoints it lists it, narrows the answer as ORUK says.

Services are filtered by commonweal.directory.search.search_services: the tests check both what the API
asks search for (the SearchQuery) and, where the answer shows it, what comes back.
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from commonweal.directory import api
from commonweal.directory.models import Service
from commonweal.directory.search import SearchPage, SearchQuery, reindex_services, search_services
from tests.directory.api.directory_data import Directory
from tests.directory.factories import OrganisationFactory, ServiceFactory, TaxonomyFactory, TaxonomyTermFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[tuple[SearchQuery, str]]:
    """Every (query, unit) the API passes to search, which still answers as usual."""
    calls: list[tuple[SearchQuery, str]] = []

    def spy(query: SearchQuery, *, page: int = 1, per_page: int = 20, unit: str = "service") -> SearchPage:
        calls.append((query, unit))
        return search_services(query, page=page, per_page=per_page, unit=unit)

    monkeypatch.setattr(api, "search_services", spy)
    return calls


def service_names(get_json: Any, path: str = "/api/oruk/services", **query: Any) -> list[str]:
    status, page = get_json(path, **query)
    assert status == 200, page
    return [item["name"] if "name" in item else item["service"]["name"] for item in page["contents"]]


# --- what comes back -----------------------------------------------------------------------------


def test_search_finds_services_by_their_words(directory: Directory, get_json: Any) -> None:
    assert service_names(get_json, search="food parcels") == ["Food bank"]
    assert service_names(get_json, search="debts") == ["Debt advice"]
    assert service_names(get_json, search="nothing like this") == []


def test_a_taxonomy_term_includes_its_children(directory: Directory, get_json: Any) -> None:
    assert service_names(get_json, taxonomy_term_id=str(directory.food.uuid)) == ["Food bank"]
    assert service_names(get_json, taxonomy_term_id=str(directory.food_banks.uuid)) == ["Food bank"]
    assert service_names(get_json, taxonomy_term_id=str(directory.money.uuid)) == ["Debt advice"]
    both = f"{directory.food_banks.uuid},{directory.money.uuid}"
    assert service_names(get_json, taxonomy_term_id=both) == ["Debt advice", "Food bank"]


def test_a_term_or_vocabulary_or_organisation_that_does_not_exist_matches_nothing(
    directory: Directory, get_json: Any
) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"
    for name in ("taxonomy_term_id", "taxonomy_id", "organization_id"):
        status, page = get_json("/api/oruk/services", **{name: unknown})
        assert status == 200
        assert (page["contents"], page["total_items"], page["empty"]) == ([], 0, True), name


def test_taxonomy_id_finds_services_with_any_term_of_that_vocabulary(directory: Directory, get_json: Any) -> None:
    other = TaxonomyTermFactory(taxonomy=TaxonomyFactory(name="Other vocabulary"), name="Elsewhere")
    ServiceFactory(organisation=directory.charity, name="Other service").terms.add(other)
    reindex_services(None)
    assert service_names(get_json, taxonomy_id=str(directory.taxonomy.uuid)) == ["Debt advice", "Food bank"]
    assert service_names(get_json, taxonomy_id=str(other.taxonomy.uuid)) == ["Other service"]


def test_organization_id_finds_that_organisations_services(directory: Directory, get_json: Any) -> None:
    other = OrganisationFactory(name="Another charity")
    ServiceFactory(organisation=other, name="Lunch club")
    reindex_services(None)
    assert service_names(get_json, organization_id=str(other.uuid)) == ["Lunch club"]
    assert service_names(get_json, organization_id=str(directory.charity.uuid)) == ["Debt advice", "Food bank"]


def test_modified_after_finds_services_changed_since(directory: Directory, get_json: Any) -> None:
    long_ago = timezone.now() - timedelta(days=400)
    Service.objects.filter(pk=directory.debt_advice.pk).update(updated_at=long_ago)
    reindex_services([directory.debt_advice.pk])
    since = (timezone.now() - timedelta(days=30)).date().isoformat()
    assert service_names(get_json, modified_after=since) == ["Food bank"]
    assert service_names(get_json, modified_after="2000-01-01T00:00:00Z") == ["Debt advice", "Food bank"]
    # A date as people write it is taken too.
    written = timezone.now() - timedelta(days=30)
    assert service_names(get_json, modified_after=f"{written.day} {written:%B %Y}") == ["Food bank"]


def test_services_at_locations_take_the_same_filters(directory: Directory, get_json: Any) -> None:
    path = "/api/oruk/service_at_locations"
    assert service_names(get_json, path, taxonomy_term_id=str(directory.food.uuid)) == ["Food bank"]
    assert service_names(get_json, path, taxonomy_term_id=str(directory.money.uuid)) == []
    assert service_names(get_json, path, search="parcels") == ["Food bank"]


def test_minimal_gives_each_service_id_and_when_it_changed(directory: Directory, get_json: Any) -> None:
    _, page = get_json("/api/oruk/services", minimal="true")
    food_bank = next(item for item in page["contents"] if item["id"] == str(directory.food_bank.uuid))
    directory.food_bank.refresh_from_db()
    assert food_bank == {
        "id": str(directory.food_bank.uuid),
        "last_modified": directory.food_bank.updated_at.isoformat(),
        "modified_date": directory.food_bank.updated_at.isoformat(),
    }


# --- what the API asks search for ----------------------------------------------------------------


def test_the_time_day_and_age_filters_are_passed_to_search(
    directory: Directory, get_json: Any, asked: list[tuple[SearchQuery, str]]
) -> None:
    get_json(
        "/api/oruk/services",
        day="mo",
        start_time="09:30",
        end_time="17:00:00",
        minimum_age="12",
        maximum_age="18",
    )
    query, unit = asked[-1]
    assert unit == "service"
    assert (query.day, query.start_time, query.end_time) == ("MO", time(9, 30), time(17))
    assert (query.minimum_age, query.maximum_age) == (12, 18)


def test_a_day_may_be_given_by_name(directory: Directory, get_json: Any, asked: list[tuple[SearchQuery, str]]) -> None:
    get_json("/api/oruk/service_at_locations", day="Wednesday")
    query, unit = asked[-1]
    assert (query.day, unit) == ("WE", "service_at_location")


def test_a_postcode_and_proximity_search_near_the_postcodes_centre(
    directory: Directory, get_json: Any, asked: list[tuple[SearchQuery, str]]
) -> None:
    status, page = get_json("/api/oruk/service_at_locations", postcode="sw19 2hl", proximity="1500")
    assert status == 200
    query, unit = asked[-1]
    assert unit == "service_at_location"
    assert query.near == (51.4183, -0.1947)
    assert query.within_metres == 1500
    # A postcode alone sorts nearest first, with no limit on distance.
    get_json("/api/oruk/services", postcode="SW19 2HL")
    query, _ = asked[-1]
    assert (query.near, query.within_metres) == ((51.4183, -0.1947), None)


def test_the_ids_are_turned_into_our_records(
    directory: Directory, get_json: Any, asked: list[tuple[SearchQuery, str]]
) -> None:
    get_json(
        "/api/oruk/services",
        search="  food  ",
        taxonomy_term_id=str(directory.food.uuid),
        taxonomy_id=str(directory.taxonomy.uuid),
        organization_id=str(directory.charity.uuid),
        modified_after="2024-05-01",
    )
    query, _ = asked[-1]
    assert query.words == "food"
    assert query.term_ids == (directory.food.pk,)
    assert query.taxonomy_id == directory.taxonomy.pk
    assert query.organisation_id == directory.charity.pk
    assert query.modified_after is not None
    assert query.modified_after.isoformat() == "2024-05-01T00:00:00+01:00"  # midnight, London time


def test_no_filters_asks_search_for_everything(
    directory: Directory, get_json: Any, asked: list[tuple[SearchQuery, str]]
) -> None:
    get_json("/api/oruk/services")
    assert asked == [(SearchQuery(), "service")]


# --- organisations and vocabularies --------------------------------------------------------------


def test_organisations_are_found_by_words_and_by_the_categories_of_their_services(
    directory: Directory, get_json: Any
) -> None:
    OrganisationFactory(name="Tennis Club", description="Tennis for all ages.")
    assert service_names(get_json, "/api/oruk/organizations", search="larder") == ["Merton Community Larder"]
    assert service_names(get_json, "/api/oruk/organizations", search="tennis ages") == ["Tennis Club"]
    by_term = service_names(get_json, "/api/oruk/organizations", taxonomy_term_id=str(directory.food.uuid))
    assert by_term == ["Merton Community Larder"]
    by_vocabulary = service_names(get_json, "/api/oruk/organizations", taxonomy_id=str(directory.taxonomy.uuid))
    assert by_vocabulary == ["Merton Community Larder"]


def test_taxonomy_terms_by_vocabulary_parent_and_top_level(directory: Directory, get_json: Any) -> None:
    TaxonomyTermFactory(taxonomy=TaxonomyFactory(name="Other vocabulary"), name="Elsewhere")
    path = "/api/oruk/taxonomy_terms"
    in_ours = service_names(get_json, path, taxonomy_id=str(directory.taxonomy.uuid))
    assert in_ours == ["Food", "Food banks", "Money advice"]
    assert service_names(get_json, path, parent_id=str(directory.food.uuid)) == ["Food banks"]
    top = service_names(get_json, path, top_only="true", taxonomy_id=str(directory.taxonomy.uuid))
    assert top == ["Food", "Money advice"]
    assert service_names(get_json, path, search="bank") == ["Food banks"]


def test_taxonomies_are_found_by_words(directory: Directory, get_json: Any) -> None:
    TaxonomyFactory(name="Other vocabulary", description="Something else.")
    assert service_names(get_json, "/api/oruk/taxonomies", search="people come") == ["Community services"]
