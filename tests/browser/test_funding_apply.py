"""Applying for funding in a real browser: a group member checks eligibility (a wrong answer first, so they see
why), starts, types an answer that is saved as they go and survives a reload, uploads a PDF, submits and sees
where the application stands. Every page passes axe."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from commonweal.accounts.models import User
from commonweal.framework.models import Element
from commonweal.funding.models import Application, EligibilityQuestion, Question
from tests.dates import fill_date
from tests.funding.factories import ApplicantFactory, FundFactory, PotFactory, QuestionFactory, RoundFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
NOT_FOR_PROFIT = "Is your group run on a not-for-profit basis?"


@pytest.fixture
def round(merton: Any, settings: Any, tmp_path: Path) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    fund = FundFactory(name="Civic Pride Fund", slug="civic-pride-fund")
    fund.themes.set(Element.objects.filter(kind=Element.Kind.THEME)[:2])
    PotFactory(fund=fund, name="Small grants", min_amount=500, max_amount=2500, max_turnover=25000)
    EligibilityQuestion.objects.create(
        fund=fund,
        question=NOT_FOR_PROFIT,
        reason="The fund is only for groups that do not make a profit for their owners.",
    )
    round = RoundFactory(fund=fund, name="Round one", slug="civic-pride-round-one")
    QuestionFactory(round=round, label="What will you do?", kind=Question.Kind.LONG_TEXT, word_limit=100)
    QuestionFactory(
        round=round,
        label="Your latest accounts",
        kind=Question.Kind.ATTACHMENT,
        word_limit=None,
        required=False,
        file_types=["pdf"],
    )
    return round


def test_a_group_member_checks_eligibility_drafts_and_submits(
    page: Page,
    live_server: Any,
    round: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
    tmp_path: Path,
) -> None:
    group = ApplicantFactory(name="Abbey Litter Pickers", slug="abbey-litter-pickers", kind="informal_group")
    member = make_user("group_member", organisation=group, email="member@example.org")
    sign_in(page, member)

    # A wrong answer first: the reason is shown, and the answers are kept to change.
    page.goto(f"{live_server.url}/funding/rounds/{round.slug}/eligibility/")
    expect(page.get_by_role("heading", name="Check if you can apply")).to_be_visible()
    expect(page.get_by_label("What kind of organisation are you?")).to_have_value("informal_group")
    assert_accessible(page)
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_role("link", name=f"Answer yes or no: {NOT_FOR_PROFIT}")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name=NOT_FOR_PROFIT).get_by_label("No").check()
    page.get_by_role("group", name="Does your work benefit people in Merton?").get_by_label("Yes").check()
    page.get_by_label("What is your organisation's yearly income, in pounds?").fill("12000")
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_test_id("reasons")).to_contain_text(
        "The fund is only for groups that do not make a profit for their owners."
    )
    assert_accessible(page)
    page.get_by_role("button", name="Change your answers").click()
    expect(page.get_by_label("What is your organisation's yearly income, in pounds?")).to_have_value("12000")
    page.get_by_role("group", name=NOT_FOR_PROFIT).get_by_label("Yes").check()
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_role("heading", name="You can apply")).to_be_visible()
    expect(page.get_by_test_id("eligible")).to_contain_text("From Small grants, for up to £2,500")
    assert_accessible(page)

    # Start, and type an answer that is saved without pressing anything.
    page.get_by_role("button", name="Start your application").click()
    expect(page.get_by_role("heading", name="Apply to Round one")).to_be_visible()
    assert_accessible(page)
    answer = page.get_by_label("What will you do?")
    answer.fill("We will pick litter in Abbey every month with our neighbours.")
    expect(page.get_by_test_id("autosave-status")).to_contain_text("Saved at")
    expect(page.get_by_text("You have 89 words remaining").first).to_be_visible()
    page.reload()
    expect(page.get_by_label("What will you do?")).to_have_value(
        "We will pick litter in Abbey every month with our neighbours."
    )
    assert_accessible(page)

    # The rest of the form, a PDF, and submit.
    page.get_by_label("Project name").fill("Abbey clean-up days")
    page.get_by_label("Summary of the project").fill("Monthly litter picks that bring neighbours together.")
    page.get_by_label("How much are you asking for, in pounds?").fill("3000")
    page.get_by_role("group", name="Which of the fund's themes does your project work towards?").get_by_role(
        "checkbox"
    ).first.check()
    page.get_by_label("Abbey").check()
    fill_date(page, "When will the project start?", "1/4/2027")
    fill_date(page, "When will the project end?", "31/3/2028")
    accounts = tmp_path / "accounts.pdf"
    accounts.write_bytes(PDF)
    page.get_by_label("Your latest accounts").set_input_files(str(accounts))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("link", name="The most you can ask for from Small grants is £2,500.")).to_be_visible()
    expect(page.get_by_role("link", name="accounts.pdf")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("How much are you asking for, in pounds?").fill("2000")
    page.get_by_role("button", name="Continue").click()

    # Check your answers: each answer has a Change link that comes back here; nothing is sent until 'Accept'.
    expect(page.get_by_role("heading", name="Check your answers before submitting your application")).to_be_visible()
    expect(page.get_by_test_id("check-questions")).to_contain_text("We will pick litter in Abbey every month")
    expect(page.get_by_test_id("check-answers")).to_contain_text("£2,000")
    assert_accessible(page)
    assert Application.objects.get().status == "draft"
    page.get_by_role("link", name="Change project name").click()
    expect(page.get_by_label("Project name")).to_have_value("Abbey clean-up days")
    page.get_by_label("Project name").fill("Abbey clean-up Saturdays")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check your answers before submitting your application")).to_be_visible()
    expect(page.get_by_test_id("check-answers")).to_contain_text("Abbey clean-up Saturdays")
    page.get_by_role("button", name="Accept and submit").click()

    # The confirmation: a panel with the reference and what happens next.
    expect(page.get_by_role("heading", name="Application submitted")).to_be_visible()
    application = Application.objects.get()
    expect(page.get_by_test_id("confirmation")).to_contain_text(application.reference)
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="See your application and where it stands").click()
    expect(page.get_by_test_id("status")).to_contain_text("Submitted")
    expect(page.get_by_test_id("answers")).to_contain_text("We will pick litter in Abbey every month")
    assert_accessible(page)
    assert application.status == "submitted" and application.attachments.count() == 1

    page.goto(f"{live_server.url}/funding/applications/")
    expect(page.get_by_test_id("applications")).to_contain_text("Abbey clean-up Saturdays")
    assert_accessible(page)
    page.goto(f"{live_server.url}/funding/applications/{application.uuid}/withdraw/")
    expect(page.get_by_role("heading", name="Are you sure you want to withdraw this application?")).to_be_visible()
    assert_accessible(page)


def test_an_officer_lists_a_rounds_applications(
    page: Page,
    live_server: Any,
    round: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
) -> None:
    officer = make_user("officer", email="officer@example.org")
    from tests.funding.factories import ApplicationFactory

    ApplicationFactory(round=round, created_by=officer, status="submitted", title="Morden choir")
    sign_in(page, officer)
    page.goto(f"{live_server.url}/funding/manage/rounds/{round.slug}/applications/")
    expect(page.get_by_test_id("applications")).to_contain_text("Morden choir")
    assert_accessible(page)
    page.get_by_role("link", name="Submitted (1)").click()
    expect(page.get_by_test_id("applications")).to_contain_text("Morden choir")
    page.get_by_test_id("applications").get_by_role("link").first.click()
    expect(page.get_by_test_id("status")).to_contain_text("Submitted")
    assert_accessible(page)


def test_without_javascript_a_draft_is_saved_with_the_button_and_survives_a_reload(
    browser: Any,
    live_server: Any,
    round: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
) -> None:
    """axe needs JavaScript, so this page is checked by the test above; here only the no-JavaScript path."""
    from commonweal.funding.apply.eligibility import Answers
    from commonweal.funding.apply.services import start_application

    group = ApplicantFactory(name="Morden Choir", slug="morden-choir", kind="informal_group")
    member = make_user("group_member", organisation=group, email="singer@example.org")
    answers = Answers(
        questions={q.pk: True for q in round.fund.eligibility_questions.all()},
        kind="informal_group",
        income=Decimal("12000"),
        works_in_area=True,
    )
    application = start_application(round=round, organisation=group, by=member, eligibility=answers)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, member)
    page.goto(f"{live_server.url}/funding/applications/{application.uuid}/edit/")
    page.get_by_label("What will you do?").fill("We will sing in care homes.")
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_text("Your draft is saved.")).to_be_visible()
    page.goto(f"{live_server.url}/funding/applications/{application.uuid}/edit/")
    expect(page.get_by_label("What will you do?")).to_have_value("We will sing in care homes.")
    context.close()
