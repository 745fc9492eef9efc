"""Awards in a real browser: an officer offers a grant in two payments with two reports, the group accepts
it, the officer records a payment, the group sends a report with an output and an outcome, and the officer
accepts it. Every page passes axe, error pages included."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from commonweal.accounts.models import Organisation, User
from commonweal.funding.models import Grant, MonitoringReport, ReportResult, Tranche
from tests.funding.awards.helpers import approved_application
from tests.funding.factories import ApplicantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUTCOME = "Stronger trust and relationships"


def test_an_offer_is_accepted_paid_and_reported_on(
    page: Page,
    browser: Browser,
    live_server: Any,
    merton: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
) -> None:
    group = ApplicantFactory(name="Abbey Lunch Club", kind=Organisation.Kind.INFORMAL_GROUP)
    member = make_user("group_member", organisation=group, email="member@example.org")
    officer = make_user("officer", email="officer@example.org")
    application = approved_application(organisation=group, created_by=member, decided_by=officer)

    # The officer finds the approved application among those waiting for an offer.
    sign_in(page, officer)
    page.goto(f"{live_server.url}/funding/manage/grants/")
    expect(page.get_by_role("heading", name="Grants", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=f"Offer a grant for {application.reference}").click()
    expect(page.get_by_role("heading", name="Offer a grant")).to_be_visible()
    assert_accessible(page)

    # Two equal payments and a report every six months until the end, with a final report.
    page.get_by_label("Conditions of the grant").fill("Spend the grant on the lunch club.")
    page.get_by_label("Number of equal payments").fill("2")
    page.get_by_role("button", name="Split into equal payments").click()
    expect(page.get_by_role("group", name="Payment 2").get_by_label("Amount (£)")).to_have_value("1000")
    expect(page.get_by_label("Conditions of the grant")).to_have_value("Spend the grant on the lunch club.")
    page.get_by_label("Every 6 months").check()
    page.get_by_role("button", name="Plan the reports").click()
    expect(page.get_by_role("group", name="Report 2").get_by_label("Title")).to_have_value("Final report")
    assert_accessible(page)

    # A payment that does not add up is caught and the difference said.
    page.get_by_role("group", name="Payment 2").get_by_label("Amount (£)").fill("900")
    page.get_by_role("button", name="Offer the grant").click()
    expect(
        page.get_by_role("link", name="The payments add up to £1,900, £100 less than the award of £2,000.", exact=False)
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="Payment 2").get_by_label("Amount (£)").fill("1000")
    page.get_by_role("button", name="Offer the grant").click()
    expect(page.get_by_text("You offered Abbey Lunch Club a grant of £2,000, reference")).to_be_visible()
    assert_accessible(page)
    grant = Grant.objects.get()
    assert grant.tranches.count() == 2
    assert grant.reports.count() == 2

    # The group reads the offer and accepts it, having ticked the confirmation.
    group_page = browser.new_page()
    sign_in(group_page, member)
    group_page.goto(f"{live_server.url}/funding/grants/{grant.reference}/")
    expect(group_page.get_by_test_id("conditions")).to_contain_text("Spend the grant on the lunch club.")
    assert_accessible(group_page)
    group_page.get_by_role("button", name="Accept the grant").click()
    expect(group_page.get_by_role("link", name="Confirm that you have read the conditions")).to_be_visible()
    assert_accessible(group_page)
    group_page.get_by_label("I have read the conditions and accept them on behalf of Abbey Lunch Club").check()
    group_page.get_by_role("button", name="Accept the grant").click()
    expect(group_page.get_by_text("You accepted the grant of £2,000.")).to_be_visible()
    expect(group_page.get_by_test_id("grant-status")).to_contain_text("Accepted")

    # The officer records the first payment.
    page.goto(f"{live_server.url}/funding/grants/{grant.reference}/")
    first = grant.tranches.order_by("due_on").first()
    payment = page.locator(
        "form", has=page.get_by_role("group", name=f"Payment of £1,000 due {first.due_on:%-d %B %Y}")
    )
    payment.get_by_label("Payment reference").fill("BACS-2027-0001")
    assert_accessible(page)
    payment.get_by_role("button", name="Record the payment of £1,000").click()
    expect(page.get_by_text("You recorded the payment of £1,000")).to_be_visible()
    expect(page.get_by_text("Paid so far: £1,000. Still to pay: £1,000.")).to_be_visible()
    assert Tranche.objects.filter(status="paid").count() == 1

    # The group sends its first report with an output and an outcome against the framework.
    group_page.goto(f"{live_server.url}/funding/grants/{grant.reference}/")
    group_page.get_by_role("link", name="Progress report 1").click()
    assert_accessible(group_page)
    group_page.get_by_label("What happened").fill("We ran forty lunch club sessions.")
    group_page.get_by_label("Money spent so far (£)").fill("800")
    output = group_page.get_by_role("group", name="Result 1")
    output.get_by_label("Output or outcome").select_option("output")
    output.get_by_label("What").fill("Lunch club sessions")
    output.get_by_label("How many").fill("40")
    output.get_by_label("Unit").fill("sessions")
    outcome = group_page.get_by_role("group", name="Result 2")
    outcome.get_by_label("Output or outcome").select_option("outcome")
    outcome.get_by_label("What").fill("Neighbours who now meet weekly")
    outcome.get_by_label("How many").fill("25")
    outcome.get_by_label("Unit").fill("people")
    group_page.get_by_role("button", name="Send the report").click()
    expect(
        group_page.get_by_role("link", name="Choose which of the framework's outcomes result 2 is about.")
    ).to_be_visible()
    assert_accessible(group_page)
    group_page.get_by_role("group", name="Result 2").get_by_label("Framework outcome").select_option(label=OUTCOME)
    group_page.get_by_role("button", name="Send the report").click()
    expect(group_page.get_by_role("heading", name="Monitoring report sent")).to_be_visible()
    expect(group_page.get_by_test_id("confirmation")).to_contain_text(grant.reference)
    assert_accessible(group_page)

    # The officer reads it and accepts it.
    page.goto(f"{live_server.url}/funding/grants/{grant.reference}/")
    page.get_by_role("link", name="Progress report 1").click()
    expect(page.get_by_test_id("results")).to_contain_text(OUTCOME)
    assert_accessible(page)
    page.get_by_label("Accept the report").check()
    page.get_by_role("button", name="Save the review").click()
    expect(page.get_by_text("You accepted 'Progress report 1'.")).to_be_visible()
    assert_accessible(page)
    report = MonitoringReport.objects.get(title="Progress report 1")
    assert report.status == MonitoringReport.Status.ACCEPTED
    assert ReportResult.objects.filter(report=report, outcome__name=OUTCOME).count() == 1
    group_page.close()
