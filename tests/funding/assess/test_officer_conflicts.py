"""Conflicts bind officers too: an officer who declared a conflict of interest in an application, or who is a
member of the group that applied, cannot see its scores, decide it, offer it a grant or keep its match funding,
through the page (403 saying why) or the service (refused). An officer without a conflict is unaffected."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from commonweal.accounts.models import Membership, User
from commonweal.accounts.roles import Role
from commonweal.accounts.services import grant_membership
from commonweal.funding.assess.services import record_decision
from commonweal.funding.awards.services import offer_grant
from commonweal.funding.models import Application, Assignment, Decision, Grant, MatchFunding
from commonweal.funding.permissions import CONFLICT_DECLARED, conflict_with
from commonweal.funding.sources.services import record_match_funding
from tests.funding.assess.conftest import assign
from tests.funding.awards.helpers import approved_application

pytestmark = pytest.mark.django_db

CONFLICTED = "conflicted"
MEMBER = "member of the applicant"


def _officer(make_user: Callable[..., User], n: int) -> User:
    return make_user("officer", email=f"officer{n}@example.org")


def _bind(kind: str, officer: User, application: Application) -> None:
    """Give the officer the conflict named by `kind` with the application."""
    if kind == CONFLICTED:
        assign(application, officer, Assignment.Status.CONFLICTED)
    else:
        grant_membership(user=officer, role=Role.GROUP_MEMBER, organisation=application.organisation)


def _in_assessment(submit: Callable[..., Application], round: Any) -> Application:
    application = submit(round)
    Application.objects.filter(pk=application.pk).update(status=Application.Status.IN_ASSESSMENT)
    application.refresh_from_db()
    return application


def _decide_url(application: Application) -> str:
    return f"/funding/manage/applications/{application.uuid}/decide/"


def _decision_form() -> dict[str, str]:
    return {"outcome": "approved", "amount": "1500", "reasons": "Clear need.", "feedback": "Well planned."}


@pytest.mark.parametrize("kind", [CONFLICTED, MEMBER])
def test_a_conflicted_officer_cannot_open_or_post_the_decide_page(
    kind: str, client: Client, make_user: Callable[..., User], submit: Callable[..., Application], scoring_round: Any
) -> None:
    application = _in_assessment(submit, scoring_round)
    officer = _officer(make_user, 1)
    _bind(kind, officer, application)
    client.force_login(officer)
    page = client.get(_decide_url(application))
    assert page.status_code == 403
    expected = CONFLICT_DECLARED if kind == CONFLICTED else application.organisation.name
    assert expected in page.content.decode()
    assert client.post(_decide_url(application), _decision_form()).status_code == 403
    assert not Decision.objects.filter(application=application).exists()


@pytest.mark.parametrize("kind", [CONFLICTED, MEMBER])
def test_the_decision_service_refuses_a_conflicted_officer(
    kind: str, make_user: Callable[..., User], submit: Callable[..., Application], scoring_round: Any
) -> None:
    application = _in_assessment(submit, scoring_round)
    officer = _officer(make_user, 1)
    _bind(kind, officer, application)
    with pytest.raises(PermissionDenied) as refused:
        record_decision(application=application, by=officer, **_decision_form())
    assert str(refused.value) == conflict_with(officer, application)
    assert not Decision.objects.filter(application=application).exists()


def test_an_officer_without_a_conflict_still_decides(
    client: Client, make_user: Callable[..., User], submit: Callable[..., Application], scoring_round: Any
) -> None:
    application = _in_assessment(submit, scoring_round)
    officer = _officer(make_user, 1)
    other = _officer(make_user, 2)
    _bind(CONFLICTED, other, application)  # someone else's conflict binds only them
    assign(application, officer, Assignment.Status.CLEAR)  # assessing it is no conflict
    assert conflict_with(officer, application) is None
    client.force_login(officer)
    assert client.get(_decide_url(application)).status_code == 200
    assert client.post(_decide_url(application), _decision_form()).status_code == 302
    assert Decision.objects.get(application=application).outcome == Decision.Outcome.APPROVED


# --- the offer ----------------------------------------------------------------------------------------


def _approved(make_user: Callable[..., User], scoring_round: Any) -> Application:
    from tests.funding.factories import ApplicantFactory

    organisation = ApplicantFactory()
    member = make_user("group_member", organisation=organisation)
    decider = _officer(make_user, 9)
    return approved_application(organisation=organisation, created_by=member, decided_by=decider, round=scoring_round)


def _offer(application: Application, by: User) -> Grant:
    today = timezone.localdate()
    return offer_grant(
        application=application,
        amount=Decimal("2000"),
        award_date=today,
        conditions="",
        starts_on=application.starts_on,
        ends_on=application.ends_on,
        tranches=[{"due_on": today, "amount": Decimal("2000")}],
        reports=[{"title": "Final report", "due_on": application.ends_on}],
        by=by,
    )


@pytest.mark.parametrize("kind", [CONFLICTED, MEMBER])
def test_a_conflicted_officer_cannot_offer_a_grant(
    kind: str, client: Client, make_user: Callable[..., User], scoring_round: Any
) -> None:
    application = _approved(make_user, scoring_round)
    officer = _officer(make_user, 1)
    _bind(kind, officer, application)
    client.force_login(officer)
    url = f"/funding/manage/applications/{application.uuid}/offer/"
    page = client.get(url)
    assert page.status_code == 403
    assert "cannot see its scores, decide it" in page.content.decode()
    assert client.post(url, {"action": "offer", "amount": "2000"}).status_code == 403
    with pytest.raises(PermissionDenied):
        _offer(application, officer)
    assert not Grant.objects.filter(application=application).exists()


def test_an_officer_without_a_conflict_still_offers(
    client: Client, make_user: Callable[..., User], scoring_round: Any
) -> None:
    application = _approved(make_user, scoring_round)
    officer = _officer(make_user, 1)
    client.force_login(officer)
    assert client.get(f"/funding/manage/applications/{application.uuid}/offer/").status_code == 200
    assert _offer(application, officer).amount == Decimal("2000")


# --- match funding -------------------------------------------------------------------------------------


def _match_url(application: Application) -> str:
    return f"/funding/applications/{application.uuid}/match-funding/"


def _match(**more: Any) -> dict[str, Any]:
    return {"kind": "match", "status": "secured", "funder": "Wimbledon Foundation", "amount": "2500", **more}


def test_an_officer_who_declared_a_conflict_cannot_see_or_keep_match_funding(
    client: Client, make_user: Callable[..., User], submit: Callable[..., Application], scoring_round: Any
) -> None:
    application = _in_assessment(submit, scoring_round)
    officer = _officer(make_user, 1)
    _bind(CONFLICTED, officer, application)
    client.force_login(officer)
    page = client.get(_match_url(application))
    assert page.status_code == 403
    assert CONFLICT_DECLARED in page.content.decode()
    assert client.post(_match_url(application), _match()).status_code == 403
    with pytest.raises(PermissionDenied):
        record_match_funding(
            application=application,
            source=None,
            funder_org_id="",
            by=officer,
            **{k: v for k, v in _match().items() if k != "amount"},
            amount=Decimal("2500"),
        )
    assert not MatchFunding.objects.filter(application=application).exists()


def test_an_officer_in_the_group_keeps_its_match_funding_as_a_member(
    client: Client, make_user: Callable[..., User], submit: Callable[..., Application], scoring_round: Any
) -> None:
    """A member of the group keeps their own group's record as any member does; only judging it is barred."""
    application = _in_assessment(submit, scoring_round)
    officer = _officer(make_user, 1)
    _bind(MEMBER, officer, application)
    assert Membership.objects.filter(user=officer, organisation=application.organisation).exists()
    client.force_login(officer)
    assert client.get(_match_url(application)).status_code == 200
    assert client.post(_match_url(application), _match()).status_code == 302


def test_an_officer_without_a_conflict_still_sees_match_funding(
    client: Client, make_user: Callable[..., User], submit: Callable[..., Application], scoring_round: Any
) -> None:
    application = _in_assessment(submit, scoring_round)
    client.force_login(_officer(make_user, 1))
    assert client.get(_match_url(application)).status_code == 200
    assert client.post(_match_url(application), _match()).status_code == 302


# --- moderation: one application's figures ---------------------------------------------------------------


@pytest.mark.parametrize("kind", [CONFLICTED, MEMBER])
def test_the_moderation_page_hides_the_figures_of_an_application_the_officer_has_a_conflict_with(
    kind: str, client: Client, make_user: Callable[..., User], submit: Callable[..., Application], scoring_round: Any
) -> None:
    bound = _in_assessment(submit, scoring_round)
    free = _in_assessment(submit, scoring_round)
    officer = _officer(make_user, 1)
    _bind(kind, officer, bound)
    client.force_login(officer)
    page = client.get(f"/funding/manage/rounds/{scoring_round.slug}/moderation/").content.decode()
    assert _decide_url(bound) not in page
    assert _decide_url(free) in page
    assert page.count('data-testid="conflicted"') == 1
    assert "its scores are not shown to you" in page
    client.force_login(_officer(make_user, 2))
    page = client.get(f"/funding/manage/rounds/{scoring_round.slug}/moderation/").content.decode()
    assert _decide_url(bound) in page and 'data-testid="conflicted"' not in page
