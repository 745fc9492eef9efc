"""'Send the link again': it reaches the person even when their account never had an address record (set up by
an administrator), it is limited so a session cannot flood an inbox, and it brings them back where they were."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from commonweal.accounts.models import User

pytestmark = pytest.mark.django_db

SEND = reverse("accounts:send_confirmation_link")


def _messages(response: Any) -> str:
    return " ".join(str(message) for message in response.context["messages"])


def test_someone_an_administrator_set_up_gets_a_link_and_following_it_confirms_them(make_user: Any) -> None:
    person: User = make_user("resident", email="set.up.by.admin@example.org", verified=False)
    assert not EmailAddress.objects.filter(user=person).exists()  # as `createsuperuser` or the admin leave it
    client = Client()
    client.force_login(person)
    response = client.post(SEND, {"next": "/account/"}, follow=True)
    assert response.redirect_chain == [("/account/", 302)]
    assert "We have sent a link to set.up.by.admin@example.org" in _messages(response)
    (sent,) = mail.outbox
    assert sent.to == ["set.up.by.admin@example.org"]
    link = next(word for word in sent.body.split() if "/accounts/confirm-email/" in word)
    path = link[link.index("/accounts/confirm-email/") :]
    client.post(path)
    address = EmailAddress.objects.get(user=person)
    assert address.verified and address.primary


def test_the_link_goes_at_most_three_times_an_hour(make_user: Any) -> None:
    person = make_user("resident", email="impatient@example.org", verified=False)
    EmailAddress.objects.create(user=person, email=person.email, primary=True, verified=False)
    client = Client()
    client.force_login(person)
    for _ in range(3):
        client.post(SEND)
    refused = client.post(SEND, follow=True)
    assert len(mail.outbox) == 3
    assert "We have sent the link 3 times in the last hour" in _messages(refused)
    assert EmailAddress.objects.filter(user=person).count() == 1


def test_someone_already_confirmed_is_told_so_and_sent_nothing(make_user: Any) -> None:
    client = Client()
    client.force_login(make_user("resident"))
    response = client.post(SEND, follow=True)
    assert "Your email address is already confirmed." in _messages(response)
    assert mail.outbox == []


def test_it_never_sends_them_to_another_site(make_user: Any) -> None:
    client = Client()
    client.force_login(make_user("resident", verified=False))
    response = client.post(SEND, {"next": "https://evil.example/phish"})
    assert response["Location"] == "/account/"
