"""The benchmark generator: a closed round of submitted applications from as many organisations, a pool of
assessors, weighted criteria, and awarded grants paid in tranches for the export; the same from the same seed."""

from __future__ import annotations

from typing import Any

import pytest

from commonweal.funding.generate import generate_round, generate_scores, weights
from commonweal.funding.models import Application, Assignment, Decision, Grant, Score, Tranche

pytestmark = pytest.mark.django_db


def test_weights_add_up_to_100_for_any_number_of_criteria() -> None:
    for count in range(1, 12):
        assert sum(weights(count)) == 100
        assert max(weights(count)) - min(weights(count)) <= 1


def test_a_closed_round_of_submitted_applications_each_from_its_own_organisation(merton: Any) -> None:
    made = generate_round(applications=60, assessors=6, criteria=5, grants=0, seed=3)
    round = made.round
    assert round.is_closed()
    applications = Application.objects.filter(round=round)
    assert applications.count() == 60
    assert set(applications.values_list("status", flat=True)) == {Application.Status.SUBMITTED}
    assert applications.values("organisation").distinct().count() == 60
    assert round.assessors.count() == 6
    assert sum(round.criteria.values_list("weight", flat=True)) == 100
    assert not applications.filter(themes__isnull=True).exists()
    assert not applications.filter(wards__isnull=True).exists()
    assert all(a.events.filter(transition="submit").count() == 1 for a in applications)
    orgs = [a.organisation for a in applications.select_related("organisation")]
    assert any(o.org_id.startswith("GB-CHC-") and o.charity_number for o in orgs)


def test_awarded_grants_are_accepted_and_paid_in_full_with_a_decision_each(merton: Any) -> None:
    made = generate_round(applications=10, assessors=3, grants=120, seed=4)
    assert made.awards_round is not None
    grants = Grant.objects.filter(application__round=made.awards_round)
    assert grants.count() == 120 == made.counts["grants"]
    for grant in grants.prefetch_related("tranches").select_related("application__decision"):
        assert grant.amount == grant.application.decision.amount == grant.application.amount_requested
        assert sum(t.amount for t in grant.tranches.all()) == grant.amount
        assert {t.status for t in grant.tranches.all()} == {Tranche.Status.PAID}
    assert Decision.objects.filter(application__round=made.awards_round).count() == 120
    assert set(Application.objects.filter(round=made.awards_round).values_list("status", flat=True)) == {"approved"}


def test_scores_fill_every_assignment_within_the_scale(merton: Any) -> None:
    made = generate_round(applications=30, assessors=4, grants=0, seed=5)
    written = generate_scores(round=made.round, seed=5)
    assignments = Assignment.objects.filter(application__round=made.round)
    assert assignments.count() == 60
    assert written == 60 * 5
    assert set(assignments.values_list("status", flat=True)) == {Assignment.Status.SCORED}
    values = set(Score.objects.filter(assignment__in=assignments).values_list("score", flat=True))
    assert values <= set(range(0, made.round.score_max + 1))


def test_generating_twice_from_the_same_seed_is_refused_rather_than_duplicated(merton: Any) -> None:
    generate_round(applications=20, assessors=2, grants=5, seed=6)
    with pytest.raises(ValueError, match="already there"):
        generate_round(applications=20, assessors=2, grants=5, seed=6)
    assert Application.objects.count() == 25
