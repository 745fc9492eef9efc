"""Abuse limits in a real browser: the honeypot is out of reach of people and their keyboards, and a person who
reaches a limit sees a clear GOV.UK page (or their form again) saying when to try again. Every page passes axe."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from commonweal.directory.models import Report
from tests.directory.factories import OrganisationFactory, ServiceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_report_honeypot_is_skipped_by_the_keyboard_and_a_flood_is_refused_keeping_the_words(
    page: Page, live_server: Any, assert_accessible: Callable[[Any], None], merton: Any
) -> None:
    service = ServiceFactory(organisation=OrganisationFactory(name="Wimbledon Food Bank"), name="Food parcels")
    url = f"{live_server.url}/directory/report/service/{service.uuid}/"
    for n in range(6):
        page.goto(url)
        if n == 0:
            page.get_by_label("Your email (optional)").focus()
            page.keyboard.press("Tab")
            expect(page.get_by_role("button", name="Send report")).to_be_focused()
            expect(page.get_by_role("textbox", name="Leave this empty")).to_have_count(
                0
            )  # hidden from assistive technology
        page.get_by_label("It has closed").check()
        page.get_by_label("Tell us more (optional)").fill(f"Report number {n}.")
        page.get_by_role("button", name="Send report").click()
    expect(page.get_by_role("alert").get_by_text("Too many reports have been sent from here")).to_be_visible()
    expect(page.get_by_label("Tell us more (optional)")).to_have_value("Report number 5.")
    assert_accessible(page)
    assert Report.objects.count() == 5


def test_sign_up_with_its_honeypot_and_the_too_many_attempts_page_pass_axe(
    page: Page, live_server: Any, assert_accessible: Callable[[Any], None], merton: Any
) -> None:
    page.goto(f"{live_server.url}/accounts/signup/")
    assert_accessible(page)
    for n in range(6):
        page.goto(f"{live_server.url}/accounts/signup/")
        page.locator("input[name=email]").fill(f"person{n}@example.org")
        page.locator("input[name=password1]").fill("a long pass phrase 42")
        page.locator("input[name=password2]").fill("a long pass phrase 42")
        page.locator("form button[type=submit]").last.click()
        page.context.clear_cookies()
    # The sixth is refused, but the form comes back with the address they typed (not the passwords).
    expect(page.get_by_text("Too many accounts have been made from here. Try again in an hour")).to_be_visible()
    expect(page.locator("input[name=email]")).to_have_value("person5@example.org")
    expect(page.locator("input[name=password1]")).to_have_value("")
    assert_accessible(page)
