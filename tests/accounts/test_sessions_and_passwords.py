"""ASVS level 2 for sessions and passwords: short staff sessions, long unbreached passwords, no forged addresses."""

from __future__ import annotations

import hashlib
import importlib
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from commonweal.accounts.passwords import BreachedPasswordValidator, is_breached
from commonweal.core.demo import DEMO_PASSWORD
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

HOUR = 60 * 60


def age_session(client: Client, *, started: float, seen: float) -> None:
    """Wind the session's clock back, as if the person signed in `started` seconds ago, last seen `seen` ago."""
    session = client.session
    session["commonweal_staff_session_started"] -= started
    session["commonweal_staff_session_seen"] -= seen
    session.save()


@pytest.mark.parametrize("role", ["officer", "steward"])
def test_a_staff_session_ends_after_half_an_hour_idle(
    client: Client, make_user: Any, mfa_exempt: None, role: str
) -> None:
    client.force_login(make_user(role))
    assert client.get("/account/").status_code == 200
    age_session(client, started=31 * 60, seen=31 * 60)
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Faccount%2F"
    assert not client.get("/account/").wsgi_request.user.is_authenticated


def test_a_busy_staff_session_still_ends_after_twelve_hours(client: Client, make_user: Any, mfa_exempt: None) -> None:
    client.force_login(make_user("officer"))
    age_session(client, started=12 * HOUR + 60, seen=60)
    page = client.get("/account/", follow=True)
    assert page.wsgi_request.path == "/accounts/login/"
    assert b"You were signed out to keep your account safe" in page.content


def test_a_staff_session_in_use_carries_on(client: Client, make_user: Any, mfa_exempt: None) -> None:
    client.force_login(make_user("officer"))
    age_session(client, started=11 * HOUR, seen=29 * 60)
    assert client.get("/account/").status_code == 200


def test_a_residents_session_is_not_cut_short(client: Client, make_user: Any) -> None:
    client.force_login(make_user("resident"))
    age_session(client, started=13 * HOUR, seen=2 * HOUR)
    assert client.get("/account/").status_code == 200


def test_passwords_need_twelve_characters() -> None:
    with pytest.raises(ValidationError) as refused:
        validate_password("tidy-ox-lam")  # 11 characters
    assert "at least 12 characters" in " ".join(refused.value.messages)
    validate_password("tidy-ox-lamp")


def hibp_file(folder: Path, secrets: list[str]) -> Path:
    """A file in HIBP's 'SHA-1 ordered by hash' format: HASH:COUNT lines, sorted, CRLF as HIBP writes them."""
    lines = sorted(
        f"{hashlib.sha1(s.encode(), usedforsecurity=False).hexdigest().upper()}:{n}\r\n"
        for n, s in enumerate(secrets, 1)
    )
    path = folder / "pwnedpasswords.txt"
    path.write_text("".join(lines), newline="")
    return path


def test_a_breached_password_is_refused_at_sign_up_with_a_reason(client: Client, tmp_path: Path, settings: Any) -> None:
    settings.COMMONWEAL_BREACHED_PASSWORDS_FILE = hibp_file(tmp_path, ["lantern orchard velvet"])
    response = client.post(
        "/accounts/signup/",
        {"email": "new@example.org", "password1": "lantern orchard velvet", "password2": "lantern orchard velvet"},
    )
    assert response.status_code == 200
    assert b"This password has appeared in a data breach" in response.content
    assert not response.wsgi_request.user.is_authenticated


def test_the_demo_and_test_passwords_pass_every_check() -> None:
    from django.contrib.auth.password_validation import get_default_password_validators

    validators = get_default_password_validators()
    assert any(isinstance(v, BreachedPasswordValidator) for v in validators)  # the breached list is among them

    def refusals(password: str) -> list[str]:
        found = []
        for validator in validators:
            try:
                validator.validate(password)
            except ValidationError as error:
                found += error.messages
        return found

    assert refusals(DEMO_PASSWORD) == []
    assert refusals(PASSWORD) == []
    assert refusals("password1234")  # while a breached one of the same length is refused


def test_a_council_can_drop_in_its_own_hibp_file(tmp_path: Path) -> None:
    """The file is HIBP's 'SHA-1 ordered by hash' download: HASH:COUNT lines, sorted, searched in place."""
    secrets = ["first breached secret", "second breached secret", "third breached secret"]
    hibp = hibp_file(tmp_path, secrets)
    assert all(is_breached(secret, hibp) for secret in secrets)
    assert not is_breached("not in the file at all", hibp)
    with pytest.raises(ValidationError):
        BreachedPasswordValidator(hibp).validate("second breached secret")


def test_the_shipped_list_holds_every_django_common_password() -> None:
    import gzip

    import django

    common = Path(django.__file__).parent / "contrib" / "auth" / "common-passwords.txt.gz"
    words = gzip.decompress(common.read_bytes()).decode().split()
    shipped = Path(__file__).resolve().parents[2] / "commonweal" / "accounts" / "breached-passwords.txt"
    assert all(is_breached(word, shipped) for word in words[:: len(words) // 200] + words[-3:])


def test_a_forged_forwarded_for_does_not_dodge_the_sign_in_throttle(client: Client, make_user: Any) -> None:
    victim = make_user("resident")
    for n in range(12):
        response = client.post(
            "/accounts/login/",
            {"login": f"nobody{n}@example.org", "password": "guess"},
            headers={"x-forwarded-for": f"203.0.113.{n}"},
        )
    response = client.post(
        "/accounts/login/",
        {"login": victim.email, "password": PASSWORD},
        headers={"x-forwarded-for": "198.51.100.7"},
    )
    assert b"Too many failed login attempts" in response.content
    assert not response.wsgi_request.user.is_authenticated


def test_proxy_headers_are_believed_only_when_the_proxies_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    import commonweal.settings.base as base

    try:
        monkeypatch.delenv("COMMONWEAL_TRUSTED_PROXIES", raising=False)
        importlib.reload(base)
        assert base.ALLAUTH_TRUSTED_PROXY_COUNT == 0
        assert not hasattr(base, "SECURE_PROXY_SSL_HEADER")
        monkeypatch.setenv("COMMONWEAL_TRUSTED_PROXIES", "1")
        importlib.reload(base)
        assert base.ALLAUTH_TRUSTED_PROXY_COUNT == 1
        assert base.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    finally:
        monkeypatch.delenv("COMMONWEAL_TRUSTED_PROXIES", raising=False)
        importlib.reload(base)


@pytest.mark.parametrize(("proxies", "header"), [("", "None"), ("1", "('HTTP_X_FORWARDED_PROTO', 'https')")])
def test_production_believes_x_forwarded_proto_only_behind_named_proxies(proxies: str, header: str) -> None:
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "commonweal.settings.production",
        "COMMONWEAL_SECRET_KEY": "a-long-random-production-secret-key-for-this-test-only-0123456789",
        "COMMONWEAL_ALLOWED_HOSTS": "commonweal.example.gov.uk",
        "COMMONWEAL_DEMO": "",
        "COMMONWEAL_DEBUG": "",
        "COMMONWEAL_TRUSTED_PROXIES": proxies,
    }
    script = "from django.conf import settings; print(getattr(settings, 'SECURE_PROXY_SSL_HEADER', None))"
    command = [sys.executable, "-c", script]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=True)  # noqa: S603
    assert result.stdout.strip() == header
