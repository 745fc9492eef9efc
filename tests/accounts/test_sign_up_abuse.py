"""Sign-up cannot be used to make accounts in bulk: 5 an hour from one address, and a honeypot for bots."""

from __future__ import annotations

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
    assert "You have tried this too many times. Try again in an hour." in response.content.decode()


def test_a_bot_that_fills_the_honeypot_sees_success_and_no_account_is_made(client: Client) -> None:
    response = Client(REMOTE_ADDR="203.0.113.10").post(
        SIGNUP,
        {
            "email": "bot@example.org",
            "password1": "a long pass phrase 42",
            "password2": "a long pass phrase 42",
            "website": "http://spam.example",
        },
    )
    assert response.status_code in (200, 302)
    assert not User.objects.exists()


def test_the_sign_up_honeypot_is_hidden_from_people_and_assistive_technology(client: Client) -> None:
    page = client.get(SIGNUP).content.decode()
    assert '<div class="govuk-visually-hidden" aria-hidden="true">' in page
    at = page.index('name="website"')
    assert 'tabindex="-1"' in page[at - 200 : at + 200] and 'autocomplete="off"' in page[at - 200 : at + 200]
