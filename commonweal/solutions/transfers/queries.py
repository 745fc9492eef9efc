"""Reads for community asset transfer: the council's list, a group's own, the case page with its timing and
longest waits, and the late sign-offs the daily breach task escalates."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from commonweal.accounts.models import Organisation
from commonweal.accounts.roles import Role
from commonweal.core import workdays
from commonweal.directory.models import Asset

from ..clock import nation
from ..models import AssetTransfer, Document, SignOff, SolutionsSettings, TransferEvent
from ..permissions import department_ids, sees_every_case, signed_in
from ..workflows import OPEN_TRANSFER

T = AssetTransfer.Status
SORTS = {"oldest": ("started_at", "pk"), "newest": ("-started_at", "-pk")}
# The stages a transfer passes through in order, for the list's filter and the timeline's stage names.
STAGES = [T.INTEREST, T.SUPPORT, T.BUSINESS_CASE, T.SIGN_OFFS, T.DECISION, T.LEASE]
LONGEST_WAITS = 3
# What each step in the timeline reads as.
EVENT_WORDS = {
    "express_interest": "Interest expressed",
    "name_champion": "Champion named",
    "offer_support": "Passed to a support body",
    "ask_for_business_case": "Business case asked for",
    "request_sign_offs": "Business case sent for sign-off",
    "signed_off": "Signed off by estates, legal and finance",
    "revise_business_case": "Business case sent back for changes",
    "approve": "Transfer approved",
    "decline": "Transfer declined",
    "sign_lease": "Lease recorded: the asset is transferred",
    "withdraw": "Withdrawn",
    **{f"sign_{kind}": f"{label} signed off" for kind, label in SignOff.Kind.choices},
    **{f"refuse_{kind}": f"{label} sign-off refused" for kind, label in SignOff.Kind.choices},
}


def months_between(start: date, end: date) -> int:
    """Whole calendar months from `start` to `end` (0 when `end` is first)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (1 if end.day < start.day else 0)
    return max(months, 0)


@dataclass(frozen=True)
class Timing:
    """How long the whole case has taken against the council's target."""

    months: int
    target: int

    @property
    def over(self) -> int:
        return max(self.months - self.target, 0)


def timing(transfer: AssetTransfer, target: int, on: date | None = None) -> Timing:
    end = timezone.localdate(transfer.closed_at) if transfer.closed_at else on or timezone.localdate()
    return Timing(months_between(timezone.localdate(transfer.started_at), end), target)


def transfer_target() -> int:
    return SolutionsSettings.current().transfer_target_months


def council_spaces() -> QuerySet[Asset]:
    """The buildings and spaces the council holds, as the directory lists them: those a group may ask for."""
    return (
        Asset.objects.public()
        .filter(kind=Asset.Kind.SPACE, organisation__kind=Organisation.Kind.COUNCIL_DEPARTMENT)
        .select_related("organisation")
        .order_by("name", "pk")
    )


def transfer_by_uuid(uuid: UUID) -> AssetTransfer | None:
    return (
        AssetTransfer.objects.filter(uuid=uuid)
        .select_related("asset", "organisation", "support_body", "champion")
        .first()
    )


def sees_transfers_list(user: Any) -> bool:
    """The council's list: champions and stewards, and officers (who see the transfers they sign off or own)."""
    return sees_every_case(user) or (signed_in(user) and user.has_role(Role.OFFICER))


def council_transfers(user: Any, *, stage: str = "", sort: str = "oldest") -> list[dict[str, Any]]:
    """The council's transfers this person may see, each with its timing; in a fixed number of queries."""
    found = AssetTransfer.objects.select_related("asset", "organisation", "champion")
    if not sees_every_case(user):
        found = found.filter(Q(champion=user) | Q(sign_offs__department_id__in=department_ids(user))).distinct()
    if stage:
        found = found.filter(status=stage)
    found = found.order_by(*SORTS.get(sort, SORTS["oldest"]))
    target = transfer_target()
    return [{"transfer": t, "timing": timing(t, target)} for t in found]


def group_transfers(user: Any) -> list[dict[str, Any]]:
    """The transfers of every group this person is a member of, newest first."""
    groups = user.organisation_ids_for(Role.GROUP_MEMBER) if signed_in(user) else set()
    found = (
        AssetTransfer.objects.filter(organisation_id__in=groups)
        .select_related("asset", "organisation", "champion")
        .order_by("-started_at", "-pk")
    )
    target = transfer_target()
    return [{"transfer": t, "timing": timing(t, target)} for t in found]


def group_transfer_counts(group_ids: list[int]) -> tuple[int, int]:
    """How many transfers these groups have, and how many of them are open, in one query."""
    counts = AssetTransfer.objects.filter(organisation_id__in=group_ids).aggregate(
        total=Count("pk"), open=Count("pk", filter=Q(status__in=OPEN_TRANSFER))
    )
    return counts["total"], counts["open"]


@dataclass(frozen=True)
class Wait:
    """A stretch of the case: a stage, or one department's sign-off."""

    label: str
    days: int
    unit: str  # "days" (calendar, for stages) or "working days" (sign-offs, on the service-standard clock)
    late: bool = False
    ongoing: bool = False


def stage_waits(events: list[TransferEvent], closed: bool, now: datetime) -> list[Wait]:
    """How long each stage took, from the timeline: the time from entering a stage to leaving it (a stage
    entered twice, as a business case sent back, counts each time)."""
    labels = dict(T.choices)
    entered = [e for e in events if e.to_status != e.from_status]
    waits = []
    for here, after in zip(entered, [*entered[1:], None], strict=True):
        if here.to_status not in STAGES:
            continue
        end = after.at if after is not None else (None if closed else now)
        if end is None:
            continue
        days = (timezone.localdate(end) - timezone.localdate(here.at)).days
        waits.append(Wait(str(labels[here.to_status]), days, "days", ongoing=after is None))
    return waits


def sign_off_waits(sign_offs: list[SignOff], on: date) -> list[Wait]:
    """Each sign-off's wait in working days, from the day it was asked for to the day it was given (or today);
    late when given after its due date, or still waiting past it."""
    country = nation()
    waits = []
    for s in sign_offs:
        end = timezone.localdate(s.decided_at) if s.decided_at else on
        days = max(workdays.between(timezone.localdate(s.requested_at), end, country), 0)
        waits.append(
            Wait(
                f"{s.get_kind_display()} sign-off ({s.department.name})",
                days,
                "working days",
                late=end > s.due_on,
                ongoing=s.decided_at is None,
            )
        )
    return waits


def transfer_page(transfer: AssetTransfer) -> dict[str, Any]:
    """The case page: its timeline, documents by stage, sign-offs with owners and due dates, its timing against
    the target and its longest waits."""
    events = list(transfer.events.select_related("by").order_by("at", "pk"))
    documents = list(transfer.documents.select_related("uploaded_by").order_by("uploaded_at", "pk"))
    sign_offs = list(transfer.sign_offs.select_related("department", "decided_by").order_by("kind"))
    by_stage: dict[str, list[Document]] = defaultdict(list)
    for document in documents:
        by_stage[document.stage].append(document)
    labels = dict(T.choices)
    today = timezone.localdate()
    closed = transfer.closed_at is not None
    now = timezone.now()
    on = timezone.localdate(transfer.closed_at) if transfer.closed_at else today
    waits = stage_waits(events, closed, now) + sign_off_waits(sign_offs, on)
    return {
        "transfer": transfer,
        "events": [{"event": e, "words": EVENT_WORDS.get(e.transition, e.transition)} for e in events],
        "documents_by_stage": [(str(labels.get(stage, stage)), by_stage[stage]) for stage in by_stage],
        "sign_offs": sign_offs,
        "sign_offs_late": {s.pk for s in sign_offs if s.outcome == SignOff.Outcome.WAITING and today > s.due_on},
        "timing": timing(transfer, transfer_target()),
        "longest_waits": sorted(waits, key=lambda w: -w.days)[:LONGEST_WAITS],
        "stages": [(stage, str(labels[stage])) for stage in STAGES],
    }


def overdue_sign_offs(on: date) -> QuerySet[SignOff]:
    """Sign-offs still waiting after their due date on `on`, on transfers waiting for them: for the daily breach
    task, which escalates each to its transfer's champion."""
    return (
        SignOff.objects.filter(
            outcome=SignOff.Outcome.WAITING, due_on__lt=on, transfer__status=AssetTransfer.Status.SIGN_OFFS
        )
        .select_related("transfer__champion", "transfer__asset", "transfer__organisation", "department")
        .order_by("due_on", "pk")
    )


def champions() -> QuerySet[Any]:
    from commonweal.accounts.models import User

    return User.objects.filter(is_active=True, memberships__role=Role.CHAMPION).distinct().order_by("full_name", "pk")


def support_bodies() -> QuerySet[Organisation]:
    """Organisations a champion may pass a group to for support: any that is not a council department."""
    return Organisation.objects.exclude(kind=Organisation.Kind.COUNCIL_DEPARTMENT).order_by("name", "pk")


def departments() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=Organisation.Kind.COUNCIL_DEPARTMENT).order_by("name", "pk")


def document_of(transfer: AssetTransfer, pk: int) -> Document | None:
    return Document.objects.filter(transfer=transfer, pk=pk).first()
