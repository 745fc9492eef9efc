"""Reads for closing the loop: the figures 'you said' shows, who asked to hear back, the 'we did' index, and the
consultations whose 'we did' is due or overdue. Reads only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from importlib import import_module
from typing import Any

from django.db.models import Case, CharField, F, Q, QuerySet, When
from django.db.models.functions import Lower, Trim
from django.utils import timezone

from ..models import (
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


def submitted(consultation: Consultation) -> QuerySet[Response]:
    return Response.objects.filter(consultation=consultation, status=Response.Status.SUBMITTED)


def response_count(consultation: Consultation) -> int:
    return submitted(consultation).count()


def figures(consultation: Consultation) -> dict[str, Any]:
    """The overall figures 'you said' shows: how many responded and, for each question with options, how many
    chose each (for a ranking, how many put it first; for a pin, how many by ward), and for free text the themes
    raised by ten or more. Read from the analysis area's kept, suppressed results, so the public page hides
    exactly what the results page hides (one rule, one place). Kept on the consultation when 'we did' is
    published, so the public page reads them, not the responses."""
    from commonweal.engagement.analysis.queries import public_summary as analysed

    shown = []
    for item in analysed(consultation):
        question = item["question"]
        if question.kind == Question.Kind.TEXT:
            rows = [{"label": t["name"], "count": t["count"]} for t in item["themes"]]
        else:
            # A hidden count is either a group under ten ('small') or hidden so that one cannot be worked out.
            rows = [{"label": r["label"], "count": r["count"], "small": r["small"]} for r in item["rows"]]
        if rows:
            shown.append(
                {
                    "text": question.text,
                    "kind": question.kind,
                    "ranking": question.kind == Question.Kind.RANKING,
                    "rows": rows,
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
    if isinstance(summary, list | tuple):  # the analysis area's: one item per question, each with its themes
        summary = {"themes": [theme for item in summary if isinstance(item, dict) for theme in item.get("themes", [])]}
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
