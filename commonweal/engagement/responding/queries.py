"""Reads for responding: the consultation being answered, a person's own drafts and responses, and a draft's
answers laid out for the check page."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from ..models import Answer, Consultation, Question, Response
from ..permissions import signed_in


def published(slug: str) -> Consultation | None:
    """A consultation the public may see (published, decided), with its department."""
    return (
        Consultation.objects.select_related("department")
        .filter(slug=slug)
        .exclude(status__in=[Consultation.Status.DRAFT, Consultation.Status.WITHDRAWN])
        .first()
    )


def questions(consultation: Consultation) -> list[Question]:
    return list(consultation.questions.order_by("position", "pk"))


def draft_of(consultation: Consultation, *, by: Any, uuid: Any = None) -> Response | None:
    """This person's draft of this consultation: someone signed in by their account, someone without one by
    the draft their session holds (never anyone else's)."""
    drafts = Response.objects.select_related("consultation").filter(
        consultation=consultation, status=Response.Status.DRAFT
    )
    if signed_in(by):
        return drafts.filter(user=by).order_by("-updated_at").first()
    if uuid is None:
        return None
    return drafts.filter(uuid=uuid, user__isnull=True).first()


def answers_by_question(response: Response) -> dict[int, Answer]:
    return {a.question_id: a for a in response.answers.all()}


def your_responses(user: Any) -> QuerySet[Response]:
    """A signed-in person's drafts and sent responses, newest first, with their consultations (one query)."""
    return (
        Response.objects.filter(user=user)
        .select_related("consultation", "organisation")
        .annotate(answered=Count("answers"))
        .order_by("status", "-updated_at")
    )


def your_response(user: Any, uuid: Any) -> Response | None:
    """One of this person's own responses; None for anyone else's."""
    return Response.objects.select_related("consultation", "organisation", "ward").filter(user=user, uuid=uuid).first()


def your_response_counts(user: Any) -> dict[str, int]:
    """How many drafts and sent responses this person has (one query)."""
    return Response.objects.filter(user=user).aggregate(
        drafts=Count("pk", filter=Q(status=Response.Status.DRAFT)),
        sent=Count("pk", filter=Q(status=Response.Status.SUBMITTED)),
    )
