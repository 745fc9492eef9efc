"""Assessment in a real browser: an officer assigns an application to two assessors; the first declares a
conflict and can no longer open it; the second declares none, scores every criterion and submits; the officer
reads moderation and the panel decides with reasons. Every page passes axe, the refusal included."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from commonweal.accounts.models import Organisation, User
from commonweal.funding.models import Application, Assignment, Decision
from tests.funding.factories import ApplicantFactory, ApplicationFactory, CriterionFactory, RoundFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONFLICT = "You declared a conflict of interest in this application, so you cannot see or score it."


def signed_in_page(browser: Browser, sign_in: Callable[..., None], user: User) -> Page:
    page = browser.new_page()
    sign_in(page, user)
    return page


def test_a_conflicted_assessor_is_kept_out_another_scores_and_the_panel_decides(
    page: Page,
    browser: Browser,
    live_server: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
) -> None:
    round = RoundFactory(
        name="Spring round",
        slug="spring-round",
        assessors_per_application=2,
        score_max=5,
        closes_at=timezone.now() - timedelta(hours=1),
    )
    CriterionFactory(round=round, name="Need for the project", weight=60, guidance="Is the need clear?")
    CriterionFactory(round=round, name="Value for money", weight=40)
    group = ApplicantFactory(name="Abbey Lunch Club", kind=Organisation.Kind.INFORMAL_GROUP)
    member = make_user("group_member", organisation=group, email="member@example.org")
    application = ApplicationFactory(
        round=round,
        organisation=group,
        created_by=member,
        title="Lunches for older neighbours",
        summary="A hot lunch every Tuesday in the church hall.",
        amount_requested=Decimal("2000"),
        status=Application.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    officer = make_user("officer", email="officer@example.org")
    first = make_user("resident", email="first.assessor@example.org")
    second = make_user("resident", email="second.assessor@example.org")
    User.objects.filter(pk=first.pk).update(full_name="Fatima Ahmed")
    User.objects.filter(pk=second.pk).update(full_name="Tom Okafor")

    # The officer builds the pool and assigns the application.
    sign_in(page, officer)
    page.goto(f"{live_server.url}/funding/manage/rounds/{round.slug}/assessors/")
    expect(page.get_by_test_id("empty-pool")).to_be_visible()
    assert_accessible(page)
    for email, name in ((first.email, "Fatima Ahmed"), (second.email, "Tom Okafor")):
        page.get_by_label("Email address of the person to add").fill(email)
        page.get_by_role("button", name="Add assessor").click()
        expect(page.get_by_text(f"{name} is now an assessor in this round.")).to_be_visible()
    page.get_by_role("button", name="Assign applications").click()
    expect(page.get_by_text("2 new assignments made.")).to_be_visible()
    assert_accessible(page)
    conflicted = Assignment.objects.get(assessor=first)

    # The first assessor sees only the group and the title, and declares a conflict.
    one = signed_in_page(browser, sign_in, first)
    one.goto(f"{live_server.url}/funding/assess/")
    assert_accessible(one)
    one.get_by_role("link", name="Abbey Lunch Club").click()
    expect(one.get_by_role("heading", name="Declare any conflict of interest")).to_be_visible()
    expect(one.get_by_text("Lunches for older neighbours")).to_be_visible()
    expect(one.get_by_text("church hall")).to_have_count(0)
    assert_accessible(one)
    one.get_by_label("Yes, I have a conflict of interest").check()
    one.get_by_role("button", name="Save declaration").click()
    expect(one.get_by_role("link", name="Say what the conflict of interest is.")).to_be_visible()
    assert_accessible(one)
    one.get_by_label("If you have a conflict, what is it?").fill("My mother runs the lunch club.")
    one.get_by_role("button", name="Save declaration").click()
    expect(one.get_by_text("You declared a conflict of interest.")).to_be_visible()
    assert_accessible(one)
    # A crafted address to the scoring page is refused with the reason.
    one.goto(f"{live_server.url}/funding/assess/{conflicted.pk}/")
    expect(one.get_by_test_id("denied-reason")).to_have_text(CONFLICT)
    expect(one.get_by_text("church hall")).to_have_count(0)
    assert_accessible(one)

    # The second assessor declares no conflict and scores.
    two = signed_in_page(browser, sign_in, second)
    two.goto(f"{live_server.url}/funding/assess/")
    two.get_by_role("link", name="Abbey Lunch Club").click()
    two.get_by_label("No, I have no conflict of interest").check()
    two.get_by_role("button", name="Save declaration").click()
    expect(two.get_by_text("A hot lunch every Tuesday in the church hall.")).to_be_visible()
    assert_accessible(two)
    two.get_by_role("button", name="Submit scores").click()
    expect(two.get_by_role("link", name="Choose a score for Need for the project.")).to_be_visible()
    assert_accessible(two)
    two.get_by_role("group", name="Score for Need for the project (0 to 5)").get_by_label("4", exact=True).check()
    two.get_by_label("Comment on Need for the project").fill("Clear need among isolated older people.")
    two.get_by_role("group", name="Score for Value for money (0 to 5)").get_by_label("3", exact=True).check()
    two.get_by_label("Comment on Value for money").fill("Costs per lunch are reasonable.")
    two.get_by_role("button", name="Submit scores").click()
    expect(two.get_by_text("Your scores are submitted.")).to_be_visible()
    expect(two.get_by_test_id("assessments")).to_contain_text("Scored")

    # The officer reads moderation: one assessor scored 72, and the application needs another assessor.
    page.goto(f"{live_server.url}/funding/manage/rounds/{round.slug}/moderation/")
    row = page.get_by_test_id(f"row-{application.reference}")
    expect(row).to_contain_text("1 / 1")
    expect(row).to_contain_text("72.0")
    expect(row).to_contain_text("Needs an assessor")
    assert_accessible(page)

    # The panel decides.
    row.get_by_role("link", name="Lunches for older neighbours").click()
    expect(page.get_by_role("heading", name="Lunches for older neighbours")).to_be_visible()
    expect(page.get_by_label("Feedback to the applicant")).to_contain_text("Clear need among isolated older people.")
    assert_accessible(page)
    page.get_by_label("Fund", exact=True).check()
    page.get_by_label("Amount to award (£)").fill("1800")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_role("link", name="Give the panel's reasons for the decision.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("The panel's reasons").fill("A clear need, well costed.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded: fund.")).to_be_visible()
    expect(page.get_by_test_id("decided")).to_be_visible()
    assert_accessible(page)
    decision = Decision.objects.get(application=application)
    assert decision.amount == Decimal("1800.00")
    assert decision.weighted_score == Decimal("72.00")
    assert "Clear need" in decision.feedback and "Tom Okafor" not in decision.feedback
