"""Reads for the pages that keep the directory true: one function a page (your listings, one organisation's
records, the moderation queues, a record's history, stale listings)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import DateTimeField, Model, Q, QuerySet
from django.urls import reverse
from django.utils.timezone import localtime

from commonweal.accounts.models import ListingStatus, Organisation, User
from commonweal.accounts.permissions import managed_among
from commonweal.accounts.roles import Role

from .models import ChangeRequest, Claim, Location, Report
from .records import EXTRA_LABELS, KINDS, describe_schedule, field_label, kind_of, snapshot

QUEUE_LIMIT = 50
HISTORY_LIMIT = 200
RECENT_DECISIONS = 10
KIND_ORDER = {"organisation": 0, "service": 1, "location": 2, "asset": 3}
KIND_LABELS = {"organisation": "Organisation", "service": "Service", "location": "Location", "asset": "Asset"}
MODELS: dict[str, type[Model]] = {key: kind.model for key, kind in KINDS.items()}


def pending_change(record: Any) -> ChangeRequest | None:
    """The change to this record waiting for an officer, if there is one."""
    return (
        ChangeRequest.objects.filter(
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
            status=ChangeRequest.Status.PENDING,
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def record_for(kind: str, uuid: Any) -> Any | None:
    """The organisation, service, location or asset with this ORUK id."""
    model = MODELS.get(kind)
    if model is None:
        return None
    related = () if model is Organisation else ("organisation",)
    return model._default_manager.select_related(*related).filter(uuid=uuid).first()


def edit_url(record: Any) -> str:
    kind = kind_of(record).key
    if kind == "organisation":
        return reverse("directory:organisation_edit", args=[record.slug])
    return reverse(f"directory:{kind}_edit", args=[record.uuid])


def public_url(record: Any) -> str:
    """Where the public sees the record ('' for a location, which shows on its services' pages)."""
    kind = kind_of(record).key
    if kind == "organisation":
        return reverse("directory:organisation", args=[record.slug])
    if kind in ("service", "asset"):
        return reverse(f"directory:{kind}", args=[record.uuid])
    return ""


def record_name(record: Any) -> str:
    return str(record)


@dataclass(frozen=True)
class RecordRow:
    """A line of an owner's table: one record, when it was last checked, and what is waiting on it."""

    kind: str
    record: Any
    name: str
    status: str
    status_label: str
    last_checked_at: datetime | None
    is_stale: bool
    change: ChangeRequest | None
    edit_url: str
    history_url: str

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def _row(record: Any, changes: dict[tuple[int, int], ChangeRequest]) -> RecordRow:
    kind = kind_of(record).key
    content_type = ContentType.objects.get_for_model(record)
    return RecordRow(
        kind=kind,
        record=record,
        name=record_name(record),
        status=record.listing_status,
        status_label=record.get_listing_status_display(),
        last_checked_at=record.last_checked_at,
        is_stale=record.is_stale,
        change=changes.get((content_type.pk, record.pk)),
        edit_url=edit_url(record),
        history_url=reverse("directory:history", args=[kind, record.uuid]),
    )


def _records_of(organisation: Organisation) -> list[Any]:
    return _records_of_each([organisation])[organisation.pk]


def _records_of_each(organisations: Sequence[Organisation]) -> dict[int, list[Any]]:
    """Each organisation's own record, then its services, places and assets by name: three queries for them all."""
    records: dict[int, list[Any]] = {organisation.pk: [organisation] for organisation in organisations}
    for model in (MODELS["service"], MODELS["location"], MODELS["asset"]):
        owned: QuerySet[Any] = model._default_manager.filter(organisation__in=organisations)
        for record in owned.order_by("name", "pk"):
            records[record.organisation_id].append(record)
    return records


def _pending_changes_for(records: Sequence[Any]) -> dict[tuple[int, int], ChangeRequest]:
    by_type: dict[int, list[int]] = {}
    for record in records:
        by_type.setdefault(ContentType.objects.get_for_model(record).pk, []).append(record.pk)
    if not by_type:
        return {}
    condition = Q()
    for type_id, ids in by_type.items():
        condition |= Q(content_type_id=type_id, object_id__in=ids)
    changes = ChangeRequest.objects.filter(condition, status=ChangeRequest.Status.PENDING).order_by("created_at")
    return {(c.content_type_id, c.object_id): c for c in changes}


def record_rows(records: Sequence[Any], changes: dict[tuple[int, int], ChangeRequest] | None = None) -> list[RecordRow]:
    """Stale records first (never checked, then the longest ago), then the rest in kind and name order. `changes`:
    the pending changes to these records, if already read with others'."""
    changes = _pending_changes_for(records) if changes is None else changes
    rows = [_row(record, changes) for record in records]
    return sorted(
        rows,
        key=lambda r: (
            not r.is_stale,
            r.last_checked_at.timestamp() if r.is_stale and r.last_checked_at else 0,
            KIND_ORDER[r.kind],
        ),
    )


def _targets_condition(records: Iterable[Any]) -> Q:
    condition = Q(pk__in=[])
    for record in records:
        condition |= Q(content_type=ContentType.objects.get_for_model(record), object_id=record.pk)
    return condition


def reports_about(records: Sequence[Any], *, open_only: bool = False) -> QuerySet[Report]:
    reports = Report.objects.filter(_targets_condition(records)).select_related("content_type", "resolved_by")
    if open_only:
        reports = reports.filter(status=Report.Status.OPEN)
    return reports.prefetch_related("target").order_by("status", "-created_at")


def _target_key(record: Any) -> tuple[int, int]:
    return (ContentType.objects.get_for_model(record).pk, record.pk)


def _open_reports_by_target(records: Sequence[Any]) -> Counter[tuple[int, int]]:
    """How many open reports there are about each of these records, in one query."""
    reports = Report.objects.filter(_targets_condition(records), status=Report.Status.OPEN)
    return Counter(reports.values_list("content_type_id", "object_id"))


def managed_organisations(user: User) -> list[Organisation]:
    """The organisations this person manages through a membership (an administrator's own ones only)."""
    candidates = (
        Organisation.objects.filter(memberships__user=user, memberships__role__in=[Role.GROUP_MEMBER, Role.OFFICER])
        .distinct()
        .order_by("name")
    )
    return managed_among(user, candidates)


@dataclass(frozen=True)
class OrganisationSection:
    organisation: Organisation
    rows: list[RecordRow]
    open_reports: int

    @property
    def stale_count(self) -> int:
        return sum(1 for row in self.rows if row.is_stale and row.status == ListingStatus.PUBLISHED)


def my_listings_page(user: User) -> dict[str, Any]:
    organisations = managed_organisations(user)
    records = _records_of_each(organisations)
    everything = [record for each in records.values() for record in each]
    changes = _pending_changes_for(everything)
    reported = _open_reports_by_target(everything)
    sections = [
        OrganisationSection(
            organisation=organisation,
            rows=record_rows(records[organisation.pk], changes),
            open_reports=sum(reported[_target_key(record)] for record in records[organisation.pk]),
        )
        for organisation in organisations
    ]
    decided = (
        ChangeRequest.objects.filter(submitted_by=user)
        .exclude(status=ChangeRequest.Status.PENDING)
        .prefetch_related("target")
        .order_by("-decided_at", "-pk")[:RECENT_DECISIONS]
    )
    return {
        "sections": sections,
        "claims": Claim.objects.filter(user=user).select_related("organisation").order_by("-created_at"),
        "decided_changes": [change for change in decided if change.target is not None],
    }


def organisation_page(organisation: Organisation) -> dict[str, Any]:
    records = _records_of(organisation)
    return {
        "organisation": organisation,
        "rows": record_rows(records),
        "reports": list(reports_about(records)[:QUEUE_LIMIT]),
        "claims": organisation.claims.filter(status=Claim.Status.PENDING).select_related("user"),
        "public_url": public_url(organisation),
    }


# --- moderation ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Queue:
    items: list[Any]
    total: int

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.items))


def _queue(queryset: QuerySet[Any]) -> Queue:
    return Queue(items=list(queryset[:QUEUE_LIMIT]), total=queryset.count())


def new_listings() -> Queue:
    """Records waiting for their first approval, oldest first, across every kind."""
    found: list[Any] = []
    total = 0
    for model in MODELS.values():
        waiting = model._default_manager.filter(listing_status=ListingStatus.PENDING)
        if model is not Organisation:
            waiting = waiting.select_related("organisation")
        total += waiting.count()
        found.extend(waiting.order_by("created_at", "pk")[:QUEUE_LIMIT])
    found.sort(key=lambda r: r.created_at)
    return Queue(items=[(kind_of(r).key, r) for r in found[:QUEUE_LIMIT]], total=total)


def moderation_page() -> dict[str, Any]:
    changes = (
        ChangeRequest.objects.filter(status=ChangeRequest.Status.PENDING)
        .select_related("submitted_by", "content_type")
        .prefetch_related("target")
        .order_by("created_at", "pk")
    )
    claims = (
        Claim.objects.filter(status=Claim.Status.PENDING).select_related("user", "organisation").order_by("created_at")
    )
    reports = (
        Report.objects.filter(status=Report.Status.OPEN)
        .select_related("content_type")
        .prefetch_related("target")
        .order_by("created_at", "pk")
    )
    stale = [(KIND_LABELS[key], key, stale_records(key).count()) for key in MODELS]
    return {
        "new_listings": new_listings(),
        "changes": _queue(changes),
        "claims": _queue(claims),
        "reports": _queue(reports),
        "stale": stale,
    }


def stale_records(kind: str) -> QuerySet[Any]:
    """Published records nobody has confirmed within a year, the longest unchecked first."""
    model = MODELS[kind]
    records = model._default_manager.published().stale()  # type: ignore[attr-defined]
    if model is not Organisation:
        records = records.select_related("organisation")
    return records.order_by("last_checked_at", "pk")


# --- a record's details, changes and history ---------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    label: str
    now: str
    proposed: str


def display_value(kind_key: str, name: str, value: Any) -> str:
    """A stored value as a person reads it: names for ids, labels for choices, days and times for a schedule."""
    kind = KINDS[kind_key]
    if value in (None, "", []):
        return "Not given"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if name == "schedules":
        return "; ".join(describe_schedule(row) for row in value)
    if name in kind.many or name in ("locations",) or name in kind.foreign:
        ids = value if isinstance(value, list) else [value]
        related = _related_model(kind_key, name)
        names = dict(related._default_manager.filter(pk__in=ids).values_list("pk", "name"))
        return ", ".join(str(names.get(i, "(removed)")) for i in ids) or "Not given"
    if name in kind.plain:
        field = kind.model._meta.get_field(name)
        choices = dict(field.choices or [])  # type: ignore[union-attr]
        if choices:
            return str(choices.get(value, value))
    return str(value)


def _related_model(kind_key: str, name: str) -> type[Model]:
    if name == "locations":
        return Location
    field = KINDS[kind_key].model._meta.get_field(name)
    return field.related_model  # type: ignore[return-value]


def compare_change(change: ChangeRequest) -> list[Comparison]:
    """Each field the change would alter: as the public sees it now, and as proposed."""
    record = change.target
    if record is None:
        return []
    kind = kind_of(record).key
    now = snapshot(record)
    return [
        Comparison(
            label=field_label(KINDS[kind], name),
            now=display_value(kind, name, now.get(name)),
            proposed=display_value(kind, name, value),
        )
        for name, value in change.proposed.items()
        if name not in ("latitude", "longitude")
    ]


def record_details(record: Any) -> list[tuple[str, str]]:
    """Every editable field of a record, labelled, as a reviewing officer reads it."""
    kind = kind_of(record)
    values = snapshot(record)
    return [
        (field_label(kind, name), display_value(kind.key, name, values.get(name)))
        for name in kind.fields
        if name not in ("latitude", "longitude")
    ]


# Fields the audit log keeps that mean nothing to the people reading a record's history.
TECHNICAL_FIELDS = frozenset(
    {"id", "uuid", "slug", "created_at", "updated_at", "is_demo", "stale_reminded_at", "source"}
)


@dataclass(frozen=True)
class HistoryEntry:
    timestamp: datetime
    actor: Any
    action: str
    changes: list[tuple[str, str, str]]
    reason: str


def _shown(field: Any, value: Any) -> str:
    if value in (None, "None", ""):
        return "Not given"
    choices = dict(getattr(field, "choices", None) or [])
    if choices:
        return str(choices.get(value, value))
    if isinstance(field, DateTimeField):
        try:
            return localtime(datetime.fromisoformat(str(value))).strftime("%-d %b %Y %H:%M")
        except ValueError:
            return str(value)
    if str(value) in ("True", "False"):
        return "Yes" if str(value) == "True" else "No"
    return str(value)


def history_entry(entry: LogEntry) -> HistoryEntry:
    """One audit log entry as people read it: field labels, readable values, nothing technical."""
    model = entry.content_type.model_class()
    changes: list[tuple[str, str, str]] = []
    for name, values in (entry.changes_dict or {}).items():
        if name in TECHNICAL_FIELDS or model is None:
            continue
        if name in ("schedules", "locations") and isinstance(values, list | tuple) and len(values) == 2:
            # Written by services._apply: the service's times and places, as sentences.
            changes.append((EXTRA_LABELS[name], str(values[0] or "Not given"), str(values[1] or "Not given")))
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        label = str(getattr(field, "verbose_name", name)).capitalize()
        if isinstance(values, dict) and values.get("type") == "m2m":
            added = values.get("operation") == "add"
            objects = ", ".join(str(o) for o in values.get("objects", []))
            changes.append((label, "" if added else objects, objects if added else ""))
            continue
        if not getattr(field, "concrete", False) or not isinstance(values, list | tuple) or len(values) != 2:
            continue
        before, after = _shown(field, values[0]), _shown(field, values[1])
        if entry.action == LogEntry.Action.CREATE and after == "Not given":
            continue
        changes.append((label, before, after))
    reason = (entry.additional_data or {}).get("reason", "") if isinstance(entry.additional_data, dict) else ""
    action = {LogEntry.Action.CREATE: "create", LogEntry.Action.DELETE: "delete"}.get(entry.action, "update")
    return HistoryEntry(entry.timestamp, entry.actor, action, changes, str(reason))


def history_page(record: Any) -> dict[str, Any]:
    """What the audit log holds about the record, and the changes and reports about it, newest first."""
    content_type = ContentType.objects.get_for_model(record)
    entries = (
        LogEntry.objects.get_for_object(record).select_related("actor", "content_type").order_by("-timestamp", "-pk")
    )
    changes = (
        ChangeRequest.objects.filter(content_type=content_type, object_id=record.pk)
        .select_related("submitted_by", "decided_by")
        .order_by("-created_at", "-pk")
    )
    kind = kind_of(record).key
    claims = (
        record.claims.select_related("user", "decided_by").order_by("-created_at") if kind == "organisation" else []
    )
    return {
        "record": record,
        "kind": kind,
        "kind_label": KIND_LABELS[kind].lower(),
        "entries": [history_entry(entry) for entry in entries[:HISTORY_LIMIT]],
        "more_entries": max(0, entries.count() - HISTORY_LIMIT),
        "changes": [(c, compare_change_stored(c, kind)) for c in changes],
        "claims": claims,
        "reports": Report.objects.filter(content_type=content_type, object_id=record.pk).order_by("-created_at"),
        "waiting": pending_change(record),
    }


def compare_change_stored(change: ChangeRequest, kind: str) -> list[Comparison]:
    """A past change as it was asked for: the value then and the value proposed."""
    return [
        Comparison(
            label=field_label(KINDS[kind], name),
            now=display_value(kind, name, change.previous.get(name)),
            proposed=display_value(kind, name, value),
        )
        for name, value in change.proposed.items()
        if name not in ("latitude", "longitude")
    ]
