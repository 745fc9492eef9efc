"""A resident on a real browser finds their ward by postcode and reads its map; every page passes axe."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from commonweal.places.models import Ward
from commonweal.places.services import create_locality
from tests.conftest import watch_for_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ABBEY = "E05013810"


def test_a_resident_finds_their_ward_by_postcode_and_sees_it_mapped(
    page: Page, live_server: Any, abbey_postcode: Any, assert_accessible: Any
) -> None:
    problems = watch_for_problems(page)
    page.goto(f"{live_server.url}/places/")
    expect(page.locator(".leaflet-container path.leaflet-interactive")).to_have_count(20)
    assert_accessible(page)
    page.get_by_label("Postcode").fill("sw19 2hl")
    page.get_by_role("button", name="Find ward").click()
    expect(page).to_have_url(f"{live_server.url}/places/wards/{ABBEY}/?postcode=SW19+2HL")
    expect(page.get_by_test_id("postcode-found")).to_contain_text("SW19 2HL is in Abbey ward.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Abbey ward")
    region = page.get_by_role("region", name="Map of Abbey ward and its small areas, coloured by deprivation")
    expect(region.locator("svg path").first).to_be_visible()
    expect(region).to_contain_text("Contains OS data © Crown copyright and database right")
    assert_accessible(page)
    assert problems == []


def test_a_mistyped_postcode_is_explained_and_the_page_passes_axe(
    page: Page, live_server: Any, merton: Any, assert_accessible: Any
) -> None:
    page.goto(f"{live_server.url}/places/")
    page.get_by_label("Postcode").fill("SW19")
    page.get_by_role("button", name="Find ward").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a real postcode, like SW19 2HL.")
    expect(page.get_by_label("Postcode")).to_have_value("SW19")
    page.get_by_role("link", name="Enter a real postcode, like SW19 2HL.").click()
    expect(page.get_by_label("Postcode")).to_be_focused()
    assert_accessible(page)


def test_a_locality_page_maps_its_wards_and_passes_axe(
    page: Page, live_server: Any, merton: Any, assert_accessible: Any
) -> None:
    problems = watch_for_problems(page)
    wards = Ward.objects.filter(name__in=["Abbey", "Wimbledon Park", "Hillside"])
    locality = create_locality(council=merton, name="Wimbledon", wards=wards)
    page.goto(f"{live_server.url}/places/localities/{locality.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wimbledon")
    expect(page.locator(".leaflet-container path.leaflet-interactive")).to_have_count(wards.count())
    assert_accessible(page)
    assert problems == []


def test_the_ward_table_works_without_javascript(browser: Any, live_server: Any, merton: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/places/")
    page.get_by_role("link", name="Abbey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Abbey ward")
    context.close()
