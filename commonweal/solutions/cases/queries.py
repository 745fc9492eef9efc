"""Reads for the council's side: a department's queue (or a champion's, or the stewards' whole list) and the case
page. Each page costs a fixed number of queries however many rows it shows: the queue's rows bring their
category, ward, champion and parts in two queries, and their ages and lateness are worked out from the dates in
Python with the council's bank holidays (core.workdays), not asked of the database row by row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from commonweal.core import workdays

from .. import clock
from ..models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    Blockage,
    BlockageEvent,
    Escalation,
    Part,
    Supporter,
)
from ..permissions import department_ids, is_champion, is_steward

PAGE_SIZE = 25

# Who a queue is for: a department's officers, a champion's own cases, or every case (stewards, champions).
DEPARTMENT = "department"
CHAMPIONED = "champion"
EVERY = "all"
SCOPE_LABELS = {
    DEPARTMENT: "Your department's blockages",
    CHAMPIONED: "Cases you champion",
    EVERY: "Every blockage",
}

OPEN = "open"
CLOSED = "closed"
ANY = "any"
BY_DUE = "due"
BY_AGE = "age"


def scopes_for(user: Any) -> list[str]:
    """The queues this person may read, their own first."""
    found = []
    if department_ids(user):
        found.append(DEPARTMENT)
    if is_champion(user):
        found.append(CHAMPIONED)
    if is_steward(user) or is_champion(user):
        found.append(EVERY)
    return found


@dataclass(frozen=True)
class QueueFilters:
    scope: str
    status: str = OPEN
    category: int | None = None
    ward: int | None = None
    late_only: bool = False
    sort: str = BY_DUE


def queue(user: Any, filters: QueueFilters, *, today: date | None = None) -> QuerySet[Blockage]:
    """The blockages in this queue that match the filters, most overdue (or oldest) first."""
    today = today or clock.today()
    blockages = Blockage.objects.exclude(status=Blockage.Status.UNCONFIRMED)
    if filters.status == OPEN:
        statuses: list[str] | None = list(OPEN_STATUSES)
    elif filters.status == CLOSED:
        statuses = [*CLOSED_STATUSES, Blockage.Status.JOINED]
    elif filters.status == ANY:
        statuses = None
    else:
        statuses = [filters.status]
    if filters.scope == DEPARTMENT:
        # One indexed read of the department's parts (Part(department, blockage_status)).
        parts = Part.objects.filter(department_id__in=department_ids(user))
        if statuses is not None:
            parts = parts.filter(blockage_status__in=statuses)
        blockages = blockages.filter(pk__in=parts.values("blockage_id"))
    else:
        if filters.scope == CHAMPIONED:
            blockages = blockages.filter(champion=user)
        if statuses is not None:
            blockages = blockages.filter(status__in=statuses)
    if filters.category:
        blockages = blockages.filter(category_id=filters.category)
    if filters.ward:
        blockages = blockages.filter(ward_id=filters.ward)
    if filters.late_only:
        blockages = blockages.filter(late_filter(today))
    order: list[Any]
    if filters.sort == BY_AGE:
        order = [F("raised_at").asc(), "pk"]
    else:
        order = [F("due_on").asc(nulls_last=True), F("raised_at").asc(), "pk"]
    mine = department_ids(user) if filters.scope == DEPARTMENT else None
    parts_shown = Part.objects.select_related("department").order_by("department__name")
    if mine is not None:
        parts_shown = parts_shown.filter(department_id__in=mine)
    return (
        blockages.select_related("category", "ward", "champion")
        .prefetch_related(Prefetch("parts", queryset=parts_shown, to_attr="parts_shown"))
        .order_by(*order)
    )


@dataclass(frozen=True)
class Row:
    blockage: Blockage
    age: int
    late_by: int


def rows(blockages: list[Blockage], *, today: date | None = None) -> list[Row]:
    """Each blockage with its age and lateness in working days, worked out with the council's bank holidays."""
    today = today or clock.today()
    country = clock.nation()
    found = []
    for blockage in blockages:
        age = max(workdays.between(timezone.localdate(blockage.raised_at), today, country), 0)
        late = 0
        if blockage.is_open and blockage.due_on is not None and blockage.paused_at is None and blockage.due_on < today:
            late = workdays.between(blockage.due_on, today, country)
        found.append(Row(blockage=blockage, age=age, late_by=late))
    return found


def late_filter(today: date) -> Q:
    return Q(status__in=list(OPEN_STATUSES), due_on__lt=today, paused_at__isnull=True)


def home_counts(user: Any) -> dict[str, int]:
    """For the home page, in one query: how many blockages are open in this person's queue (their departments',
    or the ones they champion) and how many of them are late."""
    from django.db.models import Count

    from commonweal.accounts.models import Membership
    from commonweal.accounts.roles import Role

    today = timezone.localdate()
    departments = Membership.objects.filter(user=user, role=Role.OFFICER).values("organisation_id")
    queued = Part.objects.filter(department_id__in=departments).values("blockage_id")
    found = Blockage.objects.filter(Q(pk__in=queued) | Q(champion=user), status__in=list(OPEN_STATUSES)).aggregate(
        open=Count("pk"), late=Count("pk", filter=late_filter(today))
    )
    return {"open": found["open"], "late": found["late"]}


def case(uuid: Any) -> Blockage | None:
    return (
        Blockage.objects.select_related(
            "category", "ward", "raised_by", "organisation", "champion", "joined_to", "asset"
        )
        .filter(uuid=uuid)
        .first()
    )


def case_page(blockage: Blockage) -> dict[str, Any]:
    """Everything on a case page: its departments' parts, history, documents, joined blockages, supporters and
    escalations, and the clock."""
    today = clock.today()
    late = 0
    if blockage.is_open and blockage.due_on is not None and blockage.paused_at is None and blockage.due_on < today:
        late = workdays.between(blockage.due_on, today, clock.nation())
    return {
        "blockage": blockage,
        "parts": list(blockage.parts.select_related("department", "updated_by").order_by("department__name")),
        "events": list(BlockageEvent.objects.filter(blockage=blockage).select_related("by").order_by("at", "pk")),
        "documents": list(blockage.documents.all()),
        "joined": list(blockage.joined.select_related("category").order_by("raised_at")),
        "supporters": list(Supporter.objects.filter(blockage=blockage).select_related("user").order_by("at")),
        "escalations": list(Escalation.objects.filter(blockage=blockage).order_by("at", "pk")),
        "late_by": late,
    }
