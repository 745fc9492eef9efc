"""A passkey (WebAuthn) is a second factor beside the authenticator app: added, then used to sign in."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def virtual_authenticator(page: Page) -> tuple[Any, str]:
    """Chromium's virtual authenticator: a platform passkey that says yes to every prompt."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, added["authenticatorId"]


def test_an_officer_adds_a_passkey_and_signs_in_with_password_and_passkey(
    page: Page, live_server: Any, make_user: Any, merton: Any, sign_in: Any, assert_accessible: Any, settings: Any
) -> None:
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # the live server speaks plain HTTP on localhost
    officer = make_user("officer")
    cdp, authenticator_id = virtual_authenticator(page)
    sign_in(page, officer)
    # No second factor yet: the officer is asked for one, and may choose a passkey instead of an app.
    page.goto(f"{live_server.url}/accounts/2fa/webauthn/add/")
    if page.get_by_label("Password").count():
        assert_accessible(page)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button").filter(has_text="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Add a passkey")
    assert_accessible(page)
    page.get_by_label("Name").fill("Work laptop")
    page.get_by_role("button", name="Add").click()
    # The browser's WebAuthn call runs before the form is sent: wait until the page moves on from the form.
    page.wait_for_url(lambda url: not url.endswith("/accounts/2fa/webauthn/add/"))
    assert Authenticator.objects.filter(user=officer, type=Authenticator.Type.WEBAUTHN).count() == 1
    assert len(cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})["credentials"]) == 1
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, officer)
    expect(page).to_have_url(f"{live_server.url}/accounts/2fa/authenticate/")
    assert_accessible(page)
    page.get_by_role("button", name="Use a passkey").click()
    page.wait_for_url(f"{live_server.url}/home/")
    page.goto(f"{live_server.url}/account/")
    expect(page).to_have_url(f"{live_server.url}/account/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your account")
