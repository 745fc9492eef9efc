"""Nobody is given a role (a Membership) before confirming their email address: not by the service, not by an
officer approving a claim, not by an administrator in the admin. Their pages show where they stand."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from commonweal.accounts.errors import AccountsError
from commonweal.accounts.models import Membership, Organisation, User
from commonweal.accounts.queries import email_verified
from commonweal.accounts.services import confirm_email, create_organisation, grant_membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(make_user: Any) -> User:
    """Signed up, but has not followed the link we emailed."""
    user: User = make_user("resident", email="newcomer@example.org", verified=False)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    return user


@pytest.fixture
def group(db: None) -> Organisation:
    return create_organisation(name="Pollards Hill Litter Pickers", kind=Organisation.Kind.INFORMAL_GROUP)


def test_a_role_is_refused_to_someone_who_has_not_confirmed_their_email(newcomer: User, group: Organisation) -> None:
    with pytest.raises(AccountsError, match=r"has not confirmed their email address \(newcomer@example.org\)"):
        grant_membership(user=newcomer, role="group_member", organisation=group)
    assert not Membership.objects.filter(user=newcomer).exists()
    confirm_email(newcomer)
    assert email_verified(newcomer)
    grant_membership(user=newcomer, role="group_member", organisation=group)
    assert Membership.objects.filter(user=newcomer, organisation=group).exists()


def test_a_verified_address_that_is_not_the_primary_one_does_not_count(newcomer: User) -> None:
    EmailAddress.objects.create(user=newcomer, email="other@example.org", primary=False, verified=True)
    assert not email_verified(newcomer)


def test_the_account_page_shows_the_email_is_not_verified_and_sends_the_link_again(
    client: Client, newcomer: User
) -> None:
    client.force_login(newcomer)
    page = client.get("/account/").content.decode()
    assert "Email not verified" in page and 'data-testid="confirm-email"' in page
    mail.outbox.clear()
    response = client.post("/accounts/email/", {"email": newcomer.email, "action_send": ""})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[newcomer.email]]
    confirm_email(newcomer)
    page = client.get("/account/").content.decode()
    assert "Email verified" in page and 'data-testid="confirm-email"' not in page


def test_the_organisation_page_shows_each_members_email_state(client: Client, make_user: Any) -> None:
    member = make_user("group_member", email="member@example.org")
    group = Organisation.objects.get(memberships__user=member)
    client.force_login(member)
    page = client.get(f"/account/organisations/{group.slug}/").content.decode()
    assert "Email verified" in page and "Email not verified" not in page
    EmailAddress.objects.filter(user=member).update(verified=False)  # their address changed since
    page = client.get(f"/account/organisations/{group.slug}/").content.decode()
    assert "Email not verified" in page


def test_the_admin_cannot_give_a_role_to_someone_who_has_not_confirmed(
    client: Client, make_user: Any, newcomer: User, group: Organisation, settings: Any
) -> None:
    settings.COMMONWEAL_DEMO_MFA_EXEMPT = True
    client.force_login(make_user("admin"))
    url = f"/django-admin/accounts/user/{newcomer.pk}/change/"
    form = {
        "email": newcomer.email,
        "full_name": newcomer.full_name,
        "is_active": "on",
        "date_joined_0": newcomer.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": newcomer.date_joined.strftime("%H:%M:%S"),
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-role": "group_member",
        "memberships-0-organisation": str(group.pk),
        "memberships-0-user": str(newcomer.pk),
    }
    response = client.post(url, form)
    assert response.status_code == 200
    assert "has not confirmed their email address (newcomer@example.org) yet" in response.content.decode()
    assert not Membership.objects.filter(user=newcomer).exists()
    confirm_email(newcomer)
    response = client.post(url, form)
    assert response.status_code == 302
    assert Membership.objects.filter(user=newcomer, organisation=group).exists()
