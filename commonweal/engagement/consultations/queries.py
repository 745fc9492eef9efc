"""Reads for the consultations area: the facts the Gunning check reads, the officer's list and task list, the
public list and page, and the API's rows. Every list costs the same few queries however many rows it has: a
consultation's documents, impacts, wards, themes and events come by prefetch, and its findings are computed
from them in Python."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from commonweal.accounts.models import Organisation
from commonweal.core import workdays
from commonweal.framework.models import Element
from commonweal.places.models import CouncilArea

from .. import gunning
from ..models import (
    Characteristic,
    Consultation,
    Document,
    EngagementSettings,
    Event,
    ImpactAssessment,
    Question,
    Response,
    SchoolHoliday,
)
from ..permissions import department_ids, is_steward

C = Consultation.Status
PUBLIC_STATUSES = (C.PUBLISHED, C.DECIDED, C.WITHDRAWN)
PHASE_COLOURS = {
    "draft": "grey",
    "forthcoming": "blue",
    "open": "green",
    "closed": "orange",
    "decided": "purple",
    "withdrawn": "red",
}
PHASE_LABELS = dict(Consultation.Phase.choices)
# Documents in the order people need them: the easy read version first.
DOCUMENT_ORDER = [
    Document.Kind.EASY_READ,
    Document.Kind.CONSULTATION,
    Document.Kind.OTHER_LANGUAGE,
    Document.Kind.OTHER_FORMAT,
    Document.Kind.RESPONSE_FORM,
    Document.Kind.BACKGROUND,
    Document.Kind.DECISION,
]


@dataclass(frozen=True)
class Rules:
    """What the check needs beyond the consultation itself, read once for a whole list."""

    minimum_weeks: int
    default_weeks: int
    nation: str
    school_holidays: tuple[gunning.Holiday, ...]


def rules() -> Rules:
    settings = EngagementSettings.current()
    council = CouncilArea.objects.order_by("pk").first()
    return Rules(
        minimum_weeks=settings.minimum_weeks,
        default_weeks=settings.default_weeks,
        nation=workdays.nation_of(council.gss_code if council else ""),
        school_holidays=tuple(
            gunning.Holiday(h.name, h.starts_on, h.ends_on) for h in SchoolHoliday.objects.order_by("starts_on")
        ),
    )


def with_everything(queryset: QuerySet[Consultation]) -> QuerySet[Consultation]:
    """A consultation with all the check and its pages read, in a fixed number of queries."""
    return (
        queryset.select_related("department")
        .prefetch_related(
            Prefetch("documents", queryset=Document.objects.order_by("kind", "title")),
            Prefetch("impacts", queryset=ImpactAssessment.objects.order_by("stage", "characteristic")),
            Prefetch("wards"),
            Prefetch(
                "events",
                queryset=Event.objects.filter(status=Event.Status.PUBLISHED)
                .select_related("ward")
                .order_by("starts_at"),
                to_attr="published_events",
            ),
        )
        .annotate(question_count=Count("questions", distinct=True))
    )


def themes_of(consultations: list[Consultation]) -> list[Consultation]:
    """Give each consultation its framework themes as `theme_list`, in one query."""
    prefetch_related_objects(
        consultations, Prefetch("themes", queryset=Element.objects.order_by("position", "pk"), to_attr="theme_list")
    )
    return consultations


def facts(consultation: Consultation, *, rules_: Rules, today: date, publishing: bool | None = None) -> gunning.Facts:
    """The check's facts for a consultation fetched `with_everything` (or fetched one by one, for one)."""
    documents = list(consultation.documents.all())
    launch = [i for i in consultation.impacts.all() if i.stage == ImpactAssessment.Stage.LAUNCH]
    labels = dict(Characteristic.choices)
    wards = sorted(consultation.wards.all(), key=lambda w: w.name)
    events = getattr(consultation, "published_events", None)
    if events is None:
        events = list(consultation.events.filter(status=Event.Status.PUBLISHED).select_related("ward"))
    with_events = set()
    for event in events:
        day = timezone.localdate(event.starts_at)
        inside = (consultation.opens_on is None or day >= consultation.opens_on) and (
            consultation.closes_on is None or day <= consultation.closes_on
        )
        if inside and event.ward is not None:
            with_events.add(event.ward.name)
    return gunning.Facts(
        summary=consultation.summary,
        proposal=consultation.proposal,
        options_open=consultation.options_open,
        decision_maker=consultation.decision_maker,
        decision_due_on=consultation.decision_due_on,
        formative_statement=consultation.formative_statement,
        information_statement=consultation.information_statement,
        consultation_documents=sum(1 for d in documents if d.kind == Document.Kind.CONSULTATION),
        has_easy_read=any(d.kind == Document.Kind.EASY_READ for d in documents),
        eqia_rows=len({i.characteristic for i in launch}),
        negative_unmitigated=tuple(
            str(labels.get(i.characteristic, i.characteristic))
            for i in launch
            if i.impact == ImpactAssessment.Impact.NEGATIVE and not i.mitigations.strip()
        ),
        opens_on=consultation.opens_on,
        closes_on=consultation.closes_on,
        short_period_reason=consultation.short_period_reason,
        consideration_plan=consultation.consideration_plan,
        considered_by=consultation.considered_by,
        wards=tuple(w.name for w in wards),
        wards_with_events=frozenset(with_events),
        school_holidays=rules_.school_holidays,
        minimum_weeks=rules_.minimum_weeks,
        default_weeks=rules_.default_weeks,
        nation=rules_.nation,
        today=today,
        publishing=consultation.status == C.DRAFT if publishing is None else publishing,
    )


def findings(consultation: Consultation, *, rules_: Rules | None = None, today: date | None = None) -> gunning.Findings:
    return gunning.check(facts(consultation, rules_=rules_ or rules(), today=today or timezone.localdate()))


def phase(consultation: Consultation, today: date) -> str:
    return consultation.phase(today) if consultation.status != C.DRAFT else "draft"


def phase_tag(consultation: Consultation, today: date) -> dict[str, str]:
    value = phase(consultation, today)
    return {"value": value, "label": str(PHASE_LABELS.get(value, value)), "colour": PHASE_COLOURS[value]}


def days_left(consultation: Consultation, today: date) -> int | None:
    """Days left to respond, today included; None unless it is open."""
    if not consultation.is_open(today) or consultation.closes_on is None:
        return None
    return (consultation.closes_on - today).days + 1


# --- the officer's pages ----------------------------------------------------------------------------------------


def managed(user: Any) -> QuerySet[Consultation]:
    """The consultations this person runs: their departments', or every one for a steward."""
    found = Consultation.objects.all()
    if not is_steward(user):
        found = found.filter(department_id__in=department_ids(user))
    return found


def manage_rows(user: Any, *, today: date) -> list[dict[str, Any]]:
    """The officer's list: each consultation with its phase and, for a draft, what still stops it opening."""
    rules_ = rules()
    rows = []
    for c in with_everything(managed(user)).order_by("-updated_at", "pk"):
        found = gunning.check(facts(c, rules_=rules_, today=today))
        missing = [f.message for f in found.missing] if c.status == C.DRAFT else []
        if c.status == C.DRAFT and not c.question_count:  # type: ignore[attr-defined]
            missing.append("Add at least one question.")
        if c.status == C.DRAFT and c.gunning_completed_at is None:
            missing.append("Mark the Gunning check complete.")
        rows.append({"consultation": c, "tag": phase_tag(c, today), "missing": missing})
    return rows


def departments_for(user: Any) -> QuerySet[Organisation]:
    """The departments this person may start a consultation for."""
    found = Organisation.objects.filter(kind=Organisation.Kind.COUNCIL_DEPARTMENT).order_by("name")
    return found if is_steward(user) else found.filter(pk__in=department_ids(user))


def one_managed(slug: str) -> Consultation | None:
    found = with_everything(Consultation.objects.filter(slug=slug)).first()
    return themes_of([found])[0] if found is not None else None


def questions(consultation: Consultation) -> list[Question]:
    return list(consultation.questions.order_by("position", "pk"))


def launch_impacts(consultation: Consultation) -> dict[str, ImpactAssessment]:
    return {i.characteristic: i for i in consultation.impacts.all() if i.stage == ImpactAssessment.Stage.LAUNCH}


def ordered_documents(consultation: Consultation) -> list[Document]:
    rank: dict[str, int] = {str(kind): n for n, kind in enumerate(DOCUMENT_ORDER)}
    return sorted(consultation.documents.all(), key=lambda d: (rank.get(d.kind, 99), d.title))


def impact_table(consultation: Consultation, stage: str) -> list[dict[str, Any]]:
    """The rows of one stage's assessment, in the order of the Act's characteristics."""
    rows = {i.characteristic: i for i in consultation.impacts.all() if i.stage == stage}
    return [{"label": label, "row": rows[value]} for value, label in Characteristic.choices if value in rows]


# --- the public pages -------------------------------------------------------------------------------------------


def public() -> QuerySet[Consultation]:
    return Consultation.objects.filter(status__in=PUBLIC_STATUSES)


def public_listed(
    *, today: date, phase_: str = "", ward: int | None = None, theme: int | None = None
) -> QuerySet[Consultation]:
    """The public list: published and decided consultations (a withdrawn one only by its own address), in one
    phase if asked, affecting one ward or theme if asked; open ones closing soonest first."""
    found = Consultation.objects.filter(status__in=(C.PUBLISHED, C.DECIDED))
    found = in_phase(found, phase_, today)
    if ward is not None:
        found = found.filter(wards=ward)
    if theme is not None:
        found = found.filter(themes=theme)
    return found.distinct()


def in_phase(found: QuerySet[Consultation], phase_: str, today: date) -> QuerySet[Consultation]:
    published = Q(status=C.PUBLISHED)
    if phase_ == "open":
        return found.filter(published, opens_on__lte=today, closes_on__gte=today).order_by("closes_on", "title")
    if phase_ == "forthcoming":
        return found.filter(published, opens_on__gt=today).order_by("opens_on", "title")
    if phase_ == "closed":
        return found.filter(Q(status=C.DECIDED) | Q(published, closes_on__lt=today)).order_by("-closes_on", "title")
    if phase_ == "decided":
        return found.filter(status=C.DECIDED).order_by("-closes_on", "title")
    if phase_ == "withdrawn":
        return found.filter(status=C.WITHDRAWN).order_by("-closes_on", "title")
    return found.order_by("-opens_on", "title")


def phase_counts(*, today: date, ward: int | None = None, theme: int | None = None) -> dict[str, int]:
    """How many are open, forthcoming and closed (with the filters), in one query."""
    found = Consultation.objects.filter(status__in=(C.PUBLISHED, C.DECIDED))
    if ward is not None:
        found = found.filter(wards=ward)
    if theme is not None:
        found = found.filter(themes=theme)
    published = Q(status=C.PUBLISHED)
    return found.aggregate(
        open=Count("pk", filter=published & Q(opens_on__lte=today, closes_on__gte=today), distinct=True),
        forthcoming=Count("pk", filter=published & Q(opens_on__gt=today), distinct=True),
        closed=Count("pk", filter=Q(status=C.DECIDED) | (published & Q(closes_on__lt=today)), distinct=True),
    )


def for_list(found: QuerySet[Consultation]) -> QuerySet[Consultation]:
    return found.select_related("department").prefetch_related("wards")


def public_one(slug: str) -> Consultation | None:
    found = with_everything(public().filter(slug=slug)).first()
    return themes_of([found])[0] if found is not None else None


def response_counts(ids: list[int]) -> dict[int, int]:
    """Submitted responses per consultation, in one query."""
    rows = (
        Response.objects.filter(consultation_id__in=ids, status=Response.Status.SUBMITTED)
        .values("consultation_id")
        .annotate(n=Count("pk"))
    )
    return {row["consultation_id"]: row["n"] for row in rows}


def home_counts(user: Any, *, today: date) -> dict[str, int]:
    """An officer's drafts and open consultations (a steward's: every one), in one query."""
    return managed(user).aggregate(
        drafts=Count("pk", filter=Q(status=C.DRAFT)),
        open=Count("pk", filter=Q(status=C.PUBLISHED, opens_on__lte=today, closes_on__gte=today)),
    )
