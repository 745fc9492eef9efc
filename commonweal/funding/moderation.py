"""Moderation statistics for assessors' scores: a pure module, no Django.

An assessor's weighted score for an application is the sum over criteria of score / score_max × weight,
so with weights adding up to 100 it runs from 0 to 100. Moderation looks at how far assessors of the same
application disagree and at whether an assessor is harsher or kinder than the rest overall.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# Twenty points on a 0–100 scale is a fifth of the range: about one whole step on a 0–5 scale across every
# criterion. Assessors reading the same application rarely differ that much unless one has misread it or
# scores far more harshly, so the panel should look before relying on the mean.
OUTLIER_POINTS = 20.0
# A gap of three or more on one criterion (e.g. 1 against 4 out of 5) means the assessors saw that part of the
# application very differently, even when their totals agree.
CRITERION_GAP = 3


def weighted_score(scores: Mapping[int, int], weights: Mapping[int, int], score_max: int) -> float:
    """Sum of score / score_max × weight over the criteria scored: 0 to 100 when the weights add up to 100."""
    if score_max <= 0:
        return 0.0
    return sum(score / score_max * weights.get(criterion, 0) for criterion, score in scores.items())


@dataclass
class Figures:
    """What moderation shows for one application."""

    assigned: int
    scored: int
    weighted: dict[int, float] = field(default_factory=dict)  # assessor → weighted score
    mean: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    spread: float | None = None
    stdev: float | None = None
    outliers: list[int] = field(default_factory=list)  # assessors far from the others' mean
    criteria_gaps: list[int] = field(default_factory=list)  # criteria on which assessors differ by CRITERION_GAP+
    short: bool = False  # fewer active assessors than the round asks for

    @property
    def flagged(self) -> bool:
        return bool(self.outliers or self.criteria_gaps or self.short)


def mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None


def application_figures(
    *,
    scores: Mapping[int, Mapping[int, int]],
    weights: Mapping[int, int],
    score_max: int,
    assigned: int,
    wanted: int = 0,
) -> Figures:
    """Figures for one application from its assessors' submitted scores (assessor → criterion → score)."""
    weighted = {assessor: weighted_score(by_criterion, weights, score_max) for assessor, by_criterion in scores.items()}
    by_criterion: dict[int, list[int]] = {}
    for by_assessor in scores.values():
        for criterion, score in by_assessor.items():
            by_criterion.setdefault(criterion, []).append(score)
    gaps = [c for c, given in by_criterion.items() if len(given) > 1 and max(given) - min(given) >= CRITERION_GAP]
    return figures_from_weighted(weighted=weighted, assigned=assigned, wanted=wanted, criteria_gaps=gaps)


def figures_from_weighted(
    *, weighted: Mapping[int, float], assigned: int, wanted: int = 0, criteria_gaps: Iterable[int] = ()
) -> Figures:
    """Figures for one application from each assessor's weighted score and the criteria already found to differ
    by CRITERION_GAP or more (worked out in the database for a whole round at once)."""
    values = list(weighted.values())
    figures = Figures(
        assigned=assigned,
        scored=len(values),
        weighted=dict(weighted),
        short=assigned < wanted,
        criteria_gaps=sorted(criteria_gaps) if len(values) > 1 else [],
    )
    if not values:
        return figures
    total = sum(values)
    count = len(values)
    centre = total / count
    figures.mean = centre
    figures.minimum = min(values)
    figures.maximum = max(values)
    figures.spread = figures.maximum - figures.minimum
    figures.stdev = math.sqrt(sum((v - centre) ** 2 for v in values) / count)
    if count > 1:
        figures.outliers = [
            assessor
            for assessor, value in sorted(weighted.items())
            if abs(value - (total - value) / (count - 1)) > OUTLIER_POINTS
        ]
    return figures


def figures_from_tally(
    *,
    assigned: int,
    wanted: int,
    scored: int,
    mean: float | None,
    minimum: float | None,
    maximum: float | None,
    stdev: float | None,
    outliers: Iterable[int],
    criteria_gaps: Iterable[int],
) -> Figures:
    """Figures for one application from what figures_from_weighted worked out when its last score was saved (kept
    in funding's ApplicationTally), and its assessors as they are now."""
    return Figures(
        assigned=assigned,
        scored=scored,
        mean=mean,
        minimum=minimum,
        maximum=maximum,
        spread=None if minimum is None or maximum is None else maximum - minimum,
        stdev=stdev,
        outliers=list(outliers),
        criteria_gaps=list(criteria_gaps),
        short=assigned < wanted,
    )


@dataclass(frozen=True)
class Leaning:
    """An assessor's average weighted score and how far it sits from everyone's (negative: harsher)."""

    assessor: int
    count: int
    mean: float
    difference: float


def assessor_leanings(weighted: Iterable[tuple[int, float]]) -> list[Leaning]:
    """Severity or leniency: each assessor's mean weighted score minus the mean of every weighted score."""
    totals: dict[int, list[float]] = {}
    everything: list[float] = []
    for assessor, value in weighted:
        totals.setdefault(assessor, []).append(value)
        everything.append(value)
    overall = mean(everything)
    if overall is None:
        return []
    leanings = []
    for assessor, values in totals.items():
        own = sum(values) / len(values)
        leanings.append(Leaning(assessor=assessor, count=len(values), mean=own, difference=own - overall))
    return sorted(leanings, key=lambda leaning: (leaning.difference, leaning.assessor))


def leanings_from_totals(totals: Iterable[tuple[int, int, float]]) -> tuple[list[Leaning], float | None]:
    """assessor_leanings and the mean of every weighted score, from each assessor's count and sum of weighted
    scores (assessor, count, sum) rather than from every score: what the page reads from the running totals."""
    totals = [(assessor, count, total) for assessor, count, total in totals if count > 0]
    count = sum(n for _, n, _ in totals)
    if not count:
        return [], None
    overall = sum(total for _, _, total in totals) / count
    leanings = [
        Leaning(assessor=assessor, count=n, mean=total / n, difference=total / n - overall)
        for assessor, n, total in totals
    ]
    return sorted(leanings, key=lambda leaning: (leaning.difference, leaning.assessor)), overall
