"""The whole funding journey in one real browser, through the real pages by their labels, axe clean on each:
a group member checks eligibility, starts, drafts (the draft survives a reload) and submits; an officer builds
the assessor pool and assigns; the first assessor declares a conflict and is then refused the application's
scoring page by its address; the second scores; the panel decides; the officer offers a grant; the group
accepts; the officer records a payment; the group sends a monitoring report."""

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
from commonweal.funding.models import (
    Application,
    Assignment,
    Decision,
    EligibilityQuestion,
    Grant,
    MonitoringReport,
    Question,
    Round,
    Tranche,
)
from tests.dates import fill_date
from tests.funding.factories import (
    ApplicantFactory,
    CriterionFactory,
    FundFactory,
    PotFactory,
    QuestionFactory,
    RoundFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOT_FOR_PROFIT = "Is your group run on a not-for-profit basis?"
ANSWER = "We will pick litter on Figge's Marsh every month with our neighbours and their children."
CONFLICT = "You declared a conflict of interest in this application, so you cannot see or score it."


def new_page(browser: Browser, sign_in: Callable[..., None], user: User) -> Page:
    page = browser.new_page()
    sign_in(page, user)
    return page


def test_a_group_applies_is_assessed_funded_paid_and_reports(
    page: Page,
    browser: Browser,
    live_server: Any,
    merton: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    fund = FundFactory(name="Civic Pride Fund", slug="civic-pride-fund")
    fund.themes.set(Element.objects.filter(kind=Element.Kind.THEME)[:2])
    PotFactory(fund=fund, name="Small grants", min_amount=500, max_amount=2500, max_turnover=25000)
    EligibilityQuestion.objects.create(
        fund=fund, question=NOT_FOR_PROFIT, reason="The fund is only for groups that do not make a profit."
    )
    round = RoundFactory(fund=fund, name="Round one", slug="round-one", assessors_per_application=2, score_max=5)
    QuestionFactory(round=round, label="What will you do?", kind=Question.Kind.LONG_TEXT, word_limit=100)
    CriterionFactory(round=round, name="Need for the project", weight=60)
    CriterionFactory(round=round, name="Value for money", weight=40)

    group = ApplicantFactory(name="Figge's Marsh Litter Pickers", kind=Organisation.Kind.INFORMAL_GROUP)
    member = make_user("group_member", organisation=group, email="member@example.org")
    officer = make_user("officer", email="officer@example.org")
    first = make_user("resident", email="first.assessor@example.org")
    second = make_user("resident", email="second.assessor@example.org")
    User.objects.filter(pk=first.pk).update(full_name="Fatima Ahmed")
    User.objects.filter(pk=second.pk).update(full_name="Tom Okafor")
    starts = timezone.localdate() + timedelta(days=60)
    ends = starts + timedelta(days=365)

    # 1. The group member checks eligibility.
    sign_in(page, member)
    page.goto(f"{live_server.url}/funding/rounds/{round.slug}/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/funding/rounds/{round.slug}/eligibility/")
    expect(page.get_by_role("heading", name="Check if you can apply")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name=NOT_FOR_PROFIT).get_by_label("Yes").check()
    page.get_by_role("group", name="Does your work benefit people in Merton?").get_by_label("Yes").check()
    page.get_by_label("What is your organisation's yearly income, in pounds?").fill("12000")
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_role("heading", name="You can apply")).to_be_visible()
    assert_accessible(page)

    # 2. Starts, and drafts: an answer saved as it is typed survives a reload.
    page.get_by_role("button", name="Start your application").click()
    expect(page.get_by_role("heading", name="Apply to Round one")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("What will you do?").fill(ANSWER)
    expect(page.get_by_test_id("autosave-status")).to_contain_text("Saved at")
    page.reload()
    expect(page.get_by_label("What will you do?")).to_have_value(ANSWER)
    assert_accessible(page)

    # 3. Submits.
    page.get_by_label("Project name").fill("Marsh clean-up days")
    page.get_by_label("Summary of the project").fill("Monthly litter picks that bring neighbours together.")
    page.get_by_label("How much are you asking for, in pounds?").fill("2000")
    page.get_by_role("group", name="Which of the fund's themes does your project work towards?").get_by_role(
        "checkbox"
    ).first.check()
    page.get_by_label("Figge's Marsh").check()
    fill_date(page, "When will the project start?", starts)
    fill_date(page, "When will the project end?", ends)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check your answers before submitting your application")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Accept and submit").click()
    expect(page.get_by_role("heading", name="Application submitted")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="See your application and where it stands").click()
    expect(page.get_by_test_id("status")).to_contain_text("Submitted")
    assert_accessible(page)
    application = Application.objects.get(round=round)
    assert application.status == Application.Status.SUBMITTED

    # 4. The deadline passes; the officer builds the assessor pool and assigns.
    Round.objects.filter(pk=round.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    officer_page = new_page(browser, sign_in, officer)
    officer_page.goto(f"{live_server.url}/funding/manage/rounds/{round.slug}/assessors/")
    assert_accessible(officer_page)
    for email, name in ((first.email, "Fatima Ahmed"), (second.email, "Tom Okafor")):
        officer_page.get_by_label("Email address of the person to add").fill(email)
        officer_page.get_by_role("button", name="Add assessor").click()
        expect(officer_page.get_by_text(f"{name} is now an assessor in this round.")).to_be_visible()
    officer_page.get_by_role("button", name="Assign applications").click()
    expect(officer_page.get_by_text("2 new assignments made.")).to_be_visible()
    assert_accessible(officer_page)
    conflicted = Assignment.objects.get(assessor=first, application=application)

    # 5. The first assessor declares a conflict, and the scoring page's address is then refused.
    one = new_page(browser, sign_in, first)
    one.goto(f"{live_server.url}/funding/assess/")
    assert_accessible(one)
    one.get_by_role("link", name="Figge's Marsh Litter Pickers").click()
    expect(one.get_by_role("heading", name="Declare any conflict of interest")).to_be_visible()
    assert_accessible(one)
    one.get_by_label("Yes, I have a conflict of interest").check()
    one.get_by_label("If you have a conflict, what is it?").fill("I am the group's treasurer.")
    one.get_by_role("button", name="Save declaration").click()
    expect(one.get_by_text("You declared a conflict of interest.")).to_be_visible()
    assert_accessible(one)
    response = one.goto(f"{live_server.url}/funding/assess/{conflicted.pk}/")
    assert response is not None and response.status == 403
    expect(one.get_by_test_id("denied-reason")).to_have_text(CONFLICT)
    expect(one.get_by_text(ANSWER)).to_have_count(0)
    assert_accessible(one)
    one.close()

    # 6. The second assessor declares no conflict and scores every criterion.
    two = new_page(browser, sign_in, second)
    two.goto(f"{live_server.url}/funding/assess/")
    two.get_by_role("link", name="Figge's Marsh Litter Pickers").click()
    two.get_by_label("No, I have no conflict of interest").check()
    two.get_by_role("button", name="Save declaration").click()
    expect(two.get_by_text("Monthly litter picks that bring neighbours together.")).to_be_visible()
    assert_accessible(two)
    two.get_by_role("group", name="Score for Need for the project (0 to 5)").get_by_label("4", exact=True).check()
    two.get_by_label("Comment on Need for the project").fill("A clear need on the marsh, shown by photographs.")
    two.get_by_role("group", name="Score for Value for money (0 to 5)").get_by_label("3", exact=True).check()
    two.get_by_label("Comment on Value for money").fill("The kit is reasonably priced.")
    two.get_by_role("button", name="Submit scores").click()
    expect(two.get_by_text("Your scores are submitted.")).to_be_visible()
    assert_accessible(two)
    two.close()

    # 7. The officer reads moderation and the panel decides.
    officer_page.goto(f"{live_server.url}/funding/manage/rounds/{round.slug}/moderation/")
    row = officer_page.get_by_test_id(f"row-{application.reference}")
    expect(row).to_contain_text("72.0")
    assert_accessible(officer_page)
    row.get_by_role("link", name="Marsh clean-up days").click()
    expect(officer_page.get_by_label("Feedback to the applicant")).to_contain_text("A clear need on the marsh")
    assert_accessible(officer_page)
    officer_page.get_by_label("Fund", exact=True).check()
    officer_page.get_by_label("Amount to award (£)").fill("1800")
    officer_page.get_by_label("The panel's reasons").fill("A clear need, reasonably costed.")
    officer_page.get_by_role("button", name="Record decision").click()
    expect(officer_page.get_by_text("Decision recorded: fund.")).to_be_visible()
    assert_accessible(officer_page)
    assert Decision.objects.get(application=application).amount == Decimal("1800.00")

    # 8. The officer offers the grant: two payments, a report every six months and a final report.
    officer_page.goto(f"{live_server.url}/funding/manage/grants/")
    assert_accessible(officer_page)
    officer_page.get_by_role("link", name=f"Offer a grant for {application.reference}").click()
    expect(officer_page.get_by_role("heading", name="Offer a grant")).to_be_visible()
    officer_page.get_by_label("Conditions of the grant").fill("Spend the grant on litter-picking kit.")
    officer_page.get_by_label("Number of equal payments").fill("2")
    officer_page.get_by_role("button", name="Split into equal payments").click()
    expect(officer_page.get_by_role("group", name="Payment 2").get_by_label("Amount (£)")).to_have_value("900")
    officer_page.get_by_label("Every 6 months").check()
    officer_page.get_by_role("button", name="Plan the reports").click()
    assert_accessible(officer_page)
    officer_page.get_by_role("button", name="Offer the grant").click()
    expect(
        officer_page.get_by_text("You offered Figge's Marsh Litter Pickers a grant of £1,800, reference")
    ).to_be_visible()
    assert_accessible(officer_page)
    grant = Grant.objects.get(application=application)

    # 9. The group reads the offer and accepts it.
    page.goto(f"{live_server.url}/funding/grants/{grant.reference}/")
    expect(page.get_by_test_id("conditions")).to_contain_text("Spend the grant on litter-picking kit.")
    assert_accessible(page)
    page.get_by_label("I have read the conditions and accept them on behalf of Figge's Marsh Litter Pickers").check()
    page.get_by_role("button", name="Accept the grant").click()
    expect(page.get_by_text("You accepted the grant of £1,800.")).to_be_visible()
    expect(page.get_by_test_id("grant-status")).to_contain_text("Accepted")
    assert_accessible(page)

    # 10. The officer records the first payment.
    officer_page.goto(f"{live_server.url}/funding/grants/{grant.reference}/")
    tranche = grant.tranches.order_by("due_on").first()
    assert tranche is not None
    payment = officer_page.locator(
        "form", has=officer_page.get_by_role("group", name=f"Payment of £900 due {tranche.due_on:%-d %B %Y}")
    )
    payment.get_by_label("Payment reference").fill("BACS-0001")
    assert_accessible(officer_page)
    payment.get_by_role("button", name="Record the payment of £900").click()
    expect(officer_page.get_by_text("Paid so far: £900. Still to pay: £900.")).to_be_visible()
    assert_accessible(officer_page)
    assert Tranche.objects.get(pk=tranche.pk).status == Tranche.Status.PAID

    # 11. The group sends its first monitoring report.
    page.goto(f"{live_server.url}/funding/grants/{grant.reference}/")
    page.get_by_role("link", name="Progress report 1").click()
    assert_accessible(page)
    page.get_by_label("What happened").fill("We ran six litter picks and filled 140 bags.")
    page.get_by_label("Money spent so far (£)").fill("850")
    result = page.get_by_role("group", name="Result 1")
    result.get_by_label("Output or outcome").select_option("output")
    result.get_by_label("What").fill("Litter picks")
    result.get_by_label("How many").fill("6")
    result.get_by_label("Unit").fill("sessions")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("heading", name="Monitoring report sent")).to_be_visible()
    expect(page.get_by_test_id("confirmation")).to_contain_text(grant.reference)
    assert_accessible(page)
    report = MonitoringReport.objects.get(grant=grant, title="Progress report 1")
    assert report.status == MonitoringReport.Status.SUBMITTED
    officer_page.close()
