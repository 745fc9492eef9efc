"""The group accepts or declines its offer (confirming it read the conditions); officers pay the tranches once
it is accepted, each once, and complete or withdraw the grant."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from commonweal.accounts.models import User
from commonweal.accounts.roles import Role
from commonweal.accounts.services import grant_membership
from commonweal.funding.awards.services import (
    accept_grant,
    accept_report,
    complete_grant,
    decline_grant,
    pay_tranche,
    submit_report,
    withdraw_grant,
)
from commonweal.funding.errors import FundingError, WorkflowError
from commonweal.funding.models import Grant, MonitoringReport, Tranche
from tests.dates import date_boxes


def pay(tranche: Tranche, by: User, reference: str = "BACS-0001") -> Tranche:
    return pay_tranche(tranche=tranche, paid_on=timezone.localdate(), payment_reference=reference, by=by)


def test_accepting_needs_the_confirmation(grant: Grant, member: User) -> None:
    with pytest.raises(FundingError) as caught:
        accept_grant(grant=grant, confirmed=False, by=member)
    assert caught.value.message_dict["confirm"] == [
        "Confirm that you have read the conditions and accept them on behalf of your organisation."
    ]
    grant.refresh_from_db()
    assert grant.status == Grant.Status.OFFERED


def test_the_group_accepts_and_the_grant_records_who_and_when(grant: Grant, member: User) -> None:
    accepted = accept_grant(grant=grant, confirmed=True, by=member)
    assert accepted.status == Grant.Status.ACCEPTED
    assert accepted.accepted_by == member
    assert accepted.accepted_at is not None


def test_accepting_twice_says_it_is_already_accepted(grant: Grant, member: User) -> None:
    accept_grant(grant=grant, confirmed=True, by=member)
    with pytest.raises(WorkflowError, match="This grant offer has already been accepted."):
        accept_grant(grant=grant, confirmed=True, by=member)


def test_only_the_groups_members_accept(grant: Grant, officer: User, outsider: User) -> None:
    for person in (officer, outsider):
        with pytest.raises(PermissionDenied):
            accept_grant(grant=grant, confirmed=True, by=person)


def test_declining_needs_a_reason(grant: Grant, member: User) -> None:
    with pytest.raises(WorkflowError) as caught:
        decline_grant(grant=grant, reason="  ", by=member)
    assert "reason" in caught.value.message_dict
    declined = decline_grant(grant=grant, reason="We could not find a venue.", by=member)
    assert declined.status == Grant.Status.DECLINED
    with pytest.raises(WorkflowError, match="declined, so it cannot be accepted now"):
        accept_grant(grant=grant, confirmed=True, by=member)


def test_declining_cancels_the_payments_scheduled_for_the_offer(grant: Grant, member: User, officer: User) -> None:
    assert grant.tranches.filter(status=Tranche.Status.SCHEDULED).exists()
    decline_grant(grant=grant, reason="We could not find a venue.", by=member)
    assert set(grant.tranches.values_list("status", flat=True)) == {Tranche.Status.CANCELLED}
    with pytest.raises(WorkflowError, match="This payment was cancelled"):
        pay(grant.tranches.first(), officer)


def test_a_payment_before_acceptance_is_refused(grant: Grant, officer: User) -> None:
    with pytest.raises(WorkflowError, match="payments can only be made once the group has accepted the offer"):
        pay(grant.tranches.first(), officer)
    assert not Tranche.objects.filter(status=Tranche.Status.PAID).exists()


def test_a_tranche_cannot_be_paid_twice(accepted_grant: Grant, officer: User) -> None:
    tranche = accepted_grant.tranches.first()
    paid = pay(tranche, officer)
    assert paid.status == Tranche.Status.PAID
    assert paid.paid_by == officer
    with pytest.raises(WorkflowError, match="already recorded as paid"):
        pay(tranche, officer, reference="BACS-0002")
    tranche.refresh_from_db()
    assert tranche.payment_reference == "BACS-0001"


def test_a_payment_needs_a_date_not_in_the_future_and_a_reference(accepted_grant: Grant, officer: User) -> None:
    tranche = accepted_grant.tranches.first()
    with pytest.raises(FundingError) as caught:
        pay_tranche(
            tranche=tranche, paid_on=timezone.localdate() + timedelta(days=1), payment_reference=" ", by=officer
        )
    assert caught.value.message_dict == {
        "paid_on": ["The payment date must be today or in the past."],
        "payment_reference": ["Enter the payment reference from the finance system."],
    }


def test_the_first_payment_changes_nothing_else(accepted_grant: Grant, officer: User) -> None:
    pay(accepted_grant.tranches.first(), officer)
    accepted_grant.refresh_from_db()
    assert accepted_grant.status == Grant.Status.ACCEPTED
    assert accepted_grant.tranches.filter(status=Tranche.Status.SCHEDULED).count() == 1


def test_only_officers_pay(accepted_grant: Grant, member: User) -> None:
    with pytest.raises(PermissionDenied):
        pay(accepted_grant.tranches.first(), member)


def test_a_grant_is_completed_only_once_everything_is_paid_and_every_report_accepted(
    accepted_grant: Grant, officer: User, member: User, outcomes: list
) -> None:
    with pytest.raises(WorkflowError, match="2 payments are still to be made. 2 monitoring reports have not"):
        complete_grant(grant=accepted_grant, by=officer)
    for tranche in accepted_grant.tranches.all():
        pay(tranche, officer)
    for report in accepted_grant.reports.all():
        submit_report(
            report=report,
            narrative="Forty sessions.",
            spent=accepted_grant.amount,
            results=[{"kind": "output", "description": "Lunch club sessions", "quantity": 40, "unit": "sessions"}],
            by=member,
        )
        accept_report(report=report, by=officer)
    completed = complete_grant(grant=accepted_grant, by=officer)
    assert completed.status == Grant.Status.COMPLETED
    assert set(MonitoringReport.objects.values_list("status", flat=True)) == {"accepted"}


def test_withdrawing_needs_a_reason_and_cancels_payments_not_made(accepted_grant: Grant, officer: User) -> None:
    pay(accepted_grant.tranches.first(), officer)
    with pytest.raises(WorkflowError):
        withdraw_grant(grant=accepted_grant, reason="", by=officer)
    withdrawn = withdraw_grant(grant=accepted_grant, reason="The group has closed.", by=officer)
    assert withdrawn.status == Grant.Status.WITHDRAWN
    assert sorted(accepted_grant.tranches.values_list("status", flat=True)) == ["cancelled", "paid"]


# --- through the pages -----------------------------------------------------------------------------------


def test_the_accept_button_without_the_box_ticked_says_what_to_do(client: Client, member: User, grant: Grant) -> None:
    client.force_login(member)
    response = client.post(f"/funding/grants/{grant.reference}/accept/", {})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Confirm that you have read the conditions and accept them on behalf of your organisation." in html
    assert "I have read the conditions and accept them on behalf of <bdi>Abbey Lunch Club</bdi>" in html
    grant.refresh_from_db()
    assert grant.status == Grant.Status.OFFERED


def test_a_double_click_on_accept_accepts_once_and_says_so(client: Client, member: User, grant: Grant) -> None:
    client.force_login(member)
    first = client.post(f"/funding/grants/{grant.reference}/accept/", {"accept-confirm": "on"})
    second = client.post(f"/funding/grants/{grant.reference}/accept/", {"accept-confirm": "on"}, follow=True)
    assert first.status_code == 302
    assert "This grant offer has already been accepted." in second.content.decode()
    grant.refresh_from_db()
    assert grant.status == Grant.Status.ACCEPTED


def test_paying_through_the_page_before_acceptance_says_why(client: Client, officer: User, grant: Grant) -> None:
    client.force_login(officer)
    tranche = grant.tranches.first()
    response = client.post(
        f"/funding/manage/tranches/{tranche.pk}/pay/",
        {
            **date_boxes(f"pay-{tranche.pk}-paid_on", timezone.localdate()),
            f"pay-{tranche.pk}-payment_reference": "X1",
        },
        follow=True,
    )
    assert "payments can only be made once the group has accepted the offer" in response.content.decode()
    tranche.refresh_from_db()
    assert tranche.status == Tranche.Status.SCHEDULED


def test_an_officer_pays_through_the_page(client: Client, officer: User, accepted_grant: Grant) -> None:
    client.force_login(officer)
    tranche = accepted_grant.tranches.first()
    page = client.get(f"/funding/grants/{accepted_grant.reference}/").content.decode()
    assert "Record the payment of £1,000" in page
    response = client.post(
        f"/funding/manage/tranches/{tranche.pk}/pay/",
        {**date_boxes(f"pay-{tranche.pk}-paid_on", "not a date"), f"pay-{tranche.pk}-payment_reference": "X1"},
    )
    assert "The date paid must include a month and year" in response.content.decode()
    response = client.post(
        f"/funding/manage/tranches/{tranche.pk}/pay/",
        {
            **date_boxes(f"pay-{tranche.pk}-paid_on", timezone.localdate()),
            f"pay-{tranche.pk}-payment_reference": "X1",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "You recorded the payment of £1,000" in html
    assert "Paid so far: £1,000. Still to pay: £1,000." in html


def test_the_group_declines_through_the_page_giving_a_reason(client: Client, member: User, grant: Grant) -> None:
    client.force_login(member)
    response = client.post(f"/funding/grants/{grant.reference}/decline/", {"decline-reason": ""})
    assert "Say why, so the people affected know the reason." in response.content.decode()
    response = client.post(
        f"/funding/grants/{grant.reference}/decline/", {"decline-reason": "We lost our venue."}, follow=True
    )
    assert "You declined the offer." in response.content.decode()
    grant.refresh_from_db()
    assert grant.status == Grant.Status.DECLINED
    # The reason is kept and shown to the group and to officers.
    assert grant.status_reason == "We lost our venue."
    assert "We lost our venue." in client.get(f"/funding/grants/{grant.reference}/").content.decode()


def test_an_officer_withdraws_through_the_page_and_completing_early_says_what_is_left(
    client: Client, officer: User, accepted_grant: Grant
) -> None:
    client.force_login(officer)
    html = client.get(f"/funding/grants/{accepted_grant.reference}/").content.decode()
    assert "2 payments are still to be made." in html
    response = client.post(f"/funding/manage/grants/{accepted_grant.reference}/complete/", follow=True)
    assert "This grant cannot be completed yet." in response.content.decode()
    response = client.post(
        f"/funding/manage/grants/{accepted_grant.reference}/withdraw/", {"withdraw-reason": "The group closed."}
    )
    assert response.status_code == 302
    accepted_grant.refresh_from_db()
    assert accepted_grant.status == Grant.Status.WITHDRAWN


def test_a_payment_cannot_be_dated_before_the_award(accepted_grant: Grant, officer: User) -> None:
    with pytest.raises(FundingError) as caught:
        pay_tranche(
            tranche=accepted_grant.tranches.first(),
            paid_on=accepted_grant.award_date - timedelta(days=1),
            payment_reference="P1",
            by=officer,
        )
    assert caught.value.message_dict["paid_on"][0].startswith("The payment date cannot be before the award date")


# --- an administrator runs the platform; it does not answer an offer for a group ---------------------------


@pytest.fixture
def admin(make_user: Any, mfa_exempt: None) -> User:
    return make_user("admin", email="admin@example.org")


def test_an_administrator_who_is_not_a_member_cannot_accept_or_decline_the_offer(grant: Grant, admin: User) -> None:
    with pytest.raises(PermissionDenied, match="Only members of Abbey Lunch Club can accept or decline this offer."):
        accept_grant(grant=grant, confirmed=True, by=admin)
    with pytest.raises(PermissionDenied, match="Only members of Abbey Lunch Club can accept or decline this offer."):
        decline_grant(grant=grant, reason="Not for us.", by=admin)
    grant.refresh_from_db()
    assert (grant.status, grant.accepted_by) == (Grant.Status.OFFERED, None)


def test_an_administrator_who_is_not_a_member_is_refused_the_offer_pages(
    client: Client, grant: Grant, admin: User, member: User
) -> None:
    client.force_login(admin)
    assert client.get(f"/funding/grants/{grant.reference}/").status_code == 403
    accepting = client.post(f"/funding/grants/{grant.reference}/accept/", {"accept-confirm": "on"})
    declining = client.post(f"/funding/grants/{grant.reference}/decline/", {"decline-reason": "Not for us."})
    assert (accepting.status_code, declining.status_code) == (403, 403)
    grant.refresh_from_db()
    assert grant.status == Grant.Status.OFFERED
    # The group's own member still answers it.
    client.force_login(member)
    assert client.post(f"/funding/grants/{grant.reference}/accept/", {"accept-confirm": "on"}).status_code == 302
    grant.refresh_from_db()
    assert (grant.status, grant.accepted_by) == (Grant.Status.ACCEPTED, member)


def test_an_administrator_who_is_also_a_member_answers_for_the_group(grant: Grant, admin: User) -> None:
    grant_membership(user=admin, role=Role.GROUP_MEMBER, organisation=grant.application.organisation)
    admin = User.objects.get(pk=admin.pk)  # its roles are read once per object
    accepted = accept_grant(grant=grant, confirmed=True, by=admin)
    assert (accepted.status, accepted.accepted_by) == (Grant.Status.ACCEPTED, admin)
