"""Raising a blockage in a real browser: a group member raises one that needs two departments, is told what is
missing, sees a similar open one, sends theirs and finds it on 'Your blockages'; a resident without an account,
on a phone, raises one and confirms it by the emailed link. Every page passes axe."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from commonweal.accounts.models import User
from commonweal.places.models import Ward
from commonweal.solutions.models import Blockage
from tests.conftest import watch_for_problems as watch
from tests.solutions import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def trees(merton: Any, make_user: Callable[..., User], settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path / "media"
    parks = factories.department("Parks and green spaces")
    highways = factories.department("Highways")
    champion = make_user("champion", email="champion@example.org")
    category = factories.category("Trees and planting", parks, highways, champion=champion)
    category.description = "Planting, pruning and felling on council land."
    category.save()
    return {"category": category, "champion": champion, "ward": Ward.objects.order_by("name").first()}


def test_a_group_member_raises_a_blockage_for_two_departments(
    page: Page,
    live_server: Any,
    trees: dict[str, Any],
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
) -> None:
    someone = make_user("resident")
    similar = factories.blockage(
        category=trees["category"], raised_by=someone, title="Conifers for the communitree refused"
    )
    member = make_user("group_member", email="member@example.org")
    group = member.memberships.get().organisation
    problems = watch(page)
    sign_in(page, member)

    page.goto(f"{live_server.url}/")
    page.get_by_test_id("home-raise-blockage").get_by_role("link", name="Raise a blockage").click()
    expect(page.get_by_role("heading", name="Raise a blockage", level=1)).to_be_visible()
    expect(page.locator("#raise-map")).to_be_visible()  # the map is there with JavaScript
    assert_accessible(page)

    page.get_by_role("group", name="Who are you raising it for?").get_by_label(group.name).check()
    page.get_by_label("What is blocked, in a few words").fill("Three conifers for our communitree")
    page.get_by_role("group", name="What kind of blockage is it?").get_by_label("Trees and planting").check()
    page.get_by_label("Ward").select_option(label=trees["ward"].name)
    page.get_by_label("What have you tried?").fill("We rang the parks team twice.")
    page.get_by_role("button", name="Continue").click()
    # Missing the description: told beside the field, and nothing typed is lost.
    expect(page.get_by_role("link", name="Describe what is blocked.")).to_be_visible()
    expect(page.get_by_label("What have you tried?")).to_have_value("We rang the parks team twice.")
    assert_accessible(page)
    page.get_by_label("Describe what is blocked").fill("We asked to plant three conifers on the green in May.")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Check your answers before sending your blockage")).to_be_visible()
    expect(page.get_by_test_id("check-answers")).to_contain_text(group.name)
    expect(page.get_by_test_id("similar-blockage")).to_contain_text(similar.title)
    expect(page.get_by_test_id("similar-blockage").get_by_role("button", name="Join this one instead")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send").click()

    expect(page.get_by_role("heading", name="Blockage sent")).to_be_visible()
    expect(page.get_by_test_id("sent-departments")).to_contain_text("Highways")
    expect(page.get_by_test_id("sent-departments")).to_contain_text("Parks and green spaces")
    expect(page.get_by_test_id("sent-champion")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="See your blockages").click()

    blockage = Blockage.objects.get(title="Three conifers for our communitree")
    row = page.get_by_test_id("your-blockage")
    expect(row).to_contain_text(blockage.reference)
    expect(row).to_contain_text("Raised")
    expect(row.get_by_role("link", name=blockage.title)).to_have_attribute("href", f"/solutions/cases/{blockage.uuid}/")
    assert_accessible(page)
    assert blockage.organisation == group and blockage.parts.count() == 2
    assert problems == []


def test_a_resident_on_a_phone_raises_and_confirms_by_email(
    browser: Browser,
    live_server: Any,
    trees: dict[str, Any],
    assert_accessible: Callable[[Any], None],
) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/solutions/raise/")
    expect(page.locator("#raise-map")).to_be_visible()
    # Nothing on the phone's screen scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_label("What is blocked, in a few words").fill("Bench in the park")
    page.get_by_label("Describe what is blocked").fill("We want to donate a bench and nobody says yes or no.")
    page.get_by_role("group", name="What kind of blockage is it?").get_by_label("Trees and planting").check()
    # Outside the borough first: refused beside the field.
    page.get_by_label("Latitude (optional)").fill("51.5080")
    page.get_by_label("Longitude (optional)").fill("-0.1281")
    page.get_by_label("Your name").fill("Ada Lovelace")
    page.get_by_label("Your email address").fill("ada@example.org")
    page.get_by_role("button", name="Continue").click()
    expect(
        page.get_by_role("link", name="That point is outside Merton. Choose a place inside the borough.")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Latitude (optional)").fill("51.4214")
    page.get_by_label("Longitude (optional)").fill("-0.2064")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Check your answers before sending your blockage")).to_be_visible()
    expect(page.get_by_test_id("check-answers")).to_contain_text("ada@example.org")
    assert_accessible(page)
    mail.outbox.clear()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert_accessible(page)
    assert Blockage.objects.get().status == Blockage.Status.UNCONFIRMED

    [message] = [m for m in mail.outbox if m.to == ["ada@example.org"]]
    link = next(line for line in message.body.splitlines() if "/solutions/confirm/" in line).strip()
    page.goto(live_server.url + link[link.index("/solutions/") :])
    expect(page.get_by_role("heading", name="Confirm your email to send your blockage")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm and send").click()
    expect(page.get_by_role("heading", name="Blockage sent")).to_be_visible()
    expect(page.get_by_test_id("sent-departments")).to_contain_text("Highways")
    assert_accessible(page)
    blockage = Blockage.objects.get()
    assert blockage.status == Blockage.Status.RAISED and blockage.ward is not None
    context.close()

    # Without JavaScript the map stays hidden and the point is typed; the form still checks it.
    plain = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = plain.new_page()
    page.goto(f"{live_server.url}/solutions/raise/")
    expect(page.locator("#raise-map")).to_be_hidden()
    page.get_by_label("Latitude (optional)").fill("north")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("link", name="Enter the latitude as a number, like 51.4101.")).to_be_visible()
    plain.close()
