"""Forums and events in a real browser: a resident on a phone finds an event by ward, reads the access details,
downloads the .ics and signs up; a councillor sees their wards and is invited; an officer drafts, publishes and
writes up an event; a steward appoints a councillor. Every page passes axe."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import icalendar
import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from commonweal.accounts.models import User
from commonweal.engagement.models import Event
from commonweal.engagement.models_forums import Signup
from commonweal.places.models import Ward
from tests.conftest import watch_for_problems as watch
from tests.engagement import factories as consultations
from tests.engagement.forums import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def _officers_without_an_authenticator(mfa_exempt: None) -> None:
    """Officers and stewards here sign in without setting up two-factor (tests/accounts covers that)."""


def test_a_resident_on_a_phone_finds_an_event_by_ward_downloads_it_and_signs_up(
    page: Page, live_server: Any, merton: Any, assert_accessible: Callable[[Any], None]
) -> None:
    abbey, hillside = Ward.objects.get(name="Abbey"), Ward.objects.get(name="Hillside")
    event = factories.event(
        "Abbey resident forum",
        ward=abbey,
        capacity=30,
        step_free=True,
        hearing_loop=True,
        accessibility="The nearest step-free station is Wimbledon.",
    )
    factories.event("Hillside drop-in", ward=hillside, kind=Event.Kind.DROP_IN)
    problems = watch(page)
    page.set_viewport_size(PHONE)

    page.goto(f"{live_server.url}/engagement/events/")
    expect(page.get_by_role("heading", name="Events", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Ward").select_option(label="Abbey")
    page.get_by_role("button", name="Apply filters").click()
    cards = page.get_by_test_id("event-card")
    expect(cards).to_have_count(1)
    expect(cards).to_contain_text("Abbey resident forum")
    expect(cards).to_contain_text("30 places left")
    assert_accessible(page)

    cards.get_by_role("link", name="Abbey resident forum").click()
    expect(page.get_by_role("heading", name="Abbey resident forum", level=1)).to_be_visible()
    access = page.get_by_test_id("event-access")
    expect(access).to_contain_text("Step-free access")
    expect(access).to_contain_text("Hearing loop")
    expect(page.get_by_test_id("event-access-more")).to_have_text("The nearest step-free station is Wimbledon.")
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the calendar file (.ics)").click()
    calendar = icalendar.Calendar.from_ical(open(download.value.path(), "rb").read())  # noqa: SIM115
    assert calendar.walk("VEVENT")[0].decoded("DTSTART") == event.starts_at
    assert download.value.suggested_filename == "event.ics"

    page.get_by_role("button", name="Sign up to Abbey resident forum").click()
    expect(page.get_by_role("heading", name="Sign up", level=1)).to_be_visible()
    page.get_by_label("Your name").fill("Ada Lovelace")
    page.get_by_label("Access needs (optional)").fill("A British Sign Language interpreter, please.")
    page.get_by_role("button", name="Sign up").click()
    # No email: told beside the field, and nothing typed is lost.
    expect(page.get_by_role("link", name="Enter your email address, so we can send you the details.")).to_be_visible()
    expect(page.get_by_label("Your name")).to_have_value("Ada Lovelace")
    assert_accessible(page)
    page.get_by_label("Your email address").fill("ada@example.org")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_test_id("signed-up")).to_contain_text("You are signed up")
    assert_accessible(page)
    signup = Signup.objects.get()
    assert signup.access_needs == "A British Sign Language interpreter, please."
    assert mail.outbox[-1].to == ["ada@example.org"] and mail.outbox[-1].attachments

    # The link in the email gives the place up.
    link = next(word for word in mail.outbox[-1].body.split() if "/give-up-place/" in word)
    page.goto(link.replace("http://testserver", live_server.url).replace("http://127.0.0.1:8000", live_server.url))
    expect(page.get_by_role("heading", name="Give up your place")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Give up my place").click()
    expect(page.get_by_test_id("place-given-up")).to_be_visible()
    assert_accessible(page)
    assert problems == []


def test_a_councillor_sees_their_wards_and_the_events_they_are_invited_to(
    page: Page,
    live_server: Any,
    merton: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
) -> None:
    from commonweal.engagement.forums import services

    abbey = Ward.objects.get(name="Abbey")
    councillor = factories.councillor(make_user, abbey, email="cllr@example.org")
    officer = make_user("officer")
    plan = consultations.consultation("Abbey high street plan", slug="abbey-high-street")
    plan.wards.set([abbey])
    consultations.response(plan)
    event = factories.event(
        "Abbey forum", ward=abbey, status=Event.Status.DRAFT, department_=officer.memberships.get().organisation
    )
    services.publish_event(event=event, by=officer)
    sign_in(page, councillor.user)

    section = page.get_by_test_id("your-wards")
    expect(section.get_by_role("heading", name="Your wards")).to_be_visible()
    assert_accessible(page)
    section.get_by_role("link", name="Events coming up in your wards").click()
    expect(page.get_by_role("heading", name="Your wards", level=1)).to_be_visible()
    row = page.get_by_test_id("ward-consultation")
    expect(row).to_contain_text("Abbey high street plan")
    expect(row).to_contain_text("1")
    expect(page.get_by_test_id("event-card")).to_contain_text("Abbey forum")
    assert_accessible(page)
    page.get_by_test_id("event-card").get_by_role("link", name="Abbey forum").click()
    expect(page.get_by_test_id("invited")).to_contain_text("You are invited")
    assert_accessible(page)


def test_an_officer_drafts_publishes_cancels_and_writes_up_events(
    page: Page,
    live_server: Any,
    merton: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
) -> None:
    officer = make_user("officer")
    department = officer.memberships.get().organisation
    past = factories.event("Last month's forum", department_=department, starts_at=timezone.now() - timedelta(days=30))
    factories.signup(past, access_needs="Large print")
    sign_in(page, officer)

    page.goto(f"{live_server.url}/engagement/manage/events/")
    expect(page.get_by_role("heading", name="Your events")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="New event").click()
    day = timezone.localdate() + timedelta(days=10)
    page.get_by_label("Kind of event").select_option(label="Focus group")
    page.get_by_label("Title").fill("Parks focus group")
    page.get_by_label("What it is about").fill("What you want from the parks.")
    starts = page.get_by_role("group", name="Starts")
    starts.get_by_label("Day").fill(str(day.day))
    starts.get_by_label("Month").fill(str(day.month))
    starts.get_by_label("Year").fill(str(day.year))
    starts.get_by_label("Time").fill("18:30")
    ends = page.get_by_role("group", name="Ends")
    ends.get_by_label("Day").fill(str(day.day))
    ends.get_by_label("Month").fill(str(day.month))
    ends.get_by_label("Year").fill(str(day.year))
    ends.get_by_label("Time").fill("5pm")
    page.get_by_label("Ward (optional)").select_option(label="Abbey")
    page.get_by_label("Venue").fill("Morden Library")
    page.get_by_label("Step-free access").check()
    page.get_by_label("Places (optional)").fill("12")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name="The event must end after it starts.")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Parks focus group")
    assert_accessible(page)
    page.get_by_role("group", name="Ends").get_by_label("Time").fill("8pm")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Parks focus group", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Publish the event").click()
    expect(page.get_by_test_id("manage-status")).to_contain_text("Published")

    page.get_by_role("link", name="Change the event").click()
    expect(page.get_by_label("Title")).to_have_value("Parks focus group")
    assert_accessible(page)
    page.get_by_role("link", name="Cancel").click()

    page.get_by_role("link", name="Cancel the event").click()
    page.get_by_role("button", name="Cancel the event").click()
    expect(page.get_by_role("link", name="Say why the event is cancelled. Everyone signed up is told.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Why is it cancelled?").fill("The library is closed for repairs.")
    page.get_by_role("button", name="Cancel the event").click()
    expect(page.get_by_test_id("cancel-reason")).to_contain_text("The library is closed for repairs.")

    page.goto(f"{live_server.url}/engagement/manage/events/{past.uuid}/")
    expect(page.get_by_test_id("signups")).to_contain_text("Large print")
    assert_accessible(page)
    page.get_by_role("link", name="Write and publish the notes").click()
    page.get_by_label("Notes of the event").fill("We heard about the crossing.")
    assert_accessible(page)
    page.get_by_role("button", name="Publish the notes").click()
    page.get_by_role("link", name="See its public page").click()
    expect(page.get_by_test_id("event-notes")).to_contain_text("We heard about the crossing.")


def test_a_steward_appoints_a_councillor_changes_their_wards_and_removes_them(
    page: Page,
    live_server: Any,
    merton: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
) -> None:
    make_user("resident", email="new.cllr@example.org")
    sign_in(page, make_user("steward"))
    page.goto(f"{live_server.url}/engagement/manage/councillors/")
    expect(page.get_by_role("heading", name="Ward councillors", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Email address of their account").fill("new.cllr@example.org")
    page.get_by_role("button", name="Appoint").click()
    expect(page.get_by_role("link", name="Choose at least one ward they represent.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Abbey").check()
    page.get_by_label("Party (optional)").fill("Independent")
    page.get_by_role("button", name="Appoint").click()
    row = page.get_by_test_id("councillor-row")
    expect(row).to_contain_text("Abbey")
    row.get_by_role("link", name="Change wards").click()
    page.get_by_label("Hillside").check()
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("councillor-row")).to_contain_text("Hillside")
    page.get_by_test_id("councillor-row").get_by_role("link", name="Remove").click()
    assert_accessible(page)
    page.get_by_role("button", name="Remove").click()
    expect(page.get_by_test_id("no-councillors")).to_be_visible()


def test_signing_up_works_without_javascript(browser: Any, live_server: Any, merton: Any) -> None:
    """The same pages as above (axe checks them there; axe itself needs JavaScript), with JavaScript off."""
    event = factories.event("Drop-in at the library", capacity=1)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/engagement/events/{event.uuid}/")
    page.get_by_role("button", name="Sign up to Drop-in at the library").click()
    page.get_by_label("Your name").fill("Grace")
    page.get_by_label("Your email address").fill("grace@example.org")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_test_id("signed-up")).to_be_visible()
    page.goto(f"{live_server.url}/engagement/events/{event.uuid}/")
    expect(page.get_by_test_id("event-full")).to_have_text("This event is full.")
    context.close()
