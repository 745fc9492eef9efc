"""The borough's profile in a real browser: a steward imports a Census ward table (first with a bad row, which is
listed by line, then put right) and reads the profile by characteristic and by ward, every page passing axe; a
resident finds it from the places page and reads it on a phone with JavaScript off."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from commonweal.places.demo import load_demo_profile
from tests.conftest import watch_for_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PHONE = {"width": 390, "height": 844}
ABBEY, CANNON_HILL = "E05013810", "E05013811"
HEADER = (
    "Electoral wards and divisions Code,Electoral wards and divisions,Sex (2 categories) Code,Sex (2 categories),"
    "Observation\n"
)


def test_a_steward_imports_a_census_ward_table_and_reads_the_profile(
    page: Page,
    live_server: Any,
    merton: Any,
    make_user: Any,
    sign_in: Any,
    mfa_exempt: None,
    tmp_path: Path,
    assert_accessible: Callable[[Any], None],
) -> None:
    problems = watch_for_problems(page)
    load_demo_profile(merton)
    sign_in(page, make_user("steward"))
    page.goto(f"{live_server.url}/places/profile/")
    expect(page.get_by_role("heading", name="The borough's profile")).to_be_visible()
    expect(page.get_by_test_id("invented-sex")).to_have_text("Invented for the demo")
    assert_accessible(page)

    page.get_by_test_id("profile-import-link").click()
    expect(page.get_by_role("heading", name="Import Census ward tables")).to_be_visible()
    assert_accessible(page)
    bad = tmp_path / "sex.csv"
    bad.write_text(HEADER + f"{ABBEY},Abbey,1,Female,5100\n{ABBEY},Abbey,2,Male,many\n", encoding="utf-8")
    page.get_by_label("Upload a CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and import").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("1 row cannot be used, so nothing was imported.")
    expect(page.get_by_test_id("profile-problems")).to_contain_text("Line 3: the count “many” is not a whole number.")
    assert_accessible(page)

    good = tmp_path / "sex-fixed.csv"
    rows = [f"{ABBEY},Abbey,1,Female,5100", f"{ABBEY},Abbey,2,Male,4900", f"{CANNON_HILL},Cannon Hill,1,Female,4000"]
    good.write_text(HEADER + "\n".join(rows) + f"\n{CANNON_HILL},Cannon Hill,2,Male,3900\n", encoding="utf-8")
    page.get_by_label("Upload a CSV file").set_input_files(str(good))
    page.get_by_label("Where the figures come from (optional)").fill("Census 2021, TS008 (Nomis)")
    page.get_by_role("button", name="Upload and import").click()
    expect(page.get_by_role("heading", name="The borough's profile")).to_be_visible()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Imported sex (2 categories, 17,900 residents) for 2 wards"
    )
    sex = page.get_by_test_id("profile-sex")
    expect(sex).to_contain_text("Census 2021, TS008 (Nomis)")
    expect(page.get_by_test_id("invented-sex")).to_have_count(0)
    sex.get_by_text("Sex by ward", exact=True).click()
    expect(sex.get_by_role("row", name="Cannon Hill")).to_contain_text("4,000")
    assert_accessible(page)
    assert not problems, problems


def test_a_resident_reads_the_profile_on_a_phone_without_javascript(
    browser: Browser, live_server: Any, merton: Any
) -> None:
    load_demo_profile(merton)
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/places/")
    page.get_by_role("link", name="The borough's profile").click()
    expect(page.get_by_test_id("profile-ethnicity")).to_contain_text("Asian, Asian British or Asian Welsh")
    expect(page.get_by_test_id("profile-import-link")).to_have_count(0)
    # The by-ward tables scroll in their own boxes; the page itself fits the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()
