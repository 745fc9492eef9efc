"""The Solutions Framework in public, in a real browser: a resident searches the log and opens a blockage (its
timeline and map); a steward reads the dashboard's charts and tables. Every page passes axe, on a desktop and
on a 390px phone, and the log works without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from commonweal.solutions.models import BlockageEvent, Stage
from commonweal.solutions.steps import take_step
from tests.conftest import watch_for_problems
from tests.solutions.public.conftest import borough, raise_one

# serialized_rollback: the rows data migrations made (retention periods) come back after the live server's flush,
# for whatever test this worker runs next.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PHONE = {"width": 390, "height": 844}
__all__ = ["borough"]  # the small borough of blockages, a fixture


@pytest.fixture
def blockages(borough: dict[str, Any]) -> dict[str, Any]:
    t = borough
    conifers = raise_one(t, title="Three conifers for the communitree", latitude=51.41, longitude=-0.19)
    take_step(blockage=conifers, name="acknowledge", by=t["officer"], note="The parks team has it.")
    raise_one(t, title="Street party licence", category=t["licensing"], ward=t["other_ward"])
    BlockageEvent.objects.filter(blockage=conifers, transition="acknowledge").update(
        stage=Stage.ACKNOWLEDGE, stage_working_days=3
    )
    return {"conifers": conifers, **t}


def test_a_resident_searches_the_log_and_follows_a_blockage(
    page: Page, live_server: Any, blockages: dict[str, Any], assert_accessible: Callable[[Any], None]
) -> None:
    problems = watch_for_problems(page)
    page.goto(f"{live_server.url}/solutions/")
    expect(page.get_by_role("heading", name="Solutions Framework", exact=True)).to_be_visible()
    expect(page.get_by_test_id("log-count")).to_have_text("2 blockages, 0 resolved")
    assert_accessible(page)

    page.get_by_label("Search the log").fill("communitree")
    page.get_by_label("Status").select_option("open")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_test_id("log-count")).to_have_text("1 blockage, 0 resolved")
    expect(page.get_by_test_id("log")).not_to_contain_text("Street party licence")

    page.get_by_role("link", name="Three conifers for the communitree").click()
    expect(page.get_by_role("heading", name="Three conifers for the communitree")).to_be_visible()
    expect(page.get_by_test_id("timeline")).to_contain_text("The parks team has it.")
    expect(page.get_by_test_id("raised-by")).to_have_text("A resident")
    expect(page.locator("#blockage-map")).to_be_visible()
    expect(page.get_by_test_id("facts")).not_to_contain_text("Rosa Secretname")
    assert_accessible(page)
    assert problems == []


def test_the_log_and_a_blockage_read_on_a_phone_without_javascript(
    browser: Browser, live_server: Any, blockages: dict[str, Any], assert_accessible: Callable[[Any], None]
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/solutions/")
    expect(page.get_by_test_id("log-count")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_label("Ward").select_option(blockages["other_ward"].code)
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_test_id("log")).to_contain_text("Street party licence")
    expect(page.get_by_test_id("log")).not_to_contain_text("Three conifers")
    page.goto(f"{live_server.url}/solutions/blockages/{blockages['conifers'].uuid}/")
    expect(page.get_by_test_id("timeline")).to_contain_text("Acknowledged")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()


def test_a_steward_reads_the_dashboard_on_a_desktop_and_a_phone(
    page: Page,
    live_server: Any,
    blockages: dict[str, Any],
    make_user: Any,
    sign_in: Any,
    mfa_exempt: None,
    assert_accessible: Callable[[Any], None],
) -> None:
    problems = watch_for_problems(page)
    sign_in(page, make_user("steward"))
    page.goto(f"{live_server.url}/solutions/dashboard/")
    expect(page.get_by_role("heading", name="Solutions Framework dashboard")).to_be_visible()
    for chart in ("departments", "categories", "wards", "stage-times", "trend"):
        expect(page.locator(f"svg#chart-{chart}[role=img]")).to_be_visible()
    expect(page.get_by_role("img", name="Open and resolved blockages by department")).to_be_visible()
    expect(page.get_by_role("table", name="Blockages by department")).to_contain_text("Highways")
    expect(page.get_by_role("table", name="Working days each stage took")).to_contain_text("3")
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    expect(page.locator("svg#chart-departments")).to_be_visible()
    width = page.locator("svg#chart-departments").bounding_box()["width"]
    assert width <= PHONE["width"]
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_test_id("csv").click()
    assert download.value.suggested_filename == "solutions-dashboard.csv"
    assert problems == []
