"""A resident on a real browser finds help by words and by postcode, on the list and the map, and opens
a service; the organisation, service and community asset pages pass axe; without JavaScript the list
still works and the map stays out of the way."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from commonweal.directory.models import Asset, Location, Service, ServiceAtLocation
from commonweal.directory.search import reindex_services
from commonweal.directory.vocabulary import load_starter_vocabulary
from commonweal.places.models import Postcode, Ward
from tests.conftest import watch_for_problems
from tests.directory.factories import AssetFactory, LocationFactory, OrganisationFactory, ServiceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ABBEY = "E05013810"


@pytest.fixture
def directory(merton: Any) -> dict[str, Any]:
    """Food banks and friends around SW19 2HL in Abbey, two of them in the same hall, and one far away."""
    load_starter_vocabulary()
    abbey = Ward.objects.get(code=ABBEY)
    lsoa = abbey.lsoas.first()
    assert lsoa is not None
    lat, lon = lsoa.centroid_lat, lsoa.centroid_lon
    Postcode.objects.create(postcode="SW19 2HL", latitude=lat, longitude=lon, ward=abbey, lsoa_code=lsoa.code)
    network = OrganisationFactory(name="Merton Food Network", phone="020 8123 4567", email="hello@food.example")
    hall: Location = LocationFactory(
        organisation=network, name="St Mark's Hall", latitude=lat + 0.002, longitude=lon, ward=abbey
    )
    bank: Service = ServiceFactory(
        organisation=network, name="Abbey food bank", description="Emergency food parcels, no referral needed."
    )
    pantry: Service = ServiceFactory(organisation=network, name="Community pantry", description="Low-cost food.")
    far: Service = ServiceFactory(name="Mitcham food bank", description="Food parcels on Fridays.")
    for service in (bank, pantry):
        ServiceAtLocation.objects.create(service=service, location=hall)
    ServiceAtLocation.objects.create(
        service=far, location=LocationFactory(organisation=far.organisation, latitude=lat - 0.03, longitude=lon + 0.03)
    )
    ServiceFactory(name="Chess club", description="Chess for all ages.")
    reindex_services()
    AssetFactory(name="Abbey recreation ground", kind=Asset.Kind.SPACE, ward=abbey, latitude=lat, longitude=lon)
    gift = AssetFactory(name="Bike repairs", kind=Asset.Kind.GIFT, display_name="Jo", ward=abbey)
    return {"bank": bank, "network": network, "gift": gift}


def test_a_resident_finds_help_by_words_and_postcode_on_the_list_and_map_and_opens_a_service(
    page: Page, live_server: Any, directory: dict[str, Any], assert_accessible: Any
) -> None:
    problems = watch_for_problems(page)
    page.goto(f"{live_server.url}/directory/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find help")
    assert_accessible(page)

    page.get_by_label("What do you need help with?").fill("fod bank")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_test_id("suggestion")).to_contain_text("Showing results for food bank")
    results = page.get_by_test_id("results")
    expect(results.get_by_role("link", name="Abbey food bank")).to_be_visible()
    expect(results.get_by_role("link", name="Mitcham food bank")).to_be_visible()
    expect(results).not_to_contain_text("Chess club")
    map_region = page.get_by_role("region", name="Map of the services on this page, numbered as in the list")
    expect(map_region).to_be_visible()
    expect(map_region.locator(".leaflet-marker-icon")).to_have_count(2)
    assert_accessible(page)

    page.get_by_label("What do you need help with?").fill("food")
    page.get_by_label("Near a postcode").fill("sw19 2hl")
    page.get_by_label("Distance").select_option(label="Within 1 mile")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"postcode=sw19\+2hl"))
    expect(page.get_by_test_id("near")).to_contain_text("within 1 mile of SW19 2HL")
    names = results.locator("h3").all_inner_texts()
    assert names == ["Abbey food bank", "Community pantry"]
    expect(results).to_contain_text("0.1 miles away: 1 High Street, London, SW19 2HL")
    # The two services in one hall share a place on the map: one cluster, opened from the keyboard.
    cluster = map_region.locator(".marker-cluster")
    expect(cluster).to_have_count(1)
    expect(cluster).to_contain_text("2")
    cluster.focus()
    page.keyboard.press("Enter")
    marker = map_region.locator(".leaflet-marker-icon:not(.marker-cluster)").first
    expect(marker).to_be_visible()
    marker.focus()
    page.keyboard.press("Enter")
    popup_link = map_region.locator(".leaflet-popup-content a")
    expect(popup_link).to_have_text(re.compile(r"^[12]\. (Abbey food bank|Community pantry)$"))
    assert_accessible(page)

    results.get_by_role("link", name="Abbey food bank").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Abbey food bank")
    expect(page.get_by_test_id("what")).to_contain_text("Emergency food parcels, no referral needed.")
    expect(page.get_by_test_id("where")).to_contain_text("St Mark's Hall")
    expect(page.get_by_role("link", name="Report a problem with this service")).to_be_visible()
    expect(
        page.get_by_role("region", name="Map of where Abbey food bank runs").locator(".leaflet-marker-icon")
    ).to_have_count(1)
    assert_accessible(page)
    assert problems == []


def test_a_mistyped_postcode_is_explained_and_the_page_passes_axe(
    page: Page, live_server: Any, directory: dict[str, Any], assert_accessible: Any
) -> None:
    page.goto(f"{live_server.url}/directory/")
    page.get_by_label("Near a postcode").fill("SW19 1ZZ")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("SW19 1ZZ is not a postcode in Merton.")
    expect(page.get_by_label("Near a postcode")).to_have_value("SW19 1ZZ")
    page.get_by_role("link", name="SW19 1ZZ is not a postcode in Merton.").click()
    expect(page.get_by_label("Near a postcode")).to_be_focused()
    assert_accessible(page)


def test_organisation_and_asset_pages_pass_axe(
    page: Page, live_server: Any, directory: dict[str, Any], assert_accessible: Any
) -> None:
    problems = watch_for_problems(page)
    page.goto(f"{live_server.url}/directory/organisations/{directory['network'].slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Merton Food Network")
    expect(page.get_by_test_id("services")).to_contain_text("Abbey food bank")
    expect(page.get_by_role("link", name="Is this your organisation? Ask to manage this listing")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/directory/assets/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Community assets")
    expect(
        page.get_by_role("region", name=re.compile("^Map of the community assets")).locator(".leaflet-marker-icon")
    ).to_have_count(1)
    assert_accessible(page)
    page.get_by_label("Kind of asset").select_option(label="A person's skill or gift")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("link", name="Bike repairs").click()
    expect(page.get_by_test_id("asset-facts").get_by_role("definition").first).to_have_text("Jo")
    assert_accessible(page)
    assert problems == []


def test_without_javascript_the_list_works_and_the_map_stays_hidden(
    browser: Browser, live_server: Any, directory: dict[str, Any]
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/directory/")
    page.get_by_label("What do you need help with?").fill("food")
    page.get_by_label("Near a postcode").fill("SW19 2HL")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_test_id("results").locator("h3").first).to_have_text("Abbey food bank")
    expect(page.locator("#directory-map")).to_be_hidden()
    page.get_by_role("link", name="Abbey food bank").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Abbey food bank")
    context.close()
