"""The analysis demo: themes on the closed demo consultation, its answers tagged by the words they use; nothing
when the consultation is not there."""

from __future__ import annotations

from typing import Any

import pytest

from commonweal.engagement.analysis import demo
from commonweal.engagement.analysis.queries import public_summary
from commonweal.engagement.models import AnswerTag, AnswerTheme
from tests.engagement import factories

pytestmark = pytest.mark.django_db


def test_the_demo_skips_a_missing_consultation(merton: Any) -> None:
    assert demo.load(merton) == {}


def test_the_demo_themes_the_green_spaces_answers_and_the_public_summary_shows_big_themes(merton: Any) -> None:
    consultation = factories.consultation("Green spaces strategy", slug=demo.SLUG)
    for n in range(24):
        said = "More trees and a safe path at night" if n % 2 else "Bins overflow with litter"
        factories.response(consultation, answers={1: {"choices": [n % 2]}, 4: {"text": said}})
    counts = demo.load(merton)
    assert counts["engagement answer themes"] == 6
    assert AnswerTheme.objects.filter(consultation=consultation).count() == 6
    trees = AnswerTag.objects.filter(theme__name="Trees and planting").count()
    assert trees == 12
    demo.load(merton)  # again: nothing doubled
    assert AnswerTag.objects.filter(theme__name="Trees and planting").count() == 12
    summary = {item["question"].position: item for item in public_summary(consultation)}
    assert summary[1]["answered"] == 24
    assert [r["count"] for r in summary[1]["rows"]] == [12, 12, 0]
    assert {"name": "Trees and planting", "count": 12} in summary[4]["themes"]
    assert "quotes" not in str(summary[4]["themes"])
