"""Consultations in a real browser: an officer cannot open a consultation without a complete Gunning check. They
try to publish, see each missing thing as a link to where it is put right, complete the check, publish, and see
the consultation on its public page with the check shown. A resident then finds it on a phone without
JavaScript. Every page passes axe."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from commonweal.accounts.models import User
from commonweal.engagement.models import Consultation
from tests.engagement import factories
from tests.engagement.consultations.helpers import ready_draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def test_an_officer_cannot_open_a_consultation_without_a_complete_gunning_check(
    page: Page,
    browser: Browser,
    live_server: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
) -> None:
    officer = make_user("officer", organisation=factories.department(), email="officer@example.org")
    draft = ready_draft("Our plan for the high street", formative_statement="")
    Consultation.objects.filter(pk=draft.pk).update(gunning_completed_at=None)
    sign_in(page, officer)

    page.goto(f"{live_server.url}/engagement/manage/")
    expect(page.get_by_role("heading", name="Consultations you run")).to_be_visible()
    expect(page.get_by_test_id("missing")).to_contain_text("Say why the proposal is still at a formative stage")
    assert_accessible(page)
    page.get_by_role("link", name="Our plan for the high street").click()
    expect(page.get_by_test_id("status-gunning")).to_have_text("Incomplete")
    expect(page.get_by_test_id("status-publish")).to_have_text("Cannot start yet")
    assert_accessible(page)

    # Trying to publish lists what is missing, each a link to where it is put right.
    page.get_by_role("link", name="See what stops it being published").click()
    blockers = page.get_by_test_id("blockers")
    expect(blockers).to_contain_text("It cannot be published yet")
    expect(blockers.get_by_role("link", name="Mark the Gunning check complete.")).to_be_visible()
    assert_accessible(page)
    blockers.get_by_role("link", name="Say why the proposal is still at a formative stage").click()

    # Marking it complete with the statement still empty is refused; with it written, it is complete.
    expect(page.get_by_role("heading", name="Gunning check", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Mark the Gunning check complete").click()
    expect(page.get_by_test_id("gunning-refused")).to_contain_text("formative stage")
    assert_accessible(page)
    page.get_by_label("Why the proposal is still at a formative stage").fill(
        "No decision has been made: where the crossing goes, and whether to do it at all, are open."
    )
    page.get_by_role("button", name="Mark the Gunning check complete").click()
    expect(page.get_by_text("The Gunning check is complete.")).to_be_visible()
    expect(page.get_by_test_id("status-gunning")).to_have_text("Completed")
    assert_accessible(page)

    # Publishing: the warnings are read and acknowledged, then it is on its public page.
    page.get_by_role("link", name="Publish", exact=True).click()
    expect(page.get_by_role("heading", name="Publish the consultation")).to_be_visible()
    assert_accessible(page)
    acknowledge = page.get_by_label("I have read the warnings")
    if acknowledge.count():
        page.get_by_role("button", name="Publish the consultation").click()
        expect(page.get_by_role("link", name="Confirm you have read the warnings.")).to_be_visible()
        assert_accessible(page)
        page.get_by_label("I have read the warnings").check()
    page.get_by_role("button", name="Publish the consultation").click()
    expect(page.get_by_role("heading", name="Our plan for the high street")).to_be_visible()
    expect(page.get_by_test_id("phase")).to_have_text("Forthcoming")
    expect(page.get_by_test_id("gunning")).to_contain_text("whether to do it at all, are open")
    expect(page.get_by_test_id("eqia-launch").get_by_role("row")).to_have_count(11)
    assert_accessible(page)
    draft.refresh_from_db()
    assert draft.status == Consultation.Status.PUBLISHED and draft.published_by == officer

    # A resident on a phone finds it among the forthcoming consultations; without JavaScript too.
    for scripts in (True, False):
        context = browser.new_context(java_script_enabled=scripts, viewport=PHONE)
        phone = context.new_page()
        phone.goto(f"{live_server.url}/engagement/consultations/")
        expect(phone.get_by_role("heading", name="Have your say")).to_be_visible()
        if scripts:  # axe runs as a script
            assert_accessible(phone)
        phone.get_by_role("link", name="Forthcoming (1)").click()
        phone.get_by_role("link", name="Our plan for the high street").click()
        expect(phone.get_by_role("heading", name="How this consultation meets the Gunning principles")).to_be_visible()
        if scripts:
            assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            assert_accessible(phone)
        context.close()


def test_an_officer_writes_questions_and_the_assessment_on_a_phone(
    browser: Browser,
    live_server: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
) -> None:
    officer = make_user("officer", organisation=factories.department(), email="officer@example.org")
    draft = ready_draft("Library opening hours", questions=False)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sign_in(page, officer)
    page.goto(f"{live_server.url}/engagement/manage/consultations/{draft.slug}/questions/")
    assert_accessible(page)
    page.get_by_role("button", name="Add a question").click()
    page.get_by_label("Put options in order").check()
    page.get_by_label("Question", exact=True).fill("Which evenings suit you best?")
    page.get_by_label("Options (for choice and ranking questions)").fill("Tuesday")
    page.get_by_role("button", name="Save the question").click()
    expect(page.get_by_role("link", name="A ranking needs at least 2 options, one on each line.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Options (for choice and ranking questions)").fill("Tuesday\nThursday")
    page.get_by_role("button", name="Save the question").click()
    page.get_by_role("button", name="Add a question").click()
    page.get_by_label("Free text").check()
    page.get_by_label("Question", exact=True).fill("Anything else?")
    page.get_by_role("button", name="Save the question").click()
    page.get_by_role("button", name="Move up question 2").click()
    expect(page.get_by_test_id("questions").get_by_role("heading").first).to_have_text("1. Anything else?")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)

    page.goto(f"{live_server.url}/engagement/manage/consultations/{draft.slug}/equality-impact/")
    assert_accessible(page)
    page.get_by_role("group", name="Likely impact on age").get_by_label("Negative").check()
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.get_by_role("link", name="Say how the negative impact on age will be reduced.")).to_be_visible()
    assert_accessible(page)
    context.close()
