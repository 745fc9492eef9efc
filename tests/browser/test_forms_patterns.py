"""GOV.UK patterns in the officers' forms, in a real browser: a round's dates are typed in the date input (a
month by name, or the whole date in one box, is read as meant; a time that is not one is explained beside its
box), and 'Delete' on a question or criterion asks 'Are you sure?' on a page of its own. Every page passes axe."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from commonweal.accounts.models import User
from commonweal.funding.models import Criterion, Question, Round
from tests.funding.factories import CriterionFactory, FundFactory, QuestionFactory, RoundFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_types_a_rounds_dates_as_people_write_them(
    page: Page,
    live_server: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
) -> None:
    round_ = RoundFactory(fund=FundFactory(), name="Round one", slug="round-one", prospectus_status="draft")
    sign_in(page, make_user("officer", email="officer@example.org"))
    page.goto(f"{live_server.url}/funding/manage/rounds/{round_.slug}/#settings")

    opens = page.get_by_role("group", name="Opens for applications")
    opens.get_by_label("Day", exact=True).fill("1")
    opens.get_by_label("Month", exact=True).fill("April")  # a month by its name
    opens.get_by_label("Year", exact=True).fill("2027")
    opens.get_by_label("Time", exact=True).fill("9am")
    closes = page.get_by_role("group", name="Closes (the deadline)")
    closes.get_by_label("Day", exact=True).fill("30 April 2027")  # the whole date in one box
    closes.get_by_label("Month", exact=True).fill("")
    closes.get_by_label("Year", exact=True).fill("")
    closes.get_by_label("Time", exact=True).fill("half five")
    page.get_by_role("button", name="Save the dates and settings").click()

    # The time that is not a time is explained, and the link puts the officer in the time box.
    message = "The date and time it closes must be a real time, like 17:00 or 5pm"
    expect(page.get_by_role("link", name=message)).to_be_visible()
    expect(closes.get_by_label("Day", exact=True)).to_have_value("30 April 2027")  # nothing typed is lost
    expect(closes.get_by_label("Time", exact=True)).to_have_class(
        "govuk-input govuk-date-input__input govuk-input--width-5 govuk-input--error"
    )
    assert_accessible(page)
    page.get_by_role("link", name=message).click()
    expect(closes.get_by_label("Time", exact=True)).to_be_focused()

    closes.get_by_label("Time", exact=True).fill("5pm")
    page.get_by_role("button", name="Save the dates and settings").click()
    expect(page.get_by_text("Your changes to Round one are saved.")).to_be_visible()
    assert_accessible(page)
    round_.refresh_from_db()
    tz = timezone.get_current_timezone()
    assert round_.opens_at == datetime(2027, 4, 1, 9, 0, tzinfo=tz)
    assert round_.closes_at == datetime(2027, 4, 30, 17, 0, tzinfo=tz)
    # Shown again in the boxes as numbers, the time as a 24-hour clock.
    expect(closes.get_by_label("Day", exact=True)).to_have_value("30")
    expect(closes.get_by_label("Month", exact=True)).to_have_value("4")
    expect(closes.get_by_label("Time", exact=True)).to_have_value("17:00")
    assert date(2027, 4, 30) == timezone.localtime(round_.closes_at).date()


def test_deleting_a_question_or_criterion_of_an_open_round_asks_first(
    page: Page,
    live_server: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
) -> None:
    now = timezone.now()
    round_ = RoundFactory(
        fund=FundFactory(),
        name="Round one",
        slug="round-one",
        prospectus_status=Round.Prospectus.PUBLISHED,
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=20),
    )
    QuestionFactory(round=round_, label="What will you do?", position=0)
    QuestionFactory(round=round_, label="Who will benefit?", position=1)
    CriterionFactory(round=round_, name="Need", weight=60)
    CriterionFactory(round=round_, name="Value for money", weight=40)
    sign_in(page, make_user("officer", email="officer@example.org"))
    page.goto(f"{live_server.url}/funding/manage/rounds/{round_.slug}/")

    # Cancel keeps the question.
    page.get_by_role("link", name="Delete question 2").click()
    expect(page.get_by_role("heading", name="Are you sure you want to delete this question?")).to_be_visible()
    expect(page.get_by_test_id("deleting")).to_have_text("Who will benefit?")
    expect(page.get_by_test_id("open-round")).to_contain_text("This round is open for applications")
    assert_accessible(page)
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_test_id("questions")).to_contain_text("Who will benefit?")
    assert Question.objects.filter(round=round_).count() == 2

    # Confirming deletes it.
    page.get_by_role("link", name="Delete question 2").click()
    page.get_by_role("button", name="Delete question").click()
    expect(page.get_by_text("You deleted the question.")).to_be_visible()
    expect(page.get_by_test_id("questions")).not_to_contain_text("Who will benefit?")
    assert_accessible(page)

    page.get_by_role("link", name="Delete Value for money").click()
    expect(page.get_by_role("heading", name="Are you sure you want to delete this criterion?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Delete criterion").click()
    expect(page.get_by_text("You deleted the criterion Value for money.")).to_be_visible()
    assert list(Criterion.objects.filter(round=round_).values_list("name", flat=True)) == ["Need"]
