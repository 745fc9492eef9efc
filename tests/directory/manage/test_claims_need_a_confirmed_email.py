"""Nobody asks to manage a listing, nor is let manage one, before confirming their email address: anyone can
sign up with someone else's address, and a claim approved on it would hand the group's listing to them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from commonweal.accounts.models import Membership, Organisation, User
from commonweal.accounts.services import confirm_email
from commonweal.directory import services
from commonweal.directory.errors import DirectoryError
from commonweal.directory.models import Claim

CONNECTED = "I am the secretary of the food bank."


@pytest.fixture
def newcomer(make_user: Callable[..., User]) -> User:
    """Signed up, but has not followed the link we emailed (allauth keeps the address, not verified)."""
    user = make_user("resident", email="newcomer@example.org", verified=False)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    return user


def claim_page(organisation: Organisation) -> str:
    return f"/directory/organisations/{organisation.slug}/claim/"


def test_an_unconfirmed_person_is_told_to_confirm_first_and_can_send_the_link_again(
    client_for: Callable[..., Client], newcomer: User, charity: Organisation
) -> None:
    client = client_for(newcomer)
    page = client.get(claim_page(charity)).content.decode()
    assert "Confirm your email address before you ask to manage a listing" in page
    assert 'data-testid="send-verification"' in page and "Send the link again" in page

    response = client.post(claim_page(charity), {"message": CONNECTED})
    assert response.status_code == 200
    assert "Confirm your email address before you ask to manage a listing" in response.content.decode()
    assert not Claim.objects.exists()

    mail.outbox.clear()
    client.post("/accounts/email/", {"email": newcomer.email, "action_send": ""})
    assert [m.to for m in mail.outbox] == [[newcomer.email]]


def test_the_claim_service_refuses_an_unconfirmed_person(newcomer: User, charity: Organisation) -> None:
    with pytest.raises(DirectoryError, match="Confirm your email address"):
        services.submit_claim(organisation=charity, user=newcomer, message=CONNECTED)
    assert not Claim.objects.exists()


def test_an_officer_sees_the_claimant_has_not_confirmed_and_cannot_approve_until_they_do(
    client_for: Callable[..., Client], newcomer: User, officer: User, charity: Organisation, db: Any
) -> None:
    # A claim made before they were asked to confirm (or one whose address changed since).
    claim = Claim.objects.create(organisation=charity, user=newcomer, message=CONNECTED)
    client = client_for(officer)
    url = f"/directory/moderation/claims/{claim.pk}/"
    page = client.get(url).content.decode()
    assert "Email not verified" in page and 'data-testid="claimant-unverified"' in page

    page = client.post(url, {"decision": "approve"}).content.decode()
    assert "has not confirmed their email address (newcomer@example.org) yet" in page
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PENDING
    assert not Membership.objects.filter(user=newcomer).exists()
    with pytest.raises(DirectoryError, match="has not confirmed their email address"):
        services.approve_claim(claim=claim, by=officer)

    confirm_email(newcomer)
    assert "Email verified" in client.get(url).content.decode()
    client.post(url, {"decision": "approve"})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.APPROVED
    assert Membership.objects.filter(user=newcomer, organisation=charity).exists()


def test_an_unconfirmed_claim_can_still_be_rejected(
    client_for: Callable[..., Client], newcomer: User, officer: User, charity: Organisation
) -> None:
    claim = Claim.objects.create(organisation=charity, user=newcomer, message=CONNECTED)
    client_for(officer).post(
        f"/directory/moderation/claims/{claim.pk}/", {"decision": "reject", "reason": "We do not know them."}
    )
    claim.refresh_from_db()
    assert claim.status == Claim.Status.REJECTED
