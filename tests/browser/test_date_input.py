"""GOV.UK's date input in a real browser: an officer types a date that does not exist, is told which part is
wrong, and the error summary's link puts them in the day box. Every page passes axe."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from commonweal.accounts.models import User
from commonweal.funding.models import FundingSource
from tests.dates import fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_date_that_does_not_exist_is_explained_and_the_summary_link_goes_to_the_day_box(
    page: Page,
    live_server: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
) -> None:
    sign_in(page, make_user("officer", email="officer@example.org"))
    page.goto(f"{live_server.url}/funding/manage/sources/new/")
    page.get_by_label("Funder", exact=True).fill("Wimbledon Foundation")
    page.get_by_label("Programme").fill("Community Grants")
    page.get_by_label("What they fund").fill("Lunch clubs for older people.")
    fill_date(page, "Next deadline (optional)", "31/2/2027")
    page.get_by_role("button", name="Save").click()

    deadline = page.get_by_role("group", name="Next deadline (optional)")
    expect(deadline).to_contain_text("The next deadline must be a real date")
    for box, typed in (("Day", "31"), ("Month", "2"), ("Year", "2027")):
        expect(deadline.get_by_label(box, exact=True)).to_have_value(typed)  # nothing typed is lost
        expect(deadline.get_by_label(box, exact=True)).to_have_class(
            "govuk-input govuk-date-input__input govuk-input--width-"
            + ("4" if box == "Year" else "2")
            + " govuk-input--error"
        )
    assert_accessible(page)

    page.get_by_role("link", name="The next deadline must be a real date").click()
    expect(deadline.get_by_label("Day", exact=True)).to_be_focused()

    # Only the box at fault is marked when one part is missing.
    fill_date(page, "Next deadline (optional)", "31//2027")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name="The next deadline must include a month")).to_be_visible()
    expect(deadline.get_by_label("Month", exact=True)).to_have_class(
        "govuk-input govuk-date-input__input govuk-input--width-2 govuk-input--error"
    )
    expect(deadline.get_by_label("Day", exact=True)).to_have_class(
        "govuk-input govuk-date-input__input govuk-input--width-2"
    )
    assert_accessible(page)

    fill_date(page, "Next deadline (optional)", "31/3/2027")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Community Grants")).to_be_visible()
    assert str(FundingSource.objects.get().deadline) == "2027-03-31"
