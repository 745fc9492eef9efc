"""The demo fund fills the funding screens: each demo account opens its pages and finds the demo's records."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.models import User
from commonweal.funding.demo import CLOSED_SLUG, DRAFT_SLUG, FUND_SLUG, OPEN_SLUG
from commonweal.funding.models import Application, Assignment, CommunityNeed, FundingSource, Grant, MonitoringReport
from commonweal.funding.opendata.giving360 import build_package, validate_package
from commonweal.funding.opendata.giving360_quality import check_grants

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_borough: Any, mfa_exempt: None) -> Any:
    return demo_borough


def client_for(email: str | None) -> Client:
    client = Client()
    if email:
        client.force_login(User.objects.get(email=email))
    return client


def page(client: Client, name: str, *args: Any) -> str:
    response = client.get(reverse(f"funding:{name}", args=args))
    assert response.status_code == 200, (name, args, response.status_code)
    return response.content.decode()


def test_residents_see_the_fund_its_rounds_sources_needs_and_where_the_money_went(demo: Any) -> None:
    anyone = client_for(None)
    assert "Civic Pride Fund (demo)" in page(anyone, "index")
    assert "Second round (demo)" in page(anyone, "fund", FUND_SLUG)
    page(anyone, "round", OPEN_SLUG)
    page(anyone, "round", CLOSED_SLUG)
    assert "National Lottery" in page(anyone, "sources")
    source = FundingSource.objects.filter(is_demo=True).first()
    assert source is not None
    page(anyone, "source", source.pk)
    need = CommunityNeed.objects.filter(is_demo=True, status="open").first()
    assert need is not None
    assert need.title in page(anyone, "needs")
    page(anyone, "need", need.pk)
    page(anyone, "where_money_went")
    page(anyone, "open_data")


def test_the_group_member_finds_their_application_grant_and_a_report_to_write(demo: Any) -> None:
    group = client_for("group@demo.commonweal.test")
    mine = page(group, "my_applications")
    submitted = Application.objects.get(round__slug=OPEN_SLUG, organisation__name="Wandle Valley Food Share (demo)")
    assert submitted.reference in mine or submitted.title in mine
    page(group, "application", submitted.uuid)
    grant = Grant.objects.get(application__round__slug=CLOSED_SLUG, application__organisation=submitted.organisation)
    page(group, "grant", grant.reference)
    due = grant.reports.filter(status=MonitoringReport.Status.DUE).first()
    assert due is not None
    page(group, "report", grant.reference, due.pk)
    page(group, "round", DRAFT_SLUG)


def test_the_informal_group_has_an_offer_to_accept(demo: Any) -> None:
    informal = client_for("informal@demo.commonweal.test")
    grant = Grant.objects.get(status=Grant.Status.OFFERED, is_demo=True)
    assert "accept" in page(informal, "grant", grant.reference).lower()
    page(informal, "eligibility", OPEN_SLUG)


def test_the_officer_finds_applications_moderation_grants_and_leverage(demo: Any) -> None:
    officer = client_for("officer@demo.commonweal.test")
    page(officer, "manage")
    page(officer, "round_manage", CLOSED_SLUG)
    page(officer, "round_applications", CLOSED_SLUG)
    page(officer, "assessors", CLOSED_SLUG)
    page(officer, "moderation", CLOSED_SLUG)
    page(officer, "grants_manage")
    page(officer, "leverage")
    decided = Application.objects.filter(round__slug=CLOSED_SLUG, status="approved").first()
    assert decided is not None
    page(officer, "application", decided.uuid)


def test_the_vcs_representative_sees_their_assessments_and_cannot_open_the_conflicted_one(demo: Any) -> None:
    vcs = client_for("vcs@demo.commonweal.test")
    page(vcs, "my_assessments")
    conflicted = Assignment.objects.get(status=Assignment.Status.CONFLICTED, application__round__slug=CLOSED_SLUG)
    response = vcs.get(reverse("funding:score", args=[conflicted.pk]))
    assert response.status_code == 403


def test_the_demos_grants_publish_as_valid_360giving_with_no_quality_warnings(demo: Any) -> None:
    package = build_package()
    published = Grant.objects.filter(is_demo=True, status__in=[Grant.Status.ACCEPTED, Grant.Status.COMPLETED])
    assert len(package["grants"]) == published.count() >= 10
    assert validate_package(package) == []
    assert [w.message for w in check_grants(package["grants"], today=timezone.localdate())] == []
