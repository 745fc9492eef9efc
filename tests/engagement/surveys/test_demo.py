"""The demo borough's perception survey: three published waves of skewed, invented responses whose weighted
figures follow the trend the demo tells (satisfaction with the council about 62%, 60%, 64%)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from commonweal.engagement.models_surveys import Survey, SurveyResponse, Wave
from commonweal.engagement.surveys import demo, results
from commonweal.places.models import CouncilArea

pytestmark = pytest.mark.django_db


def _council(found: results.WaveResults) -> float:
    figure = next(q for q in found.questions if q.key == "council").everyone
    assert figure.percent is not None
    return figure.percent


def test_the_demo_survey_has_three_published_waves_weighted_to_the_demo_profile(demo_borough: Any) -> None:
    survey = Survey.objects.get(slug=demo.SLUG)
    waves = list(survey.waves.order_by("opens_on"))
    assert [w.name for w in waves] == ["Autumn 2025", "Spring 2026", "Autumn 2026"]
    assert all(w.status == Wave.Status.PUBLISHED for w in waves)
    counts = [SurveyResponse.objects.filter(wave=w).count() for w in waves]
    assert all(800 <= n <= 1500 for n in counts)
    started = time.perf_counter()
    found = results.results_for(waves)
    print(f"weighting and figures for three waves ({sum(counts)} responses): {time.perf_counter() - started:.2f} s")  # noqa: T201
    shares = [_council(found[w.pk]) for w in waves]
    print("council satisfaction, weighted:", [round(s, 1) for s in shares])  # noqa: T201
    assert 58 <= shares[0] <= 66 and 56 <= shares[1] <= 64 and 60 <= shares[2] <= 68
    assert shares[1] < shares[0] < shares[2]
    about = found[waves[0].pk].weighting
    assert about.weighted and about.margins == ["Ward", "Age", "Sex", "Ethnic group", "Housing tenure", "Disability"]
    print("design effect", round(about.design_effect, 2), "n_eff", round(about.effective_sample_size))  # noqa: T201
    assert 1 < about.design_effect < 3


def test_loading_the_demo_again_changes_nothing(demo_borough: Any) -> None:
    before = SurveyResponse.objects.count()
    assert demo.load(CouncilArea.current()) == {}
    assert SurveyResponse.objects.count() == before
