"""The Django admin is reached through the site's own sign-in, second factor included."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.totp import current_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_signs_in_to_the_admin_with_password_and_code(
    page: Page, live_server: Any, make_user: Any, merton: Any, assert_accessible: Any
) -> None:
    admin = make_user("admin")
    secret = generate_totp_secret()
    TOTP.activate(admin, secret)
    page.goto(f"{live_server.url}/django-admin/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=%2Fdjango-admin%2F")
    page.get_by_label("Email").fill(admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/2fa/authenticate/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it's you")
    assert_accessible(page)
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Incorrect code.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Code").fill(current_code(secret))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{live_server.url}/django-admin/")
    expect(page.get_by_text("Commonweal administration").first).to_be_visible()
