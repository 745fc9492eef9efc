"""The demo's responses: made for the consultations the consultations demo makes, skipped when one is missing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db.models import Count
from django.utils import timezone

from commonweal.engagement import tallies
from commonweal.engagement.models import Answer, Monitoring, Response
from commonweal.engagement.responding import demo
from commonweal.places.services import ward_for_point
from tests.engagement import factories

pytestmark = pytest.mark.django_db


def test_the_demo_skips_consultations_that_are_not_there(merton: Any) -> None:
    assert demo.load(merton) == {}
    assert not Response.objects.exists()


def test_the_demo_responds_to_the_open_and_the_closed_consultation(merton: Any, monkeypatch: Any) -> None:
    counted: list[int] = []
    monkeypatch.setattr(tallies, "count_response", lambda response: counted.append(response.pk))
    today = timezone.localdate()
    high_street = factories.consultation("High street plan", slug="high-street-plan")
    green = factories.consultation(
        "Green spaces strategy",
        slug="green-spaces-strategy",
        opens_on=today - datetime.timedelta(weeks=20),
        closes_on=today - datetime.timedelta(weeks=8),
    )
    assert demo.load(merton) == {"consultation responses": 510}
    assert demo.load(merton) == {}  # loaded once only
    assert high_street.responses.filter(status="submitted").count() == 60
    assert green.responses.filter(status="submitted").count() == 450
    assert sorted(counted) == sorted(Response.objects.values_list("pk", flat=True))  # each counted, once
    # Spread over the wards, submitted while each was open.
    assert green.responses.values("ward").distinct().count() > 15
    assert all(
        green.opens_on <= timezone.localtime(r.submitted_at).date() <= green.closes_on for r in green.responses.all()
    )
    # Several monitoring groups reach ten; every required question is answered.
    big = Monitoring.objects.filter(response__consultation=green).values("ethnic_group").annotate(n=Count("pk"))
    assert sum(1 for row in big if row["n"] >= 10) >= 3
    required = green.questions.get(required=True)
    assert Answer.objects.filter(question=required).count() == 450
    texts = list(
        Answer.objects.filter(question__consultation=green, question__kind="text").values_list("text", flat=True)
    )
    assert len(set(texts)) > 100 and sum("lighting" in t.lower() for t in texts) > 20
    pins = Answer.objects.filter(question__consultation=green, question__kind="pin")
    assert pins.exists() and all(ward_for_point(a.lat, a.lon) is not None for a in pins)
    assert green.responses.filter(hear_back=True).exclude(email="").exists()
