"""A resident on a 390 px phone types 'foodbank' as one word and finds a food bank first, shown once with the
other places it runs, not every service of an organisation that has 'food bank' in its name."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from commonweal.directory.models import ServiceAtLocation
from commonweal.directory.search import reindex_services
from tests.conftest import watch_for_problems
from tests.directory.factories import LocationFactory, OrganisationFactory, ServiceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def directory(db: None) -> None:
    charity = OrganisationFactory(name="Colliers Wood Food Bank")
    for name in ("Benefits check by phone", "Board games evening", "Advice line"):
        ServiceFactory(organisation=charity, name=name, description="Call us for a chat.")
    share = OrganisationFactory(name="Wandle Valley Food Share")
    for n in range(3):
        service = ServiceFactory(
            organisation=share, name="Food bank", description="Emergency food parcels, no referral needed."
        )
        place = LocationFactory(organisation=share, latitude=51.41 + n / 100, longitude=-0.19)
        ServiceAtLocation.objects.create(service=service, location=place)
    ServiceFactory(name="Chess club", description="Chess for all ages.")
    reindex_services()


def test_a_resident_on_a_phone_types_foodbank_and_finds_a_food_bank_first(
    page: Page, live_server: Any, directory: None, assert_accessible: Any
) -> None:
    problems = watch_for_problems(page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/directory/")
    page.get_by_label("What do you need help with?").fill("foodbank")
    page.get_by_role("button", name="Search", exact=True).click()

    expect(page.get_by_test_id("suggestion")).to_contain_text("Showing results for food bank")
    results = page.get_by_test_id("results").locator(":scope > li")
    first = results.first
    expect(first.get_by_role("heading")).to_have_text("Food bank")
    expect(first).to_contain_text("From Wandle Valley Food Share")
    expect(first.get_by_test_id("other-places")).to_have_text("Also at 2 other places")
    # The same service of the same organisation is listed once, and the food bank's other services after it.
    expect(page.get_by_test_id("results").get_by_role("link", name="Food bank", exact=True)).to_have_count(1)
    expect(page.get_by_test_id("result-count")).to_have_text("4 services found")
    expect(page.get_by_test_id("results")).not_to_contain_text("Chess club")
    assert_accessible(page)
    assert not problems, problems
