"""Closed consultations, and a 'we did' draft complete enough to publish."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from commonweal.engagement.closing import services
from commonweal.engagement.models import Characteristic, Consultation, ImpactAssessment
from tests.engagement import factories


def closed(title: str = "Our plan for Mitcham high street", *, closes_on: Any = None, **fields: Any) -> Consultation:
    """A consultation that ran for twelve weeks and closed (ten days ago, unless told)."""
    closes_on = closes_on or timezone.localdate() - timedelta(days=10)
    return factories.consultation(title, opens_on=closes_on - timedelta(weeks=12), closes_on=closes_on, **fields)


def officer_of(make_user: Any, consultation: Consultation) -> Any:
    return make_user("officer", organisation=consultation.department)


def complete_impacts(**changed: tuple[str, str, str]) -> dict[str, services.ImpactDraft]:
    drafts = {
        value: services.ImpactDraft(ImpactAssessment.Impact.NEUTRAL, "The responses showed no particular effect.", "")
        for value in Characteristic.values
    }
    for value, (impact, evidence, mitigations) in changed.items():
        drafts[value] = services.ImpactDraft(impact, evidence, mitigations)
    return drafts


def save_complete(consultation: Consultation, by: Any, **overrides: Any) -> Consultation:
    fields: dict[str, Any] = {
        "you_said": "Most people supported the plan and asked for more trees.",
        "decision": "Cabinet agreed the plan with a second crossing.",
        "how_changed": "People asked for a crossing by the school, so we added one.",
        "decision_paper_url": "https://democracy.example.gov.uk/report.pdf",
        "impacts": complete_impacts(),
    }
    fields.update(overrides)
    return services.save_we_did(consultation=consultation, by=by, **fields)
