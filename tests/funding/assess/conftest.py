"""Fixtures for assessment: a round with weighted criteria, an officer, assessors and submitted applications."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from commonweal.accounts.models import Organisation, User
from commonweal.funding.models import Application, Assignment, Criterion, Round
from tests.funding.factories import ApplicantFactory, ApplicationFactory, CriterionFactory, PotFactory, RoundFactory


@pytest.fixture
def scoring_round(db: None) -> Round:
    """A round scored 0 to 5 on three criteria weighted 50, 30 and 20, two assessors per application."""
    # Closed: assessors are given applications once the deadline has passed.
    round = RoundFactory(
        name="Spring round",
        assessors_per_application=2,
        score_max=5,
        opens_at=timezone.now() - timedelta(days=30),
        closes_at=timezone.now() - timedelta(hours=1),
    )
    CriterionFactory(round=round, name="Need for the project", weight=50, guidance="Is the need clear?", position=1)
    CriterionFactory(round=round, name="Value for money", weight=30, position=2)
    CriterionFactory(round=round, name="Track record", weight=20, position=3)
    return round


@pytest.fixture
def criteria(scoring_round: Round) -> list[Criterion]:
    return list(Criterion.objects.filter(round=scoring_round))


@pytest.fixture
def officer(make_user: Callable[..., User]) -> User:
    return make_user("officer", email="officer@example.org")


@pytest.fixture
def submit(make_user: Callable[..., User]) -> Callable[..., Application]:
    """Make a submitted application to a round from a new organisation (or the one given)."""

    def make(round: Round, *, organisation: Organisation | None = None, **extra: Any) -> Application:
        organisation = organisation or ApplicantFactory()
        applicant = make_user("group_member", organisation=organisation)
        extra.setdefault("amount_requested", Decimal("2000"))
        return ApplicationFactory(
            round=round,
            organisation=organisation,
            created_by=applicant,
            status=Application.Status.SUBMITTED,
            submitted_at=timezone.now(),
            **extra,
        )

    return make


@pytest.fixture
def assessors(make_user: Callable[..., User], scoring_round: Round) -> list[User]:
    """Three residents in the round's pool."""
    people = [make_user("resident", email=f"assessor{n}@example.org") for n in range(1, 4)]
    for n, person in enumerate(people, start=1):
        person.full_name = f"Assessor Number{n}"
        person.save()
    scoring_round.assessors.add(*people)
    return people


@pytest.fixture
def small_pot(scoring_round: Round) -> Any:
    return PotFactory(fund=scoring_round.fund, max_amount=Decimal("2500"))


def assign(application: Application, assessor: User, status: str = Assignment.Status.CLEAR) -> Assignment:
    """An assignment made directly, for tests about what happens after assigning."""
    if application.status == Application.Status.SUBMITTED:
        Application.objects.filter(pk=application.pk).update(status=Application.Status.IN_ASSESSMENT)
        application.status = Application.Status.IN_ASSESSMENT
    return Assignment.objects.create(application=application, assessor=assessor, status=status)


@pytest.fixture(autouse=True)
def _officers_skip_the_authenticator(mfa_exempt: None) -> None:
    """These tests are about assessment, not two-factor sign-in (tests/accounts covers that)."""
