"""An officer offers an approved application its grant: payments that add up to the award exactly, the reports
the group must send, one grant per application."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from commonweal.accounts.models import User
from commonweal.funding.awards.queries import offer_refusal
from commonweal.funding.awards.services import equal_tranches, grant_reference, offer_grant, report_schedule
from commonweal.funding.errors import FundingError, WorkflowError
from commonweal.funding.models import Application, Decision, Grant, MonitoringReport, Tranche
from tests.dates import date_boxes
from tests.funding.awards.helpers import approved_application, offered_grant

TODAY = date(2027, 1, 15)


def offer(application: Application, by: User, **overrides: Any) -> Grant:
    today = timezone.localdate()
    values: dict[str, Any] = {
        "application": application,
        "amount": Decimal("2000"),
        "award_date": today,
        "conditions": "Spend it on the project.",
        "starts_on": today,
        "ends_on": today + timedelta(days=365),
        "tranches": [{"due_on": today, "amount": Decimal("1000")}, {"due_on": today, "amount": Decimal("1000")}],
        "reports": [{"title": "Final report", "due_on": today + timedelta(days=400)}],
        "by": by,
    }
    values.update(overrides)
    return offer_grant(**values)


def test_an_offer_creates_the_grant_its_payments_and_its_reports_together(
    application: Application, officer: User
) -> None:
    grant = offered_grant(application=application, by=officer)

    assert grant.status == Grant.Status.OFFERED
    assert grant.reference == application.reference
    assert grant.amount == Decimal("2000")
    assert [t.amount for t in grant.tranches.all()] == [Decimal("1000"), Decimal("1000")]
    assert [r.title for r in grant.reports.all()] == ["Progress report", "Final report"]
    assert all(r.status == MonitoringReport.Status.DUE for r in grant.reports.all())


def test_payments_that_do_not_add_up_to_the_award_are_refused_saying_the_difference(
    application: Application, officer: User
) -> None:
    today = timezone.localdate()
    with pytest.raises(FundingError) as caught:
        offer(
            application,
            officer,
            tranches=[{"due_on": today, "amount": Decimal("1000")}, {"due_on": today, "amount": Decimal("750.50")}],
        )
    assert caught.value.message_dict["tranches"] == [
        "The payments add up to £1,750.50, £249.50 less than the award of £2,000. "
        "Change them so they add up to the award exactly."
    ]
    assert not Grant.objects.exists()
    assert not Tranche.objects.exists()


def test_payments_over_the_award_are_refused_too(application: Application, officer: User) -> None:
    today = timezone.localdate()
    with pytest.raises(FundingError) as caught:
        offer(application, officer, tranches=[{"due_on": today, "amount": Decimal("2500")}])
    assert "£500 more than the award of £2,000" in caught.value.message_dict["tranches"][0]


def test_an_offer_needs_an_amount_a_payment_and_a_report(application: Application, officer: User) -> None:
    with pytest.raises(FundingError) as caught:
        offer(application, officer, amount=None, award_date=None, tranches=[], reports=[])
    errors = caught.value.message_dict
    assert errors["amount"] == ["Enter the amount of the grant in pounds, like 2500."]
    assert errors["award_date"] == ["Enter the date of the award."]
    assert errors["tranches"] == ["Add at least one payment: a due date and an amount."]
    assert errors["reports"] == ["Add at least one monitoring report: a title and a due date."]


def test_the_planned_end_cannot_come_before_the_start(application: Application, officer: User) -> None:
    today = timezone.localdate()
    with pytest.raises(FundingError) as caught:
        offer(application, officer, starts_on=today, ends_on=today - timedelta(days=1))
    assert caught.value.message_dict["ends_on"] == ["The planned end must be on or after the planned start."]


def test_a_second_offer_says_one_exists(application: Application, officer: User) -> None:
    offer(application, officer)
    with pytest.raises(WorkflowError, match="A grant has already been offered for this application."):
        offer(application, officer)
    assert Grant.objects.count() == 1
    assert Tranche.objects.count() == 2


def test_only_an_approved_application_can_be_offered_a_grant(application: Application, officer: User) -> None:
    Application.objects.filter(pk=application.pk).update(status=Application.Status.IN_ASSESSMENT)
    application.refresh_from_db()
    with pytest.raises(WorkflowError, match="Only an application the panel approved"):
        offer(application, officer)


def test_an_application_approved_without_the_panels_approval_is_refused_by_the_page_and_the_service(
    client: Client, application: Application, officer: User
) -> None:
    """offer_refusal is the one rule: the offer page shows its refusal, offer_grant raises it."""
    assert offer_refusal(application) is None
    Decision.objects.filter(application=application).update(outcome=Decision.Outcome.REJECTED)
    refused = "Only an application the panel approved can be offered a grant."
    assert offer_refusal(application) == refused
    with pytest.raises(WorkflowError, match=refused):
        offer(application, officer)
    client.force_login(officer)
    page = client.get(f"/funding/manage/applications/{application.uuid}/offer/").content.decode()
    assert refused in page and "Offer the grant" not in page
    assert not Grant.objects.exists()


def test_a_group_member_cannot_offer_a_grant(application: Application, member: User) -> None:
    with pytest.raises(PermissionDenied):
        offer(application, member)


def test_the_grant_reference_is_safe_for_a_360giving_id(group: Any, member: User, officer: User) -> None:
    application = approved_application(
        organisation=group, created_by=member, decided_by=officer, reference="CPF/2027 #12"
    )
    assert grant_reference(application) == "CPF-2027-12"
    assert offer(application, officer).reference == "CPF-2027-12"


def test_splitting_into_equal_tranches_adds_up_to_the_penny() -> None:
    planned = equal_tranches(Decimal("1000"), 3, first_due=TODAY, last_due=date(2027, 12, 31))
    assert [p.amount for p in planned] == [Decimal("333.34"), Decimal("333.33"), Decimal("333.33")]
    assert sum(p.amount for p in planned) == Decimal("1000")
    assert planned[0].due_on == TODAY
    assert planned[0].due_on < planned[1].due_on < planned[2].due_on < date(2027, 12, 31)


def test_without_an_end_date_tranches_fall_a_month_apart() -> None:
    planned = equal_tranches(Decimal("900"), 3, first_due=date(2027, 1, 31), last_due=None)
    assert [p.due_on for p in planned] == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31)]


def test_a_report_every_six_months_until_the_end_and_a_final_report() -> None:
    planned = report_schedule(starts_on=date(2027, 4, 1), ends_on=date(2028, 3, 31), every_months=6)
    assert [(p.title, p.due_on) for p in planned] == [
        ("Progress report 1", date(2027, 10, 1)),
        ("Final report", date(2028, 4, 30)),
    ]
    quarterly = report_schedule(starts_on=date(2027, 4, 1), ends_on=date(2028, 3, 31), every_months=3)
    assert [p.title for p in quarterly] == [
        "Progress report 1",
        "Progress report 2",
        "Progress report 3",
        "Final report",
    ]


# --- the offer page ---------------------------------------------------------------------------------------


def _offer_post(**extra: str) -> dict[str, str]:
    data = {
        "amount": "2,000",
        **date_boxes("award_date", "15/1/2027"),
        **date_boxes("starts_on", "1/4/2027"),
        **date_boxes("ends_on", "31/3/2028"),
        "conditions": "Spend it on the project.",
        "split_count": "2",
        "report_every": "6",
        "tranche-rows": "2",
        **date_boxes("tranche-1-due_on", "1/4/2027"),
        "tranche-1-amount": "1000",
        **date_boxes("tranche-2-due_on", "1/10/2027"),
        "tranche-2-amount": "1000",
        "report-rows": "3",
        "report-1-title": "Progress report",
        **date_boxes("report-1-due_on", "1/10/2027"),
        "report-2-title": "Final report",
        **date_boxes("report-2-due_on", "30/4/2028"),
        "action": "offer",
    }
    data.update(extra)
    return data


def test_the_offer_page_starts_with_the_panels_amount(client: Client, officer: User, application: Application) -> None:
    client.force_login(officer)
    response = client.get(f"/funding/manage/applications/{application.uuid}/offer/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="2000.00"' in html or 'value="2000"' in html
    assert "Offer a grant" in html


def test_an_officer_offers_a_grant_through_the_page(client: Client, officer: User, application: Application) -> None:
    client.force_login(officer)
    response = client.post(f"/funding/manage/applications/{application.uuid}/offer/", _offer_post())
    grant = Grant.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/funding/grants/{grant.reference}/"
    assert grant.starts_on == date(2027, 4, 1)
    assert [r.due_on for r in grant.reports.all()] == [date(2027, 10, 1), date(2028, 4, 30)]


def test_the_page_says_the_difference_and_keeps_what_was_typed(
    client: Client, officer: User, application: Application
) -> None:
    client.force_login(officer)
    response = client.post(
        f"/funding/manage/applications/{application.uuid}/offer/", _offer_post(**{"tranche-2-amount": "900"})
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The payments add up to £1,900, £100 less than the award of £2,000." in html
    assert 'value="900"' in html
    assert not Grant.objects.exists()


def test_split_fills_equal_payments_without_offering(client: Client, officer: User, application: Application) -> None:
    client.force_login(officer)
    response = client.post(
        f"/funding/manage/applications/{application.uuid}/offer/",
        _offer_post(action="split", split_count="3", amount="1000"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('value="333.33"') == 2
    assert 'value="333.34"' in html
    assert not Grant.objects.exists()


def test_plan_the_reports_fills_a_schedule(client: Client, officer: User, application: Application) -> None:
    client.force_login(officer)
    response = client.post(
        f"/funding/manage/applications/{application.uuid}/offer/", _offer_post(action="schedule", report_every="3")
    )
    html = response.content.decode()
    assert 'value="Progress report 3"' in html
    assert 'value="Final report"' in html
    assert 'name="report-4-due_on_day" value="30"' in html and 'name="report-4-due_on_year" value="2028"' in html


def test_add_another_payment_gives_one_more_row(client: Client, officer: User, application: Application) -> None:
    client.force_login(officer)
    response = client.post(f"/funding/manage/applications/{application.uuid}/offer/", _offer_post(action="add_tranche"))
    assert 'name="tranche-3-amount"' in response.content.decode()
    assert 'name="tranche-rows" value="3"' in response.content.decode()


def test_a_second_offer_page_says_a_grant_exists(client: Client, officer: User, grant: Grant) -> None:
    client.force_login(officer)
    response = client.get(f"/funding/manage/applications/{grant.application.uuid}/offer/")
    assert "A grant has already been offered for application" in response.content.decode()
    response = client.post(f"/funding/manage/applications/{grant.application.uuid}/offer/", _offer_post())
    assert Grant.objects.count() == 1


def test_the_offer_page_refuses_an_application_the_panel_did_not_approve(
    client: Client, officer: User, application: Application
) -> None:
    Application.objects.filter(pk=application.pk).update(status=Application.Status.REJECTED)
    client.force_login(officer)
    response = client.get(f"/funding/manage/applications/{application.uuid}/offer/")
    assert "Only an application the panel approved can be offered a grant." in response.content.decode()
    assert "Offer the grant" not in response.content.decode()
