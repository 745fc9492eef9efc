"""An officer reads the gaps in the demo directory on a real browser: map, key, table, filters; axe passes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import watch_for_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_borough(db: None) -> Any:
    from commonweal.home.demo import load_demo_borough

    return load_demo_borough()


def test_an_officer_reads_the_gaps_on_the_map_and_in_the_table(
    page: Page,
    live_server: Any,
    demo_borough: Any,
    make_user: Any,
    mfa_exempt: None,
    sign_in: Any,
    assert_accessible: Any,
) -> None:
    problems = watch_for_problems(page)
    sign_in(page, make_user("officer"))
    page.get_by_role("link", name="Gaps").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gaps in the directory")
    wards = page.locator("#gaps-map path.leaflet-interactive")
    expect(wards).to_have_count(20)
    expect(page.get_by_test_id("gaps-key")).to_be_visible()
    expect(page.get_by_test_id("gaps-row")).to_have_count(20)
    assert_accessible(page)

    # A ward on the map is reached by keyboard; Enter goes to its row in the table.
    first = wards.first
    first.focus()
    label = first.get_attribute("aria-label") or ""
    assert re.match(r".+: services per 1,000 residents [\d.]+\. Go to its row in the table\.", label), label
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/directory/gaps/#ward-E05\d{6}$"))
    code = page.url.rsplit("#ward-", 1)[1]
    expect(page.locator(f"#ward-{code} a")).to_be_focused()

    # Narrow to one category and shade by organisations; the page says so and still passes axe.
    page.get_by_label("Category of service").select_option(label="Food")
    page.get_by_label("Shade the map by").select_option(label="Organisations per 1,000 residents")
    page.get_by_role("button", name="Show figures").click()
    expect(page.get_by_test_id("gaps-totals")).to_contain_text("in the category Food only")
    expect(page.get_by_role("heading", name="Map: Organisations per 1,000 residents")).to_be_visible()
    expect(wards).to_have_count(20)
    assert_accessible(page)

    # Sorting by a column is a link; the heading says how the table is sorted.
    page.get_by_role("link", name="Services per 1,000").click()
    expect(page.locator("th[aria-sort='descending']")).to_contain_text("Services per 1,000")
    expect(page.get_by_label("Category of service")).to_have_value("food")
    assert_accessible(page)
    assert problems == []


def test_without_javascript_the_table_holds_the_figures_and_the_map_stays_hidden(
    browser: Browser, live_server: Any, demo_borough: Any, make_user: Any, mfa_exempt: None
) -> None:
    from tests.conftest import PASSWORD

    officer = make_user("officer")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(officer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.goto(f"{live_server.url}/directory/gaps/")
    expect(page.get_by_test_id("gaps-row")).to_have_count(20)
    expect(page.locator("#gaps-map")).to_be_hidden()
    expect(page.get_by_test_id("gaps-key")).to_be_hidden()
    page.get_by_label("Category of service").select_option(label="Money and debt")
    page.get_by_role("button", name="Show figures").click()
    expect(page.get_by_test_id("gaps-totals")).to_contain_text("in the category Money and debt only")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    assert download.value.suggested_filename == "ward-gaps-money.csv"
    context.close()
