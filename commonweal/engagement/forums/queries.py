"""Reads for forums and events: the public calendar (upcoming and past), one event, the officers' list and
sign-ups, the councillors, and a councillor's wards. Each list costs the same few queries however many rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from commonweal.places.models import CouncilArea, Locality, Ward

from ..models import Consultation, Councillor, Event, Response
from ..models_forums import Invitation, Signup
from ..permissions import councillor_ward_ids, department_ids, is_steward, signed_in

PAGE_SIZE = 20
ACTIVE = Q(signups__cancelled_at__isnull=True)


@dataclass(frozen=True)
class CalendarFilters:
    ward_id: int | None = None
    locality_id: int | None = None
    kind: str = ""
    past: bool = False


def wards() -> list[Ward]:
    return list(Ward.objects.filter(council=CouncilArea.current()).order_by("name"))


def localities() -> list[Locality]:
    return list(Locality.objects.filter(council=CouncilArea.current()).order_by("name"))


def _with_places(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.annotate(taken=Count("signups", filter=ACTIVE, distinct=True))


def calendar(filters: CalendarFilters, *, now: datetime.datetime | None = None) -> QuerySet[Event]:
    """Published events, upcoming (soonest first, those under way included) or past (latest first), filtered;
    an event in a locality's ward counts as in that locality too."""
    now = now or timezone.now()
    events = Event.objects.filter(status=Event.Status.PUBLISHED).select_related("ward", "locality", "consultation")
    if filters.past:
        events = events.filter(ends_at__lt=now).order_by("-starts_at", "pk")
    else:
        events = events.filter(ends_at__gte=now).order_by("starts_at", "pk")
    if filters.ward_id is not None:
        events = events.filter(ward_id=filters.ward_id)
    if filters.locality_id is not None:
        events = events.filter(Q(locality_id=filters.locality_id) | Q(ward__localities=filters.locality_id)).distinct()
    if filters.kind:
        events = events.filter(kind=filters.kind)
    return _with_places(events)


def event(uuid: Any) -> Event | None:
    """One event with what its page shows, and how many places are taken."""
    return (
        _with_places(Event.objects.filter(uuid=uuid))
        .select_related("ward", "locality", "consultation", "department", "cancellation")
        .first()
    )


def is_public(found: Event) -> bool:
    """Published, or cancelled after the public had seen it (its page says so)."""
    if found.status == Event.Status.PUBLISHED:
        return True
    cancellation = getattr(found, "cancellation", None)
    return found.status == Event.Status.CANCELLED and cancellation is not None and cancellation.was_published


def is_invited(user: Any, found: Event) -> bool:
    return signed_in(user) and Invitation.objects.filter(event=found, user=user).exists()


def own_signup(user: Any, found: Event) -> Signup | None:
    if not signed_in(user):
        return None
    return Signup.objects.filter(event=found, cancelled_at__isnull=True, email=user.email.lower()).first()


def managed_events(user: Any) -> QuerySet[Event]:
    """The events an officer's departments run (or they organise); every event for a steward. Newest first."""
    events = Event.objects.select_related("ward", "department")
    if not is_steward(user):
        events = events.filter(Q(department_id__in=department_ids(user)) | Q(organised_by=user))
    return _with_places(events).order_by("-starts_at", "pk")


def signups(found: Event) -> QuerySet[Signup]:
    return Signup.objects.filter(event=found, cancelled_at__isnull=True).order_by("created_at", "pk")


def consultations_for(department_ids_: set[int] | None) -> list[Consultation]:
    """The consultations an event may be about: not withdrawn, of these departments (all when None)."""
    found = Consultation.objects.exclude(status=Consultation.Status.WITHDRAWN)
    if department_ids_ is not None:
        found = found.filter(department_id__in=department_ids_)
    return list(found.select_related("department").order_by("title"))


def councillors() -> QuerySet[Councillor]:
    return (
        Councillor.objects.filter(user__memberships__role="councillor")
        .select_related("user")
        .prefetch_related("wards")
        .distinct()
        .order_by("user__full_name", "user__email")
    )


@dataclass(frozen=True)
class WardEngagement:
    wards: list[Ward]
    consultations: list[Any]  # Consultation, with responses_count and phase_now
    events: list[Any]  # Event, with taken


def ward_engagement(user: Any, *, today: datetime.date | None = None) -> WardEngagement:
    """A councillor's wards: the consultations affecting them that the public can see (with how many responses,
    a count only), and the events in them still to come."""
    today = today or timezone.localdate()
    ward_ids = councillor_ward_ids(user)
    ward_list = list(Ward.objects.filter(pk__in=ward_ids).order_by("name"))
    affecting = Exists(Consultation.wards.through.objects.filter(consultation=OuterRef("pk"), ward_id__in=ward_ids))
    consultations = list(
        Consultation.objects.filter(affecting)
        .exclude(status__in=[Consultation.Status.DRAFT])
        .select_related("department")
        .annotate(
            responses_count=Count("responses", filter=Q(responses__status=Response.Status.SUBMITTED), distinct=True)
        )
        .order_by("-opens_on", "title")
    )
    for consultation in consultations:
        consultation.phase_now = consultation.phase(today)  # type: ignore[attr-defined]
    events = list(
        _with_places(
            Event.objects.filter(
                ward_id__in=ward_ids, status=Event.Status.PUBLISHED, ends_at__gte=timezone.now()
            ).select_related("ward")
        ).order_by("starts_at", "pk")
    )
    return WardEngagement(ward_list, consultations, events)


def ward_counts(user: Any, *, today: datetime.date | None = None) -> dict[str, int]:
    """For a councillor's home: consultations open in their wards, and events still to come there (two queries)."""
    today = today or timezone.localdate()
    ward_ids = councillor_ward_ids(user)
    open_now = (
        Consultation.objects.filter(
            status=Consultation.Status.PUBLISHED, opens_on__lte=today, closes_on__gte=today, wards__in=ward_ids
        )
        .values("pk")
        .distinct()
        .count()
    )
    events = Event.objects.filter(ward_id__in=ward_ids, status=Event.Status.PUBLISHED, ends_at__gte=timezone.now())
    return {"open": open_now, "events": events.count()}
