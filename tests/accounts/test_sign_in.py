from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from tests.conftest import PASSWORD
from tests.totp import current_code

pytestmark = pytest.mark.django_db


def test_resident_signs_in_with_email_and_password(client: Client, make_user: Any) -> None:
    user = make_user("resident")
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert response.wsgi_request.user == user
    assert b"Your account" in response.content


def test_wrong_password_says_so_beside_the_form(client: Client, make_user: Any) -> None:
    user = make_user("resident")
    response = client.post("/accounts/login/", {"login": user.email, "password": "not it"})
    assert response.status_code == 200
    assert b"The email address and/or password you specified are not correct." in response.content
    assert b"govuk-error-summary" in response.content
    assert not response.wsgi_request.user.is_authenticated


def test_many_wrong_passwords_are_throttled_with_a_clear_message(client: Client, make_user: Any) -> None:
    user = make_user("resident")
    statuses = []
    for _ in range(8):
        response = client.post("/accounts/login/", {"login": user.email, "password": "guess"})
        statuses.append(response.status_code)
    assert b"Too many failed login attempts. Try again later." in response.content
    # Even the right password is refused while the account is throttled.
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert not response.wsgi_request.user.is_authenticated
    assert all(status < 500 for status in statuses)


def test_officer_without_an_authenticator_app_is_sent_to_set_one_up(client: Client, make_user: Any) -> None:
    officer = make_user("officer")
    client.post("/accounts/login/", {"login": officer.email, "password": PASSWORD})
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    # allauth asks for the password again before an authenticator is added; then the set-up page.
    page = client.get(response["Location"], follow=True)
    assert b"Your role needs two-factor sign-in" in page.content
    page = client.post(page.wsgi_request.get_full_path(), {"password": PASSWORD}, follow=True)
    assert page.wsgi_request.path == "/accounts/2fa/totp/activate/"
    assert b"Authenticator code" in page.content
    # A passkey meets the rule too, for someone without an authenticator app.
    assert b'href="/accounts/2fa/webauthn/add/"' in page.content and b"Add a passkey instead" in page.content


def test_officer_without_an_authenticator_app_still_reads_the_public_api_and_downloads(
    client: Client, make_user: Any, merton: Any
) -> None:
    officer = make_user("officer")
    client.post("/accounts/login/", {"login": officer.email, "password": PASSWORD})
    assert client.get("/api/oruk/services").status_code == 200
    assert client.get("/directory/export/directory.csv").status_code == 200
    assert client.get("/directory/").status_code == 302  # the rest of the site waits for the second factor


@pytest.mark.parametrize("role", ["officer", "champion", "steward", "admin"])
def test_every_role_above_group_member_needs_two_factor(client: Client, make_user: Any, role: str) -> None:
    client.force_login(make_user(role))
    assert client.get("/places/").status_code == 302


@pytest.mark.parametrize("role", ["resident", "group_member"])
def test_residents_and_group_members_need_no_authenticator(client: Client, make_user: Any, role: str) -> None:
    client.force_login(make_user(role))
    assert client.get("/account/").status_code == 200


def test_demo_setting_lets_officers_in_without_an_authenticator(client: Client, make_user: Any, settings: Any) -> None:
    settings.COMMONWEAL_DEMO_MFA_EXEMPT = True
    client.force_login(make_user("officer"))
    assert client.get("/account/").status_code == 200


def test_officer_with_an_authenticator_app_signs_in_with_a_code(client: Client, make_user: Any) -> None:
    officer = make_user("officer")
    secret = generate_totp_secret()
    TOTP.activate(officer, secret)
    response = client.post("/accounts/login/", {"login": officer.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert not client.get("/account/").wsgi_request.user.is_authenticated
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert b"Incorrect code." in wrong.content
    code = current_code(secret)
    response = client.post("/accounts/2fa/authenticate/", {"code": code}, follow=True)
    assert response.wsgi_request.user == officer
    assert Authenticator.objects.filter(user=officer, type=Authenticator.Type.TOTP).exists()
    assert client.get("/account/").status_code == 200


def test_migrate_makes_the_cache_table_that_login_throttling_counts_in(settings: Any) -> None:
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "commonweal_cache"}
    }
    call_command("migrate", verbosity=0)
    assert "commonweal_cache" in connection.introspection.table_names()
    cache.set("failed-sign-ins", 3)
    assert cache.get("failed-sign-ins") == 3
