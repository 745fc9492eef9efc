"""The demo borough's directory: hundreds of invented, plainly marked records over Merton's real wards,
the same every time, and loading it again changes nothing."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from commonweal.accounts.models import ListingStatus, Organisation, User
from commonweal.directory.demo import KNOWN_ORGANISATIONS, load_demo_directory
from commonweal.directory.models import (
    Asset,
    ChangeRequest,
    Claim,
    CostOption,
    Location,
    Report,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from commonweal.directory.search import SearchQuery, search_services
from commonweal.home.demo import load_demo_borough
from commonweal.places.services import ward_for_point
from commonweal.solutions.models import AssetTransfer

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_borough: Any) -> Any:
    return demo_borough


def counts() -> dict[str, int]:
    models: list[Any] = [
        Organisation,
        Organisation.wards_served.through,
        User,
        Service,
        Service.terms.through,
        Service.wards_served.through,
        ServiceAtLocation,
        Schedule,
        CostOption,
        Location,
        Asset,
        Claim,
        ChangeRequest,
        Report,
        TaxonomyTerm,
    ]
    return {model.__name__: model.objects.count() for model in models}


def test_the_demo_borough_has_hundreds_of_organisations_services_and_assets(demo: Any) -> None:
    assert Organisation.objects.filter(is_demo=True).count() >= 300
    assert Service.objects.filter(is_demo=True).count() >= 600
    assert Asset.objects.filter(is_demo=True).count() >= 250
    assert Location.objects.filter(is_demo=True).count() >= 200
    # Every ward has services and assets.
    for ward in demo.wards.all():
        assert ward.assets.exists(), ward.name
        assert (
            Service.objects.filter(service_at_locations__location__ward=ward).exists() or ward.services_serving.exists()
        )


def test_everything_invented_is_marked_as_demo_and_named_so(demo: Any) -> None:
    for model in (Organisation, Service, Location, Asset):
        assert not model.objects.filter(is_demo=False).exists(), model.__name__
    invented = Organisation.objects.exclude(name__in=KNOWN_ORGANISATIONS)
    assert invented.count() >= 300
    assert all(name.endswith("(demo)") for name in invented.values_list("name", flat=True))
    # Places and assets are named '(demo)' too, so none is mistaken for a real hall, park or school; a gift
    # is a person's skill ('Bike repairs') shown with a first name only.
    assert all(name.endswith("(demo)") for name in Location.objects.values_list("name", flat=True))
    assets = Asset.objects.exclude(kind=Asset.Kind.GIFT).values_list("name", flat=True)
    assert all(name.endswith("(demo)") for name in assets)
    # Their numbers are in ranges never issued, so no real charity or company is named.
    for charity_number in invented.exclude(charity_number="").values_list("charity_number", flat=True):
        assert int(charity_number) >= 9_100_000


def test_kinds_of_organisation_are_in_realistic_proportions(demo: Any) -> None:
    kinds = Counter(Organisation.objects.values_list("kind", flat=True))
    assert kinds.most_common(1)[0][0] == Organisation.Kind.INFORMAL_GROUP
    assert kinds[Organisation.Kind.REGISTERED_CHARITY] > kinds[Organisation.Kind.CIO] > 0
    assert kinds[Organisation.Kind.FAITH_GROUP] > 0
    assert kinds[Organisation.Kind.CIC] > 0
    assert kinds[Organisation.Kind.COUNCIL_DEPARTMENT] >= 4


def test_places_are_inside_the_wards_they_say(demo: Any) -> None:
    locations = Location.objects.filter(is_demo=True).select_related("ward").order_by("pk")[:60]
    for location in locations:
        assert ward_for_point(location.latitude, location.longitude) == location.ward, location.name
        assert location.postcode
    for asset in Asset.objects.filter(is_demo=True).select_related("ward").order_by("pk")[:60]:
        assert ward_for_point(asset.latitude, asset.longitude) == asset.ward, asset.name


def test_services_have_schedules_costs_ways_in_and_ages(demo: Any) -> None:
    services = Service.objects.filter(is_demo=True)
    assert not services.filter(schedules__isnull=True).exists()
    assert not services.filter(terms__isnull=True).exists()
    assert services.filter(is_free=False, cost_options__amount__gt=0).exists()
    assert services.filter(is_free=True).count() > services.filter(is_free=False).count()
    assert services.filter(by_phone=True).exists() and services.filter(online=True).exists()
    assert services.filter(minimum_age__isnull=False).exists()
    schedule = Schedule.objects.filter(service__name__endswith="lunch club").first()
    assert schedule is not None and schedule.opens_at is not None and schedule.days
    assert Service.objects.filter(name__regex=r"^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) ").exists()


def test_some_listings_are_stale_and_most_are_fresh(demo: Any) -> None:
    services = Service.objects.filter(is_demo=True)
    stale = services.stale().count()
    assert 0 < stale < services.count() / 2


def test_the_platforms_own_demo_organisations_get_services_and_details(demo: Any) -> None:
    food_share = Organisation.objects.get(name="Wandle Valley Food Share (demo)")
    assert set(food_share.services.values_list("name", flat=True)) == {
        "Food bank",
        "Community larder",
        "Community café",
    }
    assert food_share.description and food_share.postcode and food_share.charity_number == "9000002"
    assert set(food_share.wards_served.values_list("name", flat=True)) == {"Colliers Wood", "Wandle", "Graveney"}
    public_health = Organisation.objects.get(name="Public Health")
    assert public_health.wards_served.count() == demo.wards.count()


def test_gifts_are_shown_by_a_display_name_only(demo: Any) -> None:
    gifts = Asset.objects.filter(kind=Asset.Kind.GIFT)
    assert gifts.exists()
    assert not gifts.filter(display_name="").exists()
    assert not gifts.filter(offered_by__isnull=False).exists()
    assert Asset.objects.filter(space_kind=Asset.SpaceKind.HALL, capacity__gt=0).exclude(how_to_book="").exists()


def test_officers_have_claims_changes_and_reports_to_work_on(demo: Any) -> None:
    assert Claim.objects.filter(status=Claim.Status.PENDING).count() == 3
    assert ChangeRequest.objects.filter(status=ChangeRequest.Status.PENDING).count() == 2
    assert Report.objects.filter(status=Report.Status.OPEN).count() == 5
    for model in (Organisation, Service, Asset):
        assert model.objects.filter(listing_status=ListingStatus.PENDING).exists(), model.__name__


def test_loading_the_demo_directory_twice_changes_no_counts(demo: Any) -> None:
    first = counts()
    load_demo_directory(demo)
    assert counts() == first
    load_demo_borough()
    assert counts() == first


def test_the_same_seed_makes_the_same_directory(demo: Any) -> None:
    before = sorted(Service.objects.filter(is_demo=True).values_list("uuid", "name"))
    # Take the directory's own invented records away and load again: the same records come back, UUIDs and
    # all. Organisations stay: they belong to accounts, and the demo fund's applications hang off them.
    Service.objects.filter(is_demo=True).delete()
    AssetTransfer.objects.filter(is_demo=True).delete()  # the Solutions Framework's demo transfer holds an asset
    Asset.objects.filter(is_demo=True).delete()
    Location.objects.filter(is_demo=True).delete()
    load_demo_directory(demo)
    assert sorted(Service.objects.filter(is_demo=True).values_list("uuid", "name")) == before


def test_residents_can_find_the_demo_services(demo: Any) -> None:
    found = search_services(SearchQuery(words="lunch club"))
    assert found.total > 0
