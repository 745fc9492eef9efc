"""Consultations and what they need, made as the services leave them (published with a complete Gunning check,
submitted responses counted)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from commonweal.accounts.models import Organisation
from commonweal.accounts.services import create_organisation
from commonweal.engagement.models import Answer, Characteristic, Consultation, ImpactAssessment, Question, Response
from commonweal.engagement.tallies import count_response


def department(name: str = "Regeneration (test)") -> Organisation:
    found = Organisation.objects.filter(name=name).first()
    return found or create_organisation(name=name, kind=Organisation.Kind.COUNCIL_DEPARTMENT)


def consultation(
    title: str = "Our plan for Mitcham high street",
    *,
    department_: Organisation | None = None,
    status: str = Consultation.Status.PUBLISHED,
    opens_on: date | None = None,
    closes_on: date | None = None,
    questions: bool = True,
    **fields: Any,
) -> Consultation:
    """A consultation open today (unless dates say otherwise), its Gunning check complete and its equality
    impact assessment written, with one question of each kind."""
    today = timezone.localdate()
    opens_on = opens_on or today - timedelta(days=7)
    made = Consultation.objects.create(
        slug=fields.pop("slug", slugify(title)[:100]),
        title=title,
        summary=fields.pop("summary", "We want to make the high street greener and safer to cross."),
        proposal=fields.pop("proposal", "Widen the pavements, add trees and a crossing by the library."),
        options_open=fields.pop("options_open", "Where the crossing goes, and which trees, are still open."),
        department=department_ or department(),
        opens_on=opens_on,
        closes_on=closes_on or opens_on + timedelta(weeks=12),
        decision_maker=fields.pop("decision_maker", "Cabinet"),
        decision_due_on=fields.pop("decision_due_on", opens_on + timedelta(weeks=20)),
        formative_statement=fields.pop("formative_statement", "No decision has been made; all three options are open."),
        information_statement=fields.pop("information_statement", "The plan, its costs and the traffic study."),
        consideration_plan=fields.pop("consideration_plan", "Every response is read and themed by the team."),
        considered_by=fields.pop("considered_by", "The regeneration team, then Cabinet"),
        gunning_completed_at=timezone.now(),
        status=status,
        published_at=timezone.now() if status != Consultation.Status.DRAFT else None,
        **fields,
    )
    ImpactAssessment.objects.bulk_create(
        ImpactAssessment(
            consultation=made,
            characteristic=value,
            impact=ImpactAssessment.Impact.NEUTRAL,
            evidence="The borough profile and the traffic study.",
        )
        for value in Characteristic.values
    )
    if questions:
        add_questions(made)
    return made


def add_questions(made: Consultation) -> list[Question]:
    K = Question.Kind
    return Question.objects.bulk_create(
        [
            Question(
                consultation=made,
                position=1,
                kind=K.SINGLE,
                text="Do you support the plan?",
                required=True,
                options=["Yes", "No", "Not sure"],
            ),
            Question(
                consultation=made,
                position=2,
                kind=K.MULTIPLE,
                text="What would you use more?",
                options=["Shops", "Cafes", "Library", "Market"],
            ),
            Question(
                consultation=made,
                position=3,
                kind=K.SCALE,
                text="How safe do you feel crossing?",
                scale_points=5,
                scale_low="Very unsafe",
                scale_high="Very safe",
            ),
            Question(consultation=made, position=4, kind=K.TEXT, text="What else should we know?"),
            Question(
                consultation=made,
                position=5,
                kind=K.RANKING,
                text="Put these in order of importance",
                options=["Trees", "Crossing", "Seating"],
            ),
            Question(consultation=made, position=6, kind=K.PIN, text="Where is it hardest to cross?"),
        ]
    )


def response(
    made: Consultation,
    *,
    user: Any = None,
    ward: Any = None,
    answers: dict[int, dict[str, Any]] | None = None,
    **fields: Any,
) -> Response:
    """A submitted response, counted in the kept results. `answers` maps a question's position to its Answer
    fields; by default it says yes to the first question."""
    submitted = Response.objects.create(
        consultation=made,
        user=user,
        ward=ward,
        status=Response.Status.SUBMITTED,
        submitted_at=timezone.now(),
        email=fields.pop("email", "" if user else "someone@example.org"),
        **fields,
    )
    questions = {q.position: q for q in made.questions.all()}
    for position, values in (answers if answers is not None else {1: {"choices": [0]}}).items():
        Answer.objects.create(response=submitted, question=questions[position], **values)
    count_response(submitted)
    return submitted
