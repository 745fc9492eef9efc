"""Pages work with HTML alone: a resident with JavaScript off finds their ward and signs in."""

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_resident_without_javascript_finds_their_ward_and_signs_in(
    browser: Browser, live_server: Any, merton: Any, make_user: Any, assert_accessible: Any
) -> None:
    from commonweal.home.demo import load_demo_borough

    load_demo_borough()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    expect(page.locator("body")).not_to_have_class(re.compile(r"\bjs-enabled\b"))
    page.get_by_label("Postcode", exact=True).fill("sw19 2hl")
    page.get_by_role("button", name="Find ward").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Abbey")
    expect(page.get_by_role("table").first).to_be_visible()

    page.goto(f"{live_server.url}/")
    page.get_by_label("Postcode", exact=True).fill("SW19 1ZZ")
    page.get_by_role("button", name="Find ward").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("SW19 1ZZ is not a postcode in Merton.")
    expect(page.get_by_label("Postcode", exact=True)).to_have_value("SW19 1ZZ")

    user = make_user("resident")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="Your home")).to_be_visible()
    # Signing out is a form in the header: it works without JavaScript too.
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    context.close()
