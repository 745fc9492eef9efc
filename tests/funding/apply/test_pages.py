"""What applicants and officers see: where an application stands, the decision's feedback, the grant, a group's
applications and a round's list for officers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from commonweal.accounts.models import User
from commonweal.funding.apply import services
from commonweal.funding.models import Application, Assignment, Decision, Grant, Round
from commonweal.funding.workflows import APPLICATION, take
from tests.funding.apply.conftest import complete
from tests.funding.factories import ApplicantFactory, ApplicationFactory, RoundFactory

pytestmark = pytest.mark.django_db


def status_url(application: Application) -> str:
    return f"/funding/applications/{application.uuid}/"


def test_a_draft_shows_its_stages_and_a_way_to_carry_on(member_client: Client, draft: Application) -> None:
    page = member_client.get(status_url(draft)).content.decode()
    assert "Draft" in page and "In progress" in page
    assert "Continue your application" in page
    assert "Check your answers and submit" in page
    assert "Withdraw this application" in page


def test_a_submitted_application_shows_its_answers(member_client: Client, draft: Application, member: User) -> None:
    complete(draft)
    services.submit_application(application=draft, by=member)
    page = member_client.get(status_url(draft)).content.decode()
    assert "Submitted" in page
    assert "We will pick litter every month." in page
    assert "£2,000" in page
    assert "Continue your application" not in page


def test_the_decision_and_its_feedback_show_once_decided_with_a_link_to_the_grant(
    member_client: Client, draft: Application, member: User, officer: User
) -> None:
    complete(draft)
    draft = services.submit_application(application=draft, by=member)
    take(APPLICATION, draft, "assess", by=officer)
    Decision.objects.create(
        application=draft,
        outcome="approved",
        amount=Decimal("2000"),
        reasons="Strong.",
        feedback="A clear plan.",
        decided_by=officer,
    )
    before = member_client.get(status_url(draft)).content.decode()
    assert "A clear plan." not in before
    take(APPLICATION, draft, "approve", by=officer)
    Grant.objects.create(
        application=draft,
        reference="CPF-2026-0001",
        amount=Decimal("2000"),
        award_date=date(2026, 6, 1),
        offered_by=officer,
    )
    page = member_client.get(status_url(draft)).content.decode()
    assert "A clear plan." in page
    assert "Funded: £2,000" in page
    assert 'href="/funding/grants/CPF-2026-0001/"' in page


def test_my_applications_lists_the_groups_applications_with_their_status(
    member_client: Client, draft: Application
) -> None:
    page = member_client.get("/funding/applications/").content.decode()
    assert draft.reference in page
    assert "Draft" in page


def test_with_no_applications_a_group_sees_the_open_rounds(member_client: Client, round: Round) -> None:
    page = member_client.get("/funding/applications/").content.decode()
    assert "Your group has no applications yet." in page
    assert f"/funding/rounds/{round.slug}/eligibility/" in page


def test_a_resident_without_a_group_is_told_how_to_get_one(client: Client, make_user: Any, round: Round) -> None:
    client.force_login(make_user("resident"))
    page = client.get("/funding/applications/").content.decode()
    assert "Applications are made by members of a group." in page


def test_officers_see_a_rounds_applications_filtered_by_status(
    client: Client, round: Round, draft: Application, officer: User
) -> None:
    other = ApplicantFactory(name="Morden Choir")
    submitted = ApplicationFactory(
        round=round, organisation=other, created_by=officer, status="submitted", pot=round.fund.pots.first()
    )
    ApplicationFactory(round=RoundFactory(), organisation=other, created_by=officer, reference="ELSEWHERE-1")
    client.force_login(officer)
    url = f"/funding/manage/rounds/{round.slug}/applications/"
    page = client.get(url).content.decode()
    assert "All (2)" in page and "Draft (1)" in page and "Submitted (1)" in page
    assert draft.reference in page and submitted.reference in page and "ELSEWHERE-1" not in page
    assert "£2,000" in page and "Small grants" in page
    assert f'href="/funding/applications/{submitted.uuid}/"' in page
    filtered = client.get(url, {"status": "submitted"}).content.decode()
    assert submitted.reference in filtered and draft.reference not in filtered
    assert client.get(status_url(submitted)).status_code == 200


def test_group_members_cannot_see_the_officers_list_or_another_groups_application(
    member_client: Client, round: Round, officer: User
) -> None:
    assert member_client.get(f"/funding/manage/rounds/{round.slug}/applications/").status_code == 403
    theirs = ApplicationFactory(round=round, organisation=ApplicantFactory(), created_by=officer)
    response = member_client.get(status_url(theirs))
    assert response.status_code == 403
    assert member_client.get(f"/funding/applications/{theirs.uuid}/edit/").status_code == 403
    assert member_client.post(f"/funding/applications/{theirs.uuid}/autosave/", {"present": "title"}).status_code == 403


def test_an_unknown_application_is_not_found(member_client: Client) -> None:
    response = member_client.get("/funding/applications/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404


def test_the_group_and_officers_find_match_funding_from_the_application_but_its_assessor_does_not(
    client: Client, draft: Application, member: User, officer: User, make_user: Any
) -> None:
    complete(draft)
    draft = services.submit_application(application=draft, by=member)
    assessor = make_user("resident", email="assessor@example.org")
    draft.round.assessors.add(assessor)
    Assignment.objects.create(application=draft, assessor=assessor, status=Assignment.Status.CLEAR)
    match_funding = f'href="/funding/applications/{draft.uuid}/match-funding/"'
    for who, sees in ((member, True), (officer, True), (assessor, False)):
        client.force_login(who)
        response = client.get(status_url(draft))
        assert response.status_code == 200
        page = response.content.decode()
        assert (match_funding in page) is sees, who.email
        assert ("Match funding and other support" in page) is sees, who.email


def test_every_application_page_starts_home_then_funding_then_its_fund_and_round(
    member_client: Client, draft: Application
) -> None:
    page = member_client.get(status_url(draft)).content.decode()
    trail = page[page.index('class="govuk-breadcrumbs"') :]
    trail = trail[: trail.index("</nav>")]
    expected = ['href="/"', 'href="/funding/"', 'href="/funding/funds/civic-pride-fund/"']
    expected += ['href="/funding/rounds/civic-pride-2026/"', 'href="/funding/applications/"']
    positions = [trail.index(href) for href in expected]
    assert positions == sorted(positions)
