"""Writes that keep the directory true: claims, group members' own listings, changes held for approval,
moderation, 'still correct' checks and reports from the public.

One function per use case, keyword-only arguments, each in a transaction. Bad input raises DirectoryError
(a ValidationError whose messages are full sentences keyed by the field they are about); a person who may
not do something gets PermissionDenied. `with acting(by):` names the person in the audit log.

Values for records are JSON-safe dicts keyed by field name (ids for relations, "HH:MM" for times), so the
same dict is checked, applied at once, or held in a ChangeRequest until an officer approves it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import time
from typing import Any

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.models import ListingStatus, Organisation, SizeBand, User
from commonweal.accounts.permissions import can_manage_organisation
from commonweal.accounts.queries import addresses_of_members, email_verified
from commonweal.accounts.roles import Role
from commonweal.accounts.services import grant_membership
from commonweal.core import notify
from commonweal.core.audit import acting
from commonweal.framework.models import Element
from commonweal.places.models import Ward
from commonweal.places.services import PostcodeError, look_up_postcode, normalise_postcode

from . import workflows
from .errors import DirectoryError
from .models import Asset, ChangeRequest, Claim, Location, Report, Schedule, Service, ServiceAtLocation, TaxonomyTerm
from .queries_manage import pending_change, public_url
from .records import (
    ASSET,
    CHECK_ONLY,
    DAYS,
    DERIVED,
    KINDS,
    LOCATION,
    ORGANISATION,
    SERVICE,
    Record,
    RecordKind,
    describe_schedule,
    field_label,
    kind_of,
    schedules_of,
    snapshot,
)
from .search import reindex_services, services_shown_by
from .workflows import CHANGE, CLAIM, LISTING, REPORT, is_moderator, may_edit

# --- values: snapshot, check, compare, apply ---------------------------------------------------------


def _too_long(kind: RecordKind, name: str, value: str) -> str | None:
    field = kind.model._meta.get_field(name)
    limit = getattr(field, "max_length", None)
    if limit and len(value) > limit:
        label = field_label(kind, name)
        return f"{label} must be {limit:,} characters or fewer. You entered {len(value):,}."
    return None


def _as_ids(value: Any) -> list[int] | None:
    if value in (None, ""):
        return []
    if not isinstance(value, list | tuple | set):
        return None
    try:
        return sorted({int(v) for v in value})
    except (TypeError, ValueError):
        return None


def _optional_int(value: Any) -> int | None:
    if value in (None, ""):
        return None
    return int(value)


def _clean_time(text: Any) -> str:
    if text in (None, ""):
        return ""
    if isinstance(text, time):
        return text.strftime("%H:%M")
    parsed = time.fromisoformat(str(text))
    return parsed.strftime("%H:%M")


def _clean_schedules(raw: Any, errors: dict[str, str]) -> list[dict[str, Any]]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        errors["schedules"] = "Give the times as a list of days with opening and closing times."
        return []
    rows: list[dict[str, Any]] = []
    for number, row in enumerate(raw, start=1):
        if not isinstance(row, Mapping):
            errors["schedules"] = f"Time {number} is not a day with opening and closing times."
            return []
        days = [d for d in DAYS if d in set(row.get("days") or [])]
        unknown = set(row.get("days") or []) - set(DAYS)
        description = str(row.get("description") or "").strip()
        try:
            opens, closes = _clean_time(row.get("opens_at")), _clean_time(row.get("closes_at"))
        except ValueError:
            errors["schedules"] = f"Give the times for time {number} as hours and minutes, like 09:30."
            return []
        if not (days or opens or closes or description):
            continue
        if unknown:
            errors["schedules"] = f"Time {number} has days that are not days of the week."
        elif not days:
            errors["schedules"] = f"Choose the days of the week for time {number}."
        elif bool(opens) != bool(closes):
            errors["schedules"] = f"Give both the opening and the closing time for time {number}."
        elif opens and opens >= closes:
            errors["schedules"] = f"Time {number} closes before it opens. Check the times."
        elif len(description) > 500:
            errors["schedules"] = f"The note for time {number} must be 500 characters or fewer."
        if "schedules" in errors:
            return []
        rows.append({"days": days, "opens_at": opens, "closes_at": closes, "description": description})
    return rows


def _check(
    kind: RecordKind,
    record: Record,
    values: dict[str, Any],
    organisation: Organisation | None,
    *,
    as_it_was: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Tidy and check a full set of values for `record`; raise DirectoryError listing every problem.

    With `as_it_was` (the record's values before the edit), a problem the record already had is not held
    against the person changing something else: an imported record with no description can still have its
    phone number corrected.
    """
    cleaned, errors = _problems(kind, record, values, organisation)
    if errors and as_it_was is not None:
        _, before = _problems(kind, record, as_it_was, organisation)
        errors = {name: message for name, message in errors.items() if before.get(name) != message}
    if errors:
        raise DirectoryError(errors)
    return cleaned


def _problems(
    kind: RecordKind, record: Record, values: dict[str, Any], organisation: Organisation | None
) -> tuple[dict[str, Any], dict[str, str]]:
    """The tidied values and every problem with them, keyed by field."""
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for name in kind.plain:
        value = values.get(name)
        field = kind.model._meta.get_field(name)
        if isinstance(field, models.CharField | models.TextField):
            value = (
                ""
                if value is None
                else " ".join(str(value).split())
                if isinstance(field, models.CharField)
                else str(value).strip()
            )
            problem = _too_long(kind, name, value)
            if problem:
                errors[name] = problem
        elif isinstance(field, models.BooleanField):
            value = bool(value)
        elif isinstance(field, models.PositiveIntegerField | models.PositiveSmallIntegerField):
            try:
                value = _optional_int(value)
            except (TypeError, ValueError):
                errors[name] = f"{field_label(kind, name)} must be a whole number, like 12."
                value = None
            if value is not None and not 0 <= value <= (150 if "age" in name else 100_000):
                errors[name] = f"{field_label(kind, name)} must be between 0 and {150 if 'age' in name else 100_000:,}."
        cleaned[name] = value
    for name, message in kind.required:
        if not cleaned.get(name) and name not in errors:
            errors[name] = message
    for name in kind.foreign:
        try:
            cleaned[name] = _optional_int(values.get(name))
        except (TypeError, ValueError):
            errors[name] = f"Choose a {field_label(kind, name).lower()} from the list."
    for name in kind.many:
        ids = _as_ids(values.get(name))
        if ids is None:
            errors[name] = f"Choose {field_label(kind, name).lower()} from the list."
            ids = []
        cleaned[name] = ids
    if isinstance(record, Service):
        cleaned["schedules"] = _clean_schedules(values.get("schedules"), errors)
        ids = _as_ids(values.get("locations"))
        cleaned["locations"] = ids or []
        if ids is None:
            errors["locations"] = "Choose the places from the list."
    _check_kind(kind, record, cleaned, values, organisation, errors)
    _check_model(kind, record, cleaned, errors)
    return cleaned, errors


def _check_kind(
    kind: RecordKind,
    record: Record,
    cleaned: dict[str, Any],
    values: Mapping[str, Any],
    organisation: Organisation | None,
    errors: dict[str, str],
) -> None:
    """The rules of each kind of record beyond lengths and types."""
    if "wards_served" in cleaned and Ward.objects.filter(pk__in=cleaned["wards_served"]).count() != len(
        cleaned["wards_served"]
    ):
        errors["wards_served"] = "Choose wards from the list."
    if "themes" in cleaned and Element.objects.filter(pk__in=cleaned["themes"], kind=Element.Kind.THEME).count() != len(
        cleaned["themes"]
    ):
        errors["themes"] = "Choose themes from the list."
    if kind is ORGANISATION:
        _check_organisation(cleaned, errors)
    elif kind is SERVICE:
        _check_service(cleaned, organisation, errors)
    elif kind is LOCATION:
        _check_location(cleaned, record, errors)
    elif kind is ASSET:
        _check_asset(cleaned, values, organisation, errors)


def _check_organisation(cleaned: dict[str, Any], errors: dict[str, str]) -> None:
    if cleaned["postcode"] and "postcode" not in errors:
        postcode = normalise_postcode(cleaned["postcode"])
        if postcode is None:
            errors["postcode"] = "Enter a real postcode, like SW19 2HL."
        else:
            cleaned["postcode"] = postcode
    if cleaned["size_band"] and cleaned["size_band"] not in SizeBand.values:
        errors["size_band"] = "Choose a size from the list."
    for name, what in (("charity_number", "charity number"), ("company_number", "company number")):
        value = cleaned[name].replace(" ", "").upper()
        cleaned[name] = value
        if value and not value.isalnum() and name not in errors:
            errors[name] = f"A {what} has only letters and numbers, like 1234567."


def _check_service(cleaned: dict[str, Any], organisation: Organisation | None, errors: dict[str, str]) -> None:
    low, high = cleaned["minimum_age"], cleaned["maximum_age"]
    if low is not None and high is not None and low > high and "minimum_age" not in errors:
        errors["minimum_age"] = "The youngest age must not be more than the oldest age."
    if not (cleaned["in_person"] or cleaned["by_phone"] or cleaned["online"]):
        errors["delivery"] = "Choose at least one way people can use the service: in person, by phone or online."
    if not cleaned["is_free"] and not cleaned["fees_description"] and "fees_description" not in errors:
        errors["fees_description"] = "Say what it costs, or tick that it is free."
    if cleaned["status"] not in Service.Status.values:
        errors["status"] = "Choose whether the service is running from the list."
    if TaxonomyTerm.objects.filter(pk__in=cleaned["terms"]).count() != len(cleaned["terms"]):
        errors["terms"] = "Choose categories from the list."
    if cleaned["locations"]:
        usable = Location.objects.filter(pk__in=cleaned["locations"], organisation=organisation).exclude(
            listing_status__in=[ListingStatus.WITHDRAWN, ListingStatus.REJECTED]
        )
        if organisation is None or usable.count() != len(cleaned["locations"]):
            errors["locations"] = "Choose places from your organisation's own locations."


def _check_location(cleaned: dict[str, Any], record: Any, errors: dict[str, str]) -> None:
    if cleaned["location_type"] not in Location.Type.values:
        errors["location_type"] = "Choose what kind of location it is."
        return
    physical = cleaned["location_type"] == Location.Type.PHYSICAL
    if cleaned["location_type"] == Location.Type.VIRTUAL:
        if not cleaned["name"] and "name" not in errors:
            errors["name"] = "Give the online place a name, like 'Zoom meetings'."
        cleaned.update(postcode="", latitude=None, longitude=None, ward=None)
        return
    if physical and not cleaned["address_1"] and "address_1" not in errors:
        errors["address_1"] = "Enter the first line of the address."
    if not cleaned["postcode"]:
        if physical:
            errors["postcode"] = "Enter the postcode, so people can find the place on the map."
        cleaned.update(latitude=None, longitude=None, ward=None)
        return
    try:
        found = look_up_postcode(cleaned["postcode"])
    except PostcodeError as error:
        normalised = normalise_postcode(cleaned["postcode"])
        if record.pk and normalised and normalised == normalise_postcode(record.postcode or ""):
            # A place imported from outside our postcode list keeps the point it came with.
            cleaned.update(
                postcode=normalised, latitude=record.latitude, longitude=record.longitude, ward=record.ward_id
            )
        elif physical or normalised is None:
            errors["postcode"] = error.message
        else:
            cleaned.update(postcode=normalised, latitude=None, longitude=None, ward=None)
        return
    cleaned.update(postcode=found.postcode, latitude=found.latitude, longitude=found.longitude, ward=found.ward_id)


def _check_asset(
    cleaned: dict[str, Any], values: Mapping[str, Any], organisation: Organisation | None, errors: dict[str, str]
) -> None:
    if cleaned["kind"] and cleaned["kind"] not in Asset.Kind.values:
        errors["kind"] = "Choose what kind of asset it is."
    if cleaned["kind"] == Asset.Kind.SPACE:
        if cleaned["space_kind"] and cleaned["space_kind"] not in Asset.SpaceKind.values:
            errors["space_kind"] = "Choose what kind of space it is from the list."
    else:
        cleaned.update(space_kind="", capacity=None)
    if cleaned["kind"] == Asset.Kind.GIFT:
        if not cleaned["display_name"] and "display_name" not in errors:
            errors["display_name"] = "Give the name to show for the person who offers this gift, like 'Sam'."
        if not values.get("gift_consent"):
            errors["gift_consent"] = "Confirm that the person has agreed to their gift being listed."
    if cleaned["location"] is not None:
        place = Location.objects.filter(pk=cleaned["location"], organisation=organisation).first()
        if organisation is None or place is None:
            errors["location"] = "Choose a place from your organisation's own locations."
            return
        cleaned.update(latitude=place.latitude, longitude=place.longitude)
        if place.ward_id:
            cleaned["ward"] = place.ward_id
    elif cleaned["ward"] is not None:
        ward = Ward.objects.filter(pk=cleaned["ward"]).first()
        if ward is None:
            errors["ward"] = "Choose a ward from the list."
        else:
            cleaned.update(latitude=ward.centroid_lat, longitude=ward.centroid_lon)
    else:
        cleaned.update(latitude=None, longitude=None)


def _check_model(kind: RecordKind, record: Record, cleaned: dict[str, Any], errors: dict[str, str]) -> None:
    """Django's own checks (email and web addresses, choices) on a copy, so the record is never touched."""
    trial = copy.copy(record)
    for name in kind.plain:
        setattr(trial, name, cleaned[name])
    for name in kind.foreign:
        setattr(trial, f"{name}_id", cleaned.get(name))
    exclude = [*kind.many, *kind.foreign, *errors]
    if not isinstance(record, Organisation):
        exclude.append("organisation")
    else:
        exclude += ["slug", "kind"]
    try:
        trial.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            if name not in errors:
                errors[name] = _friendly(kind, name, messages[0])


def _friendly(kind: RecordKind, name: str, message: str) -> str:
    if message == "Enter a valid email address.":
        return "Enter an email address in the correct format, like name@example.org."
    if message == "Enter a valid URL.":
        return "Enter a web address in the correct format, like https://www.example.org."
    return message


def _differences(current: Mapping[str, Any], wanted: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in wanted.items() if name not in CHECK_ONLY and current.get(name) != value}


def _held(changes: Mapping[str, Any]) -> dict[str, Any]:
    """What a change holds: derived fields go with the field they come from, never on their own."""
    return dict(changes) if set(changes) - DERIVED else {}


def _apply(record: Record, values: Mapping[str, Any]) -> None:
    kind = kind_of(record)
    before = (
        {"schedules": schedules_of(record), "locations": snapshot(record)["locations"]}
        if isinstance(record, Service)
        else {}
    )
    for name in kind.plain:
        if name in values:
            setattr(record, name, values[name])
    for name in kind.foreign:
        if name in values:
            setattr(record, f"{name}_id", values[name])
    record.save()
    for name in kind.many:
        if name in values:
            getattr(record, name).set(values[name])
    if isinstance(record, Service):
        if "schedules" in values or "locations" in values:
            _log_times_and_places(record, before, values)
        if "schedules" in values:
            record.schedules.all().delete()
            for row in values["schedules"]:
                Schedule.objects.create(
                    service=record,
                    freq=Schedule.Freq.WEEKLY,
                    byday=",".join(row["days"]),
                    opens_at=time.fromisoformat(row["opens_at"]) if row["opens_at"] else None,
                    closes_at=time.fromisoformat(row["closes_at"]) if row["closes_at"] else None,
                    description=row["description"],
                )
        if "locations" in values:
            wanted = set(values["locations"])
            record.service_at_locations.exclude(location_id__in=wanted).delete()
            have = set(record.service_at_locations.values_list("location_id", flat=True))
            for location_id in sorted(wanted - have):
                ServiceAtLocation.objects.create(service=record, location_id=location_id)


def _describe_places(ids: Iterable[int]) -> str:
    return "; ".join(str(place) for place in Location.objects.filter(pk__in=list(ids)).order_by("name", "pk"))


def _log_times_and_places(service: Service, before: Mapping[str, Any], after: Mapping[str, Any]) -> None:
    """Times and places live in rows of their own; note their change on the service, so its history has it."""
    changes: dict[str, list[str]] = {}
    if "schedules" in after and before.get("schedules") != after["schedules"]:
        changes["schedules"] = [
            "; ".join(describe_schedule(row) for row in before.get("schedules", [])),
            "; ".join(describe_schedule(row) for row in after["schedules"]),
        ]
    if "locations" in after and sorted(before.get("locations", [])) != sorted(after["locations"]):
        changes["locations"] = [_describe_places(before.get("locations", [])), _describe_places(after["locations"])]
    if changes:
        LogEntry.objects.log_create(service, action=LogEntry.Action.UPDATE, changes=changes, force_log=True)


def _reindex_for(record: Any) -> None:
    if isinstance(record, Service):
        reindex_services([record.pk])
    elif isinstance(record, Organisation):
        reindex_services(services_shown_by(record.pk))
    elif isinstance(record, Location):
        reindex_services(list(record.service_at_locations.values_list("service_id", flat=True)))


# --- editing listings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class EditResult:
    """What happened to an edit: 'published', 'waiting' (new, for approval), 'applied', 'held' (a change for
    approval), 'resubmitted', 'saved' (not public, so saved at once), 'unchanged' or 'change_withdrawn'."""

    record: Record
    outcome: str
    change: ChangeRequest | None = None


def _refuse_unless_editor(by: User, record: Any) -> None:
    if not may_edit(by, record):
        organisation = workflows.organisation_of(record)
        name = organisation.name if organisation else "the council"
        raise PermissionDenied(
            f"You can only change listings of organisations you are a member of. You are not a member of {name}."
        )


def _unknown(kind: RecordKind, values: Mapping[str, Any]) -> None:
    unknown = sorted(set(values) - set(kind.fields) - CHECK_ONLY)
    if unknown:
        raise DirectoryError(f"{', '.join(unknown)} cannot be set on a {kind.label}.")


@transaction.atomic
def add_listing(*, kind: str, organisation: Organisation, values: Mapping[str, Any], by: User) -> EditResult:
    """Add a service, location or asset to an organisation's listing (a location's postcode gives its ward and
    point on the map); a group member's waits for an officer's approval before the public sees it."""
    spec = KINDS.get(kind)
    if spec is None or spec is ORGANISATION:
        raise DirectoryError(f"A {kind} cannot be added to an organisation's listing.")
    _refuse_unless_editor(by, organisation)
    if organisation.listing_status in (ListingStatus.WITHDRAWN, ListingStatus.REJECTED):
        raise DirectoryError(
            f"{organisation.name} is not in the directory at the moment, so you cannot add a {spec.label} to it."
        )
    _unknown(spec, values)
    record: Record = spec.model(organisation=organisation)  # type: ignore[assignment]
    cleaned = _check(spec, record, {**snapshot(record), **values}, organisation)
    name = "publish" if is_moderator(by) else "submit"
    transition = next(t for t in LISTING.named(name) if workflows.NEW in t.sources)
    if not LISTING.allows(by, transition, organisation):
        raise PermissionDenied("Only officers, administrators and the organisation's own members can add to it.")
    record.listing_status = transition.target
    record.last_checked_at = timezone.now()
    with acting(by):
        _apply(record, cleaned)
    _reindex_for(record)
    return EditResult(record, "published" if transition.target == ListingStatus.PUBLISHED else "waiting")


@transaction.atomic
def update_listing(*, record: Record, values: Mapping[str, Any], by: User) -> EditResult:
    """Change an organisation's directory details, a service, a location or an asset: officers' changes apply
    at once, a member's change to a published one waits."""
    _refuse_unless_editor(by, record)
    kind = kind_of(record)
    _unknown(kind, values)
    # One edit at a time per record, so two people cannot both open a change waiting for approval.
    kind.model._default_manager.select_for_update().filter(pk=record.pk).first()
    organisation = workflows.organisation_of(record)
    current = snapshot(record)
    cleaned = _check(kind, record, {**current, **values}, organisation, as_it_was=current)
    changes = _differences(current, cleaned)
    if is_moderator(by):
        if not _held(changes):
            return EditResult(record, "unchanged")
        record.last_checked_at = timezone.now()
        with acting(by):
            _apply(record, changes)
        _reindex_for(record)
        return EditResult(record, "applied")
    if record.listing_status != ListingStatus.PUBLISHED:
        # Not public yet (or any more): the owner's change is saved at once and waits with the record.
        if not _held(changes) and record.listing_status != ListingStatus.REJECTED:
            return EditResult(record, "unchanged")
        record.last_checked_at = timezone.now()
        with acting(by):
            _apply(record, changes)
        if record.listing_status == ListingStatus.REJECTED:
            workflows.take(LISTING, record, "resubmit", by=by)
            return EditResult(record, "resubmitted")
        return EditResult(record, "saved")
    return _hold_change(record, changes, current, by)


def _hold_change(record: Record, changes: dict[str, Any], current: dict[str, Any], by: User) -> EditResult:
    """A published record's owner proposes a change: it waits for an officer, replacing any change waiting."""
    waiting = pending_change(record)
    changes = _held(changes)
    if not changes:
        if waiting is None:
            return EditResult(record, "unchanged")
        with acting(by):
            waiting.delete()
        return EditResult(record, "change_withdrawn")
    previous = {name: current.get(name) for name in changes}
    if waiting is not None and waiting.proposed == changes:
        return EditResult(record, "unchanged", waiting)
    with acting(by):
        if waiting is None:
            transition = next(t for t in CHANGE.named("submit"))
            if not CHANGE.allows(by, transition, record):
                raise PermissionDenied("Only the organisation's own members can propose a change to its listing.")
            waiting = ChangeRequest(target=record, status=transition.target)
        waiting.proposed, waiting.previous, waiting.submitted_by = changes, previous, by
        waiting.save()
    return EditResult(record, "held", waiting)


def check_values(
    *, kind: str, organisation: Organisation | None, values: Mapping[str, Any], record: Record | None = None
) -> None:
    """Check values without writing anything (so a form can show every problem at once); raises DirectoryError."""
    spec = KINDS[kind]
    _unknown(spec, values)
    target: Record = record if record is not None else spec.model(organisation=organisation)  # type: ignore[assignment]
    _check(spec, target, {**snapshot(target), **values}, organisation)


def wanted_values(record: Record, *, by: User) -> dict[str, Any]:
    """What an edit form starts from: the record, with the owner's own change still waiting laid over it."""
    values = snapshot(record)
    waiting = pending_change(record) if not is_moderator(by) else None
    if waiting is not None:
        values.update(waiting.proposed)
    return values


@transaction.atomic
def confirm_listing_checked(*, record: Record, by: User) -> Record:
    """Say a record is still correct: it is checked as of now, and no longer stale."""
    _refuse_unless_editor(by, record)
    record.last_checked_at = timezone.now()
    record.stale_reminded_at = None
    with acting(by):
        # Not a change to what the record says, so its 'modified' time (which feeds sync by ORUK) stays.
        record.save(update_fields=["last_checked_at", "stale_reminded_at"])
    return record


def _take_listing_step(record: Record, step: str, *, by: User, reason: str = "") -> Record:
    """Move a record along the listing workflow; search then shows what the public may now see."""
    workflows.take(LISTING, record, step, by=by, reason=reason)
    _reindex_for(record)
    return record


@transaction.atomic
def withdraw_listing(*, record: Record, by: User) -> Record:
    """Take a record out of the directory (the history keeps it); owners and officers may."""
    return _take_listing_step(record, "withdraw", by=by)


@transaction.atomic
def restore_listing(*, record: Record, by: User) -> Record:
    """Bring a withdrawn record back: an officer publishes it again; an owner's waits for approval."""
    return _take_listing_step(record, "republish" if is_moderator(by) else "restore", by=by)


@transaction.atomic
def approve_listing(*, record: Record, by: User) -> Record:
    """Publish a new record an officer has checked; the people who run it hear that it is public."""
    record = _take_listing_step(record, "approve", by=by)
    organisation = workflows.organisation_of(record)
    if organisation is not None:
        name = _one_line(str(record))
        _email_on_commit(
            to=[a for a in addresses_of_members(organisation) if a != by.email],
            subject=f"Your listing is approved: {name}",
            template="directory/emails/listing_approved.txt",
            context={
                "name": name,
                "kind": kind_of(record).label.lower(),
                "organisation": organisation,
                "link": site_url(public_url(record) or reverse("directory:my_listings")),
                "listings": site_url(reverse("directory:my_listings")),
            },
        )
    return record


@transaction.atomic
def reject_listing(*, record: Record, by: User, reason: str) -> Record:
    """Turn down a new record, saying why so its group can put it right."""
    return _take_listing_step(record, "reject", by=by, reason=reason)


@transaction.atomic
def approve_change(*, change: ChangeRequest, by: User) -> ChangeRequest:
    """Apply a group member's change to the public record; it is checked again as the record is now."""
    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    workflows.take(CHANGE, change, "approve", by=by)
    record = change.target
    if record is None:
        raise DirectoryError("The record this change was for no longer exists.")
    kind = kind_of(record)
    current = snapshot(record)
    try:
        cleaned = _check(
            kind, record, {**current, **change.proposed}, workflows.organisation_of(record), as_it_was=current
        )
    except DirectoryError as error:
        problems = " ".join(m for messages in error.message_dict.values() for m in messages)
        raise DirectoryError(
            f"This change can no longer be made as it is: {problems} Reject it with a reason."
        ) from error
    record.last_checked_at = timezone.now()
    with acting(by):
        _apply(record, {name: cleaned[name] for name in change.proposed if name in cleaned})
    _reindex_for(record)
    _tell_submitter(change)
    return change


@transaction.atomic
def reject_change(*, change: ChangeRequest, by: User, reason: str) -> ChangeRequest:
    """Turn down a change, saying why; the public record stays exactly as it was."""
    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    workflows.take(CHANGE, change, "reject", by=by, reason=reason)
    _tell_submitter(change)
    return change


def _tell_submitter(change: ChangeRequest) -> None:
    """The person who proposed a change hears what became of it."""
    if change.submitted_by is None or change.submitted_by == change.decided_by:
        return
    approved = change.status == ChangeRequest.Status.APPROVED
    name = _one_line(str(change.target))
    _email_on_commit(
        to=[change.submitted_by.email],
        subject=f"Your change to {name} is {'published' if approved else 'not approved'}",
        template="directory/emails/change_decided.txt",
        context={
            "change": change,
            "name": name,
            "approved": approved,
            "link": site_url(reverse("directory:my_listings")),
        },
    )


# --- claims ------------------------------------------------------------------------------------------


@transaction.atomic
def submit_claim(*, organisation: Organisation, user: User, message: str) -> Claim:
    """Ask to manage an organisation's listing; one waiting claim per person and organisation."""
    if not user.is_authenticated:
        raise PermissionDenied("Sign in to ask to manage a listing.")
    refusal = claim_refusal(organisation=organisation, user=user)
    if refusal:
        raise DirectoryError(refusal)
    message = message.strip()
    if not message:
        raise DirectoryError({"message": "Say how you are connected to the organisation."})
    if len(message) > 2000:
        raise DirectoryError(
            {"message": f"Say how you are connected in 2,000 characters or fewer. You entered {len(message):,}."}
        )
    try:
        with transaction.atomic(), acting(user):
            claim = Claim.objects.create(organisation=organisation, user=user, message=message)
    except IntegrityError as error:
        raise DirectoryError(_already_claimed(organisation)) from error
    return claim


UNVERIFIED_CLAIMANT = (
    "Confirm your email address before you ask to manage a listing: the council writes to you there about it. "
    "Follow the link in the email we sent you when you signed up, or send it again."
)
UNVERIFIED_CLAIM_APPROVAL = (
    "{person} has not confirmed their email address ({email}) yet, so you cannot let them manage the listing. "
    "Ask them to follow the link in the email we sent them, or to send it again from their account."
)


def _already_claimed(organisation: Organisation) -> str:
    return (
        f"You have already asked to manage {organisation.name}. An officer will decide soon; "
        "you can see where your request stands on 'Your listings'."
    )


def claim_refusal(*, organisation: Organisation, user: User) -> str:
    """Why this person cannot claim this organisation now, or '' if they can."""
    if organisation.is_council_department:
        return f"{organisation.name} is a council department. The council manages its listing, so it cannot be claimed."
    if organisation.listing_status != ListingStatus.PUBLISHED:
        return f"{organisation.name} is not in the directory at the moment, so it cannot be claimed."
    if can_manage_organisation(user, organisation):
        return f"You already manage {organisation.name}."
    if Claim.objects.filter(organisation=organisation, user=user, status=Claim.Status.PENDING).exists():
        return _already_claimed(organisation)
    if not email_verified(user):
        return UNVERIFIED_CLAIMANT
    return ""


@transaction.atomic
def approve_claim(*, claim: Claim, by: User) -> Claim:
    """Let the claimant manage the organisation's listing: they become one of its group members."""
    claim = Claim.objects.select_for_update().select_related("organisation", "user").get(pk=claim.pk)
    if not email_verified(claim.user):
        raise DirectoryError(UNVERIFIED_CLAIM_APPROVAL.format(person=claim.user, email=claim.user.email))
    workflows.take(CLAIM, claim, "approve", by=by)
    with acting(by):
        grant_membership(user=claim.user, role=Role.GROUP_MEMBER, organisation=claim.organisation)
    _tell_claimant(claim, approved=True)
    return claim


@transaction.atomic
def reject_claim(*, claim: Claim, by: User, reason: str) -> Claim:
    """Turn down a claim, saying why."""
    claim = Claim.objects.select_for_update().select_related("organisation", "user").get(pk=claim.pk)
    workflows.take(CLAIM, claim, "reject", by=by, reason=reason)
    _tell_claimant(claim, approved=False)
    return claim


def _tell_claimant(claim: Claim, *, approved: bool) -> None:
    """The person who asked to manage an organisation hears what was decided, with a link to their listings."""
    name = _one_line(claim.organisation.name)
    _email_on_commit(
        to=[claim.user.email],
        subject=f"You can now manage {name}" if approved else f"Your request to manage {name}",
        template="directory/emails/claim_decided.txt",
        context={"claim": claim, "approved": approved, "link": site_url(reverse("directory:my_listings"))},
    )


# --- reports from the public ----------------------------------------------------------------------------


def is_public(record: Any) -> bool:
    """What the public may see (and so report): the directory's one rule, in models.py."""
    return bool(record.is_published if isinstance(record, Organisation) else record.is_public)


# How long the council takes to look at a report about a listing, as the thank-you page promises.
REPORT_WORKING_DAYS = 5


@transaction.atomic
def submit_listing_report(
    *, record: Record, reason: str, details: str = "", reporter_email: str = "", by: User | None = None
) -> Report:
    """Anyone tells us a listing is wrong; officers and the listing's owners see the report."""
    if not is_public(record):
        raise DirectoryError("This listing is not in the directory, so it cannot be reported.")
    errors: dict[str, str] = {}
    details, reporter_email = details.strip(), reporter_email.strip()
    if reason not in Report.Reason.values:
        errors["reason"] = "Choose what is wrong with the listing."
    if len(details) > 2000:
        errors["details"] = f"Tell us in 2,000 characters or fewer. You entered {len(details):,}."
    if reporter_email:
        try:
            EmailValidator()(reporter_email)
        except ValidationError:
            errors["reporter_email"] = "Enter an email address in the correct format, like name@example.org."
    if errors:
        raise DirectoryError(errors)
    reporter = by if by is not None and by.is_authenticated else None
    with acting(reporter):
        return Report.objects.create(
            target=record, reason=reason, details=details, reporter_email=reporter_email, reported_by=reporter
        )


@transaction.atomic
def resolve_listing_report(*, report: Report, by: User, resolution: str) -> Report:
    """Close a report, saying what was done about it."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    workflows.take(REPORT, report, "resolve", by=by, reason=resolution)
    if report.reporter_email:
        _email_on_commit(
            to=[report.reporter_email],
            subject=f"Your report about a listing is resolved: {report.reference}",
            template="directory/emails/report_resolved.txt",
            context={
                "report": report,
                "name": _one_line(str(report.target)),
                "link": site_url(public_url(report.target) or reverse("directory:search")),
            },
        )
    return report


# --- mail ---------------------------------------------------------------------------------------------

# The kernel's: one way to write an address for an email and to send after the write commits.
site_url = notify.site_url
_one_line = notify.one_line
_email_on_commit = notify.email_on_commit
