"""An officer keeping the directory true, in a real browser: the approval pages link a charity and a company to
the public registers, and stale listings' groups can be reminded now, with how many were. Every page passes
axe."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from commonweal.accounts.models import ListingStatus, Organisation, User
from commonweal.directory.models import Claim
from tests.directory.factories import OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_approval_pages_link_the_charity_and_company_numbers_to_the_registers(
    page: Page,
    live_server: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
) -> None:
    pending = OrganisationFactory(
        name="Mitcham Makers",
        charity_number="1234567",
        company_number="7654321",
        listing_status=ListingStatus.PENDING,
    )
    claimed = OrganisationFactory(name="Wimbledon Food Bank", charity_number="1098765")
    claim = Claim.objects.create(
        organisation=claimed, user=make_user("resident"), message="I am the food bank's treasurer."
    )
    sign_in(page, make_user("officer"))

    page.goto(f"{live_server.url}/directory/moderation/listings/organisation/{pending.uuid}/")
    registers = page.get_by_test_id("registers")
    charity = registers.get_by_role("link", name="look it up on the Charity Commission register (opens in new tab)")
    expect(charity).to_have_attribute(
        "href",
        "https://register-of-charities.charitycommission.gov.uk/charity-search/-/charity-details/1234567",
    )
    company = registers.get_by_role("link", name="look it up on Companies House (opens in new tab)")
    expect(company).to_have_attribute(
        "href", "https://find-and-update.company-information.service.gov.uk/company/07654321"
    )
    assert_accessible(page)

    page.goto(f"{live_server.url}/directory/moderation/claims/{claim.pk}/")
    expect(page.get_by_test_id("registers").get_by_role("link")).to_have_attribute(
        "href", "https://register-of-charities.charitycommission.gov.uk/charity-search/-/charity-details/1098765"
    )
    assert_accessible(page)


def test_the_officer_sends_the_stale_listing_reminders_now(
    page: Page,
    live_server: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
) -> None:
    officer = make_user("officer")
    Organisation.objects.update(last_checked_at=timezone.now())
    year_ago = timezone.now() - timedelta(days=400)
    for name in ("Abbey Litter Pickers", "Colliers Wood Gardeners"):
        group = OrganisationFactory(name=name, last_checked_at=year_ago)
        make_user("group_member", organisation=group)
    sign_in(page, officer)
    page.goto(f"{live_server.url}/directory/moderation/stale/")
    expect(page.get_by_test_id("reminders-due")).to_have_text("2 organisations are due a reminder now.")
    assert_accessible(page)
    page.get_by_role("button", name="Send reminders now").click()
    expect(page.get_by_text("Reminders sent to 2 organisations asking them to check their listing.")).to_be_visible()
    expect(page.get_by_test_id("reminders-due")).to_have_text("0 organisations are due a reminder now.")
    expect(page.get_by_role("button", name="Send reminders now")).to_have_count(0)
    assert len(mail.outbox) == 2
    assert_accessible(page)
