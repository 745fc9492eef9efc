"""The demo borough's consultations: open, closed, forthcoming and a draft, each published one complete."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from commonweal.engagement.consultations import demo
from commonweal.engagement.consultations.queries import findings
from commonweal.engagement.models import Consultation, Document, Question, SchoolHoliday

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_demo_has_one_consultation_in_each_phase_and_loads_once(merton: Any) -> None:
    counts = demo.load(merton)
    assert counts["consultations"] == 4 and counts["consultation documents"] == 6 and counts["school holidays"] == 12
    today = timezone.localdate()
    phases = {c.slug: c.phase(today) for c in Consultation.objects.all()}
    assert phases == {
        "high-street-plan": "open",
        "green-spaces-strategy": "closed",
        "library-opening-hours": "forthcoming",
        "parking-permits-review": "draft",
    }
    street = Consultation.objects.get(slug="high-street-plan")
    assert set(street.questions.values_list("kind", flat=True)) == set(Question.Kind.values)
    assert street.documents.filter(kind=Document.Kind.EASY_READ).exists()
    assert street.documents.get(kind=Document.Kind.CONSULTATION).file.read(5) == b"%PDF-"
    green = Consultation.objects.get(slug="green-spaces-strategy")
    assert green.questions.filter(kind=Question.Kind.TEXT).count() == 2
    assert (green.closes_on - green.opens_on).days + 1 == 84 and (today - green.closes_on).days == 28
    for slug in ("high-street-plan", "green-spaces-strategy", "library-opening-hours"):
        published = Consultation.objects.get(slug=slug)
        assert findings(published).complete, slug
        assert published.impacts.count() == 10 and published.gunning_completed_at is not None
    assert not findings(Consultation.objects.get(slug="parking-permits-review")).complete
    assert demo.load(merton) == {"consultations": 0, "consultation documents": 0, "school holidays": 0}
    assert SchoolHoliday.objects.count() == 12
