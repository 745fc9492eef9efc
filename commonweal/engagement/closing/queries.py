"""Reads for closing the loop: the figures 'you said' shows, who asked to hear back, the 'we did' index, and the
consultations whose 'we did' is due or overdue. Reads only."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import import_module
from typing import Any

from django.db.models import Case, CharField, F, Q, QuerySet, When
from django.db.models.functions import Lower, Trim
from django.utils import timezone

from ..models import (
    Answer,
    Characteristic,
    Consultation,
    DecisionNotice,
    Document,
    EngagementSettings,
    ImpactAssessment,
    Question,
    Response,
)

# Never show a group smaller than this (DESIGN.md: counts under 10 suppressed in anything shown).
SMALLEST_GROUP = 10
PAGE_SIZE = 20
COUNTED_KINDS = {Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.SCALE, Question.Kind.RANKING}
# Kinds whose counts add up to the number who answered: one hidden count could be worked out from the others.
ADDING_UP = {Question.Kind.SINGLE, Question.Kind.SCALE, Question.Kind.RANKING}


def submitted(consultation: Consultation) -> QuerySet[Response]:
    return Response.objects.filter(consultation=consultation, status=Response.Status.SUBMITTED)


def response_count(consultation: Consultation) -> int:
    return submitted(consultation).count()


def suppress(counts: list[int], *, adds_up: bool) -> list[int | None]:
    """Counts with every group under ten hidden (None), none shown as zero either (so a hidden count is never
    told apart from an empty one). Where the counts add up to a total people can work out, a single hidden count
    would show itself by subtraction, so the next smallest is hidden with it."""
    shown: list[int | None] = [n if n >= SMALLEST_GROUP else None for n in counts]
    hidden = [i for i, n in enumerate(shown) if n is None]
    # A lone hidden zero gives nothing away about anyone: only a lone hidden person or few needs company.
    if adds_up and len(hidden) == 1 and counts[hidden[0]] > 0:
        rest = [i for i, n in enumerate(shown) if n is not None]
        if rest:
            shown[min(rest, key=lambda i: counts[i])] = None
    return shown


def _labels(question: Question) -> list[str]:
    if question.kind == Question.Kind.SCALE:
        labels = [str(point) for point in range(1, question.scale_points + 1)]
        if question.scale_low:
            labels[0] = f"1 ({question.scale_low})"
        if question.scale_high:
            labels[-1] = f"{question.scale_points} ({question.scale_high})"
        return labels
    return [str(label) for label in question.options]


def figures(consultation: Consultation) -> dict[str, Any]:
    """The overall figures 'you said' shows: how many responded and, for each question with options, how many
    chose each (for a ranking, how many put it first), every group under ten hidden. Kept on the consultation
    when 'we did' is published, so the public page reads them, not the responses."""
    questions = [q for q in consultation.questions.order_by("position", "pk") if q.kind in COUNTED_KINDS]
    counts: dict[int, Counter[int]] = {q.pk: Counter() for q in questions}
    kinds = {q.pk: q.kind for q in questions}
    answers = Answer.objects.filter(
        question__in=[q.pk for q in questions],
        response__consultation=consultation,
        response__status=Response.Status.SUBMITTED,
    ).values_list("question_id", "choices", "scale")
    for question_id, choices, scale in answers.iterator(chunk_size=5000):
        kind = kinds[question_id]
        if kind == Question.Kind.SCALE:
            if scale:
                counts[question_id][scale - 1] += 1
            continue
        # Positions of the options chosen (a ranking's first is its top); anything else was never a valid answer.
        positions = [p for p in (choices if isinstance(choices, list) else []) if isinstance(p, int)]
        chosen = positions[:1] if kind in {Question.Kind.SINGLE, Question.Kind.RANKING} else set(positions)
        for position in chosen:
            counts[question_id][position] += 1
    shown = []
    for question in questions:
        labels = _labels(question)
        raw = [counts[question.pk].get(i, 0) for i in range(len(labels))]
        values = suppress(raw, adds_up=question.kind in ADDING_UP)
        shown.append(
            {
                "text": question.text,
                "kind": question.kind,
                "ranking": question.kind == Question.Kind.RANKING,
                "rows": [{"label": label, "count": value} for label, value in zip(labels, values, strict=True)],
            }
        )
    return {"responses": response_count(consultation), "questions": shown}


def public_summary(consultation: Consultation) -> str:
    """The analysis area's public summary of the results (themes and what most said), where it offers one."""
    # Imported by name: the analysis area is built beside this one, and this page works without it.
    try:
        summary = getattr(import_module("commonweal.engagement.analysis.queries"), "public_summary")(consultation)  # noqa: B009
    except (ImportError, AttributeError):
        return ""
    return _summary_text(summary)


def _summary_text(summary: Any) -> str:
    """Words from whatever shape the analysis area's summary takes: text, a list of paragraphs, or figures with
    the themes people raised (name and count, counts under ten already left out)."""
    if not summary:
        return ""
    if isinstance(summary, str):
        return summary.strip()
    if isinstance(summary, list | tuple) and all(isinstance(part, str) for part in summary):
        return "\n\n".join(part.strip() for part in summary if part.strip())
    themes = summary.get("themes") if isinstance(summary, dict) else getattr(summary, "themes", None)
    named = []
    for theme in themes or []:
        if isinstance(theme, dict):
            name, count = theme.get("name") or theme.get("label"), theme.get("count")
        elif isinstance(theme, list | tuple) and len(theme) >= 2:
            name, count = theme[0], theme[1]
        else:
            name, count = getattr(theme, "name", None) or getattr(theme, "label", None), getattr(theme, "count", None)
        if name and isinstance(count, int) and count >= SMALLEST_GROUP:
            named.append(f"{name} ({count:,})")
    return f"The themes people raised most in their own words: {', '.join(named)}." if named else ""


def draft_you_said(consultation: Consultation, found: dict[str, Any] | None = None) -> str:
    """A first draft of 'you said' for the officer to edit: how many responded, what most chose where the groups
    are big enough to say, and the analysis area's summary where there is one."""
    found = found or figures(consultation)
    total = found["responses"]
    parts = [f"{total:,} {'person or group' if total == 1 else 'people and groups'} responded to this consultation."]
    for question in found["questions"]:
        if question["kind"] != Question.Kind.SINGLE:
            continue
        rows = [row for row in question["rows"] if row["count"] is not None]
        if rows:
            top = max(rows, key=lambda row: row["count"])
            parts.append(
                f"Asked ‘{question['text']}’, {top['count']:,} chose ‘{top['label']}’, more than any other answer."
            )
    summary = public_summary(consultation)
    if summary:
        parts.append(summary)
    return "\n\n".join(parts)


def hear_back_addresses(consultation: Consultation) -> QuerySet[Any]:
    """The addresses of those who responded and asked to hear back, each once (lower case), in order: the
    response's own address, or its person's where it gave none."""
    address = Lower(
        Trim(
            Case(
                When(~Q(email=""), then=F("email")),
                default=F("user__email"),
                output_field=CharField(),
            )
        )
    )
    return (
        submitted(consultation)
        .filter(hear_back=True)
        .annotate(address=address)
        .exclude(address__isnull=True)
        .exclude(address="")
        .order_by("address")
        .values_list("address", flat=True)
        .distinct()
    )


def told_count(consultation: Consultation) -> int:
    return DecisionNotice.objects.filter(consultation=consultation).count()


# --- the 'we did' due date -------------------------------------------------------------------------------


def due_on(consultation: Consultation, outcome_weeks: int | None = None) -> date | None:
    """When 'we did' is due: the council's outcome weeks after the consultation closed."""
    if consultation.closes_on is None:
        return None
    weeks = outcome_weeks if outcome_weeks is not None else EngagementSettings.current().outcome_weeks
    return consultation.closes_on + timedelta(weeks=weeks)


@dataclass(frozen=True)
class Due:
    consultation: Consultation
    due_on: date
    overdue: bool


def awaiting_we_did(*, department_ids: set[int] | None = None, today: date | None = None) -> list[Due]:
    """Closed consultations still without their 'we did', soonest due first (of some departments, or all)."""
    today = today or timezone.localdate()
    weeks = EngagementSettings.current().outcome_weeks
    found = Consultation.objects.filter(status=Consultation.Status.PUBLISHED, closes_on__lt=today).select_related(
        "department"
    )
    if department_ids is not None:
        found = found.filter(department_id__in=department_ids)
    rows = []
    for consultation in found.order_by("closes_on", "title"):
        due = due_on(consultation, weeks)
        assert due is not None  # closes_on is set: filtered on it
        rows.append(Due(consultation, due, due < today))
    return rows


def overdue_count(today: date | None = None) -> int:
    """How many closed consultations are past the date their 'we did' was due: one query (and the settings)."""
    today = today or timezone.localdate()
    weeks = EngagementSettings.current().outcome_weeks
    return Consultation.objects.filter(
        status=Consultation.Status.PUBLISHED, closes_on__lt=today - timedelta(weeks=weeks)
    ).count()


# --- the close form and the public page -------------------------------------------------------------------


def impacts(consultation: Consultation) -> dict[str, dict[str, ImpactAssessment]]:
    """The impact assessment's rows by stage, then characteristic."""
    rows: dict[str, dict[str, ImpactAssessment]] = {stage: {} for stage in ImpactAssessment.Stage.values}
    for row in consultation.impacts.all():
        rows[row.stage][row.characteristic] = row
    return rows


@dataclass(frozen=True)
class ImpactChange:
    characteristic: str
    label: str
    launch: ImpactAssessment | None
    closing: ImpactAssessment | None

    @property
    def changed(self) -> bool:
        if self.launch is None or self.closing is None:
            return self.launch is not self.closing
        return (self.launch.impact, self.launch.mitigations.strip()) != (
            self.closing.impact,
            self.closing.mitigations.strip(),
        )

    @property
    def impact_changed(self) -> bool:
        return self.launch is not None and self.closing is not None and self.launch.impact != self.closing.impact


def impact_changes(consultation: Consultation) -> list[ImpactChange]:
    """The assessment at launch and after the responses, side by side, one row per characteristic."""
    rows = impacts(consultation)
    return [
        ImpactChange(value, str(label), rows["launch"].get(value), rows["closing"].get(value))
        for value, label in Characteristic.choices
    ]


def decision_papers(consultation: Consultation) -> list[Document]:
    return list(consultation.documents.filter(kind=Document.Kind.DECISION).order_by("-uploaded_at"))


def decided(slug: str) -> Consultation | None:
    """A decided consultation, for its public 'we did' page; None for any other (not found until decided)."""
    return (
        Consultation.objects.select_related("department")
        .prefetch_related("questions")
        .filter(slug=slug, status=Consultation.Status.DECIDED)
        .first()
    )


def we_asked(*, ward: int | None = None, theme: int | None = None) -> QuerySet[Consultation]:
    """The index: every decided consultation, newest decision first, of a ward or a theme if asked."""
    found = Consultation.objects.filter(status=Consultation.Status.DECIDED).select_related("department")
    if ward is not None:
        found = found.filter(wards=ward)
    if theme is not None:
        found = found.filter(themes=theme)
    return found.order_by("-decided_at", "title")
