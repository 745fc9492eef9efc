"""Every sign-in page a person can reach under /accounts/ is a page of the site's own, in GOV.UK's words and
components: one h1, the error summary and the message beside the field, and axe finds nothing. The journeys:
signing up with a mistake, resetting a forgotten password from the emailed link, changing a password, the email
page, confirming an email address, signing in again before a sensitive change, and the authenticator pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from playwright.sync_api import Page, expect

from commonweal.accounts.models import User
from tests.conftest import PASSWORD
from tests.totp import current_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def looks_like_govuk(page: Page, heading: str) -> None:
    """The site's own header and footer around one GOV.UK heading."""
    expect(page.locator("header.govuk-template__header")).to_have_count(1)
    expect(page.locator("footer.govuk-footer")).to_have_count(1)
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_have_class(re.compile(r"govuk-(heading|panel__title)"))
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def test_signing_up_with_mistakes_then_signing_out(
    page: Page, live_server: Any, assert_accessible: Callable[[Any], None]
) -> None:
    page.goto(f"{live_server.url}/accounts/signup/")
    looks_like_govuk(page, "Create an account")
    assert_accessible(page)
    page.get_by_label("Email").fill("not an email")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Password (again)").fill("different")
    page.get_by_role("button", name=re.compile("Sign up|Create", re.I)).click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(page.locator(".govuk-error-message").first).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Email").fill("newcomer@example.org")
    page.get_by_label("Password", exact=True).fill("a long and unusual passphrase 42")
    page.get_by_label("Password (again)").fill("a long and unusual passphrase 42")
    page.get_by_role("button", name=re.compile("Sign up|Create", re.I)).click()
    page.wait_for_load_state()
    assert_accessible(page)

    page.goto(f"{live_server.url}/accounts/logout/")
    looks_like_govuk(page, "Sign out")
    assert_accessible(page)


def test_a_forgotten_password_is_reset_from_the_emailed_link(
    page: Page, live_server: Any, make_user: Callable[..., User], assert_accessible: Callable[[Any], None]
) -> None:
    user = make_user("resident", email="resident@example.org")
    page.goto(f"{live_server.url}/accounts/login/")
    looks_like_govuk(page, "Sign in")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Forgot", re.I)).click()
    looks_like_govuk(page, "Reset your password")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Reset", re.I)).click()  # nothing typed
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Email").fill(user.email)
    page.get_by_role("button", name=re.compile("Reset", re.I)).click()
    looks_like_govuk(page, "Check your email")
    assert_accessible(page)

    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", mail.outbox[-1].body)
    assert link is not None
    page.goto(live_server.url + link.group(0).split("/accounts/", 1)[1].join(["/accounts/", ""]))
    page.wait_for_load_state()
    looks_like_govuk(page, "Change your password")
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill("another long passphrase 77")
    page.get_by_label("New password (again)").fill("not the same")
    page.get_by_role("button", name=re.compile("Change", re.I)).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill("another long passphrase 77")
    page.get_by_label("New password (again)").fill("another long passphrase 77")
    page.get_by_role("button", name=re.compile("Change", re.I)).click()
    looks_like_govuk(page, "Your password is changed")
    assert_accessible(page)


def test_a_signed_in_person_changes_their_password_and_manages_their_email(
    page: Page,
    live_server: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
) -> None:
    user = make_user("resident", email="resident@example.org")
    sign_in(page, user)
    page.goto(f"{live_server.url}/accounts/password/change/")
    looks_like_govuk(page, "Change your password")
    assert_accessible(page)
    page.get_by_label("Current password").fill("wrong")
    page.get_by_role("button", name=re.compile("Change", re.I)).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("a third long passphrase 99")
    page.get_by_label("New password (again)").fill("a third long passphrase 99")
    page.get_by_role("button", name=re.compile("Change", re.I)).click()
    page.wait_for_load_state()
    assert_accessible(page)

    page.goto(f"{live_server.url}/accounts/email/")
    looks_like_govuk(page, "Email addresses")
    assert_accessible(page)

    page.goto(f"{live_server.url}/accounts/confirm-email/")
    page.wait_for_load_state()
    assert_accessible(page)

    page.goto(f"{live_server.url}/accounts/reauthenticate/")
    looks_like_govuk(page, "Confirm it's you")
    assert_accessible(page)

    # Links that no longer work say so, and what to do.
    page.goto(f"{live_server.url}/accounts/confirm-email/not-a-key/")
    looks_like_govuk(page, "Confirm your email address")
    expect(page.get_by_role("link", name="Ask for a new link")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/accounts/password/reset/key/1-not-a-key/")
    looks_like_govuk(page, "This link has expired")
    assert_accessible(page)


def test_an_officer_confirms_it_is_them_and_sets_up_an_authenticator_app(
    page: Page,
    live_server: Any,
    make_user: Callable[..., User],
    sign_in: Callable[..., None],
    assert_accessible: Callable[[Any], None],
) -> None:
    officer = make_user("officer", email="officer@example.org")
    sign_in(page, officer)
    page.goto(f"{live_server.url}/accounts/2fa/totp/activate/")
    looks_like_govuk(page, "Confirm it's you")
    page.get_by_role("button", name="Confirm").click()  # no password
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    looks_like_govuk(page, "Set up an authenticator app")
    assert_accessible(page)
    page.get_by_label("Authenticator code").fill("123")
    page.get_by_role("button", name="Set up the app").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator(".govuk-error-message")).not_to_have_count(0)
    assert_accessible(page)
    page.goto(f"{live_server.url}/accounts/2fa/")
    looks_like_govuk(page, "Two-step sign-in")
    expect(page.get_by_test_id("mfa")).to_contain_text("Not set up")
    assert_accessible(page)


def test_an_officer_with_an_authenticator_app_reads_their_two_step_sign_in_pages(
    page: Page, live_server: Any, make_user: Callable[..., User], assert_accessible: Callable[[Any], None]
) -> None:
    officer = make_user("officer", email="officer@example.org")
    secret = generate_totp_secret()
    TOTP.activate(officer, secret)
    RecoveryCodes.activate(officer)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(officer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code").fill(current_code(secret))
    page.get_by_role("button", name="Continue").click()
    expect(page).not_to_have_url(re.compile("/accounts/2fa/authenticate/"))

    page.goto(f"{live_server.url}/accounts/2fa/")
    looks_like_govuk(page, "Two-step sign-in")
    expect(page.get_by_test_id("mfa")).to_contain_text("Set up")
    assert_accessible(page)
    page.get_by_role("link", name="View recovery codes").click()
    # Seeing the codes asks for the password again, with the other ways to confirm it is you beside it.
    looks_like_govuk(page, "Confirm it's you")
    assert_accessible(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    looks_like_govuk(page, "Recovery codes")
    expect(page.get_by_test_id("recovery-codes").get_by_role("listitem")).not_to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Make new codes").click()
    looks_like_govuk(page, "Make new recovery codes")
    assert_accessible(page)
    page.goto(f"{live_server.url}/accounts/2fa/totp/deactivate/")
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)


def test_a_closed_account_is_told_so_on_a_page_of_the_site(
    page: Page, live_server: Any, make_user: Callable[..., User], assert_accessible: Callable[[Any], None]
) -> None:
    closed = make_user("resident", email="closed@example.org")
    closed.is_active = False
    closed.save()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(closed.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    looks_like_govuk(page, "This account is closed")
    assert_accessible(page)
