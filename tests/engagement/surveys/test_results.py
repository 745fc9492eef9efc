"""A wave's weighted results: raking to the borough profile, confidence intervals, groups under 10 never shown,
trends, a margin nobody answered, and a wave with no responses."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonweal.engagement.models_surveys import Wave
from commonweal.engagement.surveys import figures, results
from commonweal.places.models import Ward

from . import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def wave(merton: Any, make_user: Any) -> Wave:
    helpers.profile()
    made = helpers.wave(helpers.survey(make_user("steward")), status=Wave.Status.CLOSED)
    helpers.responses(made, 300)
    return made


def test_the_figures_are_weighted_to_every_margin_with_a_capped_weight(wave: Wave) -> None:
    found = results.compute(wave)
    about = found.weighting
    assert about.weighted and about.converged
    assert about.margins == ["Ward", "Age", "Sex", "Ethnic group", "Housing tenure", "Disability"]
    assert about.max_weight <= results.CAP + 1e-9
    assert about.design_effect > 1 and 0 < about.effective_sample_size < 300
    council = next(q for q in found.questions if q.key == "council")
    estimate = council.everyone.estimate
    assert estimate is not None
    assert estimate.low < estimate.proportion < estimate.high
    assert estimate.base < 300  # 'Don't know' is kept out of the base
    assert estimate.effective_base < estimate.base


def test_weighting_moves_the_figure_towards_the_borough(wave: Wave) -> None:
    """The sample has three owners in five; the borough one in two: weighted, the owners' share falls."""
    rows = list(
        wave.responses.order_by("pk").values_list(
            "answers", "ward__name", "age", "sex", "ethnicity", "tenure", "disability"
        )
    )
    targets = results.borough_margins()
    sample = results.profile_categories(rows, list(targets["age"]))
    weights, _about = results.weights_for(sample, targets, len(rows))
    owners = np.array([t == "Owned (outright, with a mortgage or shared ownership)" for t in sample["tenure"]])
    answered = np.array([t is not None for t in sample["tenure"]])
    assert owners[answered].mean() > 0.55
    assert abs(weights[answered & owners].sum() / weights[answered].sum() - 0.5) < 1e-6


def test_a_ward_with_fewer_than_10_responses_gets_no_figure_nor_does_the_next_smallest(
    merton: Any, make_user: Any
) -> None:
    helpers.profile()
    wave = helpers.wave(helpers.survey(make_user("steward")), status=Wave.Status.CLOSED)
    first, second, third, fourth = Ward.objects.order_by("code")[:4]
    helpers.responses(wave, 30, wards=[first], seed=2)
    helpers.responses(wave, 25, wards=[second], seed=3)
    helpers.responses(wave, 15, wards=[third], seed=4)
    helpers.responses(wave, 5, wards=[fourth], seed=5)
    council = next(q for q in results.compute(wave).questions if q.key == "council")
    assert council.by_ward[fourth.name].why == figures.SMALL
    # Otherwise the fourth ward's figure could be worked out from the borough's and the other three.
    assert council.by_ward[third.name].why == figures.PROTECTS_SMALL and council.by_ward[third.name].hidden
    assert not council.by_ward[first.name].hidden and not council.by_ward[second.name].hidden
    assert not council.everyone.hidden


def _shown(base: int) -> figures.Figure:
    return figures.figure(np.ones(base, dtype=bool), np.ones(base))


def test_small_groups_are_hidden_until_they_cannot_be_told_apart_or_worked_out() -> None:
    by_ward = {"A": _shown(40), "B": _shown(12), "C": _shown(11), "D": figures.figure(np.ones(3, bool), np.ones(3))}
    counts = {"A": 40, "B": 12, "C": 11, "D": 3}
    figures.protect_small_groups(by_ward, counts, unplaced=0)
    assert [name for name, f in by_ward.items() if f.hidden] == ["C", "D"]  # 3 + 11 responses in two groups

    by_ward = {"A": _shown(40), "B": _shown(12), "D": figures.figure(np.ones(3, bool), np.ones(3))}
    figures.protect_small_groups(by_ward, {"A": 40, "B": 12, "D": 3}, unplaced=20)
    assert [name for name, f in by_ward.items() if f.hidden] == ["D"]  # with 20 of no ward, it is not alone

    by_ward = {"A": _shown(40), "B": _shown(12), "C": figures.figure(np.ones(0, bool), np.ones(0))}
    figures.protect_small_groups(by_ward, {"A": 40, "B": 12, "C": 0}, unplaced=0)
    assert [name for name, f in by_ward.items() if f.hidden] == ["C"]  # a ward nobody answered for hides nothing

    by_ward = {"A": _shown(40), "B": _shown(12), "C": _shown(11), "D": figures.figure(np.ones(4, bool), np.ones(4))}
    by_ward["E"] = figures.figure(np.ones(2, bool), np.ones(2))
    figures.protect_small_groups(by_ward, {"A": 40, "B": 12, "C": 11, "D": 4, "E": 2}, unplaced=0)
    assert [name for name, f in by_ward.items() if f.hidden] == ["C", "D", "E"]  # 4 + 2 is under 10 together


def test_a_wave_with_a_margin_nobody_answered_is_weighted_by_the_others_and_says_so(
    merton: Any, make_user: Any
) -> None:
    helpers.profile()
    wave = helpers.wave(helpers.survey(make_user("steward")), status=Wave.Status.CLOSED)
    helpers.responses(wave, 60, tenure=False)
    about = results.compute(wave).weighting
    assert about.weighted
    assert "Housing tenure" not in about.margins
    assert any("No respondent answered the housing tenure question" in why for why in about.dropped)


def test_without_a_profile_the_figures_are_unweighted_and_say_so(merton: Any, make_user: Any) -> None:
    wave = helpers.wave(helpers.survey(make_user("steward")), status=Wave.Status.CLOSED)
    helpers.responses(wave, 30)
    found = results.compute(wave)
    assert not found.weighting.weighted and found.weighting.no_profile
    assert found.questions[1].everyone.estimate is not None


def test_a_wave_with_no_responses_has_no_figures(merton: Any, make_user: Any) -> None:
    helpers.profile()
    wave = helpers.wave(helpers.survey(make_user("steward")))
    found = results.compute(wave)
    assert found.responses == 0 and found.questions == []


def test_the_results_are_kept_until_another_response_arrives(wave: Wave) -> None:
    first = results.wave_results(wave)
    with CaptureQueriesContext(connection) as queries:
        again = results.wave_results(wave)
    assert len(queries) <= 4  # the count and the profile's version, then the cache
    assert again.responses == first.responses == 300
    helpers.responses(wave, 1, seed=9)
    assert results.wave_results(wave).responses == 301


def test_a_change_between_waves_says_whether_it_is_real(merton: Any, make_user: Any) -> None:
    from commonweal.engagement.surveys.figures import change

    helpers.profile()
    made = helpers.survey(make_user("steward"))
    low = helpers.wave(made, "Autumn 2025", status=Wave.Status.PUBLISHED, days=-200)
    high = helpers.wave(made, "Spring 2026", status=Wave.Status.PUBLISHED)
    helpers.responses(low, 400, satisfied=0.3, seed=4)
    helpers.responses(high, 400, satisfied=0.8, seed=5)
    before = next(q for q in results.compute(low).questions if q.key == "council").everyone
    after = next(q for q in results.compute(high).questions if q.key == "council").everyone
    moved = change(before, after)
    assert moved is not None and moved.significant and moved.difference > 0
    assert change(before, before) is not None and not change(before, before).significant
