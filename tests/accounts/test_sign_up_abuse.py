"""Sign-up cannot be used to make accounts in bulk: 5 an hour from one address, and a honeypot for bots."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from commonweal.accounts.models import User

pytestmark = pytest.mark.django_db

SIGNUP = "/accounts/signup/"


def _sign_up(client: Client, n: int, **extra: str) -> int:
    data = {
        "email": f"person{n}@example.org",
        "password1": "a long pass phrase 42",
        "password2": "a long pass phrase 42",
    }
    return Client(REMOTE_ADDR="203.0.113.9").post(SIGNUP, {**data, **extra}).status_code


def test_a_flood_of_sign_ups_from_one_address_stops_after_five(client: Client) -> None:
    codes = [_sign_up(client, n) for n in range(12)]
    assert codes[:5] == [302] * 5
    assert set(codes[5:]) == {429}
    assert User.objects.count() == 5


def test_a_refused_sign_up_gets_a_page_that_says_to_try_again_later(client: Client) -> None:
    for n in range(5):
        _sign_up(client, n)
    response = Client(REMOTE_ADDR="203.0.113.9").post(
        SIGNUP, {"email": "late@example.org", "password1": "x", "password2": "x"}
    )
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many accounts have been made from here. Try again in an hour; what you typed is kept below." in page
    assert 'value="late@example.org"' in page  # what they typed is kept
    assert 'value="x"' not in page  # but never a password
    assert not User.objects.filter(email="late@example.org").exists()


def test_other_limits_say_to_wait_a_few_minutes(make_user: Any) -> None:
    """Changing a password, say, is limited by the minute: the page does not tell them to wait an hour."""
    client = Client()
    client.force_login(make_user("resident"))
    for _ in range(12):
        wrong = {"oldpassword": "wrong", "password1": "x", "password2": "x"}
        response = client.post("/accounts/password/change/", wrong)
    assert response.status_code == 429
    assert "You have tried this too many times. Try again in a few minutes." in response.content.decode()
