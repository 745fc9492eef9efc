"""Keeping the directory true in a real browser: a group member claims an existing listing, an officer
approves, the member edits it, the officer approves the change and the public sees it; a stale record is
flagged; residents report problems. Every page passes axe."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from commonweal.accounts.models import Organisation, User
from commonweal.directory.models import ChangeRequest, Claim, Report, Service
from tests.directory.factories import OrganisationFactory, ServiceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE_NAME = "<script>alert('x')</script>\u202eevil"


@pytest.fixture
def food_bank(merton: Any) -> Organisation:
    organisation = OrganisationFactory(
        name="Wimbledon Food Bank",
        slug="wimbledon-food-bank",
        description="Emergency food parcels.",
        charity_number="1234567",
    )
    ServiceFactory(organisation=organisation, name="Food parcels", description="Three days of food.")
    return organisation


def signed_in_page(browser: Browser, sign_in: Callable[..., None], user: User) -> Page:
    page = browser.new_page()
    sign_in(page, user)
    return page


def test_a_member_claims_a_listing_edits_it_and_the_public_sees_it_once_approved(
    page: Page,
    browser: Browser,
    live_server: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
    food_bank: Organisation,
) -> None:
    volunteer = make_user("resident", email="volunteer@example.org")
    officer = make_user("officer", email="officer@example.org")
    sign_in(page, volunteer)

    # The volunteer finds the food bank in the directory and asks to manage its listing.
    page.goto(f"{live_server.url}/directory/organisations/{food_bank.slug}/")
    page.get_by_role("link", name="Is this your organisation? Ask to manage this listing").click()
    expect(page.get_by_role("heading", name="Ask to manage this listing")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("link", name="Say how you are connected to the organisation.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("How are you connected to the organisation?").fill("I coordinate the volunteers.")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("You asked to manage Wimbledon Food Bank.")).to_be_visible()
    expect(page.get_by_test_id("claims")).to_contain_text("Waiting for a decision")
    assert_accessible(page)

    # An officer approves the request.
    office = signed_in_page(browser, sign_in, officer)
    office.goto(f"{live_server.url}/directory/moderation/")
    assert_accessible(office)
    office.get_by_test_id("claims").get_by_role("link", name="Wimbledon Food Bank").click()
    expect(office.get_by_text("I coordinate the volunteers.")).to_be_visible()
    assert_accessible(office)
    office.get_by_role("button", name="Save decision").click()
    expect(office.get_by_role("link", name="Choose whether to approve or reject it.")).to_be_visible()
    assert_accessible(office)
    office.get_by_label("Approve").check()
    office.get_by_role("button", name="Save decision").click()
    expect(office.get_by_text("You approved the request")).to_be_visible()
    assert Claim.objects.get().status == "approved"

    # The new member changes the organisation's description; it waits for the officer.
    page.goto(f"{live_server.url}/directory/manage/")
    expect(page.get_by_role("heading", name="Wimbledon Food Bank")).to_be_visible()
    page.get_by_role("link", name="Manage Wimbledon Food Bank").click()
    assert_accessible(page)
    page.get_by_role("link", name="Change the organisation's details").click()
    assert_accessible(page)
    page.get_by_label("What the organisation does").fill("Food parcels and a weekly community meal.")
    page.get_by_label("Website").fill("not a web address")
    page.get_by_role("button", name="Send changes for approval").click()
    expect(page.get_by_role("link", name="Enter a web address in the correct format")).to_be_visible()
    expect(page.get_by_label("What the organisation does")).to_have_value("Food parcels and a weekly community meal.")
    assert_accessible(page)
    page.get_by_label("Website").fill("https://food.example.org")
    page.get_by_role("button", name="Send changes for approval").click()
    expect(page.get_by_text("have been sent to an officer")).to_be_visible()
    expect(page.get_by_test_id("records")).to_contain_text("Changes waiting for approval")
    food_bank.refresh_from_db()
    assert food_bank.description == "Emergency food parcels."
    waiting = browser.new_page()
    waiting.goto(f"{live_server.url}/directory/organisations/{food_bank.slug}/")
    expect(waiting.locator("main")).to_contain_text("Emergency food parcels.")
    expect(waiting.locator("main")).not_to_contain_text("weekly community meal")
    waiting.close()

    # The officer compares before and after, and approves.
    office.goto(f"{live_server.url}/directory/moderation/")
    office.get_by_test_id("changes").get_by_role("link", name="Wimbledon Food Bank").click()
    comparison = office.get_by_test_id("comparison")
    expect(comparison).to_contain_text("Emergency food parcels.")
    expect(comparison).to_contain_text("Food parcels and a weekly community meal.")
    assert_accessible(office)
    office.get_by_label("Approve").check()
    office.get_by_role("button", name="Save decision").click()
    expect(office.get_by_text("You approved the change to Wimbledon Food Bank.")).to_be_visible()
    assert ChangeRequest.objects.get().status == "approved"

    # The public sees the new description.
    food_bank.refresh_from_db()
    assert food_bank.description == "Food parcels and a weekly community meal."
    public = browser.new_page()
    public.goto(f"{live_server.url}/directory/organisations/{food_bank.slug}/")
    expect(public.locator("main")).to_contain_text("Food parcels and a weekly community meal.")
    expect(public.locator("main")).not_to_contain_text("Emergency food parcels.")
    public.close()
    office.close()


def test_a_stale_record_is_flagged_on_its_owners_page_until_confirmed(
    page: Page,
    live_server: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    food_bank: Organisation,
) -> None:
    member = make_user("group_member", organisation=food_bank)
    Service.objects.filter(organisation=food_bank).update(last_checked_at=timezone.now() - timedelta(days=400))
    sign_in(page, member)
    page.goto(f"{live_server.url}/directory/manage/")
    expect(page.get_by_text("1 record needs checking.")).to_be_visible()
    row = page.locator('tr[data-kind="service"]')
    expect(row.get_by_test_id("stale")).to_have_text("Needs checking")
    assert_accessible(page)
    row.get_by_role("button", name="Still correct").click()
    expect(page.get_by_text("Thank you. Food parcels is marked as checked today.")).to_be_visible()
    expect(page.locator('tr[data-kind="service"]').get_by_test_id("stale")).to_have_count(0)
    assert_accessible(page)


def test_a_resident_reports_a_problem_without_signing_in(
    page: Page, live_server: Any, assert_accessible: Callable[[Any], None], food_bank: Organisation
) -> None:
    service = food_bank.services.get()
    page.goto(f"{live_server.url}/directory/services/{service.uuid}/")
    page.get_by_role("link", name="Report a problem with this service").click()
    expect(page.get_by_role("heading", name="Report a problem with this listing")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_role("link", name="Choose what is wrong with the listing.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("It has closed").check()
    page.get_by_label("Tell us more (optional)").fill("The hall was empty on Saturday.")
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_role("heading", name="Thank you for your report")).to_be_visible()
    expect(page.get_by_test_id("reference")).to_have_text(Report.objects.get().reference)
    expect(page.get_by_test_id("timescale")).to_have_text("We will look at it within 5 working days.")
    assert_accessible(page)


def test_every_other_page_for_members_and_officers_passes_axe(
    page: Page,
    browser: Browser,
    live_server: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
    food_bank: Organisation,
) -> None:
    from commonweal.directory import services

    member = make_user("group_member", organisation=food_bank)
    officer = make_user("officer")
    service = food_bank.services.get()
    Service.objects.filter(pk=service.pk).update(name=HOSTILE_NAME)
    service.refresh_from_db()
    added = services.add_listing(
        kind="asset", organisation=food_bank, values={"kind": "space", "name": "Hall"}, by=member
    ).record
    report = services.submit_listing_report(record=service, reason="other", details=HOSTILE_NAME)
    sign_in(page, member)
    base = f"{live_server.url}/directory/manage"
    for path in (
        f"{base}/organisations/{food_bank.slug}/",
        f"{base}/organisations/{food_bank.slug}/services/add/",
        f"{base}/organisations/{food_bank.slug}/locations/add/",
        f"{base}/organisations/{food_bank.slug}/assets/add/",
        f"{base}/service/{service.uuid}/edit/",
        f"{base}/service/{service.uuid}/history/",
        f"{base}/service/{service.uuid}/withdraw/",
    ):
        page.goto(path)
        assert_accessible(page)
    # Forms with errors, and the 'add another time' enhancement.
    page.goto(f"{base}/organisations/{food_bank.slug}/services/add/")
    page.get_by_role("button", name="Add another time").click()
    expect(page.get_by_role("group", name="Time 3")).to_be_visible()
    page.locator("#id_when-3-opens_at").fill("nine")
    page.get_by_role("button", name="Add a service").click()
    expect(page.get_by_role("link", name="Enter the name of the service.")).to_be_visible()
    expect(page.get_by_role("link", name="Enter the opening time for time 3")).to_be_visible()
    assert_accessible(page)
    for kind in ("locations", "assets"):
        page.goto(f"{base}/organisations/{food_bank.slug}/{kind}/add/")
        page.get_by_role("button", name="Add a ").click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        assert_accessible(page)

    office = signed_in_page(browser, sign_in, officer)
    for path in (
        f"{live_server.url}/directory/moderation/",
        f"{live_server.url}/directory/moderation/stale/?kind=organisation",
        f"{live_server.url}/directory/moderation/listings/asset/{added.uuid}/",
        f"{live_server.url}/directory/moderation/reports/{report.pk}/",
    ):
        office.goto(path)
        assert "<script>alert" not in office.content()
        assert_accessible(office)
    office.goto(f"{live_server.url}/directory/moderation/listings/asset/{added.uuid}/")
    office.get_by_label("Reject").check()
    office.get_by_role("button", name="Save decision").click()
    expect(office.get_by_role("link", name="Say the reason, so the person who asked knows why.")).to_be_visible()
    assert_accessible(office)
    office.close()
