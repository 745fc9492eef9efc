"""A person downloads their data and erases their account; an admin sets retention periods; the privacy notice
shows them. Every page passes axe."""

from __future__ import annotations

import importlib
import json
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from commonweal.accounts.models import User
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def default_periods(db: None) -> None:
    """The data migration's periods: a live-server test's database is emptied between tests, so put them back."""
    from django.apps import apps

    defaults = importlib.import_module("commonweal.core.migrations.0003_privacy_default_retention_periods")
    defaults.add_defaults(apps, None)


def test_a_person_downloads_their_data_then_erases_their_account(
    page: Page, live_server: Any, make_user: Any, merton: Any, sign_in: Any, assert_accessible: Any
) -> None:
    user = make_user("resident", email="hetty.browser@example.org")
    sign_in(page, user)
    page.get_by_role("link", name="Your account").first.click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download your data").click()
    data = json.loads(open(download_info.value.path()).read())
    assert data["account"]["email"] == "hetty.browser@example.org"

    page.get_by_role("link", name="Erase your account and details").click()
    expect(page.get_by_role("heading", name="Erase your account and details")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Erase my account").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Tick the box to confirm")
    assert_accessible(page)
    page.get_by_label("I understand my account will be closed").check()
    page.get_by_role("button", name="Erase my account").click()
    # They enter their password again before anything is erased.
    expect(page.get_by_label("Password")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Your account is closed and your details have been erased.")).to_be_visible()
    user.refresh_from_db()
    assert user.email.endswith("@erased.invalid") and not user.is_active


def test_an_admin_changes_a_retention_period_and_the_privacy_notice_shows_it(
    page: Page,
    live_server: Any,
    make_user: Any,
    merton: Any,
    mfa_exempt: None,
    default_periods: None,
    sign_in: Any,
    assert_accessible: Any,
) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Privacy").click()
    expect(page.get_by_role("heading", name="Privacy notice")).to_be_visible()
    expect(page.get_by_test_id("retention")).to_contain_text("6 months")
    assert_accessible(page)

    admin: User = make_user("admin")
    sign_in(page, admin)
    page.goto(f"{live_server.url}/retention/")
    assert_accessible(page)
    page.get_by_role("link", name="Change the audit log of changes to records").click()
    page.get_by_label("How many months to keep it").fill("12")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("at least 72 months")
    assert_accessible(page)

    page.goto(f"{live_server.url}/retention/")
    page.get_by_role("link", name="Change email addresses left on reports").click()
    page.get_by_label("How many months to keep it").fill("3")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("periods")).to_contain_text("3 months")
    page.get_by_role("link", name="See the privacy notice").click()
    expect(page.get_by_test_id("retention")).to_contain_text("3 months")


def test_a_supplier_agrees_to_be_named_then_withdraws_it(
    page: Page,
    live_server: Any,
    merton: Any,
    make_user: Any,
    sign_in: Any,
    assert_accessible: Any,
) -> None:
    from commonweal.accounts.models import Organisation
    from commonweal.accounts.services import create_organisation
    from tests.funding.sources.factories import BusinessFactory, NeedFactory

    group = create_organisation(name="Pollards Hill Homework Club", kind=Organisation.Kind.INFORMAL_GROUP)
    member = make_user("group_member", organisation=group)
    need = NeedFactory(organisation=group, created_by=member, title="Volunteers to paint the hall")
    builder = make_user("group_member", organisation=BusinessFactory(name="Acme Construction Ltd"))
    sign_in(page, builder)
    page.goto(f"{live_server.url}/funding/needs/{need.pk}/pledge/")
    page.get_by_label("How much do you pledge?").fill("40")
    page.get_by_label("Name my business as the giver of this pledge").check()
    assert_accessible(page)
    page.get_by_role("button", name="Make the pledge").click()
    expect(page.get_by_test_id("consent")).to_contain_text("agreed to this")
    assert_accessible(page)
    page.get_by_role("button", name="Stop naming my business").click()
    expect(page.get_by_test_id("consent")).to_contain_text("without your business's name")
    assert_accessible(page)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/funding/needs/{need.pk}/")
    expect(page.get_by_test_id("pledges")).to_contain_text("A local business")
    expect(page.get_by_test_id("pledges")).not_to_contain_text("Acme Construction Ltd")
