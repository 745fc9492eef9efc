"""An officer chooses an application's assessors by hand, within the same rules as automatic assignment, and
nobody is given applications before the round closes unless an officer says why, which is kept."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from commonweal.accounts.models import User
from commonweal.accounts.roles import Role
from commonweal.accounts.services import grant_membership
from commonweal.funding.assess.services import assign_assessors, assign_by_hand, candidates_for
from commonweal.funding.models import Application, ApplicationEvent, Assignment, Round

from .conftest import assign

pytestmark = pytest.mark.django_db


def _open(round: Round) -> None:
    Round.objects.filter(pk=round.pk).update(closes_at=timezone.now() + timedelta(days=3))
    round.refresh_from_db()


def test_the_officer_picks_two_assessors_and_the_application_goes_for_assessment(
    scoring_round: Round, officer: User, assessors: list[User], submit: Callable[..., Application]
) -> None:
    application = submit(scoring_round)
    made = assign_by_hand(application=application, assessors=[assessors[0].pk, assessors[2].pk], by=officer)
    assert {a.assessor_id for a in made} == {assessors[0].pk, assessors[2].pk}
    assert all(a.chosen_by_hand and a.early_reason == "" for a in made)
    application.refresh_from_db()
    assert application.status == Application.Status.IN_ASSESSMENT
    # The same audit trail as automatic assignment: a 'created' entry for each, in the officer's name.
    entries = LogEntry.objects.get_for_objects(Assignment.objects.filter(application=application))
    assert entries.count() == 2 and {e.actor_id for e in entries} == {officer.pk}


def test_a_member_of_the_applicant_or_a_conflicted_assessor_cannot_be_picked(
    scoring_round: Round, officer: User, assessors: list[User], submit: Callable[..., Application]
) -> None:
    application = submit(scoring_round)
    grant_membership(user=assessors[0], role=Role.GROUP_MEMBER, organisation=application.organisation)
    assign(application, assessors[1], status=Assignment.Status.CONFLICTED)
    refusals = {c.user.pk: c.refusal for c in candidates_for(application)}
    assert refusals[assessors[0].pk] == f"A member of {application.organisation.name}"
    assert refusals[assessors[1].pk] == "Declared a conflict of interest in this application"
    assert refusals[assessors[2].pk] == ""
    with pytest.raises(ValidationError) as refused:
        assign_by_hand(application=application, assessors=[assessors[0].pk, assessors[2].pk], by=officer)
    assert "cannot assess this application: a member of" in refused.value.message_dict["assessors"][0]
    # Nothing half-done: the one who could have been given it was not.
    assert not Assignment.objects.filter(application=application, assessor=assessors[2]).exists()


def test_someone_outside_the_pool_cannot_be_picked(
    scoring_round: Round, officer: User, make_user: Callable[..., User], submit: Callable[..., Application]
) -> None:
    outsider = make_user("resident")
    with pytest.raises(ValidationError) as refused:
        assign_by_hand(application=submit(scoring_round), assessors=[outsider.pk], by=officer)
    assert "not in this round's pool" in refused.value.message_dict["assessors"][0]


def test_an_officer_with_a_conflict_cannot_pick_the_assessors(
    scoring_round: Round, officer: User, assessors: list[User], submit: Callable[..., Application]
) -> None:
    application = submit(scoring_round)
    grant_membership(user=officer, role=Role.GROUP_MEMBER, organisation=application.organisation)
    with pytest.raises(PermissionDenied):
        assign_by_hand(application=application, assessors=[assessors[0].pk], by=officer)


def test_an_open_round_is_not_assigned_without_a_reason_and_with_one_the_reason_is_kept(
    scoring_round: Round, officer: User, assessors: list[User], submit: Callable[..., Application]
) -> None:
    _open(scoring_round)
    application = submit(scoring_round)
    with pytest.raises(ValidationError) as refused:
        assign_assessors(round=scoring_round, by=officer)
    assert "The round is open until" in refused.value.message_dict["early"][0]
    assert not Assignment.objects.exists()
    made = assign_assessors(round=scoring_round, by=officer, early_reason="The panel meets the day after it closes")
    assert made == 2
    assert set(Assignment.objects.values_list("early_reason", flat=True)) == {"The panel meets the day after it closes"}
    event = ApplicationEvent.objects.get(application=application, to_status=Application.Status.IN_ASSESSMENT)
    assert "The panel meets the day after it closes" in event.note


def test_picking_by_hand_in_an_open_round_needs_a_reason_too(
    scoring_round: Round, officer: User, assessors: list[User], submit: Callable[..., Application]
) -> None:
    _open(scoring_round)
    application = submit(scoring_round)
    with pytest.raises(ValidationError) as refused:
        assign_by_hand(application=application, assessors=[assessors[0].pk], by=officer)
    assert "early" in refused.value.message_dict
    made = assign_by_hand(application=application, assessors=[assessors[0].pk], by=officer, early_reason="Urgent")
    assert made[0].early_reason == "Urgent"


def test_a_closed_round_needs_no_reason(scoring_round: Round, officer: User, assessors: list[Any], submit: Any) -> None:
    submit(scoring_round)
    assert assign_assessors(round=scoring_round, by=officer) == 2
    assert set(Assignment.objects.values_list("early_reason", flat=True)) == {""}


def test_the_decide_page_warns_of_an_assessor_short_and_links_to_choosing_one(
    scoring_round: Round, officer: User, assessors: list[User], submit: Callable[..., Application]
) -> None:
    from django.test import Client

    application = submit(scoring_round)
    assign(application, assessors[0], status=Assignment.Status.CLEAR)
    client = Client()
    client.force_login(officer)
    page = client.get(f"/funding/manage/applications/{application.uuid}/decide/").content.decode()
    assert "Scores are missing." in page
    assert "Assessor Number1</bdi>: has not submitted scores; not scored yet:" in page
    assert "The application is 1 assessor short of the round's number." in page
    assert f'href="/funding/manage/applications/{application.uuid}/assessors/"' in page
