"""The council's side of a blockage in a real browser: a group's blockage needing two departments is routed and
given a champion; an officer finds it in the department's queue (on a phone), acknowledges it, agrees the steps,
starts work and puts it on hold; the group's member answers; the officer resolves it; the champion shares the
learning; the raiser sees every step on the case page. Every page passes axe."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from commonweal.accounts.models import Organisation, User
from commonweal.accounts.services import create_organisation
from commonweal.solutions.models import Blockage
from tests.solutions import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def signed_in_page(browser: Browser, sign_in: Callable[..., None], user: User, **options: Any) -> Page:
    page = browser.new_page(**options)
    sign_in(page, user)
    return page


def take(page: Page, step: str, button: str, note: str = "") -> None:
    form = page.get_by_test_id(f"step-{step}")
    if note:
        form.get_by_role("textbox").fill(note)
    form.get_by_role("button", name=button).click()
    page.wait_for_load_state()


def test_a_groups_blockage_is_routed_worked_resolved_and_its_learning_shared(
    browser: Browser,
    live_server: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
) -> None:
    parks = factories.department("Parks and green spaces")
    highways = factories.department("Highways")
    champion = make_user("champion", email="champion@example.org")
    officer = make_user("officer", organisation=parks, email="parks@example.org")
    group = create_organisation(name="Abbey Tree Wardens", kind=Organisation.Kind.INFORMAL_GROUP)
    member = make_user("group_member", organisation=group, email="member@example.org")
    blockage = factories.blockage(
        category=factories.category("Trees and planting", parks, highways),
        raised_by=member,
        organisation=group,
        title="Three conifers for the communitree",
    )
    assert blockage.champion == champion  # two departments: the champion with fewest cases is named
    case = f"{live_server.url}/solutions/cases/{blockage.uuid}/"

    # The parks officer finds it in the department's queue, on a phone.
    page = signed_in_page(browser, sign_in, officer, viewport=PHONE)
    page.get_by_role("link", name="Blockages").first.click()
    expect(page.get_by_role("heading", name="Your department's blockages", level=1)).to_be_visible()
    row = page.get_by_test_id("queue-row")
    expect(row).to_contain_text("Three conifers for the communitree")
    expect(row).to_contain_text("Parks and green spaces: to do")
    assert_accessible(page)
    row.get_by_role("link").click()
    expect(page.get_by_test_id("champion")).to_contain_text(champion.full_name)
    assert_accessible(page)

    take(page, "acknowledge", "Acknowledge", "Thank you: we are looking at it.")
    expect(page.get_by_test_id("case-status")).to_have_text("Acknowledged")
    # Agreeing the steps without them is refused beside the field, and nothing is lost.
    take(page, "agree_steps", "Agree the steps")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say what happens next")
    assert_accessible(page)
    take(page, "agree_steps", "Agree the steps", "Parks plants three conifers by the library in March.")
    take(page, "start", "Start work")
    take(page, "wait", "Put on hold for the person who raised it", "Which species would you like?")
    expect(page.get_by_test_id("case-status")).to_have_text("Waiting for the person who raised it")

    # The group's member answers on their own view of the case.
    raiser = signed_in_page(browser, sign_in, member)
    raiser.goto(case)
    expect(raiser.get_by_test_id("history")).to_contain_text("Which species would you like?")
    expect(raiser.get_by_test_id("history")).not_to_contain_text(officer.full_name)
    assert_accessible(raiser)
    take(raiser, "reply", "Send your reply", "Scots pine, please.")
    expect(raiser.get_by_test_id("case-status")).to_have_text("In progress")

    # The officer resolves it, with how.
    page.goto(case)
    take(page, "resolve", "Resolve", "Three Scots pines planted on 3 March.")
    expect(page.get_by_test_id("case-status")).to_have_text("Resolved")

    # The champion shares the learning.
    lead = signed_in_page(browser, sign_in, champion)
    lead.goto(case)
    lead.get_by_role("link", name="Share the learning and close the case").click()
    assert_accessible(lead)
    lead.get_by_label("A process").check()
    lead.get_by_label("What changed, in detail").fill("Tree requests now go to one named officer in Parks.")
    lead.get_by_label("What if it had been done differently?").fill("The trees would have been planted a year ago.")
    lead.get_by_role("button", name="Share the learning and close the case").click()
    expect(lead.get_by_test_id("case-status")).to_have_text("Learning shared")
    expect(lead.get_by_test_id("change")).to_contain_text("one named officer")

    # The raiser sees every step, on a phone too.
    raiser.set_viewport_size(PHONE)
    raiser.goto(case)
    history = raiser.get_by_test_id("history")
    for words in ["Acknowledged", "Given agreed steps", "Started", "Put on hold", "Answered", "Resolved", "learning"]:
        expect(history).to_contain_text(words)
    assert_accessible(raiser)
    assert Blockage.objects.get(pk=blockage.pk).status == Blockage.Status.LEARNING_SHARED
