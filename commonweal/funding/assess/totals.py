"""Running totals behind the moderation page, kept up to date as scores are saved.

Moderation shows, for each application, its assessors' weighted scores (mean, lowest, highest, spread, standard
deviation, outliers, criteria they differ on) and, for each assessor, their mean against everyone's. Adding those
up from every score in a round took most of the page's time whenever a score changed. Instead:

- `Assignment.weighted_total` holds one submitted assessment's sum of score × weight;
- `ApplicationTally` holds an application's figures, worked out again from its own few assessments;
- `AssessorTally` counts and adds up an assessor's submitted assessments in a round, moved by the change only.

Only submitted assessments count, and only on applications moderation shows (MODERATED). Scores are saved only
through assess.services.save_scores, which calls `record_scored`, and only while an application is being assessed;
an application with submitted assessments never leaves MODERATED (it is approved or turned down), and an assessor
with scores in a round cannot be taken off it, so no other write moves the totals.

`record_scored` keeps all three in the scoring service's transaction; `rebuild_totals` works them out afresh for a
round (the migration that adds them, the generator and the `rebuild_moderation_totals` command use it). Every
function takes the models from an app registry when given one, so the migration runs them on its own models.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Max, Min, Sum

from .. import moderation
from ..models import Application, ApplicationTally, AssessorTally, Assignment, Round, Score
from .queries import MODERATED

SCORED = Assignment.Status.SCORED
BATCH = 1000


@dataclass(frozen=True)
class Models:
    """The models the totals are read from and written to: today's, or a migration's historical ones."""

    Application: Any
    Assignment: Any
    Score: Any
    ApplicationTally: Any
    AssessorTally: Any

    @classmethod
    def of(cls, apps: Any = None) -> Models:
        if apps is None:
            return cls(Application, Assignment, Score, ApplicationTally, AssessorTally)
        return cls(*(apps.get_model("funding", name) for name in cls.__dataclass_fields__))


def _points(m: Models, assignments: Any) -> dict[int, int]:
    """assignment → the sum of score × the criterion's weight over its scores, for the assignments given."""
    rows = (
        m.Score.objects.filter(assignment__in=assignments)
        .values("assignment_id")
        .annotate(total=Sum(F("score") * F("criterion__weight")))
        .values_list("assignment_id", "total")
    )
    return {pk: total for pk, total in rows if total is not None}


def _gaps(m: Models, **where: Any) -> dict[int, list[int]]:
    """application → criteria on which its submitted assessments differ by moderation.CRITERION_GAP or more."""
    gaps: dict[int, list[int]] = defaultdict(list)
    for application_id, criterion_id in (
        m.Score.objects.filter(assignment__status=SCORED, **where)
        .values("assignment__application_id", "criterion_id")
        .annotate(gap=Max("score") - Min("score"))
        .filter(gap__gte=moderation.CRITERION_GAP)
        .values_list("assignment__application_id", "criterion_id")
    ):
        gaps[application_id].append(criterion_id)
    return gaps


def _tally(application_id: int, totals: dict[int, int], gaps: list[int], score_max: int) -> dict[str, Any]:
    """An ApplicationTally's fields from its assessors' weighted totals (assessor → total), worked out by the same
    moderation.figures_from_weighted the page used to call, assessors in a fixed order."""
    weighted = {assessor: totals[assessor] / score_max for assessor in sorted(totals)}
    figures = moderation.figures_from_weighted(weighted=weighted, assigned=0, criteria_gaps=gaps)
    return {
        "application_id": application_id,
        "scored": figures.scored,
        "total": sum(totals.values()),
        "mean": figures.mean,
        "minimum": figures.minimum,
        "maximum": figures.maximum,
        "stdev": figures.stdev,
        "outliers": figures.outliers,
        "criteria_gaps": figures.criteria_gaps,
    }


def _locked_tally(application_id: int) -> None:
    """Make the application's tally if it has none, and lock it: its assessors' saves then take turns, each
    reading the others' committed assessments."""
    ApplicationTally.objects.bulk_create([ApplicationTally(application_id=application_id)], ignore_conflicts=True)
    ApplicationTally.objects.select_for_update().filter(application_id=application_id).get()


def _move_assessor(round_id: int, assessor_id: int, old: int | None, new: int | None) -> None:
    """Move the assessor's tally in the round by the change from one weighted total to another."""
    count = (new is not None) - (old is not None)
    total = (new or 0) - (old or 0)
    if count == 0 and total == 0:
        return
    AssessorTally.objects.bulk_create(
        [AssessorTally(round_id=round_id, assessor_id=assessor_id)], ignore_conflicts=True
    )
    AssessorTally.objects.filter(round_id=round_id, assessor_id=assessor_id).update(
        scored=F("scored") + count, total=F("total") + total
    )


@transaction.atomic
def record_scored(assignment: Assignment) -> None:
    """Bring the totals up to date after the assignment's scores or status were saved: its weighted total (set
    while it is submitted, cleared otherwise), its assessor's tally moved by the difference, and its application's
    figures worked out again from that application's own assessments. A draft changes nothing moderation shows."""
    old = Assignment.objects.filter(pk=assignment.pk).values_list("weighted_total", flat=True).get()
    new = _points(Models.of(), [assignment.pk]).get(assignment.pk) if assignment.status == SCORED else None
    if old is None and new is None:
        return
    application = (
        Application.objects.select_related("round").only("status", "round__score_max").get(pk=assignment.application_id)
    )
    _locked_tally(application.pk)
    if old != new:
        Assignment.objects.filter(pk=assignment.pk).update(weighted_total=new)
        assignment.weighted_total = new
        if application.status in MODERATED:
            _move_assessor(application.round_id, assignment.assessor_id, old, new)
    totals = {
        assessor: total
        for assessor, total in Assignment.objects.filter(application_id=application.pk, status=SCORED).values_list(
            "assessor_id", "weighted_total"
        )
        if total is not None
    }
    gaps = _gaps(Models.of(), assignment__application_id=application.pk).get(application.pk, [])
    fields = _tally(application.pk, totals, gaps, application.round.score_max)
    ApplicationTally.objects.filter(application_id=application.pk).update(**fields)


@transaction.atomic
def rebuild_totals(round: Round, apps: Any = None) -> int:
    """Work out every total of the round afresh from its scores, replacing what was kept: for repair, for data
    written in bulk (the generator) and to fill the totals in the first time. Returns the assessments counted."""
    m = Models.of(apps)
    in_round = m.Assignment.objects.filter(application__round_id=round.pk)
    points = _points(m, in_round.filter(status=SCORED))
    rows = list(in_round.only("pk", "application_id", "assessor_id", "status", "weighted_total"))
    changed = []
    for row in rows:
        new = points.get(row.pk) if row.status == SCORED else None
        if row.weighted_total != new:
            row.weighted_total = new
            changed.append(row)
    m.Assignment.objects.bulk_update(changed, ["weighted_total"], batch_size=BATCH)
    statuses = dict(m.Application.objects.filter(round_id=round.pk).values_list("pk", "status"))
    by_application: dict[int, dict[int, int]] = defaultdict(dict)
    by_assessor: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        if row.weighted_total is not None:
            by_application[row.application_id][row.assessor_id] = row.weighted_total
            if statuses.get(row.application_id) in MODERATED:
                by_assessor[row.assessor_id].append(row.weighted_total)
    gaps = _gaps(m, criterion__round_id=round.pk)
    m.ApplicationTally.objects.filter(application__round_id=round.pk).delete()
    m.ApplicationTally.objects.bulk_create(
        [
            m.ApplicationTally(**_tally(pk, totals, gaps.get(pk, []), round.score_max))
            for pk, totals in by_application.items()
        ],
        batch_size=BATCH,
    )
    m.AssessorTally.objects.filter(round_id=round.pk).delete()
    m.AssessorTally.objects.bulk_create(
        [
            m.AssessorTally(round_id=round.pk, assessor_id=assessor, scored=len(totals), total=sum(totals))
            for assessor, totals in by_assessor.items()
        ],
        batch_size=BATCH,
    )
    return sum(len(totals) for totals in by_application.values())


def rebuild_every_round(apps: Any = None) -> int:
    """rebuild_totals for every round; the migration that adds the totals fills them in with it."""
    rounds = (apps.get_model("funding", "Round") if apps else Round).objects.order_by("pk")
    return sum(rebuild_totals(round, apps) for round in rounds)
