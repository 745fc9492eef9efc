"""The parts of a draft consultation, in the order of its task list, and which part holds each field the Gunning
check names: so a finding links to the page where it is put right."""

from __future__ import annotations

PARTS: tuple[tuple[str, str], ...] = (
    ("details", "Details: what is proposed and what is still open"),
    ("affected", "Who is affected"),
    ("questions", "Questions"),
    ("documents", "Documents"),
    ("dates", "Dates"),
    ("gunning", "Gunning check"),
    ("eqia", "Equality impact assessment"),
)
PART_LABELS = dict(PARTS)

FIELD_PARTS = {
    "title": "details",
    "summary": "details",
    "proposal": "details",
    "options_open": "details",
    "background": "details",
    "contact_email": "details",
    "wards": "affected",
    "groups": "affected",
    "themes": "affected",
    "affected_people": "affected",
    "opens_on": "dates",
    "closes_on": "dates",
    "short_period_reason": "dates",
    "allows_many_responses": "dates",
    "documents": "documents",
    "eqia": "eqia",
    "decision_maker": "gunning",
    "decision_due_on": "gunning",
    "formative_statement": "gunning",
    "information_statement": "gunning",
    "consideration_plan": "gunning",
    "considered_by": "gunning",
}


def part_of(field: str) -> str:
    return FIELD_PARTS.get(field, "details")
