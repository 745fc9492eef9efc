"""No power before a confirmed email address, in a real browser: a newcomer who has not followed the emailed
link is told so where they are stopped and sends the link again; officers see who has confirmed on the claim
review and assessor pool pages, and cannot approve or add someone who has not. Every page passes axe."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from commonweal.accounts.models import Organisation, User
from commonweal.directory.models import Claim
from tests.directory.factories import OrganisationFactory
from tests.funding.factories import RoundFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def newcomer(make_user: Callable[..., User]) -> User:
    user = make_user("resident", email="newcomer@example.org", verified=False)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    return user


@pytest.fixture
def food_bank(merton: Any) -> Organisation:
    return OrganisationFactory(name="Wimbledon Food Bank", slug="wimbledon-food-bank", charity_number="1234567")


def test_an_unconfirmed_newcomer_is_stopped_and_told_how_to_confirm(
    page: Page,
    browser: Browser,
    live_server: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
    newcomer: User,
    food_bank: Organisation,
) -> None:
    sign_in(page, newcomer)
    page.goto(f"{live_server.url}/directory/organisations/{food_bank.slug}/claim/")
    expect(page.get_by_test_id("refusal")).to_contain_text("Confirm your email address")
    assert_accessible(page)
    mail.outbox.clear()
    page.get_by_role("button", name="Send the link again").click()
    # Back on the page they were on, told where the link went.
    expect(page.get_by_text("We have sent a link to newcomer@example.org")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/directory/organisations/{food_bank.slug}/claim/")
    assert [m.to for m in mail.outbox] == [[newcomer.email]]
    assert_accessible(page)

    page.goto(f"{live_server.url}/account/")
    expect(page.get_by_test_id("email-not-verified")).to_be_visible()
    assert_accessible(page)

    # A claim made before addresses were checked: the officer sees the state and cannot approve it.
    claim = Claim.objects.create(organisation=food_bank, user=newcomer, message="I run the food bank.")
    office = browser.new_page()
    sign_in(office, make_user("officer", email="officer@example.org"))
    office.goto(f"{live_server.url}/directory/moderation/claims/{claim.pk}/")
    expect(office.get_by_test_id("email-not-verified")).to_be_visible()
    assert_accessible(office)
    office.get_by_label("Approve").check()
    office.get_by_role("button", name="Save decision").click()
    expect(office.get_by_text("has not confirmed their email address (newcomer@example.org) yet").first).to_be_visible()
    assert_accessible(office)

    # The assessor pool: the newcomer cannot be added; a confirmed person can, tagged as verified.
    round = RoundFactory(name="Spring round")
    make_user("resident", email="kind.neighbour@example.org")
    office.goto(f"{live_server.url}/funding/manage/rounds/{round.slug}/assessors/")
    office.get_by_label("Email address").fill(newcomer.email)
    office.get_by_role("button", name="Add assessor").click()
    expect(office.get_by_role("link", name="has not confirmed their email address", exact=False)).to_be_visible()
    assert_accessible(office)
    office.get_by_label("Email address").fill("kind.neighbour@example.org")
    office.get_by_role("button", name="Add assessor").click()
    expect(office.get_by_test_id("pool").get_by_test_id("email-verified")).to_be_visible()
    assert_accessible(office)
