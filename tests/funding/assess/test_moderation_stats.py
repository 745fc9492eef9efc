"""Moderation statistics on examples worked by hand (weights 50, 30 and 20; scores out of 5)."""

from __future__ import annotations

import pytest

from commonweal.funding.moderation import (
    CRITERION_GAP,
    OUTLIER_POINTS,
    application_figures,
    assessor_leanings,
    weighted_score,
)

WEIGHTS = {1: 50, 2: 30, 3: 20}


def test_weighted_score_runs_from_0_to_100() -> None:
    assert weighted_score({1: 5, 2: 5, 3: 5}, WEIGHTS, 5) == pytest.approx(100)
    assert weighted_score({1: 0, 2: 0, 3: 0}, WEIGHTS, 5) == 0
    assert weighted_score({1: 5, 2: 4, 3: 3}, WEIGHTS, 5) == pytest.approx(86)


def test_two_assessors_far_apart_are_flagged_with_their_spread_and_deviation() -> None:
    figures = application_figures(
        scores={7: {1: 5, 2: 4, 3: 3}, 8: {1: 2, 2: 2, 3: 1}}, weights=WEIGHTS, score_max=5, assigned=2, wanted=2
    )
    assert figures.weighted == {7: pytest.approx(86), 8: pytest.approx(36)}
    assert figures.mean == pytest.approx(61)
    assert (figures.minimum, figures.maximum) == (pytest.approx(36), pytest.approx(86))
    assert figures.spread == pytest.approx(50)
    assert figures.stdev == pytest.approx(25)
    assert figures.outliers == [7, 8]
    assert figures.criteria_gaps == [1]  # 5 against 2: three points apart
    assert figures.flagged


def test_assessors_who_agree_are_not_flagged() -> None:
    figures = application_figures(
        scores={7: {1: 4, 2: 4, 3: 4}, 8: {1: 4, 2: 3, 3: 4}}, weights=WEIGHTS, score_max=5, assigned=2, wanted=2
    )
    assert figures.mean == pytest.approx(77)
    assert figures.spread == pytest.approx(6)
    assert not figures.flagged


def test_one_of_three_far_from_the_others_mean_is_the_outlier() -> None:
    figures = application_figures(
        scores={1: {1: 4, 2: 4, 3: 4}, 2: {1: 4, 2: 4, 3: 4}, 3: {1: 3, 2: 3, 3: 2}},
        weights=WEIGHTS,
        score_max=5,
        assigned=3,
    )
    assert figures.weighted[3] == pytest.approx(56)  # 24 points below the others' 80
    assert figures.outliers == [3]
    assert figures.criteria_gaps == []


def test_a_gap_of_exactly_the_threshold_on_one_criterion_flags_it() -> None:
    figures = application_figures(
        scores={1: {1: 4, 2: 4, 3: 4}, 2: {1: 4, 2: 4, 3: 4 - CRITERION_GAP}}, weights=WEIGHTS, score_max=5, assigned=2
    )
    assert figures.criteria_gaps == [3]
    assert figures.outliers == []  # 12 points apart is within OUTLIER_POINTS
    assert OUTLIER_POINTS == 20


def test_an_application_with_no_scores_has_no_figures_but_may_be_short() -> None:
    figures = application_figures(scores={}, weights=WEIGHTS, score_max=5, assigned=1, wanted=2)
    assert figures.mean is None and figures.spread is None
    assert figures.short and figures.flagged


def test_a_single_assessor_is_never_an_outlier() -> None:
    figures = application_figures(scores={1: {1: 0, 2: 0, 3: 0}}, weights=WEIGHTS, score_max=5, assigned=1)
    assert figures.stdev == 0
    assert not figures.outliers


def test_leanings_are_each_assessors_mean_minus_the_overall_mean() -> None:
    leanings = assessor_leanings([(1, 80.0), (1, 60.0), (2, 40.0)])
    assert [(x.assessor, x.count, x.mean, x.difference) for x in leanings] == [
        (2, 1, pytest.approx(40), pytest.approx(-20)),
        (1, 2, pytest.approx(70), pytest.approx(10)),
    ]
    assert assessor_leanings([]) == []
