"""Reads for the rules pages: categories with their routing, the service standards, the council's bank holidays
and the audited changes to all of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet

from commonweal.accounts.models import Membership, Organisation, User
from commonweal.accounts.roles import Role
from commonweal.core import workdays
from commonweal.core.history import ReadableEntry, readable

from .. import clock
from ..models import OPEN_STATUSES, Blockage, Category, ServiceStandard, SolutionsSettings, Stage


def categories() -> QuerySet[Category]:
    """Every category with its departments, champion and how many blockages it has (open and in all)."""
    return (
        Category.objects.select_related("champion")
        .prefetch_related(Prefetch("departments", queryset=Organisation.objects.order_by("name")))
        .annotate(
            blockage_count=Count("blockages"),
            open_count=Count("blockages", filter=Q(blockages__status__in=list(OPEN_STATUSES))),
        )
        .order_by("-is_active", "position", "name")
    )


def departments() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=Organisation.Kind.COUNCIL_DEPARTMENT).order_by("name")


def champions() -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, pk__in=Membership.objects.filter(role=Role.CHAMPION).values("user_id")
    ).order_by("full_name", "email")


@dataclass(frozen=True)
class StandardRow:
    stage: str
    label: str
    working_days: int


def standards() -> list[StandardRow]:
    days = clock.standards()
    return [StandardRow(stage, str(label), days[stage]) for stage, label in Stage.choices]


@dataclass(frozen=True)
class Holidays:
    nation: str
    upcoming: list[tuple[date, str]]


def bank_holidays(today: date | None = None, count: int = 6) -> Holidays:
    """The nation whose bank holidays the clock keeps, and the next few of them."""
    country = clock.nation()
    day = today or clock.today()
    found: list[tuple[date, str]] = []
    for _ in range(800):
        if len(found) >= count:
            break
        name = workdays.holiday_name(day, country)
        if name:
            found.append((day, name))
        day = date.fromordinal(day.toordinal() + 1)
    return Holidays(nation=workdays.NATIONS.get(country, country), upcoming=found)


def rules_history() -> QuerySet[LogEntry]:
    """Every recorded change to the categories, service standards and settings, newest first."""
    types = ContentType.objects.get_for_models(Category, ServiceStandard, SolutionsSettings).values()
    return (
        LogEntry.objects.filter(content_type__in=types)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )


def history_entries(entries: list[LogEntry]) -> list[ReadableEntry]:
    return readable(entries)


def settings() -> SolutionsSettings:
    return SolutionsSettings.current()


def late_now() -> int:
    """Open blockages flagged late by the daily task and still late."""
    return Blockage.objects.filter(status__in=list(OPEN_STATUSES), breached_on__isnull=False).count()
