"""Analysing a consultation in a real browser: an officer reads the results (charts beside tables), filters them
by ward, and tags free-text answers with themes, by hand and by a suggested phrase. Every page passes axe, and the
results read on a 390px phone with JavaScript off."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from commonweal.places.models import Ward
from tests.conftest import watch_for_problems
from tests.engagement import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PHONE = {"width": 390, "height": 844}
SAID = [
    "We need a safer crossing by the library",
    "More trees on the high street",
    "A crossing near the school please",
]


@pytest.fixture
def consultation(merton: Any) -> Any:
    made = factories.consultation()
    first, second = Ward.objects.order_by("code")[:2]
    for n in range(27):
        ward = first if n < 15 else second
        factories.response(
            made,
            ward=ward,
            answers={1: {"choices": [n % 2]}, 3: {"scale": 1 + n % 5}, 4: {"text": SAID[n % 3]}},
        )
    return made


def test_an_officer_reads_the_results_filters_by_ward_and_tags_answers_with_themes(
    page: Page,
    live_server: Any,
    consultation: Any,
    make_user: Any,
    sign_in: Any,
    mfa_exempt: None,
    assert_accessible: Callable[[Any], None],
) -> None:
    problems = watch_for_problems(page)
    first = Ward.objects.order_by("code").first()
    sign_in(page, make_user("officer", organisation=consultation.department))
    page.goto(f"{live_server.url}/engagement/manage/consultations/{consultation.slug}/results/")
    expect(page.get_by_role("heading", name="Results", exact=True)).to_be_visible()
    expect(page.get_by_test_id("results-size")).to_contain_text("27 responses")
    expect(page.locator("svg#chart-question-1[role=img]")).to_be_visible()
    expect(page.get_by_test_id("question-result").first).to_contain_text("27 people answered.")
    assert_accessible(page)

    page.get_by_label("Ward").select_option(str(first.pk))
    page.get_by_role("button", name="Show results").click()
    expect(page.get_by_test_id("results-size")).to_contain_text(f"{first.name}: 15 responses")
    expect(page.get_by_test_id("question-result").first).to_contain_text("15 people answered.")
    expect(page.get_by_test_id("question-result").first).to_contain_text("fewer than 10")
    assert_accessible(page)

    page.get_by_role("link", name="Clear filters").click()
    page.get_by_test_id("tagging-link").click()
    expect(page.get_by_role("heading", name="Tag the answers with themes")).to_be_visible()
    page.get_by_label("Theme", exact=True).fill("Road safety")
    page.get_by_role("button", name="Add the theme").click()
    expect(page.get_by_test_id("themes")).to_contain_text("Road safety: 0 answers")
    page.get_by_label("Theme", exact=True).fill("Greenery")
    page.get_by_role("button", name="Add the theme").click()
    assert_accessible(page)

    page.get_by_test_id("suggestions").get_by_role("link", name="crossing", exact=True).click()
    expect(page.get_by_test_id("phrase-filter")).to_contain_text("18 answers hold ‘crossing’.")
    page.get_by_test_id("bulk-form").get_by_label("Theme").select_option(label="Road safety")
    page.get_by_role("button", name="Tag all 18 answers shown with this theme").click()
    expect(page.get_by_test_id("themes")).to_contain_text("Road safety: 18 answers")

    page.get_by_role("link", name="Show every answer").click()
    trees = page.get_by_test_id("answer").filter(has_text="More trees on the high street").first
    trees.get_by_label("Greenery").check()
    page.get_by_role("button", name="Save the themes on this page").click()
    expect(page.get_by_test_id("themes")).to_contain_text("Greenery: 1 answer")
    assert_accessible(page)

    page.get_by_role("link", name="Back to the results").click()
    themes = page.get_by_test_id("theme-table")
    expect(themes).to_contain_text("Road safety")
    expect(themes).to_contain_text("18")
    page.set_viewport_size(PHONE)
    expect(page.locator("svg#chart-question-1")).to_be_visible()
    assert page.locator("svg#chart-question-1").bounding_box()["width"] <= PHONE["width"]
    assert_accessible(page)
    assert problems == []


def test_the_results_read_on_a_phone_without_javascript(
    browser: Browser,
    live_server: Any,
    consultation: Any,
    make_user: Any,
    sign_in: Any,
    mfa_exempt: None,
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    sign_in(page, make_user("steward"))
    page.goto(f"{live_server.url}/engagement/manage/consultations/{consultation.slug}/results/")
    expect(page.get_by_test_id("results-size")).to_contain_text("27 responses")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    first = Ward.objects.order_by("code").first()
    page.get_by_label("Ward").select_option(str(first.pk))
    page.get_by_role("button", name="Show results").click()
    expect(page.get_by_test_id("results-size")).to_contain_text("15 responses")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()
