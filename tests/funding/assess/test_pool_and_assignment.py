"""Officers build a round's assessor pool and assign applications: balanced, never to the applicant's own
members, idempotent, and in bulk."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from commonweal.accounts.models import User
from commonweal.core.models import WorkflowEvent
from commonweal.funding.assess.services import add_assessor, assign_assessors, remove_assessor
from commonweal.funding.errors import FundingError
from commonweal.funding.models import Application, ApplicationEvent, Assignment, Round, Score
from tests.funding.assess.conftest import assign
from tests.funding.factories import ApplicantFactory

pytestmark = pytest.mark.django_db


def test_officer_adds_anyone_with_an_account_by_email(
    client: Client, officer: User, scoring_round: Round, make_user: Callable[..., User]
) -> None:
    resident = make_user("resident", email="kind.neighbour@example.org")
    client.force_login(officer)
    url = reverse("funding:assessor_add", args=[scoring_round.slug])
    response = client.post(url, {"email": "Kind.Neighbour@example.org"}, follow=True)
    assert "is now an assessor in this round" in response.content.decode()
    assert list(scoring_round.assessors.all()) == [resident]
    assert "kind.neighbour@example.org" in response.content.decode()


def test_adding_an_unknown_email_says_so_beside_the_field(client: Client, officer: User, scoring_round: Round) -> None:
    client.force_login(officer)
    response = client.post(reverse("funding:assessor_add", args=[scoring_round.slug]), {"email": "nobody@example.org"})
    assert response.status_code == 200
    assert "No one has an account with the email address nobody@example.org" in response.content.decode()
    assert 'value="nobody@example.org"' in response.content.decode()  # what they typed is kept
    assert not scoring_round.assessors.exists()


def test_adding_someone_twice_is_refused(officer: User, scoring_round: Round, assessors: list[User]) -> None:
    with pytest.raises(FundingError, match="already an assessor"):
        add_assessor(round=scoring_round, email=assessors[0].email, by=officer)


def test_an_assessor_with_scores_cannot_be_removed_but_one_without_can(
    officer: User, scoring_round: Round, assessors: list[User], submit: Callable[..., Application], criteria: Any
) -> None:
    application = submit(scoring_round)
    scored = assign(application, assessors[0])
    Score.objects.create(assignment=scored, criterion=criteria[0], score=3)
    waiting = assign(application, assessors[1], Assignment.Status.AWAITING_DECLARATION)
    with pytest.raises(FundingError, match="already scored"):
        remove_assessor(round=scoring_round, assessor=assessors[0], by=officer)
    assert remove_assessor(round=scoring_round, assessor=assessors[1], by=officer) == 1
    assert not Assignment.objects.filter(pk=waiting.pk).exists()
    assert set(scoring_round.assessors.all()) == {assessors[0], assessors[2]}


def test_pool_page_shows_each_assessors_load_and_an_empty_state(
    client: Client, officer: User, scoring_round: Round, submit: Callable[..., Application], assessors: list[User]
) -> None:
    client.force_login(officer)
    url = f"/funding/manage/rounds/{scoring_round.slug}/assessors/"
    for _ in range(3):
        submit(scoring_round)
    response = client.post(reverse("funding:assessors_assign", args=[scoring_round.slug]), follow=True)
    page = response.content.decode()
    assert "6 new assignments made." in page
    assert page.count('data-testid="pool"') == 1
    scoring_round.assessors.clear()
    assert "There are no assessors in this round yet" in client.get(url).content.decode()


def test_assigning_balances_load_and_sends_applications_for_assessment(
    officer: User, scoring_round: Round, submit: Callable[..., Application], make_user: Callable[..., User]
) -> None:
    pool = [make_user("resident") for _ in range(4)]
    scoring_round.assessors.add(*pool)
    applications = [submit(scoring_round) for _ in range(10)]
    assert assign_assessors(round=scoring_round, by=officer) == 20
    loads = Counter(Assignment.objects.values_list("assessor_id", flat=True))
    assert sorted(loads.values()) == [5, 5, 5, 5]
    for application in applications:
        application.refresh_from_db()
        assert application.status == Application.Status.IN_ASSESSMENT
        assert application.assignments.count() == 2
    events = ApplicationEvent.objects.filter(transition="assess")
    assert events.count() == 10 and {e.by for e in events} == {officer}
    # The engine's own history has each step too, as it has for an application moved one at a time.
    steps = WorkflowEvent.objects.filter(workflow="application", transition="assess")
    assert sorted(steps.values_list("object_id", flat=True)) == sorted(a.pk for a in applications)
    assert {(s.from_status, s.to_status, s.by) for s in steps} == {
        (Application.Status.SUBMITTED, Application.Status.IN_ASSESSMENT, officer)
    }


def test_assigning_twice_only_fills_gaps(
    officer: User, scoring_round: Round, submit: Callable[..., Application], assessors: list[User]
) -> None:
    submit(scoring_round)
    assert assign_assessors(round=scoring_round, by=officer) == 2
    assert assign_assessors(round=scoring_round, by=officer) == 0
    submit(scoring_round)
    assert assign_assessors(round=scoring_round, by=officer) == 2
    assert Assignment.objects.count() == 4
    assert ApplicationEvent.objects.filter(transition="assess").count() == 2


def test_members_of_the_applicant_organisation_are_never_its_assessors(
    officer: User, scoring_round: Round, submit: Callable[..., Application], make_user: Callable[..., User]
) -> None:
    organisation = ApplicantFactory(name="Friends of the Park")
    member = make_user("group_member", organisation=organisation)
    admin = make_user("admin")
    others = [make_user("resident"), make_user("resident")]
    scoring_round.assessors.add(member, admin, *others)
    own = submit(scoring_round, organisation=organisation)
    assign_assessors(round=scoring_round, by=officer)
    assigned = set(own.assignments.values_list("assessor", flat=True))
    assert member.pk not in assigned and len(assigned) == 2
    # An administrator is not a member of the group, so it has no conflict and may assess like anyone.
    assert assigned <= {admin.pk, *(o.pk for o in others)}


def test_only_submitted_applications_are_assigned(
    officer: User, scoring_round: Round, submit: Callable[..., Application], assessors: list[User]
) -> None:
    draft = submit(scoring_round)
    Application.objects.filter(pk=draft.pk).update(status=Application.Status.DRAFT)
    assert assign_assessors(round=scoring_round, by=officer) == 0


def test_assigning_with_an_empty_pool_says_to_add_assessors(
    client: Client, officer: User, scoring_round: Round, submit: Callable[..., Application]
) -> None:
    submit(scoring_round)
    client.force_login(officer)
    response = client.post(reverse("funding:assessors_assign", args=[scoring_round.slug]))
    assert response.status_code == 200
    assert "Add assessors to the pool before assigning applications." in response.content.decode()


def test_only_officers_may_assign(scoring_round: Round, make_user: Callable[..., User]) -> None:
    with pytest.raises(PermissionDenied):
        assign_assessors(round=scoring_round, by=make_user("steward"))


def test_two_thousand_applications_are_assigned_in_a_fixed_number_of_queries(
    officer: User,
    scoring_round: Round,
    make_user: Callable[..., User],
    django_assert_max_num_queries: Any,
) -> None:
    pool = [make_user("resident") for _ in range(40)]
    scoring_round.assessors.add(*pool)
    creator = make_user("resident")
    organisations = ApplicantFactory.create_batch(20)
    Application.objects.bulk_create(
        [
            Application(
                reference=f"BULK-{n:05d}",
                round=scoring_round,
                organisation=organisations[n % 20],
                created_by=creator,
                status=Application.Status.SUBMITTED,
            )
            for n in range(2000)
        ]
    )
    # SQLite caps the variables in one statement, so its bulk inserts come in batches of ~140 rows; one query
    # more finds which of the pool have confirmed their email (the unconfirmed are passed over). An assignment's
    # two columns for assigning by hand and early make each batch a little smaller.
    with django_assert_max_num_queries(95):
        made = assign_assessors(round=scoring_round, by=officer)
    assert made == 4000
    loads = Counter(Assignment.objects.values_list("assessor_id", flat=True))
    assert set(loads.values()) == {100}
    assert not Application.objects.filter(status=Application.Status.SUBMITTED).exists()
