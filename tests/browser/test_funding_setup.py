"""Setting up a fund in a real browser: an officer creates a fund, a pot, a round, a question and criteria,
opens the prospectus for comment; a group member comments; the officer answers and publishes; the public
reads the prospectus. Every page passes axe."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from commonweal.accounts.models import User
from commonweal.funding.models import Fund, ProspectusComment, Round
from tests.dates import fill_moment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE = "<script>alert('x')</script>\u202eevil"


@pytest.fixture
def framework(db: None) -> None:
    from commonweal.framework.services import load_framework_preset

    load_framework_preset(slug="merton")


def test_an_officer_sets_up_a_fund_a_group_comments_and_the_prospectus_is_published(
    page: Page,
    browser: Browser,
    live_server: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
    framework: None,
) -> None:
    officer = make_user("officer", email="officer@example.org")
    member = make_user("group_member", email="member@example.org")
    sign_in(page, officer)

    # The officer creates a fund; a mistake comes back beside its field with what they typed.
    page.goto(f"{live_server.url}/funding/")
    assert_accessible(page)
    page.get_by_role("link", name="Set up funds and rounds").click()
    assert_accessible(page)
    page.get_by_role("button", name="Create a fund").click()
    page.get_by_label("Name of the fund").fill("Civic Pride Fund")
    page.get_by_label("Summary").fill("Grants for groups that make Merton a better place.")
    page.get_by_label("Total budget (£)").fill("five million")
    page.get_by_role("group", name="Themes of the framework it funds").get_by_role("checkbox").first.check()
    page.get_by_role("button", name="Create the fund").click()
    expect(
        page.get_by_role("link", name="The total budget must be an amount of money, like 1500 or 1,500.50")
    ).to_be_visible()
    expect(page.get_by_label("Name of the fund")).to_have_value("Civic Pride Fund")
    assert_accessible(page)
    page.get_by_label("Total budget (£)").fill("£5,000,000")
    page.get_by_role("button", name="Create the fund").click()
    expect(page.get_by_text("You created the fund Civic Pride Fund.")).to_be_visible()
    assert_accessible(page)
    fund = Fund.objects.get()

    # A pot: the smallest grant above the largest is refused.
    page.get_by_role("link", name="Add a pot").click()
    page.get_by_label("Name of the pot").fill("Small grants")
    page.get_by_label("Smallest grant (£)").fill("3000")
    page.get_by_label("Largest grant (£)").fill("2500")
    page.get_by_role("button", name="Add the pot").click()
    expect(
        page.get_by_role("link", name="The smallest grant (£3,000) must not be more than the largest (£2,500).")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Smallest grant (£)").fill("500")
    page.get_by_role("button", name="Add the pot").click()
    expect(page.get_by_text("You added the pot Small grants.")).to_be_visible()
    expect(page.get_by_test_id("pots")).to_contain_text("£2,500")

    # A round: it must close after it opens.
    opens = timezone.now() + timedelta(days=30)
    page.get_by_role("link", name="Add a round", exact=True).click()
    page.get_by_label("Name of the round").fill("Round 1")
    fill_moment(page, "Opens for applications", opens)
    fill_moment(page, "Closes (the deadline)", opens - timedelta(days=1))
    page.get_by_role("button", name="Add the round").click()
    expect(page.get_by_role("link", name="The round must close after it opens.")).to_be_visible()
    assert_accessible(page)
    fill_moment(page, "Closes (the deadline)", opens + timedelta(days=42))
    page.get_by_role("button", name="Add the round").click()
    expect(page.get_by_text("You created Round 1.")).to_be_visible()
    assert_accessible(page)

    # A question and two criteria; publishing is refused until the weights add up to 100.
    page.get_by_role("link", name="Add a question").click()
    page.get_by_label("Question", exact=True).fill("What difference will your project make?")
    page.get_by_label("File upload").check()
    expect(page.get_by_label("Largest file (MB)")).to_be_visible()
    expect(page.get_by_label("Word limit")).to_be_hidden()
    page.get_by_label("Long answer").check()
    expect(page.get_by_label("Largest file (MB)")).to_be_hidden()
    page.get_by_label("Word limit").fill("300")
    assert_accessible(page)
    page.get_by_role("button", name="Add the question").click()
    expect(page.get_by_test_id("questions")).to_contain_text("up to 300 words")
    page.get_by_role("link", name="Add a criterion").click()
    page.get_by_label("Criterion", exact=True).fill("How well it meets a local need")
    page.get_by_label("Weight (%)").fill("60")
    assert_accessible(page)
    page.get_by_role("button", name="Add the criterion").click()
    expect(page.get_by_test_id("weight-total")).to_have_text("60%")
    page.get_by_role("button", name="Publish the prospectus").click()
    expect(page.get_by_test_id("refusals")).to_contain_text("add up to 60%: they must add up to 100%")
    assert_accessible(page)
    page.get_by_role("link", name="Add a criterion").click()
    page.get_by_label("Criterion", exact=True).fill("Value for money")
    page.get_by_label("Weight (%)").fill("40")
    page.get_by_role("button", name="Add the criterion").click()
    expect(page.get_by_test_id("weight-total")).to_have_text("100%")

    # The prospectus is written and opened for comment.
    page.get_by_role("link", name="Write the prospectus and how applications are scored").click()
    page.get_by_label("Prospectus", exact=True).fill(
        "We fund work that brings neighbours together.\n\nApply by the deadline."
    )
    page.get_by_label("How applications are scored").fill("Two assessors score each criterion from 0 to 5.")
    assert_accessible(page)
    page.get_by_role("button", name="Save the prospectus").click()
    page.get_by_role("button", name="Open for comment by groups").click()
    expect(page.get_by_test_id("prospectus-status")).to_contain_text("Open for comment")
    round_ = Round.objects.get()
    assert round_.prospectus_status == Round.Prospectus.OPEN_FOR_COMMENT

    # A group member finds the draft and comments.
    group = browser.new_page()
    sign_in(group, member)
    group.goto(f"{live_server.url}/funding/")
    group.get_by_test_id("for-comment").get_by_role("link").click()
    expect(group.get_by_test_id("status")).to_contain_text("open for comment")
    assert_accessible(group)
    group.get_by_role("button", name="Send your comment").click()
    expect(group.get_by_role("link", name="Write your comment on the prospectus.")).to_be_visible()
    assert_accessible(group)
    group.get_by_label("Your comment").fill(HOSTILE + " Could small groups ask for £300?")
    group.get_by_role("button", name="Send your comment").click()
    expect(group.get_by_test_id("comments")).to_contain_text("Could small groups ask for £300?")
    expect(group.get_by_test_id("comments")).to_contain_text("<script>alert('x')</script>")
    assert_accessible(group)

    # The officer answers from the dashboard and publishes.
    page.goto(f"{live_server.url}/funding/manage/")
    page.get_by_test_id("waiting").get_by_role("link").click()
    assert_accessible(page)
    page.get_by_label("Your answer").fill("Yes: the smallest grant is now £250.")
    page.get_by_role("button", name="Save the answer").click()
    expect(page.get_by_text("Your answer is saved")).to_be_visible()
    assert ProspectusComment.objects.get().answered_by == officer
    page.get_by_role("button", name="Publish the prospectus").click()
    expect(page.get_by_text("The prospectus is published: everyone can read it now.")).to_be_visible()
    assert_accessible(page)

    # The group sees the answer; the public reads the prospectus and the fund.
    group.reload()
    expect(group.get_by_test_id("comments")).to_contain_text("Yes: the smallest grant is now £250.")
    group.close()
    public = browser.new_page()
    public.goto(f"{live_server.url}/funding/")
    public.get_by_test_id("upcoming-rounds").get_by_role("link", name="Read the prospectus").click()
    expect(public.get_by_test_id("prospectus")).to_contain_text("We fund work that brings neighbours together.")
    expect(public.get_by_test_id("criteria")).to_contain_text("60%")
    expect(public.get_by_test_id("questions")).to_contain_text("What difference will your project make?")
    assert_accessible(public)
    public.goto(f"{live_server.url}/funding/funds/{fund.slug}/")
    expect(public.get_by_test_id("pots")).to_contain_text("Small grants")
    assert_accessible(public)
    public.close()
