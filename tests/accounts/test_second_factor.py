"""Second factor everywhere it matters: this session must have passed it, the admin included, assessors too."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from commonweal.accounts.models import Membership, User
from commonweal.accounts.services import grant_membership, revoke_membership
from tests.conftest import PASSWORD
from tests.funding.factories import ApplicantFactory, ApplicationFactory, RoundFactory
from tests.totp import current_code

pytestmark = pytest.mark.django_db


def with_authenticator(user: User) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def test_an_officer_whose_session_skipped_the_second_factor_must_give_it_now(client: Client, make_user: Any) -> None:
    officer = make_user("officer")
    secret = with_authenticator(officer)
    # A session that did not pass the second factor: one begun before the authenticator, or by another door.
    client.force_login(officer)
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/reauthenticate/?next=%2Faccount%2F"
    page = client.get(response["Location"])
    assert b"Your role needs two-factor sign-in" in page.content
    response = client.post(response["Location"], {"code": current_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    assert client.get("/account/").status_code == 200


def test_the_admin_sign_in_is_allauths_with_its_second_factor(client: Client, make_user: Any) -> None:
    admin = make_user("admin")
    secret = with_authenticator(admin)
    response = client.get("/django-admin/login/?next=/django-admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    # Django's own admin form is not there to take a phished password.
    client.post("/django-admin/login/?next=/django-admin/", {"username": admin.email, "password": PASSWORD})
    assert not client.get("/django-admin/").wsgi_request.user.is_authenticated
    response = client.post("/accounts/login/", {"login": admin.email, "password": PASSWORD, "next": "/django-admin/"})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/django-admin/").status_code == 302  # the password alone opens nothing
    response = client.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert response["Location"] == "/django-admin/"
    assert b"Commonweal administration" in client.get("/django-admin/").content


def test_an_admin_signed_in_without_the_second_factor_is_stopped_at_the_admin(client: Client, make_user: Any) -> None:
    admin = make_user("admin")
    with_authenticator(admin)
    client.force_login(admin)
    response = client.get("/django-admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/reauthenticate/")


def test_the_admin_sign_in_is_throttled_like_every_other(client: Client, make_user: Any) -> None:
    admin = make_user("admin")
    for _ in range(6):
        client.post("/accounts/login/?next=/django-admin/", {"login": admin.email, "password": "guess"})
    response = client.post("/accounts/login/?next=/django-admin/", {"login": admin.email, "password": PASSWORD})
    assert b"Too many failed login attempts" in response.content
    assert not response.wsgi_request.user.is_authenticated


def test_someone_in_a_rounds_assessor_pool_needs_two_factor(client: Client, make_user: Any) -> None:
    assessor = make_user("resident")
    RoundFactory().assessors.add(assessor)
    client.force_login(assessor)
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_someone_assigned_an_application_needs_two_factor(client: Client, make_user: Any) -> None:
    from commonweal.funding.models import Assignment

    assessor = make_user("resident")
    application = ApplicationFactory(organisation=ApplicantFactory(), created_by=make_user("resident"))
    Assignment.objects.create(application=application, assessor=assessor)
    client.force_login(assessor)
    assert client.get("/account/")["Location"] == "/accounts/2fa/totp/activate/"


def test_whether_a_resident_assesses_is_one_query(make_user: Any, django_assert_num_queries: Any) -> None:
    resident = User.objects.get(pk=make_user("resident").pk)
    with django_assert_num_queries(2):  # their roles, then the assessing check
        assert resident.needs_two_factor is False
        assert resident.needs_two_factor is False


def test_removing_the_admin_role_takes_the_admin_flags_away(make_user: Any) -> None:
    admin = make_user("admin")
    assert admin.is_staff and admin.is_superuser
    revoke_membership(membership=Membership.objects.get(user=admin, role="admin"))
    admin.refresh_from_db()
    assert not admin.is_staff
    assert not admin.is_superuser


def test_deleting_the_admin_role_anywhere_takes_the_admin_flags_away(make_user: Any) -> None:
    """The Django admin's inline deletes memberships directly: the flags still follow the role."""
    admin = make_user("admin")
    grant_membership(user=admin, role="steward")
    Membership.objects.filter(user=admin, role="admin").delete()
    admin.refresh_from_db()
    assert (admin.is_staff, admin.is_superuser) == (False, False)


def test_changing_the_admin_role_to_another_takes_the_admin_flags_away(make_user: Any) -> None:
    admin = make_user("admin")
    membership = Membership.objects.get(user=admin, role="admin")
    membership.role = "steward"
    membership.save()
    admin.refresh_from_db()
    assert (admin.is_staff, admin.is_superuser) == (False, False)


def test_another_role_going_leaves_an_admin_an_admin(make_user: Any) -> None:
    admin = make_user("admin")
    steward = grant_membership(user=admin, role="steward")
    revoke_membership(membership=steward)
    admin.refresh_from_db()
    assert admin.is_staff and admin.is_superuser


def test_a_passkey_alone_satisfies_the_rule_and_is_what_the_officer_is_asked_for(
    client: Client, make_user: Any
) -> None:
    from allauth.mfa.models import Authenticator

    officer = make_user("officer")
    Authenticator.objects.create(user=officer, type=Authenticator.Type.WEBAUTHN, data={"name": "Work laptop"})
    client.force_login(officer)
    response = client.get("/account/")
    assert response["Location"] == "/accounts/2fa/webauthn/reauthenticate/?next=%2Faccount%2F"


@pytest.mark.django_db(transaction=True)  # allauth announces a new authenticator on commit, inside the request
def test_setting_up_an_authenticator_app_counts_as_this_sessions_second_factor(client: Client, make_user: Any) -> None:
    officer = make_user("officer")
    client.post("/accounts/login/", {"login": officer.email, "password": PASSWORD})
    client.post("/accounts/reauthenticate/?next=/accounts/2fa/totp/activate/", {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    secret = page.context["form"].secret
    response = client.post("/accounts/2fa/totp/activate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get("/account/").status_code == 200  # not asked for a code again straight away
