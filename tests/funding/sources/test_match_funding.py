"""Match funding: the group that applied, and officers, record money and support from beyond the council."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from commonweal.accounts.models import Organisation, User
from commonweal.funding.models import Application, MatchFunding
from tests.funding.factories import ApplicationFactory
from tests.funding.sources.conftest import HOSTILE
from tests.funding.sources.factories import SourceFactory, make_grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(group: Organisation, member: User) -> Application:
    return ApplicationFactory(organisation=group, created_by=member, title="Homework club")


def url(application: Application) -> str:
    return f"/funding/applications/{application.uuid}/match-funding/"


def good(**more: Any) -> dict[str, str]:
    return {"kind": "match", "status": "secured", "funder": "Wimbledon Foundation", "amount": "2500", **more}


def test_the_group_records_match_funding_and_sees_the_totals(
    client: Client, member: User, application: Application
) -> None:
    client.force_login(member)
    response = client.post(url(application), good())
    assert response.status_code == 302
    client.post(url(application), good(kind="in_kind", funder="Local hall", amount="500"))
    client.post(url(application), good(kind="external", status="pending", funder="Big Trust", amount="10000"))
    page = client.get(url(application))
    text = page.content.decode()
    assert page.context["secured"] == Decimal("3000")
    assert page.context["pending"] == Decimal("10000")
    assert "You recorded £2,500 from Wimbledon Foundation." in text
    assert "Wimbledon Foundation" in text and "£3,000" in text and "£10,000" in text


def test_the_leverage_of_a_funded_application_is_shown(client: Client, member: User, group: Organisation) -> None:
    grant = make_grant(amount="2000", by=member, organisation=group)
    MatchFunding.objects.create(application=grant.application, funder="Trust", amount=Decimal("3000"))
    client.force_login(member)
    response = client.get(url(grant.application))
    assert response.context["ratio"] == Decimal("1.50")
    assert "£1.50" in response.content.decode()


def test_a_programme_in_the_register_gives_the_funder_and_its_identifier(
    client: Client, member: User, application: Application
) -> None:
    source = SourceFactory(funder="City Bridge Foundation", funder_org_id="GB-CHC-1035628")
    client.force_login(member)
    client.post(url(application), good(funder="", source=str(source.pk)))
    row = MatchFunding.objects.get()
    assert (row.funder, row.funder_org_id, row.source) == ("City Bridge Foundation", "GB-CHC-1035628", source)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"amount": "0"}, "amount", "Enter an amount more than £0."),
        ({"amount": ""}, "amount", "Enter the amount in pounds, e.g. 1500."),
        ({"amount": "£lots"}, "amount", "The amount must be an amount of money"),
        ({"funder": ""}, "funder", "Enter who the money or support comes from."),
        ({"kind": ""}, "kind", "Choose match funding, other external funding or in kind."),
        ({"status": ""}, "status", "Choose whether it is applied for or secured."),
        ({"funder_org_id": "GB-COH-1"}, "funder_org_id", "A company number is 8 characters"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(
    client: Client, member: User, application: Application, change: dict, field: str, message: str
) -> None:
    client.force_login(member)
    response = client.post(url(application), good(**change))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not MatchFunding.objects.exists()


def test_a_row_recorded_in_error_can_be_removed(client: Client, member: User, application: Application) -> None:
    row = MatchFunding.objects.create(application=application, funder="Oops", amount=Decimal("1"))
    client.force_login(member)
    response = client.post(url(application), {"remove": str(row.pk)})
    assert response.status_code == 302
    assert not MatchFunding.objects.exists()
    # A second click finds nothing left to remove and says so.
    client.post(url(application), {"remove": str(row.pk)})
    assert "That row had already been removed." in client.get(url(application)).content.decode()


def test_an_officer_may_record_for_any_application(officer_client: Client, application: Application) -> None:
    assert officer_client.post(url(application), good()).status_code == 302
    assert MatchFunding.objects.get().recorded_by is not None


def test_another_group_cannot_see_or_change_it(client: Client, make_user: Any, application: Application) -> None:
    row = MatchFunding.objects.create(application=application, funder="Trust", amount=Decimal("10"))
    client.force_login(make_user("group_member"))
    response = client.get(url(application))
    assert response.status_code == 403
    assert "Only the group that applied and council officers" in response.content.decode()
    assert client.post(url(application), {"remove": str(row.pk)}).status_code == 403
    assert MatchFunding.objects.filter(pk=row.pk).exists()


def test_a_row_of_another_application_cannot_be_removed_through_this_one(
    client: Client, member: User, application: Application, make_user: Any
) -> None:
    other = ApplicationFactory(created_by=member)
    row = MatchFunding.objects.create(application=other, funder="Trust", amount=Decimal("10"))
    client.force_login(member)
    client.post(url(application), {"remove": str(row.pk)})
    assert MatchFunding.objects.filter(pk=row.pk).exists()


def test_hostile_funder_names_are_shown_as_text(client: Client, member: User, application: Application) -> None:
    client.force_login(member)
    client.post(url(application), good(funder=HOSTILE))
    page = client.get(url(application)).content.decode()
    assert "<script>alert" not in page and "<bdi>&lt;script&gt;" in page


def test_a_double_click_records_the_money_once(client: Client, member: User, application: Application) -> None:
    client.force_login(member)
    client.post(url(application), good())
    response = client.post(url(application), good())
    assert "You have already recorded £2,500 from Wimbledon Foundation like this." in response.content.decode()
    assert MatchFunding.objects.count() == 1
