"""The directory's kinds of record: the fields people edit on each, their labels, and a record's values as
JSON-safe data (what a form starts from, a change compares to and a ChangeRequest holds). Reads only: the
services write, the pages show.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from decimal import Decimal
from typing import Any

from django.db import models

from commonweal.accounts.models import Organisation

from .models import ADDRESS_FIELDS, Asset, Location, Schedule, Service

DAYS = Schedule.DAYS
DAY_NAMES = dict(
    zip(DAYS, ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"), strict=True)
)


Record = Organisation | Service | Location | Asset


# --- what can be edited on each kind of record ---------------------------------------------------


@dataclass(frozen=True)
class RecordKind:
    """The fields of one kind of record that people edit, in the order forms and comparisons show them."""

    key: str
    model: type[models.Model]
    label: str
    plain: tuple[str, ...]
    foreign: tuple[str, ...] = ()
    many: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()
    required: tuple[tuple[str, str], ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        return self.plain + self.foreign + self.many + self.extra


ORGANISATION = RecordKind(
    key="organisation",
    model=Organisation,
    label="organisation",
    plain=(
        "name",
        "description",
        "email",
        "website",
        "phone",
        "postcode",
        "size_band",
        "charity_number",
        "company_number",
    ),
    many=("wards_served", "themes"),
    required=(("name", "Enter the name of the organisation."),),
)
SERVICE = RecordKind(
    key="service",
    model=Service,
    label="service",
    plain=(
        "name",
        "description",
        "status",
        "url",
        "email",
        "phone",
        "eligibility_description",
        "minimum_age",
        "maximum_age",
        "application_process",
        "is_free",
        "fees_description",
        "in_person",
        "by_phone",
        "online",
        "languages",
    ),
    many=("terms", "themes", "wards_served"),
    extra=("schedules", "locations"),
    required=(
        ("name", "Enter the name of the service."),
        ("description", "Say what the service does."),
    ),
)
LOCATION = RecordKind(
    key="location",
    model=Location,
    label="location",
    plain=(
        "location_type",
        "name",
        *ADDRESS_FIELDS,
        "description",
        "accessibility",
        "transportation",
    ),
    foreign=("ward",),
)
ASSET = RecordKind(
    key="asset",
    model=Asset,
    label="asset",
    plain=(
        "kind",
        "space_kind",
        "name",
        "description",
        "display_name",
        "capacity",
        "how_to_book",
        "who_can_use",
        "contact_email",
        "contact_phone",
        "latitude",
        "longitude",
    ),
    foreign=("location", "ward"),
    many=("themes",),
    required=(("kind", "Choose what kind of asset it is."), ("name", "Enter the name of the asset.")),
)
KINDS: dict[str, RecordKind] = {k.key: k for k in (ORGANISATION, SERVICE, LOCATION, ASSET)}
# Fields worked out from others (a postcode's point): kept in sync, never shown as a change of their own.
DERIVED = frozenset({"latitude", "longitude"})
# Checked but not stored: a person's consent to their gift being listed.
CHECK_ONLY = frozenset({"gift_consent"})

EXTRA_LABELS = {
    "schedules": "When it runs",
    "locations": "Where it runs",
    "terms": "Categories",
    "themes": "Themes",
    "wards_served": "Wards served",
    "ward": "Ward",
    "location": "Place",
}


def kind_of(record: Any) -> RecordKind:
    for kind in KINDS.values():
        if isinstance(record, kind.model):
            return kind
    raise TypeError(f"{type(record).__name__} is not a directory record.")


def field_label(kind: RecordKind, name: str) -> str:
    if name in EXTRA_LABELS:
        return EXTRA_LABELS[name]
    return str(getattr(kind.model._meta.get_field(name), "verbose_name", name)).capitalize()


def _json(value: Any) -> Any:
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(record: Record) -> dict[str, Any]:
    """The record's editable values as JSON-safe data (what a form starts from and a change compares to)."""
    kind = kind_of(record)
    values: dict[str, Any] = {name: _json(getattr(record, name)) for name in kind.plain}
    for name in kind.foreign:
        values[name] = getattr(record, f"{name}_id")
    for name in kind.many:
        values[name] = sorted(getattr(record, name).values_list("pk", flat=True)) if record.pk else []
    if isinstance(record, Service):
        values["schedules"] = schedules_of(record)
        values["locations"] = (
            sorted(record.service_at_locations.values_list("location_id", flat=True)) if record.pk else []
        )
    return values


def schedules_of(service: Service) -> list[dict[str, Any]]:
    if not service.pk:
        return []
    return [
        {
            "days": schedule.days,
            "opens_at": _json(schedule.opens_at) or "",
            "closes_at": _json(schedule.closes_at) or "",
            "description": schedule.description,
        }
        for schedule in service.schedules.order_by("pk")
    ]


def describe_schedule(row: Mapping[str, Any]) -> str:
    """'Mondays, Wednesdays 09:30 to 13:00 (term time only)'."""
    days = ", ".join(DAY_NAMES[d] for d in row.get("days", []) if d in DAY_NAMES)
    parts = [days]
    if row.get("opens_at") and row.get("closes_at"):
        parts.append(f"{row['opens_at']} to {row['closes_at']}")
    if row.get("description"):
        parts.append(f"({row['description']})")
    return " ".join(p for p in parts if p)
