import os
import subprocess
import sys
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client

from commonweal.settings.safety import refuse_unsafe_settings

SAFE = {
    "debug": False,
    "secret_key": "x" * 50,
    "allowed_hosts": ["commonweal.example.gov.uk"],
    "demo": False,
    "demo_mfa_exempt": False,
}


@pytest.mark.django_db
def test_healthz_answers_ok_when_the_database_answers(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_unreachable() -> None:
    # A real unreachable PostgreSQL server, not a mock: nothing listens on port 9.
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://nobody:nothing@127.0.0.1:9/none",
        "DJANGO_SETTINGS_MODULE": "commonweal.settings.test",
    }
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(r.status_code, r.json()['database'])"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)  # noqa: S603
    assert result.stdout.strip() == "503 unreachable", result.stderr[-2000:]


def test_production_starts_with_safe_settings() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMMONWEAL_")}
    env.update(
        DJANGO_SETTINGS_MODULE="commonweal.settings.production",
        COMMONWEAL_SECRET_KEY="s" * 50,
        COMMONWEAL_ALLOWED_HOSTS="commonweal.example.gov.uk",
    )
    code = (
        "import django; django.setup(); from django.conf import settings; print(settings.DEBUG, settings.ALLOWED_HOSTS)"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)  # noqa: S603
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "False ['commonweal.example.gov.uk']"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"debug": True}, "COMMONWEAL_DEBUG is on"),
        (
            {"secret_key": "insecure-commonweal-development-key-never-use-in-production"},
            "COMMONWEAL_SECRET_KEY",
        ),
        ({"allowed_hosts": []}, "COMMONWEAL_ALLOWED_HOSTS is empty"),
        ({"demo_mfa_exempt": True}, "COMMONWEAL_DEMO is on"),
    ],
)
def test_production_refuses_to_start_when_unsafe(change: dict[str, Any], reason: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=reason):
        refuse_unsafe_settings(**{**SAFE, **change})


def test_production_settings_module_refuses_the_defaults() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMMONWEAL_")}
    env["DJANGO_SETTINGS_MODULE"] = "commonweal.settings.production"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Commonweal refuses to start in production" in result.stderr


@pytest.mark.django_db
def test_tests_run_on_the_configured_database() -> None:
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client: Client) -> None:
    policy = client.get("/accessibility/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_unknown_page_is_a_friendly_404(client: Client) -> None:
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


@pytest.mark.django_db
def test_a_form_too_large_to_take_says_so_in_words_and_saves_nothing(client: Client, settings: Any) -> None:
    """Someone pastes a whole document into a form: Django refuses the request before any view sees it."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post("/accounts/login/", {"login": "someone@example.org", "password": "x" * 5000})
    assert response.status_code == 400
    page = response.content.decode()
    assert "What you sent was too large" in page and "nothing was saved" in page
    assert "Bad Request" not in page


@pytest.mark.django_db
def test_a_request_for_another_host_is_refused_plainly() -> None:
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400 and response.content == b"Bad request."


@pytest.mark.django_db
def test_django_admin_is_for_administrators_only(client: Client, make_user: Any, settings: Any) -> None:
    settings.COMMONWEAL_DEMO_MFA_EXEMPT = True
    client.force_login(make_user("steward"))
    assert client.get("/django-admin/").status_code == 302
    client.force_login(make_user("admin"))
    assert client.get("/django-admin/").status_code == 200
