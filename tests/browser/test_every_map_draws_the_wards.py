"""Every map draws the council's boundary and its wards under its own layer, and its marker images load; a ward's
page leads to the help, groups, assets and grants in the ward."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, Response, expect

# The same food banks around SW19 2HL as the other Find help tests.
from tests.browser.test_directory_find_help import directory as food_banks  # noqa: F401
from tests.conftest import watch_for_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ABBEY = "E05013810"


def test_every_public_map_draws_the_council_and_its_wards_and_loads_its_marker_images(
    page: Page,
    live_server: Any,
    food_banks: dict[str, Any],  # noqa: F811  the fixture imported above
) -> None:
    problems = watch_for_problems(page)
    responses: list[Response] = []
    page.on("response", lambda response: responses.append(response))
    network = food_banks["network"].slug
    for path, markers in (
        ("/places/", 0),
        (f"/places/wards/{ABBEY}/", 0),
        ("/directory/assets/", 1),
        (f"/directory/organisations/{network}/", 1),
        ("/funding/where-the-money-went/", 0),
    ):
        page.goto(f"{live_server.url}{path}")
        the_map = page.locator(".leaflet-container").first
        expect(the_map.locator("path.commonweal-council-line"), path).to_have_count(1)
        expect(the_map.locator("path.commonweal-ward-line"), path).to_have_count(20)
        if markers:
            expect(the_map.locator("img.leaflet-marker-icon"), path).to_have_count(markers)
    images = [r for r in responses if re.search(r"/marker-(icon|shadow)[.\w]*\.png$", r.url)]
    assert images and {r.status for r in images} == {200}
    assert [r for r in responses if r.status >= 400] == []
    assert problems == []


def test_a_ward_page_leads_to_the_help_in_the_ward(
    page: Page,
    live_server: Any,
    food_banks: dict[str, Any],  # noqa: F811  the fixture imported above
    assert_accessible: Any,
) -> None:
    page.goto(f"{live_server.url}/places/wards/{ABBEY}/")
    expect(page.get_by_test_id("ward-services")).to_contain_text("2 services run here or serve people here.")
    assert_accessible(page)
    page.get_by_role("link", name="See the groups in Abbey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Groups and organisations in Abbey")
    expect(page.get_by_test_id("groups").get_by_role("link", name="Merton Food Network")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/places/wards/{ABBEY}/")
    page.get_by_role("link", name="Find help in Abbey").click()
    results = page.get_by_test_id("results")
    expect(results.locator("h3")).to_have_text(["Abbey food bank", "Community pantry"])
    expect(page.get_by_label("Ward")).to_have_value(ABBEY)
    assert_accessible(page)

    page.goto(f"{live_server.url}/places/wards/{ABBEY}/")
    page.get_by_role("link", name="See the grants in Abbey").click()
    expect(page.get_by_role("heading", name="Grants in Abbey ward")).to_be_visible()
    assert_accessible(page)
