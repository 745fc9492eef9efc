"""Reads for the public side of the Solutions Framework: the public log, a blockage's public page, the JSON feed
and the dashboard's figures. Only public fields leave here: never a raiser's contact details, never an officer.

Blockages joined to another are left out of the log, the feed and the figures: the one they joined carries them
(it is the same blockage raised twice, and counting both would count the council's work twice). A joined
blockage's own address still answers, saying which one it joined.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils import timezone

from commonweal.core import workdays
from commonweal.core.caching import kept

from ..clock import nation
from ..models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    AssetTransfer,
    Blockage,
    BlockageEvent,
    CaseStudy,
    Category,
    Escalation,
    Part,
    Stage,
    public_name,
)

B = Blockage.Status
PER_PAGE = 25
MAX_PAGE = 10_000
RESOLVED = (B.RESOLVED, B.LEARNING_SHARED)
# What the public log's status filter offers: open, closed, then each status a blockage on the log can have.
LISTED_STATUSES = [s for s in B if s not in (B.UNCONFIRMED, B.JOINED)]
STATUS_FILTERS: list[tuple[str, str]] = [
    ("", "Any status"),
    ("open", "Open"),
    ("closed", "Closed"),
    *[(str(s.value), str(s.label)) for s in LISTED_STATUSES],
]

# Each step as the public timeline names it. The raiser's own replies and the email confirmation are theirs,
# not the council's: they are shown by name only, never with what the raiser wrote.
STEP_NAMES = {
    "confirm": "Email address confirmed",
    "acknowledge": "Acknowledged",
    "agree_steps": "Steps agreed",
    "start": "Work started",
    "wait": "Waiting for the person who raised it",
    "reply": "The person who raised it answered",
    "resume": "Work resumed",
    "resolve": "Resolved",
    "not_resolvable": "Could not be resolved",
    "share_learning": "Learning shared",
    "join": "Joined to another blockage",
}
PRIVATE_NOTES = frozenset({"confirm", "reply"})


def listed() -> QuerySet[Blockage]:
    """Every blockage the public sees on the log: confirmed, and not joined to another."""
    return Blockage.objects.public().exclude(status=B.JOINED)


# --- the public log ---------------------------------------------------------------------------------------------


def filtered(
    *,
    category: str = "",
    ward: str = "",
    status: str = "",
    words: str = "",
    updated_since: datetime | None = None,
) -> QuerySet[Blockage]:
    """The log narrowed by a category (slug), a ward (ONS code), a status ('open', 'closed' or one status) and
    words in the title or description; newest first."""
    found = listed()
    if category:
        found = found.filter(category__slug=category)
    if ward:
        found = found.filter(ward__code=ward)
    if status == "open":
        found = found.filter(status__in=OPEN_STATUSES)
    elif status == "closed":
        found = found.filter(status__in=CLOSED_STATUSES)
    elif status:
        found = found.filter(status=status)
    for word in words.split()[:10]:
        found = found.filter(Q(title__icontains=word) | Q(description__icontains=word))
    if updated_since is not None:
        found = found.filter(updated_at__gte=updated_since)
    return found.order_by("-raised_at", "-pk")


def counts(found: QuerySet[Blockage]) -> dict[str, int]:
    """How many blockages, and how many of them resolved, in one aggregate."""
    return found.order_by().aggregate(total=Count("pk"), resolved=Count("pk", filter=Q(status__in=RESOLVED)))


def for_rows(found: QuerySet[Blockage]) -> QuerySet[Blockage]:
    """What a row of the log or the feed reads, fetched with the blockages (departments in one more query)."""
    return found.select_related("category", "ward", "organisation", "joined_to").prefetch_related("departments")


@dataclass(frozen=True)
class Age:
    working_days: int
    closed: bool


def age_of(blockage: Blockage, *, today: date, country: str) -> Age:
    """Working days since it was raised; for a closed one, the working days it took to close."""
    raised = timezone.localdate(blockage.raised_at)
    if blockage.closed_at is not None and blockage.status in CLOSED_STATUSES:
        return Age(workdays.between(raised, timezone.localdate(blockage.closed_at), country), True)
    return Age(max(workdays.between(raised, today, country), 0), False)


def public_row(blockage: Blockage, *, today: date, country: str) -> dict[str, Any]:
    """A blockage's public fields (the log's row, the feed's item): nothing about who raised it but
    `public_name`, nothing about who worked on it but their department."""
    age = age_of(blockage, today=today, country=country)
    return {
        "blockage": blockage,
        "reference": blockage.reference,
        "raised_by": public_name(blockage),
        "departments": [d.name for d in sorted(blockage.departments.all(), key=lambda d: d.name)],
        "age": age,
    }


def log_page(*, page: int = 1, **filters: Any) -> dict[str, Any]:
    """One page of the public log with the filtered set's counts."""
    found = filtered(**filters)
    figures = counts(found)
    total = figures["total"]
    pages = max(1, math.ceil(total / PER_PAGE))
    page = max(1, min(page, pages, MAX_PAGE))
    start = (page - 1) * PER_PAGE
    today, country = timezone.localdate(), nation()
    rows = [public_row(b, today=today, country=country) for b in for_rows(found)[start : start + PER_PAGE]]
    return {
        "rows": rows,
        "total": total,
        "resolved": figures["resolved"],
        "page_number": page,
        "total_pages": pages,
        "has_previous": page > 1,
        "has_next": page < pages,
    }


def category_choices() -> list[tuple[str, str]]:
    return list(Category.objects.order_by("position", "name").values_list("slug", "name"))


def ward_choices() -> list[tuple[str, str]]:
    from commonweal.places.models import Ward

    return list(Ward.objects.order_by("name").values_list("code", "name"))


# --- a blockage's public page -----------------------------------------------------------------------------------


def public_blockage(uuid: Any) -> Blockage | None:
    return (
        Blockage.objects.public()
        .select_related("category", "ward", "organisation", "joined_to", "asset")
        .prefetch_related("departments")
        .filter(uuid=uuid)
        .first()
    )


@dataclass(frozen=True)
class TimelineStep:
    name: str
    at: datetime
    note: str


def timeline(blockage: Blockage) -> list[TimelineStep]:
    """Each step in the blockage's life: its name, when, and the council's note (never who took it, never what
    the raiser wrote back)."""
    steps = [TimelineStep("Raised", blockage.raised_at, "")]
    events = BlockageEvent.objects.filter(blockage=blockage).order_by("at", "pk").values("transition", "at", "note")
    for event in events:
        name = STEP_NAMES.get(event["transition"], event["transition"].replace("_", " ").capitalize())
        note = "" if event["transition"] in PRIVATE_NOTES else event["note"]
        steps.append(TimelineStep(name, event["at"], note))
    return steps


def joined_here(blockage: Blockage) -> list[str]:
    """The references of the blockages joined to this one (raised again by others)."""
    return [f"B{pk:05d}" for pk in blockage.joined.order_by("pk").values_list("pk", flat=True)]


# --- case studies -----------------------------------------------------------------------------------------------


def published_case_studies() -> QuerySet[CaseStudy]:
    return CaseStudy.objects.filter(is_published=True).select_related("blockage", "transfer").order_by("-created_at")


# --- the dashboard ----------------------------------------------------------------------------------------------


def percentile(histogram: dict[int, int], q: float) -> float | None:
    """The q-th quantile (0 to 1) of values given as {value: how many}, by linear interpolation between the two
    nearest ranks (as numpy's default and a spreadsheet's PERCENTILE do); None when there are none."""
    n = sum(histogram.values())
    if n == 0:
        return None
    position = (n - 1) * q
    low_rank, high_rank = math.floor(position), math.ceil(position)
    low = high = None
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if low is None and seen > low_rank:
            low = value
        if seen > high_rank:
            high = value
            break
    assert low is not None and high is not None
    return low + (high - low) * (position - low_rank)


@dataclass(frozen=True)
class StageTime:
    stage: str
    label: str
    count: int
    median: float | None
    p90: float | None
    late: int


def stage_times(found: QuerySet[Blockage]) -> list[StageTime]:
    """Working days each stage took (median and 90th percentile) and how often it was late, from the events
    that ended a stage: one grouped query, the percentiles from its histogram."""
    groups = (
        BlockageEvent.objects.filter(blockage__in=found.order_by().values("pk"), stage_working_days__isnull=False)
        .exclude(stage="")
        .values("stage", "stage_working_days", "stage_late")
        .annotate(n=Count("pk"))
        .order_by()
    )
    histograms: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    late: dict[str, int] = defaultdict(int)
    for row in groups:
        histograms[row["stage"]][row["stage_working_days"]] += row["n"]
        if row["stage_late"]:
            late[row["stage"]] += row["n"]
    times = []
    for stage in Stage:
        if stage == Stage.SIGN_OFF:
            continue
        histogram = histograms.get(stage.value, {})
        times.append(
            StageTime(
                stage=stage.value,
                label=str(stage.label),
                count=sum(histogram.values()),
                median=percentile(histogram, 0.5),
                p90=percentile(histogram, 0.9),
                late=late.get(stage.value, 0),
            )
        )
    return times


def _grouped(found: QuerySet[Any], field: str, empty: str) -> list[dict[str, Any]]:
    rows = (
        found.order_by()
        .values(field)
        .annotate(
            total=Count("pk", distinct=True),
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES), distinct=True),
            resolved=Count("pk", filter=Q(status__in=RESOLVED), distinct=True),
        )
    )
    named = [{"name": row[field] or empty, **{k: row[k] for k in ("total", "open", "resolved")}} for row in rows]
    return sorted(named, key=lambda row: (-row["total"], row["name"]))


def quarter_label(year: int, quarter: int) -> str:
    return f"{year} Q{quarter}"


def trend(found: QuerySet[Blockage]) -> list[dict[str, Any]]:
    """Blockages raised, and resolved, in each calendar quarter (resolved by when the decision was taken)."""
    raised = (
        found.order_by()
        .annotate(year=ExtractYear("raised_at"), quarter=ExtractQuarter("raised_at"))
        .values("year", "quarter")
        .annotate(n=Count("pk"))
    )
    resolved = (
        BlockageEvent.objects.filter(blockage__in=found.order_by().values("pk"), transition="resolve")
        .order_by()
        .annotate(year=ExtractYear("at"), quarter=ExtractQuarter("at"))
        .values("year", "quarter")
        .annotate(n=Count("pk"))
    )
    by_quarter: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: {"raised": 0, "resolved": 0})
    for row in raised:
        by_quarter[(row["year"], row["quarter"])]["raised"] += row["n"]
    for row in resolved:
        by_quarter[(row["year"], row["quarter"])]["resolved"] += row["n"]
    return [{"quarter": quarter_label(*key), **by_quarter[key]} for key in sorted(by_quarter)]


def decisions(found: QuerySet[Blockage]) -> dict[str, Any]:
    """Of the blockages the council has decided (resolved, or not resolvable), how many were resolved."""
    taken = dict(
        BlockageEvent.objects.filter(
            blockage__in=found.order_by().values("pk"), transition__in=("resolve", "not_resolvable")
        )
        .order_by()
        .values("transition")
        .annotate(n=Count("blockage", distinct=True))
        .values_list("transition", "n")
    )
    resolved, not_resolvable = taken.get("resolve", 0), taken.get("not_resolvable", 0)
    closed = resolved + not_resolvable
    return {
        "resolved": resolved,
        "not_resolvable": not_resolvable,
        "closed": closed,
        "share": round(100 * resolved / closed) if closed else None,
    }


def breaches(found: QuerySet[Blockage], times: Sequence[StageTime]) -> dict[str, Any]:
    """Stages finished late, blockages late now, and escalations to the champion and to the stewards."""
    levels = dict(
        Escalation.objects.filter(blockage__in=found.order_by().values("pk"))
        .order_by()
        .values("level")
        .annotate(n=Count("pk"))
        .values_list("level", "n")
    )
    return {
        "stages_late": sum(t.late for t in times),
        "late_now": found.filter(status__in=OPEN_STATUSES, breached_on__isnull=False).order_by().count(),
        "to_champion": levels.get(Escalation.Level.CHAMPION, 0),
        "to_stewards": levels.get(Escalation.Level.STEWARDS, 0),
    }


def transfers(*, today: date) -> list[dict[str, Any]]:
    """Asset transfers at each stage: how many, and how old (months since the interest was expressed)."""
    ages: dict[str, list[float]] = defaultdict(list)
    for status, started in AssetTransfer.objects.order_by().values_list("status", "started_at"):
        ages[status].append((today - timezone.localdate(started)).days / 30.44)
    rows = []
    for status in AssetTransfer.Status:
        found = sorted(ages.get(status.value, []))
        rows.append(
            {
                "stage": str(status.label),
                "count": len(found),
                "median_months": round(percentile(_histogram(found), 0.5) or 0, 1) if found else None,
                "oldest_months": round(found[-1], 1) if found else None,
            }
        )
    return rows


def _histogram(values: Iterable[float]) -> dict[Any, int]:
    found: dict[Any, int] = defaultdict(int)
    for value in values:
        found[value] += 1
    return found


def figures_version() -> str:
    """What the dashboard's figures depend on, read cheaply from indexes: any step, escalation, new or changed
    blockage, department part or transfer makes a new version (and so new figures), and so does a new day."""
    marks = [
        Blockage.objects.aggregate(n=Count("pk"), last=Max("updated_at")),
        BlockageEvent.objects.aggregate(last=Max("pk")),
        Escalation.objects.aggregate(last=Max("pk")),
        Part.objects.aggregate(n=Count("pk"), last=Max("updated_at")),
        AssetTransfer.objects.aggregate(n=Count("pk"), last=Max("updated_at")),
    ]
    return f"{timezone.localdate()}|" + "|".join(f"{m.get('n', '')}:{m['last']}" for m in marks)


def dashboard(*, today: date | None = None) -> dict[str, Any]:
    """Every figure of the dashboard, kept in the shared cache until the data or the day changes: working them
    out over 50,000 blockages takes about a second, reading the version a few milliseconds."""
    if today is not None:
        return _dashboard(today=today)
    key = "solutions:dashboard:" + hashlib.sha256(figures_version().encode()).hexdigest()[:32]
    return kept(key, dict, lambda: _dashboard(today=timezone.localdate()), seconds=24 * 60 * 60)


def _dashboard(*, today: date) -> dict[str, Any]:
    """Every figure of the dashboard, each from one grouped query."""
    found = listed()
    times = stage_times(found)
    departments = _by_department(found)
    return {
        "total": found.order_by().count(),
        "by_department": departments,
        "by_category": _grouped(found, "category__name", "No category"),
        "by_ward": _grouped(found, "ward__name", "No ward given"),
        "stage_times": times,
        "breaches": breaches(found, times),
        "decisions": decisions(found),
        "trend": trend(found),
        "transfers": transfers(today=today),
    }


def _by_department(found: QuerySet[Blockage]) -> list[dict[str, Any]]:
    """Blockages per department from the departments' parts (a blockage with two departments counts in both)."""
    rows = (
        Part.objects.filter(blockage__in=found.order_by().values("pk"))
        .order_by()
        .values("department__name")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=Q(blockage_status__in=OPEN_STATUSES)),
            resolved=Count("pk", filter=Q(blockage_status__in=RESOLVED)),
        )
    )
    named = [
        {"name": r["department__name"], "total": r["total"], "open": r["open"], "resolved": r["resolved"]} for r in rows
    ]
    return sorted(named, key=lambda row: (-row["total"], row["name"]))
