"""The resident perception survey in a real browser: a resident answers on a phone; an officer starts a survey,
adds a wave, opens it, invites people, and reads its weighted results (charts beside tables); the public reads a
published wave's results. Every page passes axe."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from commonweal.engagement.models_surveys import SurveyResponse, Wave
from commonweal.places.models import Ward
from tests.conftest import watch_for_problems
from tests.engagement.surveys import helpers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def steward(merton: Any, make_user: Any) -> Any:
    return make_user("steward")


def test_a_resident_answers_a_survey_on_a_phone(
    page: Page, live_server: Any, steward: Any, assert_accessible: Callable[[Any], None]
) -> None:
    problems = watch_for_problems(page)
    wave = helpers.wave(helpers.survey(steward))
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/engagement/surveys/")
    assert_accessible(page)
    page.get_by_test_id("open-surveys").get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Residents' survey")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Answer at least one question")
    assert_accessible(page)
    page.get_by_role("group", name="Overall, how satisfied or dissatisfied are you with the way").get_by_label(
        "Fairly satisfied"
    ).check()
    page.get_by_role("group", name="How much do you trust").get_by_label("A fair amount").check()
    page.get_by_label("Or choose your ward (optional)").select_option(label=Ward.objects.order_by("name").first().name)
    page.get_by_label("What is your age? (optional)").fill("71")
    page.get_by_role("group", name="What is your sex? (optional)").get_by_label("Female").check()
    page.get_by_role("group", name="Do you own or rent your home? (optional)").get_by_label(
        "I own it (outright, with a mortgage, or in shared ownership)"
    ).check()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you for your answers")).to_be_visible()
    assert_accessible(page)
    kept = SurveyResponse.objects.get(wave=wave)
    assert kept.answers == {"council": 1, "trust": 1} and kept.age == 71 and kept.sex == "Female"
    assert problems == []


def test_an_officer_starts_a_survey_adds_and_opens_a_wave_and_invites_people(
    page: Page,
    live_server: Any,
    merton: Any,
    make_user: Any,
    sign_in: Any,
    mfa_exempt: None,
    assert_accessible: Callable[[Any], None],
) -> None:
    department = helpers.department("Insight team")
    sign_in(page, make_user("officer", organisation=department))
    page.goto(f"{live_server.url}/engagement/manage/surveys/")
    assert_accessible(page)
    page.get_by_role("link", name="Start a perception survey").click()
    page.get_by_role("button", name="Start the survey").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the survey's title")
    assert_accessible(page)
    page.get_by_label("Title").fill("Residents' perception survey")
    page.get_by_label("What the survey is for, in plain English").fill("How you feel about the borough.")
    page.get_by_role("button", name="Start the survey").click()
    expect(page.get_by_test_id("survey-questions")).to_contain_text("How much do you trust")
    assert_accessible(page)
    page.get_by_role("link", name="Add a wave").click()
    page.get_by_label("Name of the wave").fill("Spring 2026")
    for box, value in (("opens_on", ("1", "3", "2026")), ("closes_on", ("30", "4", "2026"))):
        for part, typed in zip(("day", "month", "year"), value, strict=True):
            page.locator(f"#id_{box}_{part}").fill(typed)
    page.get_by_label("Only the people invited (a link each)").check()
    assert_accessible(page)
    page.get_by_role("button", name="Add the wave").click()
    expect(page.get_by_test_id("wave-status")).to_contain_text("Draft")
    assert_accessible(page)
    page.get_by_test_id("step-open").click()
    expect(page.get_by_test_id("wave-status")).to_contain_text("Open")
    page.get_by_role("link", name="Invite people by email").click()
    page.get_by_label("Email addresses to invite").fill("one@example.org\nnot an address")
    page.get_by_role("button", name="Send the invitations").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("These are not email addresses")
    assert_accessible(page)
    page.get_by_label("Email addresses to invite").fill("one@example.org\ntwo@example.org")
    page.get_by_role("button", name="Send the invitations").click()
    expect(page.get_by_test_id("invited-count")).to_contain_text("2 invited, 0 answered")
    assert_accessible(page)


def test_an_officer_reads_the_weighted_results_with_charts_and_tables(
    page: Page,
    live_server: Any,
    steward: Any,
    make_user: Any,
    sign_in: Any,
    mfa_exempt: None,
    assert_accessible: Callable[[Any], None],
) -> None:
    problems = watch_for_problems(page)
    helpers.profile()
    made = helpers.survey(steward)
    earlier = helpers.wave(made, "Autumn 2025", status=Wave.Status.PUBLISHED, days=-200)
    latest = helpers.wave(made, "Spring 2026", status=Wave.Status.CLOSED)
    helpers.responses(earlier, 150, seed=1, satisfied=0.5)
    helpers.responses(latest, 150, seed=2, satisfied=0.7)
    sign_in(page, make_user("officer", organisation=made.department))
    page.goto(f"{live_server.url}/engagement/manage/surveys/{made.slug}/waves/{latest.slug}/")
    expect(page.get_by_test_id("response-count")).to_contain_text("150")
    assert_accessible(page)
    page.get_by_role("link", name="See the results").click()
    expect(page.locator("svg#chart-headlines[role=img]")).to_be_visible()
    expect(page.locator("svg#chart-trends[role=img]")).to_be_visible()
    expect(page.get_by_test_id("headline-table")).to_contain_text("Satisfied with the way the council runs things")
    expect(page.get_by_test_id("trend-table")).to_contain_text("Autumn 2025")
    expect(page.get_by_test_id("how-weighted")).to_contain_text("Design effect")
    assert_accessible(page)
    page.get_by_label("Question").select_option(label="Trust the council")
    page.get_by_role("button", name="Show by ward").click()
    expect(page.get_by_test_id("ward-table")).to_contain_text("Trust the council: by ward")
    page.set_viewport_size(PHONE)
    assert page.locator("svg#chart-headlines").bounding_box()["width"] <= PHONE["width"]
    assert_accessible(page)
    assert problems == []


def test_the_public_reads_a_published_wave(
    page: Page, live_server: Any, steward: Any, assert_accessible: Callable[[Any], None]
) -> None:
    helpers.profile()
    made = helpers.survey(steward)
    wave = helpers.wave(made, "Autumn 2025", status=Wave.Status.PUBLISHED)
    helpers.responses(wave, 120, tenure=False)
    page.goto(f"{live_server.url}/engagement/surveys/")
    page.get_by_test_id("published-surveys").get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Results: Autumn 2025")).to_be_visible()
    expect(page.get_by_test_id("weighting-warning")).to_contain_text(
        "No respondent answered the housing tenure question"
    )
    expect(page.get_by_test_id("ward-table")).to_contain_text("fewer than 10 responses")
    assert_accessible(page)
    page.goto(f"{live_server.url}/engagement/surveys/invited/no-such-link/")
    expect(page.get_by_test_id("link-problem")).to_contain_text("This link is not right")
    assert_accessible(page)
