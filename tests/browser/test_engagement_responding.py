"""Responding in a real browser: a resident without an account responds on a phone, by keyboard alone (Tab,
Space, arrow keys, typing and Enter; no mouse), is told about a pin outside the borough, and confirms by the
emailed link; a signed-in resident saves a draft, sends it, finds it on 'Your responses' and asks for another
format; without JavaScript the map's typed alternative works. Every page passes axe."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Browser, Locator, Page, expect

from commonweal.accounts.models import User
from commonweal.engagement.models import Consultation, Response
from commonweal.engagement.models_responding import AlternativeFormatRequest
from tests.conftest import watch_for_problems as watch
from tests.engagement import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
INSIDE = ("51.4214", "-0.2064")
OUTSIDE = ("51.5080", "-0.1281")


@pytest.fixture
def consult(merton: Any) -> Consultation:
    made = factories.consultation(contact_email="regeneration@example.gov.uk")
    return made


def tab_to(page: Page, target: Locator, presses: int = 80) -> None:
    """Press Tab until the target has the focus, as someone using a keyboard does."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}")


def fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_resident_responds_on_a_phone_by_keyboard_alone(
    browser: Browser, live_server: Any, consult: Consultation, assert_accessible: Callable[[Any], None]
) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    problems = watch(page)
    page.goto(f"{live_server.url}/engagement/consultations/{consult.slug}/respond/")
    expect(page.get_by_role("heading", name=consult.title, level=1)).to_be_visible()
    fits(page)
    assert_accessible(page)
    tab_to(page, page.get_by_role("button", name="Start now"))
    page.keyboard.press("Enter")

    # 1: choose one (the first option takes the focus; Space chooses it).
    expect(page.get_by_test_id("progress")).to_have_text("Question 1 of 6")
    fits(page)
    assert_accessible(page)
    continue_button = page.get_by_role("button", name="Continue")
    tab_to(page, continue_button)
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Choose an answer.")).to_be_visible()  # required: said so
    assert_accessible(page)
    tab_to(page, page.get_by_label("Yes"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Continue"))
    page.keyboard.press("Enter")

    # 2: choose any (Space ticks a box).
    expect(page.get_by_test_id("progress")).to_have_text("Question 2 of 6")
    assert_accessible(page)
    tab_to(page, page.get_by_label("Cafes"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_label("Library"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Continue"))
    page.keyboard.press("Enter")

    # 3: a scale (arrow keys move along the radios).
    expect(page.get_by_test_id("progress")).to_have_text("Question 3 of 6")
    assert_accessible(page)
    tab_to(page, page.get_by_label("1 – Very unsafe"))
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    expect(page.get_by_label("4", exact=True)).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Continue"))
    page.keyboard.press("Enter")

    # 4: free text, with its character count.
    expect(page.get_by_test_id("progress")).to_have_text("Question 4 of 6")
    assert_accessible(page)
    tab_to(page, page.get_by_role("textbox"))
    page.keyboard.type("A zebra crossing by the library, please.")
    expect(page.get_by_text("You have 9,960 characters remaining")).to_be_visible()
    tab_to(page, page.get_by_role("button", name="Continue"))
    page.keyboard.press("Enter")

    # 5: a ranking, a select for each option; typing picks a place. The same place twice is refused.
    expect(page.get_by_test_id("progress")).to_have_text("Question 5 of 6")
    assert_accessible(page)
    for option, place in (("Trees", "2"), ("Crossing", "2"), ("Seating", "3")):
        tab_to(page, page.get_by_label(option))
        page.keyboard.type(place)
    tab_to(page, page.get_by_role("button", name="Continue"))
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("link", name="Crossing and Trees are both 2nd. Give each option a different place.")
    ).to_be_visible()
    assert_accessible(page)
    tab_to(page, page.get_by_label("Crossing"))
    page.keyboard.type("1")
    tab_to(page, page.get_by_role("button", name="Continue"))
    page.keyboard.press("Enter")

    # 6: a pin, typed (the map's alternative); outside the borough first.
    expect(page.get_by_test_id("progress")).to_have_text("Question 6 of 6")
    expect(page.locator("#pin-map")).to_be_visible()
    fits(page)
    assert_accessible(page)
    tab_to(page, page.get_by_role("textbox", name="Latitude"))
    page.keyboard.type(OUTSIDE[0])
    tab_to(page, page.get_by_role("textbox", name="Longitude"))
    page.keyboard.type(OUTSIDE[1])
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("link", name="That point is outside Merton. Choose a place inside the borough.")
    ).to_be_visible()
    assert_accessible(page)
    tab_to(page, page.get_by_role("textbox", name="Latitude"))
    page.keyboard.press("Control+A")
    page.keyboard.type(INSIDE[0])
    tab_to(page, page.get_by_role("textbox", name="Longitude"))
    page.keyboard.press("Control+A")
    page.keyboard.type(INSIDE[1])
    page.keyboard.press("Enter")

    # About you: an email address is needed without an account.
    expect(page.get_by_role("heading", name="About you")).to_be_visible()
    fits(page)
    assert_accessible(page)
    tab_to(page, page.get_by_label("Your email address"))
    page.keyboard.type("sam@example.org")
    tab_to(page, page.get_by_label("Tell me what was decided"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Continue"))
    page.keyboard.press("Enter")

    # The equality questions: optional, and said why.
    expect(page.get_by_role("heading", name="Equality questions (optional)")).to_be_visible()
    fits(page)
    assert_accessible(page)
    tab_to(page, page.get_by_role("group", name="What is your age? (optional)").get_by_label("Under 16"))
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    expect(page.get_by_label("35 to 49")).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Continue"))
    page.keyboard.press("Enter")

    # Check, change one answer by its Change link, and send.
    expect(page.get_by_role("heading", name="Check your answers before sending your response")).to_be_visible()
    answers = page.get_by_test_id("answers")
    expect(answers).to_contain_text("1st: Crossing; 2nd: Trees; 3rd: Seating")
    expect(answers).to_contain_text("Cafes, Library")
    fits(page)
    assert_accessible(page)
    tab_to(page, page.get_by_role("link", name="Change your answer to What else should we know?"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("textbox"))
    page.keyboard.press("Control+End")
    page.keyboard.type(" And more benches.")
    tab_to(page, page.get_by_role("button", name="Save and go back to your answers"))
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("answers")).to_contain_text("please. And more benches.")
    mail.outbox.clear()
    tab_to(page, page.get_by_role("button", name="Send your response"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert_accessible(page)
    response = Response.objects.get()
    assert response.status == Response.Status.DRAFT

    [message] = [m for m in mail.outbox if m.to == ["sam@example.org"]]
    link = next(line for line in message.body.splitlines() if "/engagement/respond/confirm/" in line).strip()
    page.goto(live_server.url + link[link.index("/engagement/") :])
    expect(page.get_by_role("heading", name="Confirm your response")).to_be_visible()
    fits(page)
    assert_accessible(page)
    tab_to(page, page.get_by_role("button", name="Confirm and send my response"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Response sent")).to_be_visible()
    fits(page)
    assert_accessible(page)
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED and response.hear_back
    assert response.monitoring.age_band == "35_49"
    assert problems == []
    context.close()


def test_a_signed_in_resident_saves_sends_and_asks_for_another_format(
    browser: Browser,
    live_server: Any,
    consult: Consultation,
    make_user: Callable[..., User],
    assert_accessible: Callable[[Any], None],
) -> None:
    from tests.conftest import PASSWORD

    resident = make_user("resident", email="rowan@example.org")
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(resident.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    page.goto(f"{live_server.url}/engagement/consultations/{consult.slug}/respond/1/")
    page.get_by_label("Not sure").check()
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_role("heading", name="Your answers are saved")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="See your responses").click()
    expect(page.get_by_test_id("your-draft")).to_contain_text(consult.title)
    fits(page)
    assert_accessible(page)
    page.get_by_test_id("your-draft").get_by_role("link").click()
    page.get_by_role("button", name="Continue your response").click()
    expect(page.get_by_role("heading", name="Check your answers before sending your response")).to_be_visible()
    page.get_by_role("button", name="Send your response").click()
    expect(page.get_by_role("heading", name="Response sent")).to_be_visible()
    page.get_by_role("link", name="See your responses").click()
    page.get_by_test_id("your-sent-response").get_by_role("link").click()
    expect(page.get_by_test_id("answers")).to_contain_text("Not sure")
    fits(page)
    assert_accessible(page)

    # A second try says when they responded.
    page.goto(f"{live_server.url}/engagement/consultations/{consult.slug}/respond/")
    expect(page.get_by_test_id("respond-problem")).to_contain_text("You have already responded to this consultation on")
    assert_accessible(page)

    page.get_by_role("link", name="Ask for this consultation in another format").click()
    expect(page.get_by_role("heading", name="Ask for another format, or to respond another way")).to_be_visible()
    fits(page)
    assert_accessible(page)
    page.get_by_label("British Sign Language").check()
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", name="Request sent")).to_be_visible()
    assert_accessible(page)
    assert AlternativeFormatRequest.objects.get().need == "bsl"
    context.close()


def test_without_javascript_the_pages_work_and_the_map_is_typed(
    browser: Browser, live_server: Any, consult: Consultation
) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/engagement/consultations/{consult.slug}/respond/1/")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_test_id("progress")).to_have_text("Question 2 of 6")
    page.goto(f"{live_server.url}/engagement/consultations/{consult.slug}/respond/6/")
    expect(page.locator("#pin-map")).to_be_hidden()  # no script: no map, the fields instead
    page.get_by_role("textbox", name="Latitude").fill(INSIDE[0])
    page.get_by_role("textbox", name="Longitude").fill(INSIDE[1])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="About you")).to_be_visible()
    fits(page)
    answer = Response.objects.get().answers.get(question__position=6)
    assert (answer.lat, answer.lon) == (float(INSIDE[0]), float(INSIDE[1]))
    context.close()
