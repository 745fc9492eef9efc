"""Perception surveys' reads, one function a page."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from ..models_surveys import Survey, SurveyQuestion, Wave
from ..permissions import department_ids, is_steward

W = Wave.Status


def survey(slug: str) -> Survey | None:
    return Survey.objects.select_related("department").filter(slug=slug).first()


def wave(survey: Survey, slug: str) -> Wave | None:
    found = Wave.objects.filter(survey=survey, slug=slug).first()
    if found is not None:
        found.survey = survey
    return found


def questions(survey: Survey) -> list[SurveyQuestion]:
    return list(survey.questions.order_by("position", "pk"))


def public_waves() -> dict[str, list[Wave]]:
    """Waves anyone may answer now (open to any resident) and waves whose results are published."""
    rows = list(
        Wave.objects.filter(Q(status=W.OPEN, sample=Wave.Sample.OPEN) | Q(status=W.PUBLISHED))
        .select_related("survey")
        .order_by("-opens_on", "survey__title", "pk")[:200]
    )
    return {
        "open": [w for w in rows if w.status == W.OPEN],
        "published": [w for w in rows if w.status == W.PUBLISHED],
    }


def managed_surveys(user: Any) -> QuerySet[Survey]:
    """The surveys this person runs (every survey for a steward), with how many waves and responses each has."""
    found = Survey.objects.select_related("department")
    if not is_steward(user):
        found = found.filter(department_id__in=department_ids(user))
    return found.annotate(
        wave_count=Count("waves", distinct=True), response_count=Count("waves__responses", distinct=True)
    ).order_by("title")


def waves_with_counts(survey: Survey) -> list[Wave]:
    """The survey's waves, each with its responses and invitations counted."""
    rows: list[Wave] = list(
        survey.waves.annotate(
            response_count=Count("responses", distinct=True), invitation_count=Count("invitations", distinct=True)
        ).order_by("opens_on", "pk")
    )
    for row in rows:
        row.survey = survey
    return rows


def visible_waves(survey: Survey, *, runs: bool) -> list[Wave]:
    """The waves whose results this person may see, oldest first: published ones, and (for those running the
    survey) any that has opened."""
    statuses = [W.PUBLISHED, W.CLOSED, W.OPEN] if runs else [W.PUBLISHED]
    rows = list(survey.waves.filter(status__in=statuses).order_by("opens_on", "pk"))
    for row in rows:
        row.survey = survey
    return rows
