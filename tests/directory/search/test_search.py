"""Searching the directory on a real database: words, spelling, every filter, distance and paging."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from commonweal.directory.models import Schedule, Service, ServiceAtLocation
from commonweal.directory.search import SearchQuery, reindex_services, search_services
from tests.directory.factories import OrganisationFactory, TaxonomyFactory, TaxonomyTermFactory

from .conftest import EDINBURGH, MORDEN, WIMBLEDON

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def names(query: SearchQuery, **kwargs: Any) -> list[str]:
    page = search_services(query, **kwargs)
    found = Service.objects.in_bulk([hit.service_id for hit in page.hits])
    return [found[hit.service_id].name for hit in page.hits]


# --- words ---------------------------------------------------------------------------------------


def test_a_word_finds_services_that_use_it_in_name_or_description(listed: Callable[..., Any]) -> None:
    listed("Lunch club", description="A hot meal on Tuesdays.")
    listed("Debt advice")
    reindex_services()
    assert names(SearchQuery(words="meal")) == ["Lunch club"]
    assert names(SearchQuery(words="DEBT")) == ["Debt advice"]


def test_cooking_finds_a_cook_because_words_are_stemmed(listed: Callable[..., Any]) -> None:
    listed("Community kitchen", description="Learn to cook healthy food.")
    listed("Gardening club")
    reindex_services()
    page = search_services(SearchQuery(words="cooking"))
    assert [hit.service_id for hit in page.hits] == [Service.objects.get(name="Community kitchen").pk]
    assert page.suggestion is None


def test_a_typo_is_corrected_to_a_word_the_directory_uses(listed: Callable[..., Any]) -> None:
    listed("Merton food bank", description="Emergency food parcels.")
    listed("Tennis club")
    reindex_services()
    page = search_services(SearchQuery(words="fod bnak"))
    assert page.suggestion == "food bank"
    assert page.total == 1
    assert names(SearchQuery(words="fod bank")) == ["Merton food bank"]


def test_a_word_nobody_uses_finds_nothing_and_suggests_nothing(listed: Callable[..., Any]) -> None:
    listed("Merton food bank")
    reindex_services()
    page = search_services(SearchQuery(words="xylophone"))
    assert (page.total, page.hits, page.suggestion) == (0, [], None)


def test_every_word_must_match(listed: Callable[..., Any]) -> None:
    listed("Food bank")
    listed("Food pantry")
    reindex_services()
    assert names(SearchQuery(words="food pantry")) == ["Food pantry"]


def test_words_in_the_name_rank_above_words_in_the_description(listed: Callable[..., Any]) -> None:
    listed("Youth club", description="Games, and a little help with reading.")
    listed("Reading group", description="Books and tea.")
    reindex_services()
    assert names(SearchQuery(words="reading")) == ["Reading group", "Youth club"]


def test_categories_organisation_names_and_wards_are_searchable(
    listed: Callable[..., Any], wards: dict[str, Any]
) -> None:
    term = TaxonomyTermFactory(name="Befriending")
    listed("Phone calls", terms=[term])
    listed("Tea and chat", organisation=OrganisationFactory(name="Age Friendly Merton"))
    listed("Drop in", places=[(*MORDEN, wards["ravensbury"])])
    reindex_services()
    assert names(SearchQuery(words="befriending")) == ["Phone calls"]
    assert names(SearchQuery(words="age friendly")) == ["Tea and chat"]
    assert names(SearchQuery(words="ravensbury")) == ["Drop in"]


def test_accented_and_unaccented_words_find_each_other(listed: Callable[..., Any]) -> None:
    listed("Community café")
    reindex_services()
    assert names(SearchQuery(words="cafe")) == ["Community café"]
    assert names(SearchQuery(words="CAFÉ")) == ["Community café"]


@pytest.mark.parametrize(
    "words", ['"food', "food*", "food OR bank", "NEAR(food bank)", "-food", "^food", "food:bank", "' OR 1=1 --"]
)
def test_search_syntax_in_the_words_is_only_words(listed: Callable[..., Any], words: str) -> None:
    listed("Food bank")
    reindex_services()
    page = search_services(SearchQuery(words=words))
    assert page.total in (0, 1)


def test_stop_words_alone_list_everything(listed: Callable[..., Any]) -> None:
    listed("Food bank")
    listed("Art club")
    reindex_services()
    assert names(SearchQuery(words="the and of")) == ["Art club", "Food bank"]


# --- who is shown --------------------------------------------------------------------------------


def test_only_published_active_services_of_published_organisations_are_found(listed: Callable[..., Any]) -> None:
    listed("Shown food bank")
    listed("Pending food bank", listing_status="pending")
    listed("Withdrawn food bank", listing_status="withdrawn")
    listed("Closed food bank", status=Service.Status.TEMPORARILY_CLOSED)
    listed("Defunct food bank", status=Service.Status.DEFUNCT)
    listed("Food bank of a pending group", organisation=OrganisationFactory(listing_status="pending"))
    reindex_services()
    for unit in ("service", "service_at_location"):
        assert names(SearchQuery(words="food"), unit=unit) in (["Shown food bank"], [])
    assert names(SearchQuery()) == ["Shown food bank"]


def test_a_location_waiting_for_approval_is_not_shown_on_the_map(listed: Callable[..., Any]) -> None:
    listed("Food bank", places=[WIMBLEDON], location_status="pending")
    reindex_services()
    hit = search_services(SearchQuery()).hits[0]
    assert hit.location_id is None
    assert search_services(SearchQuery(near=WIMBLEDON)).total == 0
    assert search_services(SearchQuery(), unit="service_at_location").total == 0


def test_a_service_withdrawn_after_indexing_disappears_when_reindexed(listed: Callable[..., Any]) -> None:
    service = listed("Food bank")
    reindex_services()
    Service.objects.filter(pk=service.pk).update(listing_status="withdrawn")
    reindex_services([service.pk])
    assert search_services(SearchQuery(words="food")).total == 0


def test_a_deleted_service_leaves_nothing_behind_in_the_word_index(listed: Callable[..., Any]) -> None:
    service = listed("Food bank")
    listed("Food pantry")
    reindex_services()
    service.delete()
    assert names(SearchQuery(words="food")) == ["Food pantry"]


def test_a_renamed_service_is_found_by_its_new_name_and_a_typo_of_it(listed: Callable[..., Any]) -> None:
    service = listed("Food bank")
    reindex_services()
    assert search_services(SearchQuery(words="foood")).suggestion == "food"
    service.name = "Allotment society"
    service.save()
    reindex_services([service.pk])
    assert names(SearchQuery(words="allotment")) == ["Allotment society"]
    page = search_services(SearchQuery(words="alottment"))
    assert (page.suggestion, page.total) == ("allotment", 1)


# --- filters -------------------------------------------------------------------------------------


def test_a_category_includes_the_categories_below_it(listed: Callable[..., Any]) -> None:
    food = TaxonomyTermFactory(name="Food")
    banks = TaxonomyTermFactory(name="Food banks", parent=food, taxonomy=food.taxonomy)
    listed("Parcels", terms=[banks])
    listed("Lunch", terms=[food])
    listed("Debt advice", terms=[TaxonomyTermFactory(name="Money")])
    reindex_services()
    assert names(SearchQuery(term_ids=(food.pk,))) == ["Lunch", "Parcels"]
    assert names(SearchQuery(term_ids=(banks.pk,))) == ["Parcels"]


def test_a_vocabulary_finds_services_with_any_of_its_terms(listed: Callable[..., Any]) -> None:
    other = TaxonomyFactory(name="Another council's vocabulary")
    listed("Tagged", terms=[TaxonomyTermFactory(taxonomy=other)])
    listed("Untagged")
    listed("Tagged elsewhere", terms=[TaxonomyTermFactory()])
    reindex_services()
    assert names(SearchQuery(taxonomy_id=other.pk)) == ["Tagged"]


def test_a_ward_finds_services_located_in_it_or_serving_it(listed: Callable[..., Any], wards: dict[str, Any]) -> None:
    listed("In Abbey", places=[(*WIMBLEDON, wards["abbey"])])
    listed("In Ravensbury", places=[(*MORDEN, wards["ravensbury"])])
    listed("Home visits").wards_served.add(wards["abbey"])
    two = listed("Two places", places=[(*MORDEN, wards["ravensbury"]), (*WIMBLEDON, wards["abbey"])])
    reindex_services()
    assert names(SearchQuery(ward_id=wards["abbey"].pk)) == ["Home visits", "In Abbey", "Two places"]
    # Near Morden, the place shown for 'Two places' is its one in Abbey, not its nearer one outside.
    near = search_services(SearchQuery(ward_id=wards["abbey"].pk, near=MORDEN))
    assert [hit.location_id for hit in near.hits if hit.service_id == two.pk] == [
        two.locations.get(ward=wards["abbey"]).pk
    ]
    sal = search_services(SearchQuery(ward_id=wards["abbey"].pk), unit="service_at_location")
    assert sal.total == 2


def test_an_organisation_finds_only_its_own_services(listed: Callable[..., Any]) -> None:
    group = OrganisationFactory()
    listed("Ours", organisation=group)
    listed("Theirs")
    reindex_services()
    assert names(SearchQuery(organisation_id=group.pk)) == ["Ours"]


def _weekly(service: Service, days: str, opens: time, closes: time, **fields: Any) -> Schedule:
    return Schedule.objects.create(service=service, byday=days, opens_at=opens, closes_at=closes, **fields)


def test_open_now_means_a_weekly_schedule_covers_this_day_and_time(listed: Callable[..., Any]) -> None:
    monday_ten = datetime(2025, 3, 3, 10, 30, tzinfo=LONDON)
    _weekly(listed("Monday mornings"), "MO", time(9), time(12))
    _weekly(listed("Weekday afternoons"), "MO,TU,WE,TH,FR", time(13), time(17))
    _weekly(listed("Tuesdays"), "TU", time(9), time(12))
    _weekly(listed("Until last year"), "MO", time(9), time(12), valid_to=monday_ten.date() - timedelta(days=30))
    listed("No hours given")
    reindex_services()
    assert names(SearchQuery(open_at=monday_ten)) == ["Monday mornings"]
    # 'Open now' is read on the council's clock: 10:30 in London is 09:30 UTC in winter, 10:30 in summer.
    assert names(SearchQuery(open_at=monday_ten.astimezone(ZoneInfo("UTC")))) == ["Monday mornings"]
    assert names(SearchQuery(open_at=datetime(2025, 3, 3, 12, 0, tzinfo=LONDON))) == []


def test_a_schedule_at_one_location_applies_only_there(listed: Callable[..., Any]) -> None:
    service = listed("Two halls", places=[WIMBLEDON, MORDEN])
    first, _ = ServiceAtLocation.objects.filter(service=service).order_by("pk")
    _weekly(service, "MO", time(9), time(12), service_at_location=first)
    reindex_services()
    monday_ten = datetime(2025, 3, 3, 10, 0, tzinfo=LONDON)
    page = search_services(SearchQuery(open_at=monday_ten), unit="service_at_location")
    assert [hit.service_at_location_id for hit in page.hits] == [first.pk]


def test_oruk_day_and_times_need_one_schedule_that_spans_them(listed: Callable[..., Any]) -> None:
    _weekly(listed("All day Monday"), "MO", time(9), time(17))
    _weekly(listed("Monday morning"), "MO", time(9), time(12))
    _weekly(listed("Wednesday"), "WE", time(9), time(17))
    reindex_services()
    assert names(SearchQuery(day="MO")) == ["All day Monday", "Monday morning"]
    assert names(SearchQuery(day="mo", start_time=time(10), end_time=time(15))) == ["All day Monday"]
    assert names(SearchQuery(start_time=time(10), end_time=time(15))) == ["All day Monday", "Wednesday"]
    assert names(SearchQuery(day="SU")) == []


def test_cost_free_or_paid(listed: Callable[..., Any]) -> None:
    listed("Free", is_free=True)
    listed("Paid", is_free=False, fees_description="£2 a session")
    reindex_services()
    assert names(SearchQuery(is_free=True)) == ["Free"]
    assert names(SearchQuery(is_free=False)) == ["Paid"]


def test_delivery_matches_any_of_the_ways_asked_for(listed: Callable[..., Any]) -> None:
    listed("Drop in", in_person=True, by_phone=False, online=False)
    listed("Helpline", in_person=False, by_phone=True, online=False)
    listed("Website", in_person=False, by_phone=False, online=True)
    reindex_services()
    assert names(SearchQuery(delivery=frozenset({"by_phone"}))) == ["Helpline"]
    assert names(SearchQuery(delivery=frozenset({"by_phone", "online"}))) == ["Helpline", "Website"]


def test_ages_asked_for_must_all_be_served(listed: Callable[..., Any]) -> None:
    listed("Toddlers", minimum_age=0, maximum_age=4)
    listed("Children", minimum_age=5, maximum_age=11)
    listed("Adults", minimum_age=18)
    listed("Everyone")
    reindex_services()
    assert names(SearchQuery(minimum_age=7)) == ["Children", "Everyone"]
    assert names(SearchQuery(minimum_age=3, maximum_age=8)) == ["Everyone"]
    assert names(SearchQuery(maximum_age=70)) == ["Adults", "Everyone"]


def test_modified_after_finds_recent_changes(listed: Callable[..., Any]) -> None:
    old = listed("Old")
    listed("New")
    Service.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=400))
    reindex_services()
    assert names(SearchQuery(modified_after=timezone.now() - timedelta(days=1))) == ["New"]


def test_filters_combine(listed: Callable[..., Any], wards: dict[str, Any]) -> None:
    listed("Free food in Abbey", is_free=True, places=[(*WIMBLEDON, wards["abbey"])])
    listed("Paid food in Abbey", is_free=False, places=[(*WIMBLEDON, wards["abbey"])])
    listed("Free food far away", is_free=True, places=[EDINBURGH])
    reindex_services()
    query = SearchQuery(words="food", is_free=True, near=MORDEN, within_metres=5000)
    assert names(query) == ["Free food in Abbey"]


# --- distance ------------------------------------------------------------------------------------


def test_near_a_point_lists_the_nearest_first_with_distances(listed: Callable[..., Any]) -> None:
    listed("Far", places=[EDINBURGH])
    listed("Wimbledon", places=[WIMBLEDON])
    listed("Morden", places=[MORDEN])
    listed("Phone only")
    reindex_services()
    page = search_services(SearchQuery(near=MORDEN))
    assert names(SearchQuery(near=MORDEN)) == ["Morden", "Wimbledon", "Far"]
    distances = [hit.distance_metres for hit in page.hits]
    assert distances[0] == pytest.approx(0, abs=1)
    assert distances[1] == pytest.approx(2300, rel=0.05)
    assert distances[2] > 500_000


def test_a_distance_limit_leaves_out_what_is_further(listed: Callable[..., Any]) -> None:
    listed("Wimbledon", places=[WIMBLEDON])
    listed("Morden", places=[MORDEN])
    reindex_services()
    assert names(SearchQuery(near=MORDEN, within_metres=1000)) == ["Morden"]
    assert names(SearchQuery(near=MORDEN, within_metres=3000)) == ["Morden", "Wimbledon"]


def test_a_service_in_two_places_is_listed_once_at_the_nearer(listed: Callable[..., Any]) -> None:
    service = listed("Two halls", places=[EDINBURGH, MORDEN])
    reindex_services()
    page = search_services(SearchQuery(near=WIMBLEDON))
    assert page.total == 1
    assert page.hits[0].location_id == service.locations.get(latitude=MORDEN[0]).pk
    by_place = search_services(SearchQuery(near=WIMBLEDON), unit="service_at_location")
    assert by_place.total == 2
    assert by_place.hits[0].location_id == page.hits[0].location_id


def test_words_and_distance_sort_by_distance(listed: Callable[..., Any]) -> None:
    listed("Food bank", places=[WIMBLEDON])
    listed("Food", description="food food food", places=[EDINBURGH])
    reindex_services()
    assert names(SearchQuery(words="food", near=WIMBLEDON)) == ["Food bank", "Food"]


# --- paging --------------------------------------------------------------------------------------


def test_pages_hold_per_page_hits_and_know_the_total(listed: Callable[..., Any]) -> None:
    for n in range(25):
        listed(f"Club {n:02d}")
    reindex_services()
    first = search_services(SearchQuery(), page=1, per_page=10)
    last = search_services(SearchQuery(), page=3, per_page=10)
    beyond = search_services(SearchQuery(), page=4, per_page=10)
    assert (first.total, first.total_pages, len(first.hits)) == (25, 3, 10)
    assert (last.total, len(last.hits)) == (25, 5)
    assert (beyond.total, beyond.hits) == (25, [])
    everything = [hit.service_id for p in (1, 2, 3) for hit in search_services(SearchQuery(), page=p, per_page=10).hits]
    assert len(set(everything)) == 25


def test_paging_by_place_counts_places(listed: Callable[..., Any]) -> None:
    listed("Two halls", places=[WIMBLEDON, MORDEN])
    listed("One hall", places=[MORDEN])
    listed("Nowhere")
    reindex_services()
    assert search_services(SearchQuery(), unit="service_at_location").total == 3
    assert search_services(SearchQuery()).total == 3
    assert search_services(SearchQuery(near=MORDEN)).total == 2


def test_an_unknown_unit_is_refused_with_a_reason() -> None:
    with pytest.raises(ValueError, match="service or service_at_location"):
        search_services(SearchQuery(), unit="organisation")


def test_paging_near_a_point_reads_outwards_and_counts_everything(listed: Callable[..., Any]) -> None:
    # Thirty services due north of Morden, 200 m apart: the first pages lie in the nearest rings.
    for n in range(30):
        listed(f"Hall {n:02d}", places=[(MORDEN[0] + n * 0.0018, MORDEN[1])])
    reindex_services()
    for within in (None, 50_000.0, 4_000.0):
        pages = [
            search_services(SearchQuery(near=MORDEN, within_metres=within), page=p, per_page=10) for p in (1, 2, 3, 4)
        ]
        expected = 30 if within != 4_000.0 else 20
        assert [page.total for page in pages] == [expected] * 4
        listed_names = [
            name
            for p in (1, 2, 3)
            for name in names(SearchQuery(near=MORDEN, within_metres=within), page=p, per_page=10)
        ]
        assert listed_names == [f"Hall {n:02d}" for n in range(expected)]
        distances = [hit.distance_metres for page in pages for hit in page.hits]
        assert distances == sorted(distances)


def test_an_unknown_oruk_day_finds_nothing(listed: Callable[..., Any]) -> None:
    _weekly(listed("Monday"), "MO", time(9), time(12))
    reindex_services()
    assert names(SearchQuery(day="XX")) == []


def test_a_schedule_that_ends_at_midnight_is_open_late_evening(listed: Callable[..., Any]) -> None:
    _weekly(listed("Night shelter"), "FR", time(20), time(0))
    reindex_services()
    assert names(SearchQuery(open_at=datetime(2025, 3, 7, 23, 30, tzinfo=LONDON))) == ["Night shelter"]


def test_filter_tags_are_never_found_by_the_words_typed(listed: Callable[..., Any]) -> None:
    term = TaxonomyTermFactory(name="Befriending")
    listed("Weekly chats", is_free=True, in_person=True, by_phone=True, terms=[term])
    reindex_services()
    for typed in ("free", "inperson", "byphone", f"t{term.pk}", "paid"):
        assert search_services(SearchQuery(words=typed)).total == 0, typed


def test_a_change_of_cost_or_category_is_searchable_once_reindexed(listed: Callable[..., Any]) -> None:
    term = TaxonomyTermFactory(name="Money")
    service = listed("Advice", is_free=True)
    reindex_services()
    assert names(SearchQuery(is_free=False)) == []
    Service.objects.filter(pk=service.pk).update(is_free=False)
    service.terms.add(term)
    reindex_services([service.pk])
    assert names(SearchQuery(is_free=False, term_ids=(term.pk,))) == ["Advice"]
    assert names(SearchQuery(words="money")) == ["Advice"]
