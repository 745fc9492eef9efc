"""Money beyond the council in a real browser: a resident filters the register of funding; a group posts a
need; a supplier's member pledges; the group accepts; the supplier records the delivery; the group verifies
and the need is met; the leverage page. Every page passes axe."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from commonweal.accounts.models import Organisation, User
from commonweal.framework.models import Element
from commonweal.funding.models import MatchFunding
from tests.dates import fill_date
from tests.funding.sources.factories import BusinessFactory, SourceFactory, make_grant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def register(merton: Any) -> None:
    theme = Element.objects.filter(kind=Element.Kind.THEME).order_by("position").first()
    lottery = SourceFactory(
        funder="National Lottery Community Fund",
        name="Awards for All",
        what_they_fund="Youth clubs, sport and community events.",
        min_amount=Decimal("300"),
        max_amount=Decimal("20000"),
    )
    lottery.themes.set([theme])
    SourceFactory(
        funder="Wimbledon Foundation",
        name="Community Grants",
        what_they_fund="Lunch clubs for older people.",
        min_amount=Decimal("1000"),
        max_amount=Decimal("5000"),
        deadline=timezone.localdate() + timedelta(days=10),
    )


def test_a_resident_filters_the_register_of_funding(
    page: Page, live_server: Any, register: None, assert_accessible: Callable[[Any], None]
) -> None:
    page.goto(f"{live_server.url}/funding/sources/")
    expect(page.get_by_role("heading", name="Other funding you can apply for")).to_be_visible()
    expect(page.get_by_test_id("source-count")).to_have_text("2 programmes")
    assert_accessible(page)

    page.get_by_label("Search the register").fill("lunch")
    page.get_by_label("Deadline").select_option(label="Closing within 30 days")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_test_id("source-count")).to_have_text("1 programme")
    expect(page.get_by_test_id("sources")).to_contain_text("Wimbledon Foundation")
    assert_accessible(page)

    page.get_by_label("Grant size you want (£)").fill("50000")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_test_id("sources-empty")).to_contain_text("No funding programmes match your search.")
    assert_accessible(page)

    page.get_by_label("Grant size you want (£)").fill("lots")
    page.get_by_role("button", name="Apply filters").click()
    expect(
        page.get_by_role("link", name="The grant size must be an amount of money, like 1500 or 1,500.50")
    ).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/funding/sources/")
    page.get_by_role("link", name="Awards for All").click()
    expect(page.get_by_test_id("source")).to_contain_text("£300 to £20,000")
    assert_accessible(page)


def new_page(browser: Browser, sign_in: Callable[..., None], user: User) -> Page:
    page = browser.new_page()
    sign_in(page, user)
    return page


def test_a_group_posts_a_need_a_supplier_pledges_and_delivers_and_the_need_is_met(
    page: Page,
    browser: Browser,
    live_server: Any,
    merton: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
) -> None:
    from commonweal.accounts.services import create_organisation

    group = create_organisation(name="Pollards Hill Homework Club", kind=Organisation.Kind.INFORMAL_GROUP)
    member = make_user("group_member", organisation=group, email="member@example.org")
    supplier = BusinessFactory(name="Acme Construction Ltd")
    builder = make_user("group_member", organisation=supplier, email="builder@example.org")

    # The group posts a need; the first try leaves out how much, and is told.
    sign_in(page, member)
    page.goto(f"{live_server.url}/funding/needs/")
    assert_accessible(page)
    page.get_by_role("link", name="Post a need for your group").click()
    expect(page.get_by_role("heading", name="Post a need")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("What does your group need?").fill("Volunteers to paint the hall")
    page.get_by_label("Tell suppliers more about it").fill("Our hall needs two coats of paint before winter.")
    page.get_by_label("Volunteer hours").check()
    page.get_by_role("button", name="Post the need").click()
    expect(page.get_by_role("link", name="Enter how much you need, e.g. 10.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("How much do you need?").fill("40")
    page.get_by_role("button", name="Post the need").click()
    expect(page.get_by_text("Suppliers can pledge to it now.")).to_be_visible()
    need_url = page.url
    assert_accessible(page)

    # A member of a business pledges 40 hours under the National TOMs.
    works = new_page(browser, sign_in, builder)
    works.goto(need_url)
    works.get_by_role("link", name="Pledge to this need").click()
    expect(works.get_by_role("heading", name="Pledge to this need")).to_be_visible()
    assert_accessible(works)
    works.get_by_label("Contract reference (optional)").fill("MER-2026-014")
    works.get_by_label("Measure code (optional)").fill("NT29")
    works.get_by_label("How much do you pledge?").fill("40")
    works.get_by_role("button", name="Make the pledge").click()
    expect(works.get_by_test_id("pledge-status")).to_have_text("Pledged")
    pledge_url = works.url
    assert_accessible(works)

    # The group accepts the pledge.
    page.goto(pledge_url)
    page.get_by_role("button", name="Accept the pledge").click()
    expect(page.get_by_test_id("pledge-status")).to_have_text("Accepted by the group")
    assert_accessible(page)

    # The supplier records too much, is told what is left, then records the delivery and marks it delivered.
    works.goto(pledge_url)
    today = timezone.localdate()
    fill_date(works, "When was it delivered?", today)
    works.get_by_label("How much was delivered?").fill("45")
    works.get_by_role("button", name="Record the delivery").click()
    expect(
        works.get_by_role(
            "link", name="That is more than is left of the pledge: 40 hours left of 40 hours. Record 40 hours or less."
        )
    ).to_be_visible()
    assert_accessible(works)
    works.get_by_label("How much was delivered?").fill("40")
    works.get_by_role("button", name="Record the delivery").click()
    expect(works.get_by_test_id("pledge-delivered")).to_contain_text("40")
    works.get_by_role("button", name="Mark the pledge delivered").click()
    expect(works.get_by_test_id("pledge-status")).to_have_text("Delivered")
    assert_accessible(works)

    # The group verifies; the need shows as met.
    page.goto(pledge_url)
    page.get_by_role("button", name="Verify the delivery").click()
    expect(page.get_by_test_id("pledge-status")).to_have_text("Verified")
    page.goto(need_url)
    expect(page.get_by_text("Met", exact=True)).to_be_visible()
    expect(page.get_by_test_id("need-progress")).to_contain_text("40 hours (100%)")
    assert_accessible(page)
    works.close()


def test_the_leverage_page_and_match_funding(
    page: Page,
    live_server: Any,
    merton: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
) -> None:
    from commonweal.accounts.services import create_organisation
    from commonweal.places.models import Ward

    group = create_organisation(name="Pollards Hill Homework Club", kind=Organisation.Kind.INFORMAL_GROUP)
    member = make_user("group_member", organisation=group, email="member@example.org")
    theme = Element.objects.filter(kind=Element.Kind.THEME).order_by("position").first()
    grant = make_grant(
        amount="2000", by=member, organisation=group, themes=(theme,), wards=(Ward.objects.order_by("name").first(),)
    )
    MatchFunding.objects.create(application=grant.application, funder="Big Trust", amount=Decimal("1000"))

    sign_in(page, member)
    page.goto(f"{live_server.url}/funding/applications/{grant.application.uuid}/match-funding/")
    expect(page.get_by_role("heading", name="Match funding and other support")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("In kind (valued)").check()
    page.get_by_label("Secured").check()
    page.get_by_label("Who is it from?").fill("St Mark's Church")
    page.get_by_label("Their organisation identifier (optional)").fill("GB-CHC-12")
    page.get_by_label("Amount (£)").fill("500")
    page.get_by_role("button", name="Add").click()
    expect(
        page.get_by_role("link", name="A charity number in England and Wales is 6 to 8 digits, e.g. GB-CHC-1234567.")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Their organisation identifier (optional)").fill("")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_text("You recorded £500 from St Mark's Church.")).to_be_visible()
    expect(page.get_by_test_id("match-totals")).to_contain_text("£1,500")
    assert_accessible(page)

    page.goto(f"{live_server.url}/funding/leverage/")
    expect(page.get_by_test_id("leverage-ratio")).to_have_text("£0.75")
    expect(page.get_by_test_id("leverage-theme")).to_contain_text(theme.name)
    assert_accessible(page)
