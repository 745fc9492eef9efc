"""An officer with a conflict in an application (a declared conflict of interest, or membership of the group
that applied) does not act on its grant either: no payment, no withdrawal, no completion, no report review.
Refused through the page (403 with the reason) and the service; other officers are unaffected."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from commonweal.accounts.models import User
from commonweal.accounts.roles import Role
from commonweal.accounts.services import grant_membership
from commonweal.funding.awards.services import complete_grant, pay_tranche, withdraw_grant
from commonweal.funding.models import Assignment, Grant, Tranche
from tests.funding.awards.test_acceptance_and_payments import date_boxes

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["conflicted", "member of the applicant"])
def bound_officer(request: pytest.FixtureRequest, make_user: Callable[..., User], accepted_grant: Grant) -> User:
    officer = make_user("officer", email="bound.officer@example.org")
    application = accepted_grant.application
    if request.param == "conflicted":
        Assignment.objects.create(application=application, assessor=officer, status=Assignment.Status.CONFLICTED)
    else:
        grant_membership(user=officer, role=Role.GROUP_MEMBER, organisation=application.organisation)
    return officer


def _pay_form(tranche: Tranche) -> dict[str, str]:
    return {
        **date_boxes(f"pay-{tranche.pk}-paid_on", timezone.localdate()),
        f"pay-{tranche.pk}-payment_reference": "X1",
    }


def test_a_bound_officer_cannot_pay_withdraw_or_complete(
    client: Client, bound_officer: User, accepted_grant: Grant
) -> None:
    tranche = accepted_grant.tranches.order_by("due_on").first()
    assert tranche is not None
    client.force_login(bound_officer)
    response = client.post(f"/funding/manage/tranches/{tranche.pk}/pay/", _pay_form(tranche))
    assert response.status_code == 403
    assert "so you cannot see its scores, decide it" in response.content.decode()
    response = client.post(
        f"/funding/manage/grants/{accepted_grant.reference}/withdraw/", {"withdraw-reason": "No longer needed."}
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        pay_tranche(tranche=tranche, paid_on=timezone.localdate(), payment_reference="X1", by=bound_officer)
    with pytest.raises(PermissionDenied):
        withdraw_grant(grant=accepted_grant, reason="No longer needed.", by=bound_officer)
    with pytest.raises(PermissionDenied):
        complete_grant(grant=accepted_grant, by=bound_officer)
    tranche.refresh_from_db()
    accepted_grant.refresh_from_db()
    assert tranche.status == Tranche.Status.SCHEDULED
    assert accepted_grant.status == Grant.Status.ACCEPTED


def test_another_officer_still_pays(client: Client, officer: User, accepted_grant: Grant) -> None:
    tranche = accepted_grant.tranches.order_by("due_on").first()
    assert tranche is not None
    client.force_login(officer)
    response = client.post(f"/funding/manage/tranches/{tranche.pk}/pay/", _pay_form(tranche))
    assert response.status_code == 302
    tranche.refresh_from_db()
    assert tranche.status == Tranche.Status.PAID
