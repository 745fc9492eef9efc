"""The Solutions Framework's rules in a real browser: a steward changes where a kind of blockage goes and how long
acknowledging may take, mistakes coming back beside their fields; and a breach escalated on time, with time moved
by running the daily task as of a later day (never waited for). Every page passes axe, on a phone too, and works
without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from commonweal.accounts.models import User
from commonweal.solutions.models import Blockage, Category, Escalation, ServiceStandard
from tests.solutions import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def routing(make_user: Callable[..., User]) -> dict[str, Any]:
    parks = factories.department("Parks and Green Spaces")
    highways = factories.department("Highways")
    champion = make_user("champion", email="champion@example.org")
    category = factories.category("Trees and planting", parks)
    return {"parks": parks, "highways": highways, "champion": champion, "category": category}


def test_a_steward_changes_a_routing_rule_and_a_service_standard(
    page: Page,
    live_server: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
    routing: dict[str, Any],
) -> None:
    steward = make_user("steward", email="steward@example.org")
    sign_in(page, steward)
    page.goto(f"{live_server.url}/solutions/rules/")
    expect(page.get_by_role("heading", name="Solutions Framework rules")).to_be_visible()
    expect(page.get_by_test_id("nation")).to_contain_text("England")
    assert_accessible(page)

    # Trees need Highways too, and a champion: a mistake first (no department at all), then the rule.
    page.get_by_role("link", name="Change Trees and planting").click()
    assert_accessible(page)
    page.get_by_label("Parks and Green Spaces").uncheck()
    page.get_by_label("Name").fill("Trees, hedges and planting")
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_role("link", name="Choose at least one department that blockages of this kind go to.")
    ).to_be_visible()
    expect(page.get_by_label("Name")).to_have_value("Trees, hedges and planting")
    assert_accessible(page)
    page.get_by_label("Parks and Green Spaces").check()
    page.get_by_label("Highways").check()
    page.get_by_label("Champion (optional)").select_option(label=routing["champion"].full_name)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("New blockages of this kind go to Highways and Parks and Green Spaces.")).to_be_visible()
    row = page.get_by_test_id("categories").get_by_role("row", name="Trees, hedges and planting")
    expect(row).to_contain_text("Highways")
    expect(row).to_contain_text(routing["champion"].full_name)
    category = Category.objects.get(pk=routing["category"].pk)
    assert set(category.departments.all()) == {routing["parks"], routing["highways"]}

    # Acknowledge within 3 working days, after a number the form cannot take.
    page.get_by_role("link", name="Change the service standards").click()
    page.get_by_label("Acknowledge").fill("600")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name="‘Acknowledge’ must be 500 or fewer.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Acknowledge").fill("3")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("standards")).to_contain_text("3 working days")
    assert ServiceStandard.objects.get(stage="acknowledge").working_days == 3

    # Both changes are in the changes list, with who made them.
    page.get_by_role("link", name="See every change to these rules").click()
    expect(page.get_by_test_id("changes")).to_contain_text("Trees, hedges and planting")
    expect(page.get_by_test_id("changes")).to_contain_text(steward.full_name)
    assert_accessible(page)

    # On a phone the rules still read and pass axe.
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/solutions/rules/")
    expect(page.get_by_role("heading", name="Solutions Framework rules")).to_be_visible()
    assert_accessible(page)


def test_the_rules_work_without_javascript(
    browser: Browser,
    live_server: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    mfa_exempt: None,
    routing: dict[str, Any],
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, make_user("steward", email="steward@example.org"))
    page.goto(f"{live_server.url}/solutions/rules/")
    page.get_by_role("link", name="Add a category").click()
    page.get_by_label("Name").fill("Street parties")
    page.get_by_label("Highways").check()
    page.get_by_role("button", name="Add the category").click()
    expect(page.get_by_text("‘Street parties’ added. New blockages of this kind go to Highways.")).to_be_visible()
    context.close()


def test_a_breach_is_escalated_on_time(
    page: Page,
    live_server: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
    mfa_exempt: None,
    routing: dict[str, Any],
) -> None:
    category = routing["category"]
    category.departments.add(routing["highways"])
    Category.objects.filter(pk=category.pk).update(champion=routing["champion"])
    # Raised on Thursday 18 March 2027: acknowledging is due on Thursday 25th; Good Friday and Easter Monday are
    # bank holidays, so it is first late on Tuesday 30 March.
    blockage = factories.blockage(
        category=Category.objects.get(pk=category.pk), now=datetime(2027, 3, 18, 10, tzinfo=ZoneInfo("Europe/London"))
    )
    mail.outbox.clear()
    call_command("escalate_late_blockages", "--today", "2027-03-29")
    assert not Escalation.objects.exists()
    call_command("escalate_late_blockages", "--today", "2027-03-30")
    escalation = Escalation.objects.get(blockage=blockage)
    assert escalation.level == Escalation.Level.CHAMPION
    assert Blockage.objects.get(pk=blockage.pk).breached_on.isoformat() == "2027-03-30"  # type: ignore[union-attr]
    champion_mail = [m for m in mail.outbox if m.to == [routing["champion"].email]]
    assert len(champion_mail) == 1
    assert blockage.reference in champion_mail[0].body
    assert "was due on 25 March 2027" in champion_mail[0].body
    # Running it again that day tells nobody anything twice.
    call_command("escalate_late_blockages", "--today", "2027-03-30")
    assert Escalation.objects.count() == 1
    assert len([m for m in mail.outbox if m.to == [routing["champion"].email]]) == 1

    # The stewards see it on the rules page.
    sign_in(page, make_user("steward", email="steward@example.org"))
    page.goto(f"{live_server.url}/solutions/rules/")
    expect(page.get_by_test_id("late-now")).to_have_text("1 open blockage is late against its service standard.")
    assert_accessible(page)
