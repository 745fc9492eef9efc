"""A resident on a phone finds a food bank near their postcode from the home page: results come before the map,
the filters are folded away, the map draws the wards with its markers' images, the service page says how to get
help first and says it once, and 'Back to results' returns to the same search."""

from __future__ import annotations

import re
from datetime import time
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Response, expect

from commonweal.directory.models import Schedule

# The same food banks around SW19 2HL as the other Find help tests.
from tests.browser.test_directory_find_help import directory as food_banks  # noqa: F401
from tests.conftest import watch_for_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def watch_responses(page: Page) -> list[Response]:
    responses: list[Response] = []
    page.on("response", lambda response: responses.append(response))
    return responses


def test_a_resident_on_a_phone_goes_from_the_home_page_to_a_food_bank_and_back_to_the_results(
    page: Page,
    live_server: Any,
    food_banks: dict[str, Any],  # noqa: F811  the fixture imported above
    assert_accessible: Any,
) -> None:
    bank = food_banks["bank"]
    Schedule.objects.create(
        service=bank, byday="TH", opens_at=time(10), closes_at=time(13), description="Every Thursday, 10am to 1pm"
    )
    bank.fees_description = "Free."
    bank.save()
    page.set_viewport_size(PHONE)
    problems = watch_for_problems(page)
    responses = watch_responses(page)

    page.goto(f"{live_server.url}/")
    find_help = page.get_by_test_id("home-find-help")
    expect(find_help.get_by_role("heading", name="Find help near you")).to_be_in_viewport()
    assert_accessible(page)
    find_help.get_by_label("What do you need help with?").fill("food bank")
    find_help.get_by_label("Your postcode").fill("sw19 2hl")
    find_help.get_by_role("button", name="Find help").click()

    expect(page).to_have_url(re.compile(r"/directory/\?q=food\+bank&postcode=sw19\+2hl$"))
    results = page.get_by_test_id("results")
    expect(results.locator("h3").first).to_have_text("Abbey food bank")
    expect(page.get_by_label("Distance")).to_have_value("2")
    filters = page.get_by_test_id("filters")
    expect(filters).not_to_have_attribute("open", "")
    expect(page.get_by_label("Category")).to_be_hidden()
    map_region = page.get_by_role("region", name="Map of the services on this page, numbered as in the list")
    expect(map_region.locator(".leaflet-marker-icon")).not_to_have_count(0)
    expect(map_region.locator("path.commonweal-council-line")).to_have_count(1)
    expect(map_region.locator("path.commonweal-ward-line")).to_have_count(20)
    first_result = results.locator("li").first.bounding_box()
    the_map = map_region.bounding_box()
    assert first_result and the_map and first_result["y"] < the_map["y"]
    assert_accessible(page)

    # Leaflet's marker images and the base layer come from our own server.
    markers = [r for r in responses if re.search(r"marker-(icon|shadow)[.\w]*\.png$", r.url)]
    assert markers and all(r.status == 200 for r in markers), [(r.url, r.status) for r in markers]
    assert [r.status for r in responses if r.url.endswith("/places/boundaries.geojson")] == [200]
    assert [r for r in responses if r.status >= 400] == []

    # Filters open on demand, without leaving the page.
    filters.locator("summary").click()
    expect(page.get_by_label("Category")).to_be_visible()

    results.get_by_role("link", name="Abbey food bank").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Abbey food bank")
    how = page.get_by_role("heading", name="How to get help").bounding_box()
    what = page.get_by_role("heading", name="What it is").bounding_box()
    assert how and what and how["y"] < what["y"]
    expect(page.get_by_test_id("when")).to_have_text("Thursdays, 10am to 1pm")
    expect(page.get_by_test_id("cost")).to_have_text("Free")
    expect(
        page.get_by_role("region", name="Map of where Abbey food bank runs").locator(".leaflet-marker-icon")
    ).to_have_count(1)
    assert_accessible(page)

    page.get_by_role("link", name="Back to results").click()
    expect(page).to_have_url(re.compile(r"/directory/\?q=food\+bank&postcode=sw19\+2hl$"))
    expect(page.get_by_label("What do you need help with?")).to_have_value("food bank")
    expect(page.get_by_label("Near a postcode")).to_have_value("sw19 2hl")
    assert problems == []


def test_without_javascript_the_filters_open_and_the_map_link_stays_hidden(
    browser: Browser,
    live_server: Any,
    food_banks: dict[str, Any],  # noqa: F811  the fixture imported above
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/directory/?q=food&postcode=SW19+2HL")
    expect(page.get_by_test_id("results").locator("h3").first).to_have_text("Abbey food bank")
    expect(page.get_by_role("link", name="See these services on a map")).to_be_hidden()
    page.get_by_text("Filter the results").click()
    page.get_by_label("Free only").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_test_id("filters")).to_have_attribute("open", "")
    expect(page.get_by_text("Filter the results (1 chosen)")).to_be_visible()
    context.close()
