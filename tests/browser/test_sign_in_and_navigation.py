"""Each role signs in through the real form and sees its own navigation; every page passes axe."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from commonweal.accounts.models import Organisation
from commonweal.accounts.services import create_organisation
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every signed-in person has the same short navigation (their role's own pages are on their home); what differs
# by role is the home's sections: (headings shown, headings not shown).
EVERYONE_SIGNED_IN = {"Home", "Find help", "Funding", "Wards and places", "Our framework"}
# The council's side of the Solutions Framework: the department queue, for those who act on blockages.
BLOCKAGES = {"officer", "champion", "steward"}
EXPECTED_HOME = {
    "resident": ({"Your things"}, {"Keep the directory true", "Run funding", "Run the platform"}),
    "group_member": ({"Your things"}, {"Keep the directory true", "Progress against the framework"}),
    "officer": ({"Keep the directory true", "Run funding", "Your things"}, {"Run the platform"}),
    "champion": ({"Your work as a champion", "Your things"}, {"Keep the directory true", "Run the platform"}),
    "steward": ({"Progress against the framework"}, {"Run the platform", "Run funding"}),
    "admin": ({"Run the platform"}, {"Progress against the framework", "Run funding"}),
}


def navigation_labels(page: Page) -> set[str]:
    return {text.strip() for text in page.locator(".govuk-service-navigation__list a").all_inner_texts()}


@pytest.mark.parametrize("role", list(EXPECTED_HOME))
def test_each_role_signs_in_and_lands_on_its_own_home(
    role: str,
    page: Page,
    live_server: Any,
    make_user: Any,
    merton: Any,
    mfa_exempt: None,
    sign_in: Any,
    assert_accessible: Any,
) -> None:
    user = make_user(role)
    sign_in(page, user)
    expect(page).to_have_url(f"{live_server.url}/home/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your home")
    assert navigation_labels(page) == EVERYONE_SIGNED_IN | ({"Blockages"} if role in BLOCKAGES else set())
    shown, hidden = EXPECTED_HOME[role]
    headings = {text.strip() for text in page.locator("main h2").all_inner_texts()}
    assert shown <= headings, headings
    assert not (hidden & headings), headings
    expect(page.locator(".govuk-generic-header")).to_contain_text("London Borough of Merton")
    expect(page.locator("header").get_by_role("link", name="Your account")).to_be_visible()
    assert_accessible(page)


def test_signed_out_visitor_sees_sign_in_and_the_public_pages(
    page: Page, live_server: Any, merton: Any, assert_accessible: Any
) -> None:
    for path in (
        "/",
        "/accessibility/",
        "/data-sources/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/no-such-page/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert "Sign in" in navigation_labels(page)
        assert_accessible(page)


def test_wrong_password_shows_an_error_summary_that_passes_axe(
    page: Page, live_server: Any, make_user: Any, merton: Any, assert_accessible: Any
) -> None:
    user = make_user("resident")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign In").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("not correct")
    expect(page.get_by_label("Email")).to_have_value(user.email)
    assert_accessible(page)


def test_officer_is_walked_through_adding_an_authenticator_app(
    page: Page, live_server: Any, make_user: Any, merton: Any, sign_in: Any, assert_accessible: Any
) -> None:
    officer = make_user("officer")
    sign_in(page, officer)
    expect(page.get_by_role("region", name="Important")).to_contain_text("Your role needs two-factor sign-in")
    assert_accessible(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button").filter(has_text="Confirm").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/2fa/totp/activate/")
    expect(page.get_by_label("Authenticator code")).to_be_visible()
    assert_accessible(page)


def test_group_member_edits_their_group_and_is_refused_anothers(
    page: Page, live_server: Any, make_user: Any, merton: Any, sign_in: Any, assert_accessible: Any
) -> None:
    member = make_user("group_member")
    group = Organisation.objects.get(memberships__user=member)
    other = create_organisation(name="Another Group", kind=Organisation.Kind.INFORMAL_GROUP)
    sign_in(page, member)
    page.get_by_role("link", name=group.name).click()
    assert_accessible(page)
    page.get_by_role("link", name="Change these details").click()
    page.get_by_label("Contact email").fill("not an email")
    page.get_by_role("button", name="Send changes for approval").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter an email address in the correct format")
    assert_accessible(page)
    page.get_by_label("Contact email").fill("hello@example.org")
    page.get_by_role("button", name="Send changes for approval").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("have been sent to an officer")
    page.goto(f"{live_server.url}/account/organisations/{other.slug}/edit/")
    expect(page.get_by_test_id("denied-reason")).to_contain_text("You are not a member of Another Group.")
    assert_accessible(page)


def test_admin_reads_the_audit_log(
    page: Page,
    live_server: Any,
    make_user: Any,
    merton: Any,
    mfa_exempt: None,
    sign_in: Any,
    assert_accessible: Any,
) -> None:
    admin = make_user("admin")
    sign_in(page, admin)
    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_test_id("audit-table")).to_be_visible()
    assert_accessible(page)
