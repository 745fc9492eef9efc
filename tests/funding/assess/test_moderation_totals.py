"""The moderation page reads running totals kept as scores are saved: after any sequence of declarations, drafts,
submissions, changed scores, replacements, removed assessors and decisions, it shows exactly what adding up every
score from scratch shows, and rebuilding the totals from the scores changes nothing."""

from __future__ import annotations

import random
from collections import defaultdict
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from commonweal.funding import moderation
from commonweal.funding.assess.queries import ASSIGNABLE, MODERATED, moderation_rows
from commonweal.funding.assess.services import (
    Marked,
    assign_assessors,
    assign_by_hand,
    candidates_for,
    declare_interest,
    record_decision,
    remove_assessor,
    save_scores,
)
from commonweal.funding.assess.totals import rebuild_totals
from commonweal.funding.errors import FundingError
from commonweal.funding.generate import Generated, generate_round
from commonweal.funding.models import Application, ApplicationTally, AssessorTally, Assignment, Round, Score

pytestmark = pytest.mark.django_db
S = Assignment.Status


Recount = tuple[list[tuple[str, moderation.Figures]], list[moderation.Leaning], float | None]


def recount(round: Round) -> Recount:
    """The moderation figures added up from every score, as the page did before it kept totals: each assessor's
    sum of score × weight over the scale's top, and the criteria on which an application's scores differ by
    moderation.CRITERION_GAP or more."""
    weights = dict(round.criteria.values_list("pk", "weight"))
    applications = list(
        Application.objects.filter(round=round, status__in=MODERATED)
        .order_by("reference")
        .values_list("pk", "reference", "status")
    )
    totals: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    given: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for application, assessor, criterion, score in Score.objects.filter(
        assignment__application__round=round, assignment__status=S.SCORED
    ).values_list("assignment__application_id", "assignment__assessor_id", "criterion_id", "score"):
        totals[application][assessor] += score * weights[criterion]
        given[application][criterion].append(score)
    assigned: dict[int, int] = defaultdict(int)
    for application in (
        Assignment.objects.filter(application__round=round)
        .exclude(status=S.CONFLICTED)
        .values_list("application_id", flat=True)
    ):
        assigned[application] += 1
    rows: list[tuple[str, moderation.Figures]] = []
    everything: list[tuple[int, float]] = []
    for pk, reference, status in applications:
        figures = moderation.figures_from_weighted(
            weighted={assessor: total / round.score_max for assessor, total in totals[pk].items()},
            assigned=assigned[pk],
            wanted=round.assessors_per_application if status in ASSIGNABLE else 0,
            criteria_gaps=[c for c, marks in given[pk].items() if max(marks) - min(marks) >= moderation.CRITERION_GAP],
        )
        everything.extend(figures.weighted.items())
        rows.append((reference, figures))
    return rows, moderation.assessor_leanings(everything), moderation.mean(v for _, v in everything)


def assert_same_as_recount(round: Round) -> None:
    """Every figure the page shows, row by row and assessor by assessor, matches the recount."""
    shown = moderation_rows(round)
    rows, leanings, overall = recount(round)
    assert [row.reference for row in shown.rows] == [reference for reference, _ in rows]
    for row, (_, expected) in zip(shown.rows, rows, strict=True):
        got = row.figures
        assert (got.assigned, got.scored, got.short) == (expected.assigned, expected.scored, expected.short)
        for name in ("mean", "minimum", "maximum", "spread", "stdev"):
            assert getattr(got, name) == pytest.approx(getattr(expected, name), abs=1e-9), (row.reference, name)
        assert sorted(got.outliers) == sorted(expected.outliers), row.reference
        assert sorted(got.criteria_gaps) == sorted(expected.criteria_gaps), row.reference
        assert got.flagged == expected.flagged
    assert shown.overall_mean == pytest.approx(overall, abs=1e-9)
    names = dict(round.assessors.values_list("pk", "full_name"))
    assert {x.name: (x.count, pytest.approx(x.mean), pytest.approx(x.difference)) for x in shown.leanings} == {
        names[x.assessor]: (x.count, x.mean, x.difference) for x in leanings
    }


def kept(round: Round) -> tuple[list[Any], list[Any], list[Any]]:
    """Every total kept for the round, to compare before and after rebuilding them."""
    return (
        sorted(Assignment.objects.filter(application__round=round).values_list("pk", "weighted_total")),
        sorted(
            ApplicationTally.objects.filter(application__round=round, scored__gt=0).values_list(
                "application_id", "scored", "total", "mean", "minimum", "maximum", "stdev", "outliers", "criteria_gaps"
            )
        ),
        sorted(AssessorTally.objects.filter(round=round, scored__gt=0).values_list("assessor_id", "scored", "total")),
    )


def marks_for(round: Round, rng: random.Random, *, complete: bool) -> dict[int, Marked]:
    """A score for every criterion (or, for a draft, for some), spread wide so assessors often disagree."""
    marks = {}
    for criterion in round.criteria.values_list("pk", flat=True):
        if complete or rng.random() < 0.6:
            marks[criterion] = Marked(str(rng.randint(0, round.score_max)), "")
    return marks


def one_step(made: Generated, rng: random.Random) -> None:
    """One thing an assessor or officer does, chosen at random; refusals (a decided application) are part of it."""
    round = made.round
    assignment = rng.choice(list(Assignment.objects.filter(application__round=round).exclude(status=S.CONFLICTED)))
    choice = rng.random()
    try:
        if assignment.status == S.AWAITING_DECLARATION:
            conflict = choice < 0.2
            declare_interest(assignment=assignment, conflict=conflict, reason="A trustee.", by=assignment.assessor)
        elif choice < 0.05:
            record_decision(
                application=assignment.application,
                outcome=rng.choice(["approved", "rejected"]),
                amount="1",
                reasons="Decided.",
                feedback="",
                by=made.officer,
            )
        elif choice < 0.1:
            free = [c.user.pk for c in candidates_for(assignment.application) if not c.refusal]
            if free:
                assign_by_hand(application=assignment.application, assessors=[free[0]], by=made.officer)
        else:
            complete = assignment.status == S.SCORED or choice < 0.7
            marks = marks_for(round, rng, complete=complete)
            save_scores(assignment=assignment, marks=marks, submit=complete, by=assignment.assessor)
    except FundingError:
        pass


def score_everything(made: Generated, *, seed: int) -> None:
    """Assign the round and have every assessor declare no conflict and submit scores."""
    assign_assessors(round=made.round, by=made.officer)
    rng = random.Random(seed)  # noqa: S311 - a repeatable sequence, not a secret
    for assignment in Assignment.objects.filter(application__round=made.round):
        declare_interest(assignment=assignment, conflict=False, by=assignment.assessor)
        save_scores(
            assignment=assignment, marks=marks_for(made.round, rng, complete=True), submit=True, by=assignment.assessor
        )


@pytest.mark.parametrize("seed", [1, 2])
def test_after_random_scoring_the_page_shows_what_a_recount_shows(merton: Any, seed: int) -> None:
    made = generate_round(applications=12, assessors=5, criteria=3, grants=0, seed=seed)
    late = made.assessors[-1]
    made.round.assessors.remove(late)
    assign_assessors(round=made.round, by=made.officer)
    # An assessor who joins late, is given an application and is taken out again before scoring it.
    made.round.assessors.add(late)
    application = Application.objects.filter(round=made.round).order_by("pk").first()
    assign_by_hand(application=application, assessors=[late.pk], by=made.officer)
    assert_same_as_recount(made.round)
    assert remove_assessor(round=made.round, assessor=late, by=made.officer) == 1
    rng = random.Random(seed)  # noqa: S311 - a repeatable sequence, not a secret
    for step in range(140):
        one_step(made, rng)
        if step % 35 == 0:
            assert_same_as_recount(made.round)
    assert Assignment.objects.filter(application__round=made.round, status=S.SCORED).count() > 10
    assert Application.objects.filter(round=made.round, status__in=["approved", "rejected"]).exists()
    assert_same_as_recount(made.round)
    before = kept(made.round)
    rebuild_totals(made.round)
    assert kept(made.round) == before


def test_the_command_repairs_totals_lost_or_changed_by_hand(merton: Any) -> None:
    made = generate_round(applications=8, assessors=3, criteria=3, grants=0, seed=11)
    score_everything(made, seed=11)
    good = kept(made.round)
    ApplicationTally.objects.all().delete()
    AssessorTally.objects.all().update(total=0)
    Assignment.objects.update(weighted_total=None)
    out = StringIO()
    call_command("rebuild_moderation_totals", "--round", made.round.slug, stdout=out)
    assert f"{made.round.slug}: 16 submitted assessments counted" in out.getvalue()
    assert kept(made.round) == good
    assert_same_as_recount(made.round)


def test_the_command_names_a_round_it_cannot_find(db: None) -> None:
    with pytest.raises(Exception, match="no round with the slug 'nowhere'"):
        call_command("rebuild_moderation_totals", "--round", "nowhere")


def test_a_draft_moves_nothing_and_a_change_after_submitting_moves_only_the_difference(merton: Any) -> None:
    made = generate_round(applications=2, assessors=2, criteria=2, grants=0, seed=12)
    assign_assessors(round=made.round, by=made.officer)
    assignment = Assignment.objects.filter(application__round=made.round).first()
    assert assignment is not None
    declare_interest(assignment=assignment, conflict=False, by=assignment.assessor)
    first, second = made.round.criteria.order_by("position", "pk")
    save_scores(assignment=assignment, marks={first.pk: Marked("5", "")}, submit=False, by=assignment.assessor)
    assert not AssessorTally.objects.filter(scored__gt=0).exists()
    assert moderation_rows(made.round).leanings == []
    marks = {first.pk: Marked("5", ""), second.pk: Marked("0", "")}
    save_scores(assignment=assignment, marks=marks, submit=True, by=assignment.assessor)
    tally = AssessorTally.objects.get(assessor=assignment.assessor)
    assert (tally.scored, tally.total) == (1, 5 * first.weight)
    marks = {first.pk: Marked("4", ""), second.pk: Marked("1", "")}
    save_scores(assignment=assignment, marks=marks, submit=True, by=assignment.assessor)
    tally.refresh_from_db()
    assert (tally.scored, tally.total) == (1, 4 * first.weight + second.weight)
    row = next(r for r in moderation_rows(made.round).rows if r.application_id == assignment.application_id)
    assert row.figures.mean == pytest.approx((4 * first.weight + second.weight) / made.round.score_max)


def test_the_migration_fills_the_totals_in_from_scores_already_given(merton: Any) -> None:
    """Migration 0008 works the totals out, through the app registry it is given, for rounds scored before it."""
    import importlib

    from django.apps import apps

    made = generate_round(applications=6, assessors=3, criteria=3, grants=0, seed=13)
    score_everything(made, seed=13)
    good = kept(made.round)
    ApplicationTally.objects.all().delete()
    AssessorTally.objects.all().delete()
    Assignment.objects.update(weighted_total=None)
    importlib.import_module("commonweal.funding.migrations.0008_moderation_totals").fill(apps, None)
    assert kept(made.round) == good
