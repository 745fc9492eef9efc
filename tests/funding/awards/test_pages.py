"""Who sees what: the grant page for its group and officers only, the officers' list of grants with its
counts, filters and flags, and hostile names shown as text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from commonweal.accounts.models import User
from commonweal.funding.models import Grant, MonitoringReport
from tests.funding.awards.conftest import HOSTILE
from tests.funding.awards.helpers import approved_application, offered_grant
from tests.funding.factories import ApplicantFactory


def test_the_group_sees_its_offer_letter_and_how_to_answer(client: Client, member: User, grant: Grant) -> None:
    client.force_login(member)
    html = client.get(f"/funding/grants/{grant.reference}/").content.decode()
    assert "The council offers <bdi>Abbey Lunch Club</bdi> this grant." in html
    assert "£2,000" in html
    assert "Spend the grant on the project described.<br>Send your reports on time." in html
    assert "Accept the grant" in html
    assert "Decline the offer" in html
    assert "Record the payment" not in html


def test_an_officer_sees_the_grant_but_cannot_answer_for_the_group(client: Client, officer: User, grant: Grant) -> None:
    client.force_login(officer)
    html = client.get(f"/funding/grants/{grant.reference}/").content.decode()
    assert "Waiting for the group to accept the offer." in html
    assert "Accept the grant" not in html
    response = client.post(f"/funding/grants/{grant.reference}/accept/", {"accept-confirm": "on"})
    assert response.status_code == 403
    assert "Only members of Abbey Lunch Club can accept or decline this offer." in response.content.decode()


@pytest.mark.parametrize("role", ["resident", "champion", "steward"])
def test_nobody_else_sees_a_grant(client: Client, make_user: Callable[..., User], grant: Grant, role: str) -> None:
    client.force_login(make_user(role))
    response = client.get(f"/funding/grants/{grant.reference}/")
    assert response.status_code == 403
    assert "Only council officers and members of the organisation" in response.content.decode()


def test_another_groups_member_cannot_see_or_fill_the_report(client: Client, outsider: User, grant: Grant) -> None:
    client.force_login(outsider)
    report = grant.reports.first()
    assert client.get(f"/funding/grants/{grant.reference}/reports/{report.pk}/").status_code == 403
    assert client.post(f"/funding/grants/{grant.reference}/reports/{report.pk}/", {}).status_code == 403


def test_group_members_cannot_open_the_officers_pages(client: Client, member: User, grant: Grant) -> None:
    client.force_login(member)
    assert client.get("/funding/manage/grants/").status_code == 403
    assert client.get(f"/funding/manage/applications/{grant.application.uuid}/offer/").status_code == 403
    tranche = grant.tranches.first()
    assert client.post(f"/funding/manage/tranches/{tranche.pk}/pay/", {}).status_code == 403


def test_an_unknown_grant_is_not_found(client: Client, officer: User) -> None:
    client.force_login(officer)
    assert client.get("/funding/grants/NOPE-1/").status_code == 404


def test_the_officers_list_counts_and_flags_late_and_missing_reports(
    client: Client, officer: User, member: User, accepted_grant: Grant, grant: Grant
) -> None:
    reports = list(accepted_grant.reports.order_by("due_on"))
    today = timezone.localdate()
    MonitoringReport.objects.filter(pk=reports[0].pk).update(due_on=today - timedelta(days=40))
    MonitoringReport.objects.filter(pk=reports[1].pk).update(due_on=today - timedelta(days=2))
    other = approved_application(
        organisation=ApplicantFactory(name="Colliers Wood Gardeners"), created_by=member, decided_by=officer
    )
    offered = offered_grant(application=other, by=officer)
    waiting = approved_application(
        organisation=ApplicantFactory(name="Pollards Hill Youth"), created_by=member, decided_by=officer
    )
    client.force_login(officer)

    html = client.get("/funding/manage/grants/").content.decode()
    assert "1 missing" in html
    assert "1 late" in html
    assert "Colliers Wood Gardeners" in html
    assert f"/funding/manage/applications/{waiting.uuid}/offer/" in html

    late = client.get("/funding/manage/grants/?show=late").content.decode()
    assert accepted_grant.reference in late
    assert offered.reference not in late

    awaiting = client.get("/funding/manage/grants/?show=awaiting").content.decode()
    assert offered.reference in awaiting
    assert f">{accepted_grant.reference}<" not in awaiting

    due = client.get("/funding/manage/grants/?show=due").content.decode()
    assert accepted_grant.reference in due  # its first payment is due today


def test_the_officers_list_shows_what_was_paid_and_the_next_payment(
    client: Client, officer: User, accepted_grant: Grant
) -> None:
    from commonweal.funding.awards.services import pay_tranche

    first = accepted_grant.tranches.order_by("due_on").first()
    pay_tranche(tranche=first, paid_on=timezone.localdate(), payment_reference="P1", by=officer)
    client.force_login(officer)
    response = client.get("/funding/manage/grants/")
    row = next(g for g in response.context["page"].object_list if g.pk == accepted_grant.pk)
    assert row.paid_total == first.amount
    assert row.next_due_on == accepted_grant.tranches.order_by("due_on").last().due_on


def test_hostile_names_are_shown_as_text(client: Client, officer: User, make_user: Callable[..., User]) -> None:
    group = ApplicantFactory(name=HOSTILE + "x" * 100)
    member = make_user("group_member", organisation=group)
    application = approved_application(organisation=group, created_by=member, decided_by=officer, title=HOSTILE)
    grant = offered_grant(application=application, by=officer)
    waiting = approved_application(organisation=group, created_by=member, decided_by=officer, title=HOSTILE)
    client.force_login(officer)
    for url in (
        f"/funding/manage/applications/{waiting.uuid}/offer/",
        f"/funding/grants/{grant.reference}/",
        "/funding/manage/grants/",
        f"/funding/grants/{grant.reference}/reports/{grant.reports.first().pk}/",
    ):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<bdi>&lt;script&gt;" in html, url
