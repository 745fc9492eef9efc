"""Search finds the right thing first, on a real database: compounds, plurals, typos and everyday words;
names and categories above descriptions, distance among equals; one result for a service at several places."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from commonweal.directory.models import Service
from commonweal.directory.search import SearchQuery, reindex_services, search_services
from tests.directory.factories import OrganisationFactory, TaxonomyTermFactory

from .conftest import EDINBURGH, MORDEN, WIMBLEDON

pytestmark = pytest.mark.django_db


def names(query: SearchQuery, **kwargs: Any) -> list[str]:
    page = search_services(query, **kwargs)
    found = Service.objects.in_bulk([hit.service_id for hit in page.hits])
    return [found[hit.service_id].name for hit in page.hits]


def test_foodbank_as_one_word_finds_the_food_bank(listed: Callable[..., Any]) -> None:
    listed("Food bank")
    listed("Art club")
    reindex_services()
    page = search_services(SearchQuery(words="foodbank"))
    assert names(SearchQuery(words="foodbank")) == ["Food bank"]
    assert page.suggestion == "food bank"
    assert names(SearchQuery(words="foodbanks")) == ["Food bank"]


def test_two_words_find_a_service_that_writes_them_as_one(listed: Callable[..., Any]) -> None:
    listed("Babysitting circle", description="Parents take turns.")
    listed("Baby massage", description="Sitting on mats with your baby.")
    reindex_services()
    assert set(names(SearchQuery(words="baby sitting"))) == {"Babysitting circle", "Baby massage"}
    assert names(SearchQuery(words="babysitting")) == ["Babysitting circle"]


def test_plurals_find_singulars_and_back(listed: Callable[..., Any]) -> None:
    listed("Food bank", description="Parcels, and a nappy when we have them.")
    reindex_services()
    for words in ("food banks", "nappies", "food parcel"):
        assert names(SearchQuery(words=words)) == ["Food bank"], words


def test_a_typo_finds_the_food_bank_first_not_every_service_of_a_food_bank(listed: Callable[..., Any]) -> None:
    charity = OrganisationFactory(name="Colliers Wood Food Bank")
    listed("Benefits check by phone", organisation=charity)
    listed("Board games evening", organisation=charity)
    listed("Food bank", organisation=OrganisationFactory(name="Wandle Trust"))
    reindex_services()
    assert names(SearchQuery(words="food bnak"))[0] == "Food bank"
    assert names(SearchQuery(words="food bank"))[0] == "Food bank"


def test_the_name_then_categories_rank_above_descriptions(listed: Callable[..., Any]) -> None:
    food_banks = TaxonomyTermFactory(name="Food banks")
    listed("Advice drop-in", description="Help with forms. There is a food bank next door.")
    listed("Emergency parcels", description="Three days of food.", terms=[food_banks])
    listed("Wandle food bank", description="Parcels.")
    reindex_services()
    assert names(SearchQuery(words="food bank")) == ["Wandle food bank", "Emergency parcels", "Advice drop-in"]


def test_an_everyday_word_finds_the_service_that_never_uses_it(listed: Callable[..., Any]) -> None:
    befriending = TaxonomyTermFactory(name="Befriending")
    listed("Telephone calls", description="A chat once a week.", terms=[befriending])
    listed("Poetry evening", description="Poems about being lonely in the city.")
    listed("Art club")
    reindex_services()
    assert names(SearchQuery(words="lonely")) == ["Telephone calls", "Poetry evening"]
    assert names(SearchQuery(words="lonley")) == ["Telephone calls", "Poetry evening"]


def test_food_means_food_banks_and_meals_first(listed: Callable[..., Any]) -> None:
    listed("Holiday activities and food", description="Games and lunch.")
    listed("Food bank", description="Parcels.")
    listed("Lunch club", terms=[TaxonomyTermFactory(name="Community meals")])
    listed("Knit and natter", description="Tea and food.")
    reindex_services()
    assert names(SearchQuery(words="food")) == [
        "Food bank",
        "Lunch club",
        "Holiday activities and food",
        "Knit and natter",
    ]


def test_with_a_postcode_distance_orders_equals_and_relevance_comes_first(listed: Callable[..., Any]) -> None:
    listed("Food bank in Morden", places=[MORDEN])
    listed("Food bank in Wimbledon", places=[WIMBLEDON])
    listed("Drop-in", description="Ask about the food bank.", places=[WIMBLEDON])
    listed("Food bank in Edinburgh", places=[EDINBURGH])
    reindex_services()
    assert names(SearchQuery(words="food bank", near=WIMBLEDON)) == [
        "Food bank in Wimbledon",
        "Food bank in Morden",
        "Food bank in Edinburgh",
        "Drop-in",
    ]
    within = SearchQuery(words="food bank", near=WIMBLEDON, within_metres=5_000)
    assert names(within) == ["Food bank in Wimbledon", "Food bank in Morden", "Drop-in"]


def test_one_organisations_service_at_several_places_is_one_result(listed: Callable[..., Any]) -> None:
    charity = OrganisationFactory(name="Wandle Valley Food Share")
    for place in (WIMBLEDON, MORDEN, EDINBURGH):
        listed("Food bank", organisation=charity, places=[place])
    listed("Food bank", places=[MORDEN])  # another organisation's
    reindex_services()
    query = SearchQuery(words="food bank")
    assert search_services(query).total == 4
    page = search_services(query, one_per_name=True)
    assert page.total == 2
    assert sorted(hit.others for hit in page.hits) == [0, 2]
    # Paging counts results, not services: two pages of one.
    first, second = (search_services(query, page=n, per_page=1, one_per_name=True) for n in (1, 2))
    assert (first.total, second.total, first.total_pages) == (2, 2, 2)
    assert {first.hits[0].service_id, second.hits[0].service_id} == {page.hits[0].service_id, page.hits[1].service_id}


def test_near_a_postcode_the_grouped_result_is_at_its_nearest_place(listed: Callable[..., Any]) -> None:
    charity = OrganisationFactory(name="Wandle Valley Food Share")
    far = listed("Food bank", organisation=charity, places=[EDINBURGH])
    near = listed("Food bank", organisation=charity, places=[MORDEN])
    reindex_services()
    page = search_services(SearchQuery(words="food bank", near=WIMBLEDON), one_per_name=True)
    assert page.total == 1
    assert (page.hits[0].service_id, page.hits[0].others) == (near.pk, 1)
    assert far.pk not in [hit.service_id for hit in page.hits]
    browse = search_services(SearchQuery(near=WIMBLEDON), one_per_name=True)
    assert (browse.total, browse.hits[0].service_id) == (1, near.pk)


def test_a_filter_keeps_groups_whole_and_counts_only_what_it_finds(listed: Callable[..., Any]) -> None:
    charity = OrganisationFactory(name="Wandle Valley Food Share")
    listed("Food bank", organisation=charity, is_free=True)
    listed("Food bank", organisation=charity, is_free=True)
    listed("Food bank", organisation=charity, is_free=False)
    reindex_services()
    page = search_services(SearchQuery(is_free=True), one_per_name=True)
    assert (page.total, page.hits[0].others) == (1, 1)


def test_a_full_page_near_by_still_counts_the_places_and_results_further_away(listed: Callable[..., Any]) -> None:
    charity = OrganisationFactory(name="Wandle Valley Food Share")
    here = listed("Food bank", organisation=charity, places=[WIMBLEDON])
    listed("Food bank", organisation=charity, places=[EDINBURGH])
    listed("Food bank", places=[MORDEN])
    listed("Drop-in", description="Ask about the food bank.", places=[WIMBLEDON])
    reindex_services()
    # One result a page: the nearest ring already holds the best there can be.
    page = search_services(SearchQuery(words="food bank", near=WIMBLEDON), per_page=1, one_per_name=True)
    assert (page.hits[0].service_id, page.hits[0].others, page.total) == (here.pk, 1, 3)
    second = search_services(SearchQuery(words="food bank", near=WIMBLEDON), page=2, per_page=1, one_per_name=True)
    assert names(SearchQuery(words="food bank", near=WIMBLEDON), one_per_name=True) == [
        "Food bank",
        "Food bank",
        "Drop-in",
    ]
    assert second.hits[0].service_id != here.pk and second.total == 3


def test_a_name_that_holds_everything_typed_comes_before_one_that_holds_part(listed: Callable[..., Any]) -> None:
    food_banks = TaxonomyTermFactory(name="Food banks")
    listed("Emergency food parcels", terms=[food_banks])
    listed("Food bank", terms=[food_banks])
    reindex_services()
    assert names(SearchQuery(words="food bank")) == ["Food bank", "Emergency food parcels"]


def test_paging_through_a_broad_search_gives_the_order_and_counts_of_one_long_page(
    listed: Callable[..., Any],
) -> None:
    """PostgreSQL ranks the services with every word in their names on their own while they fill the page,
    and only counts the rest; page after page must still be exactly the one long list, counts and all."""
    debts = TaxonomyTermFactory(name="Debts")
    charity = OrganisationFactory(name="Wandle Valley Advice")
    lat, lon = MORDEN
    for n in range(5):  # the word in the name, 1 to 5 hundredths of a degree north of Morden
        listed(f"Debt clinic {n}", places=[(lat + 0.01 * (n + 1), lon)])
    # One name of one organisation at two places: filed under debts at the far one, not at the near one.
    listed("Money help", organisation=charity, terms=[debts], places=[(lat + 0.07, lon)])
    listed("Money help", organisation=charity, description="Ask us about debt.", places=[(lat + 0.001, lon)])
    for n in range(5):  # the word only in the description, nearer than any clinic
        listed(f"Drop-in {n}", description="Bring letters about debt.", places=[(lat + 0.002 * (n + 2), lon)])
    listed("Far debt clinic", places=[EDINBURGH])
    reindex_services()

    nearby = SearchQuery(words="debt", near=MORDEN, within_metres=10_000)
    for query in (SearchQuery(words="debt"), SearchQuery(words="debt", near=MORDEN), nearby):
        for kwargs in ({}, {"one_per_name": True}, {"unit": "service_at_location"}):
            whole = search_services(query, per_page=100, **kwargs)
            pages = [search_services(query, page=n, per_page=3, **kwargs) for n in range(1, whole.total // 3 + 2)]
            assert [hit for page in pages for hit in page.hits] == whole.hits, (query, kwargs)
            assert {page.total for page in pages} == {whole.total}, (query, kwargs)

    # The word in the name, then in the categories, nearest first; then the word elsewhere, nearest first.
    clinics = [f"Debt clinic {n}" for n in range(5)]
    assert names(nearby, per_page=100) == [*clinics, "Money help", "Money help", *(f"Drop-in {n}" for n in range(5))]
    assert names(nearby, per_page=3, page=2) == ["Debt clinic 3", "Debt clinic 4", "Money help"]
    grouped = search_services(nearby, page=2, per_page=3, one_per_name=True)
    assert grouped.total == 11  # 5 clinics, one 'Money help' for its two places, 5 drop-ins
    # 'Money help' at its place filed under debts, standing for its other place too, found by its description.
    assert [hit.others for hit in grouped.hits] == [0, 0, 1]
