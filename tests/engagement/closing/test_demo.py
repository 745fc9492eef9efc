"""The demo's 'we did': the closed demo consultation is decided through the services, its assessment after the
responses differs from the launch one in two rows, and its hear-back respondents are emailed by the task."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from commonweal.engagement.closing import demo, queries
from commonweal.engagement.models import Consultation
from tests.engagement import factories

from .helpers import closed

pytestmark = pytest.mark.django_db


def test_the_demo_decides_the_closed_consultation_once(
    make_user: Any, merton: Any, django_capture_on_commit_callbacks: Any
) -> None:
    assert demo.load(merton) == {"'we did' pages": 0}  # no demo consultation yet: nothing to do, no error
    consultation = closed("Green spaces strategy", slug=demo.SLUG)
    factories.response(consultation, email="park.user@example.org", hear_back=True)
    make_user("steward")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert demo.load(merton) == {"'we did' pages": 1}
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.DECIDED
    assert consultation.decision_paper_url == demo.PAPER_URL
    changed = [row.characteristic for row in queries.impact_changes(consultation) if row.changed]
    assert sorted(changed) == ["age", "disability"]
    assert [m.to for m in mail.outbox] == [["park.user@example.org"]]
    with django_capture_on_commit_callbacks(execute=True):
        assert demo.load(merton) == {"'we did' pages": 1}
    assert len(mail.outbox) == 1


def test_the_analysis_areas_summary_is_read_whatever_its_shape() -> None:
    text = queries._summary_text
    assert text("Most people want trees.") == "Most people want trees."
    assert text(["One.", " Two. "]) == "One.\n\nTwo."
    themes = {"themes": [{"name": "Trees", "count": 40}, ("Parking", 12), {"label": "Noise", "count": 3}]}
    assert text(themes) == "The themes people raised most in their own words: Trees (40), Parking (12)."
    assert text(None) == "" and text({"questions": []}) == ""
