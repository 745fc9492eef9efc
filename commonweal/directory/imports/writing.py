"""Saving a parsed file: match each record to what the directory has, then write everything at once.

`check_*` only reads: it matches records (organisations on org-id, then charity number, then name and
postcode; services and locations on their ids, then within their organisation), finds wards, postcodes and
categories, and rejects rows that repeat another row or name something we do not have. `apply_*` then
writes every change in ONE transaction with bulk queries, records each change in the audit log in bulk,
and brings the search index up to date once. If anything fails, the transaction leaves nothing behind.

A value the file leaves blank never blanks what we have: imports add and correct, they do not erase.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from commonweal.accounts.models import ListingStatus, Organisation, User
from commonweal.core.bulk import insert_rows, pks_by_uuid, reserve_ids, roomy_cache, streamed_copies
from commonweal.directory.models import (
    ADDRESS_FIELDS,
    Contact,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from commonweal.directory.search import reindex_services
from commonweal.directory.vocabulary import STARTER_NAME
from commonweal.places.models import CouncilArea, Postcode, Ward
from commonweal.places.services import ward_for_point

from .reading import name_key, postcode_key, shown
from .records import (
    LocationRecord,
    OrgRecord,
    Parsed,
    Problem,
    ServiceRecord,
    TermRef,
    VocabularyTermRecord,
    sentence,
)

CHUNK = 1000
T = TypeVar("T")
M = TypeVar("M", bound=models.Model)


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class Options:
    """How to save: who is importing, from which run, what to call the feed's vocabulary, what to publish."""

    source: str
    by: User | None = None
    run_id: int | None = None
    vocabulary_name: str = ""
    publish: bool = True
    # Each organisation has one service from this source (our groups template), found again by that.
    one_service_each: bool = False


@dataclass
class Outcome:
    added: Counter[str] = field(default_factory=Counter)
    changed: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    service_ids: set[int] = field(default_factory=set)

    @property
    def created_count(self) -> int:
        return sum(self.added.values())

    @property
    def updated_count(self) -> int:
        return sum(self.changed.values())

    def summary(self) -> str:
        def words(counts: Counter[str]) -> str:
            parts = [f"{n:,} {noun if n == 1 else PLURALS[noun]}" for noun, n in counts.items() if n]
            return ", ".join(parts) or "nothing"

        return f"Added {words(self.added)}. Changed {words(self.changed)}."


PLURALS = {
    "organisation": "organisations",
    "service": "services",
    "location": "locations",
    "category": "categories",
    "vocabulary": "vocabularies",
}


# --- the history of each change, written in bulk ---------------------------------------------------


class History:
    """Audit-log entries for records written in bulk (bulk writes send no signals for auditlog to hear)."""

    def __init__(self, options: Options) -> None:
        self.actor_id = options.by.pk if options.by is not None else None
        self.extra = {"import_run": options.run_id} if options.run_id else None
        self.rows: list[dict[str, Any]] = []
        self.now = timezone.now()
        self.content_types: dict[type[models.Model], int] = {}

    def record(
        self, model: type[models.Model], pk: int, label: str, changes: dict[str, list[str]], *, created: bool
    ) -> None:
        if not changes:
            return
        self.rows.append(
            {
                "content_type_id": self.content_type(model),
                "object_pk": str(pk),
                "object_id": pk,
                "object_repr": label[:500],
                "action": LogEntry.Action.CREATE if created else LogEntry.Action.UPDATE,
                "changes": changes,
                "actor_id": self.actor_id,
                "timestamp": self.now,
                "additional_data": self.extra,
            }
        )
        if len(self.rows) >= 5000:
            self.flush()

    def content_type(self, model: type[models.Model]) -> int:
        if model not in self.content_types:
            self.content_types[model] = ContentType.objects.get_for_model(model).pk
        return self.content_types[model]

    def flush(self) -> None:
        insert_rows(LogEntry, self.rows)
        self.rows = []


class Ids:
    """New ids taken from the tables' sequences ahead of the writes (PostgreSQL), so rows that point at new rows
    are built at once, without waiting to read the ids back; where there are no sequences, `take` gives None."""

    def __init__(self) -> None:
        self.free: dict[type[models.Model], deque[int]] = defaultdict(deque)

    def ahead(self, model: type[models.Model], count: int) -> None:
        """Reserve `count` ids of `model` now, in one query, for the writes to come."""
        self.free[model].extend(reserve_ids(model, count) or [])

    def take(self, model: type[models.Model], count: int) -> list[int] | None:
        free = self.free[model]
        if len(free) < count:
            more = reserve_ids(model, count - len(free))
            if more is None:
                return None
            free.extend(more)
        return [free.popleft() for _ in range(count)]

    def insert(self, model: type[models.Model], rows: list[dict[str, Any]]) -> dict[uuid.UUID, int]:
        """Write new rows of `model` and give back each one's id, by its UUID."""
        ids = self.take(model, len(rows))
        if ids is None:
            insert_rows(model, rows)
            return pks_by_uuid(model, [row["uuid"] for row in rows])
        for row, pk in zip(rows, ids, strict=True):
            row["id"] = pk
        insert_rows(model, rows)
        return {row["uuid"]: pk for row, pk in zip(rows, ids, strict=True)}


def _text(value: Any) -> str:
    return "None" if value is None or value == "" else str(value)


def assign(obj: models.Model | Current, values: dict[str, Any], changes: dict[str, list[str]]) -> None:
    """Set each value that the file gives (blank and None mean 'not given') and differs; note the change."""
    for name, new in values.items():
        if new is None or new == "":
            continue
        old = getattr(obj, name)
        if old != new:
            changes[name] = [_text(old), _text(new)]
            setattr(obj, name, new)


class Current:
    """A record as the database holds it, read as plain values (far cheaper than a model instance for 100,000
    records that mostly have not changed); it becomes an instance only when the file changes it."""

    __slots__ = ("data",)

    def __init__(self, data: dict[str, Any]) -> None:
        object.__setattr__(self, "data", data)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.data[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self.data[name] = value

    def instance(self, model: type[M], now: Any) -> M:
        return model(**self.data, updated_at=now, last_checked_at=now)


def current(model: type[models.Model], pks: Iterable[int], names: Sequence[str]) -> dict[int, Current]:
    found: dict[int, Current] = {}
    for chunk in chunks(sorted(set(pks))):
        for row in model._default_manager.filter(pk__in=chunk).values("pk", *names):
            found[row["pk"]] = Current(row)
    return found


def created_changes(obj: models.Model | dict[str, Any], names: Iterable[str]) -> dict[str, list[str]]:
    """A new record's history entry: every field it was given, from nothing."""
    if isinstance(obj, dict):
        return {name: ["None", _text(obj.get(name))] for name in names if obj.get(name) not in (None, "")}
    return {name: ["None", _text(getattr(obj, name))] for name in names if getattr(obj, name) not in (None, "")}


# --- lookups -------------------------------------------------------------------------------------------


class Places:
    """Postcodes and wards, looked up once for the whole file."""

    def __init__(self, postcodes: Iterable[str]) -> None:
        council = CouncilArea.current()
        wards = list(Ward.objects.filter(council=council)) if council else []
        self.wards_by_name: dict[str, int] = {}
        for ward in wards:
            self.wards_by_name[name_key(ward.name)] = ward.pk
            self.wards_by_name[ward.code.upper()] = ward.pk
        self.area_name = council.area_name if council else "this council's area"
        self.bounds = (
            (
                min(w.min_lat for w in wards),
                max(w.max_lat for w in wards),
                min(w.min_lon for w in wards),
                max(w.max_lon for w in wards),
            )
            if wards
            else None
        )
        self.postcodes: dict[str, tuple[float, float, int]] = {}
        wanted = sorted({p for p in postcodes if p})
        for chunk in chunks(wanted):
            for code, lat, lon, ward_id in Postcode.objects.filter(postcode__in=chunk).values_list(
                "postcode", "latitude", "longitude", "ward_id"
            ):
                self.postcodes[code] = (lat, lon, ward_id)
        self._points: dict[tuple[float, float], int | None] = {}

    def ward_at(self, lat: float, lon: float) -> int | None:
        """The ward holding a point: outside the council's bounding box there is nothing to look up."""
        if self.bounds is None:
            return None
        low_lat, high_lat, low_lon, high_lon = self.bounds
        if not (low_lat <= lat <= high_lat and low_lon <= lon <= high_lon):
            return None
        key = (round(lat, 6), round(lon, 6))
        if key not in self._points:
            ward = ward_for_point(lat, lon)
            self._points[key] = ward.pk if ward else None
        return self._points[key]

    def place(self, record: LocationRecord) -> tuple[float | None, float | None, int | None]:
        """Where a location is: its own point if it has one, else its postcode's; and the ward there."""
        found = self.postcodes.get(record.postcode)
        if record.latitude is not None and record.longitude is not None:
            ward = self.ward_at(record.latitude, record.longitude)
            if ward is None and found is not None:
                ward = found[2]
            return record.latitude, record.longitude, ward
        if found is not None:
            return found
        return None, None, None


class Terms:
    """Every category we have, by its name or code, for rows that name categories."""

    def __init__(self) -> None:
        rows = TaxonomyTerm.objects.values_list("pk", "code", "name", "taxonomy__name").order_by("pk")
        self.by_label: dict[str, int] = {}
        # The starter vocabulary wins when two vocabularies use the same word.
        for pk, code, name, _ in sorted(rows, key=lambda r: (r[3] != STARTER_NAME, r[0])):
            self.by_label.setdefault(name_key(name), pk)
            self.by_label.setdefault(name_key(code), pk)

    def find(self, label: str) -> int | None:
        return self.by_label.get(name_key(label))


class Organisations:
    """What the directory already has, indexed every way an incoming organisation may match: ids and numbers
    for the ones the file names, names and postcodes (which SQL cannot compare as we do) for all."""

    def __init__(self, records: Sequence[OrgRecord]) -> None:
        self.by_uuid: dict[str, int] = {}
        self.by_org_id: dict[str, int] = {}
        self.by_charity: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        self.slugs: set[str] = set()
        everyone = Organisation.objects.order_by("pk")
        uuids = sorted({r.uuid for r in records if r.uuid})
        org_ids = sorted({r.org_id.upper() for r in records if r.org_id})
        numbers = sorted({r.charity_number.upper() for r in records if r.charity_number})
        for chunk in chunks(uuids):
            for pk, ident in everyone.filter(uuid__in=chunk).values_list("pk", "uuid"):
                self.by_uuid.setdefault(str(ident), pk)
        for chunk in chunks(org_ids):
            # Saying org_id is not blank lets SQLite use the (partial) unique index on it.
            found = everyone.filter(org_id__in=chunk).exclude(org_id="").values_list("pk", "org_id")
            for pk, org_id in found:
                self.by_org_id.setdefault(org_id.upper(), pk)
        for chunk in chunks(numbers):
            for pk, number in everyone.filter(charity_number__in=chunk).values_list("pk", "charity_number"):
                self.by_charity.setdefault(number.upper(), pk)
        for pk, name, postcode, slug in everyone.values_list("pk", "name", "postcode", "slug").iterator(5000):
            self.by_name.setdefault(self.name_and_postcode(name, postcode), pk)
            self.slugs.add(slug)

    @staticmethod
    def name_and_postcode(name: str, postcode: str) -> str:
        return f"{name_key(name)}|{postcode_key(postcode)}"

    def match(self, record: OrgRecord) -> tuple[int | None, str]:
        """The organisation this record is, and how we know (for a reason that quotes it)."""
        if record.uuid and record.uuid in self.by_uuid:
            return self.by_uuid[record.uuid], f"id {record.uuid}"
        if record.org_id and record.org_id.upper() in self.by_org_id:
            return self.by_org_id[record.org_id.upper()], f"org-id {record.org_id}"
        if record.charity_number and record.charity_number.upper() in self.by_charity:
            return self.by_charity[record.charity_number.upper()], f"charity number {record.charity_number}"
        key = self.name_and_postcode(record.name, record.postcode)
        if key in self.by_name:
            return self.by_name[key], "name and postcode"
        return None, ""

    @staticmethod
    def keys(record: OrgRecord) -> list[tuple[str, str]]:
        """Every way a record may be the same organisation as another row: (what it is, its key)."""
        found = [("name and postcode", Organisations.name_and_postcode(record.name, record.postcode))]
        if record.charity_number:
            found.insert(0, ("charity number", "chc:" + record.charity_number.upper()))
        if record.org_id:
            found.insert(0, ("org-id", "org:" + record.org_id.upper()))
        if record.uuid:
            found.insert(0, ("id", "uuid:" + record.uuid))
        return found

    def new_slug(self, name: str) -> str:
        base = slugify(name)[:70] or "organisation"
        slug, n = base, 2
        while slug in self.slugs:
            slug, n = f"{base}-{n}", n + 1
        self.slugs.add(slug)
        return slug


# --- organisations, services and locations -------------------------------------------------------


@dataclass(slots=True)
class OrgPlan:
    record: OrgRecord
    pk: int | None
    ward_ids: list[int] = field(default_factory=list)
    term_ids: dict[int, list[int]] = field(default_factory=dict)  # service index -> term pks


@dataclass
class Plan:
    organisations: list[OrgPlan]
    places: Places
    index: Organisations
    problems: list[Problem]
    merge_duplicates: bool


def check_organisations(parsed: Parsed, *, merge_duplicates: bool) -> Plan:
    """Match every organisation record and resolve its wards and categories, rejecting rows that cannot be
    saved. Reads only. With merge_duplicates (a feed), two records of one organisation become one; otherwise
    (a spreadsheet) the later row is reported as a repeat."""
    postcodes = [r.postcode for r in parsed.organisations]
    postcodes += [place.postcode for r in parsed.organisations for s in r.services for place in s.locations]
    places = Places(postcodes)
    index = Organisations(parsed.organisations)
    needs_terms = any(t.label for r in parsed.organisations for s in r.services for t in s.terms)
    terms = Terms() if needs_terms else None
    problems: list[Problem] = []
    plans: list[OrgPlan] = []
    seen: dict[str, OrgPlan] = {}
    seen_existing: dict[int, OrgPlan] = {}
    for record in parsed.organisations:
        reasons: list[str] = []
        ward_ids = []
        for ward in record.wards:
            found = places.wards_by_name.get(name_key(ward)) or places.wards_by_name.get(ward.upper())
            if found is None:
                reasons.append(f"“{shown(ward)}” is not a ward in {places.area_name}")
            elif found not in ward_ids:
                ward_ids.append(found)
        term_ids: dict[int, list[int]] = {}
        for number, service in enumerate(record.services):
            for term in service.terms:
                if not term.label or terms is None:
                    continue
                pk = terms.find(term.label)
                if pk is None:
                    reasons.append(f"“{shown(term.label)}” is not a category in any vocabulary")
                else:
                    term_ids.setdefault(number, []).append(pk)
        if reasons:
            problems.append(Problem(record.line, sentence(reasons)))
            continue
        pk, how = index.match(record)
        earlier = seen_existing.get(pk) if pk is not None else None
        if earlier is None:
            for label, key in index.keys(record):
                if key in seen:
                    earlier = seen[key]
                    how = label if label == "name and postcode" else f"{label} {key.split(':', 1)[1]}"
                    break
        if earlier is not None:
            if merge_duplicates:
                offset = len(earlier.record.services)
                earlier.record.services.extend(record.services)
                for number, pks in term_ids.items():
                    earlier.term_ids[offset + number] = pks
                continue
            problems.append(
                Problem(
                    record.line,
                    sentence(
                        f"this is the same organisation as line {earlier.record.line} ({how}), "
                        "so the row was not used: remove one of them"
                    ),
                )
            )
            continue
        plan = OrgPlan(record, pk, ward_ids, term_ids)
        plans.append(plan)
        if pk is not None:
            seen_existing[pk] = plan
        for _, key in index.keys(record):
            seen.setdefault(key, plan)
    return Plan(plans, places, index, problems, merge_duplicates)


ORG_FIELDS = (
    "name",
    "kind",
    "org_id",
    "charity_number",
    "company_number",
    "description",
    "email",
    "website",
    "phone",
    "postcode",
    "size_band",
)
SERVICE_FIELDS = (
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
    "fees_description",
    "is_free",
    "languages",
)
LOCATION_FIELDS = (
    "name",
    "description",
    "location_type",
    *ADDRESS_FIELDS,
    "ward_id",
    "accessibility",
    "transportation",
    "uprn",
)


class _Writer:
    def __init__(self, plan: Plan, options: Options, outcome: Outcome) -> None:
        self.plan = plan
        self.options = options
        self.outcome = outcome
        self.history = History(options)
        self.ids = Ids()
        self.now = timezone.now()
        self.status = ListingStatus.PUBLISHED if options.publish else ListingStatus.PENDING
        self.changed_orgs: set[int] = set()
        self.new_orgs: set[int] = set()  # made by this import: they hold no services or places yet
        self.changed_locations: set[int] = set()
        self.feed_terms: dict[str, int] = {}
        self.feed_taxonomy: Taxonomy | None = None
        # Running indexes, so a location or service met twice in the file is written once.
        self.location_by_uuid: dict[str, int] = {}
        self.location_by_key: dict[tuple[int, str, str], int] = {}
        self.service_by_uuid: dict[str, int] = {}
        self.service_by_key: dict[tuple[int, str], int] = {}
        self.service_by_source: dict[int, int] = {}
        self.new_services: set[int] = set()
        # The services this chunk made: nothing points at them yet, so nothing need be looked up for them.
        self.fresh: set[int] = set()
        self.changed_services: set[int] = set()

    # organisations

    def organisation_values(self, record: OrgRecord, existing: Current | None) -> dict[str, Any]:
        values: dict[str, Any] = {name: getattr(record, name) for name in ORG_FIELDS}
        if existing is not None:
            if not record.kind_is_authoritative:
                values.pop("kind")
            held = self.plan.index.by_org_id.get(record.org_id.upper()) if record.org_id else None
            if existing.org_id or (held is not None and held != existing.pk):
                values.pop("org_id")
        return values

    def listing_row(self, values: dict[str, Any]) -> dict[str, Any]:
        """A new record's row: its values, a new id, and how every imported listing starts."""
        return {
            **values,
            "uuid": uuid.uuid4(),
            "listing_status": self.status,
            "last_checked_at": self.now,
            "source": self.options.source,
        }

    def write_organisations(self, plans: Sequence[OrgPlan]) -> None:
        existing = current(Organisation, [p.pk for p in plans if p.pk is not None], ORG_FIELDS)
        new: list[tuple[OrgPlan, dict[str, Any]]] = []
        changed: list[tuple[Current, dict[str, list[str]]]] = []
        for plan in plans:
            record = plan.record
            if plan.pk is None:
                row = self.listing_row(self.organisation_values(record, None))
                row["slug"] = self.plan.index.new_slug(record.name)
                if record.uuid:
                    row["uuid"] = uuid.UUID(record.uuid)
                new.append((plan, row))
            else:
                organisation = existing[plan.pk]
                changes: dict[str, list[str]] = {}
                assign(organisation, self.organisation_values(record, organisation), changes)
                if changes:
                    changed.append((organisation, changes))
        pks = self.ids.insert(Organisation, [row for _, row in new])
        for plan, row in new:
            plan.pk = pks[row["uuid"]]
            self.new_orgs.add(plan.pk)
            self.history.record(Organisation, plan.pk, row["name"], created_changes(row, ORG_FIELDS), created=True)
        if changed:
            names = sorted({name for _, changes in changed for name in changes} | {"updated_at", "last_checked_at"})
            Organisation.objects.bulk_update([o.instance(Organisation, self.now) for o, _ in changed], names, 500)
            for organisation, changes in changed:
                self.history.record(Organisation, organisation.pk, organisation.name, changes, created=False)
                self.changed_orgs.add(organisation.pk)
        self.outcome.added["organisation"] += len(new)
        self.outcome.changed["organisation"] += len(changed)
        wanted = {(p.pk, w) for p in plans for w in p.ward_ids}
        through = Organisation.wards_served.through
        have = set(through.objects.filter(organisation_id__in=existing).values_list("organisation_id", "ward_id"))
        insert_rows(through, [{"organisation_id": o, "ward_id": w} for o, w in sorted(wanted - have)])

    def touch_services(self, pks: Iterable[int]) -> None:
        """These services changed (their fields, places, times, contacts or categories): reindex and count them."""
        for pk in pks:
            self.outcome.service_ids.add(pk)
            if pk not in self.new_services:
                self.changed_services.add(pk)

    # locations

    def preload(self, plans: Sequence[OrgPlan]) -> None:
        """Load the services and locations already held by these organisations, or named by the file's ids.

        An organisation is in one chunk only, so what is found by organisation is forgotten with its chunk;
        places named by the file's own ids are remembered, since services anywhere in a feed may share them."""
        self.service_by_uuid, self.service_by_key, self.service_by_source = {}, {}, {}
        self.location_by_key = {}
        org_ids = [p.pk for p in plans if p.pk is not None and p.pk not in self.new_orgs]
        services = [s for p in plans for s in p.record.services]
        service_uuids = [s.uuid for s in services if s.uuid]
        location_uuids = [loc.uuid for s in services for loc in s.locations if loc.uuid]
        wanted_uuids = set(location_uuids)
        if not (org_ids or service_uuids or location_uuids):
            return  # new organisations, and a file that names no ids: nothing to look for
        found_services = Service.objects.filter(
            models.Q(organisation_id__in=org_ids) | models.Q(uuid__in=service_uuids)
        )
        for pk, ident, org_id, name, source in found_services.order_by("pk").values_list(
            "pk", "uuid", "organisation_id", "name", "source"
        ):
            self.service_by_uuid[str(ident)] = pk
            self.service_by_key.setdefault((org_id, name_key(name)), pk)
            if source == self.options.source:
                self.service_by_source.setdefault(org_id, pk)
        found_locations = Location.objects.filter(
            models.Q(organisation_id__in=org_ids) | models.Q(uuid__in=location_uuids)
        )
        for pk, ident, org_id, name, postcode in found_locations.order_by("pk").values_list(
            "pk", "uuid", "organisation_id", "name", "postcode"
        ):
            if str(ident) in wanted_uuids:
                self.location_by_uuid[str(ident)] = pk
            if org_id is not None:
                self.location_by_key.setdefault((org_id, postcode_key(postcode), name_key(name)), pk)

    def location_pk(self, org_pk: int, record: LocationRecord) -> int | None:
        if record.uuid and record.uuid in self.location_by_uuid:
            return self.location_by_uuid[record.uuid]
        return self.location_by_key.get((org_pk, postcode_key(record.postcode), name_key(record.name)))

    def write_locations(self, plans: Sequence[OrgPlan]) -> dict[int, int]:
        """Create or update every location these organisations' services name; id(record) -> pk."""
        wanted: list[tuple[int, LocationRecord, int | None]] = []
        for plan in plans:
            assert plan.pk is not None
            for service in plan.record.services:
                for record in service.locations:
                    wanted.append((plan.pk, record, self.location_pk(plan.pk, record)))
        existing = current(
            Location, [pk for _, _, pk in wanted if pk is not None], (*LOCATION_FIELDS, "organisation_id")
        )
        result: dict[int, int] = {}
        new: list[tuple[LocationRecord, dict[str, Any]]] = []
        changed: dict[int, tuple[Current, dict[str, list[str]]]] = {}
        pending: dict[tuple[str, tuple[int, str, str]], dict[str, Any]] = {}
        for org_pk, record, pk in wanted:
            lat, lon, ward_id = self.plan.places.place(record)
            values = {name: getattr(record, name) for name in LOCATION_FIELDS if name != "ward_id"}
            values.update(latitude=lat, longitude=lon, ward_id=ward_id)
            if pk is None:
                # Two services at one new place (the same id, or the same name and postcode) share it.
                key = (record.uuid, (org_pk, postcode_key(record.postcode), name_key(record.name)))
                if key not in pending:
                    row = self.listing_row({**values, "organisation_id": org_pk})
                    if record.uuid:
                        row["uuid"] = uuid.UUID(record.uuid)
                        row["uuid_from_file"] = True  # not a column: remembered across chunks (see preload)
                    pending[key] = row
                new.append((record, pending[key]))
                continue
            location = existing[pk]
            changes = changed[pk][1] if pk in changed else {}
            if location.organisation_id is None:
                values["organisation_id"] = org_pk
            assign(location, values, changes)
            if changes:
                changed[pk] = (location, changes)
            result[id(record)] = pk
        rows = list(pending.values())
        pks = self.ids.insert(Location, rows)
        for record, row in new:
            result[id(record)] = pks[row["uuid"]]
        for row in rows:
            pk = pks[row["uuid"]]
            if row.get("uuid_from_file"):
                self.location_by_uuid[str(row["uuid"])] = pk
            key3 = (row["organisation_id"], postcode_key(row["postcode"]), name_key(row["name"]))
            self.location_by_key.setdefault(key3, pk)
            label = row["name"] or row["address_1"] or row["postcode"] or str(row["uuid"])
            self.history.record(Location, pk, label, created_changes(row, LOCATION_FIELDS), created=True)
        if changed:
            names = sorted({n for _, c in changed.values() for n in c} | {"updated_at", "last_checked_at"})
            Location.objects.bulk_update([loc.instance(Location, self.now) for loc, _ in changed.values()], names, 500)
            for location, changes in changed.values():
                label = location.name or location.address_1 or location.postcode or str(location.pk)
                self.history.record(Location, location.pk, label, changes, created=False)
                self.changed_locations.add(location.pk)
        self.outcome.added["location"] += len(rows)
        self.outcome.changed["location"] += len(changed)
        return result

    # services

    def service_pk(self, org_pk: int, record: ServiceRecord) -> int | None:
        if record.uuid and record.uuid in self.service_by_uuid:
            return self.service_by_uuid[record.uuid]
        if self.options.one_service_each and org_pk in self.service_by_source:
            return self.service_by_source[org_pk]
        return self.service_by_key.get((org_pk, name_key(record.name)))

    def write_services(self, plans: Sequence[OrgPlan], location_pks: dict[int, int]) -> None:
        wanted: list[tuple[OrgPlan, int, ServiceRecord, int | None]] = []
        for plan in plans:
            assert plan.pk is not None
            for number, record in enumerate(plan.record.services):
                wanted.append((plan, number, record, self.service_pk(plan.pk, record)))
        existing = current(Service, [pk for *_, pk in wanted if pk is not None], (*SERVICE_FIELDS, "organisation_id"))
        new: list[tuple[OrgPlan, int, ServiceRecord, dict[str, Any]]] = []
        written: list[tuple[OrgPlan, int, ServiceRecord, int]] = []
        changed: dict[int, tuple[Current, dict[str, list[str]]]] = {}
        for plan, number, record, pk in wanted:
            values = {name: getattr(record, name) for name in SERVICE_FIELDS}
            if pk is None:
                row = self.listing_row({k: v for k, v in values.items() if v is not None})
                row["organisation_id"] = plan.pk
                if record.uuid:
                    row["uuid"] = uuid.UUID(record.uuid)
                new.append((plan, number, record, row))
                continue
            service = existing[pk]
            changes = changed[pk][1] if pk in changed else {}
            if record.minimum_age is not None or record.maximum_age is not None:
                # Ages travel together, so an import never leaves a youngest age above an oldest one.
                for name in ("minimum_age", "maximum_age"):
                    if getattr(service, name) != values[name]:
                        changes[name] = [_text(getattr(service, name)), _text(values[name])]
                        setattr(service, name, values[name])
            values.pop("minimum_age"), values.pop("maximum_age")
            values["organisation_id"] = plan.pk
            assign(service, values, changes)
            if changes:
                changed[pk] = (service, changes)
            written.append((plan, number, record, pk))
        rows = [row for *_, row in new]
        self.fresh = set()
        pks = self.ids.insert(Service, rows)
        for plan, number, record, row in new:
            pk = pks[row["uuid"]]
            assert plan.pk is not None
            self.service_by_uuid[str(row["uuid"])] = pk
            self.service_by_key.setdefault((plan.pk, name_key(row["name"])), pk)
            self.service_by_source.setdefault(plan.pk, pk)
            self.history.record(Service, pk, row["name"], created_changes(row, SERVICE_FIELDS), created=True)
            written.append((plan, number, record, pk))
            self.new_services.add(pk)
            self.fresh.add(pk)
            self.outcome.service_ids.add(pk)
        if changed:
            names = sorted({n for _, c in changed.values() for n in c} | {"updated_at", "last_checked_at"})
            Service.objects.bulk_update([s.instance(Service, self.now) for s, _ in changed.values()], names, 500)
            for service, changes in changed.values():
                self.history.record(Service, service.pk, service.name, changes, created=False)
        self.outcome.added["service"] += len(new)
        self.touch_services(changed)
        self.write_links(written, location_pks)
        self.write_schedules(written)
        self.write_contacts(written)

    def write_links(self, written: list[tuple[OrgPlan, int, ServiceRecord, int]], location_pks: dict[int, int]) -> None:
        pairs = {(pk, location_pks[id(place)]) for _, _, record, pk in written for place in record.locations}
        have = self.held(ServiceAtLocation, {s for s, _ in pairs}, "location_id")
        missing = sorted(pairs - have)
        insert_rows(
            ServiceAtLocation, [{"service_id": s, "location_id": loc, "uuid": uuid.uuid4()} for s, loc in missing]
        )
        self.touch_services(s for s, _ in missing)
        terms = Service.terms.through
        term_links: set[tuple[int, int]] = set()
        for plan, number, record, pk in written:
            term_links.update((pk, term) for term in plan.term_ids.get(number, []))
            term_links.update((pk, self.feed_terms[t.uuid or t.code]) for t in record.terms if not t.label)
        touched = {pk for _, _, _, pk in written}
        existing_links = self.held(terms, touched, "taxonomyterm_id")
        added = term_links - existing_links
        insert_rows(terms, [{"service_id": s, "taxonomyterm_id": t} for s, t in sorted(added)])
        removed: set[tuple[int, int]] = set()
        if self.feed_taxonomy is not None:
            # The feed owns its own vocabulary: a category it no longer gives a service is taken off it.
            feed_ids = set(self.feed_terms.values()) | set(
                TaxonomyTerm.objects.filter(taxonomy=self.feed_taxonomy).values_list("pk", flat=True)
            )
            removed = {(s, t) for s, t in existing_links if t in feed_ids and (s, t) not in term_links}
            for service_id, term_id in removed:
                terms.objects.filter(service_id=service_id, taxonomyterm_id=term_id).delete()
        wards = Service.wards_served.through
        ward_links = {(pk, w) for plan, _, _, pk in written for w in plan.ward_ids}
        have_wards = self.held(wards, touched, "ward_id")
        insert_rows(wards, [{"service_id": s, "ward_id": w} for s, w in sorted(ward_links - have_wards)])
        self.touch_services(s for s, _ in added | removed)

    def held(self, model: type[models.Model], services: Iterable[int], column: str) -> set[tuple[int, Any]]:
        """The (service, `column`) pairs `model` already holds for these services (none for those just made)."""
        held = [pk for pk in services if pk not in self.fresh]
        if not held:
            return set()
        return set(model._default_manager.filter(service_id__in=held).values_list("service_id", column))

    def write_schedules(self, written: list[tuple[OrgPlan, int, ServiceRecord, int]]) -> None:
        # Only the service's own times: those of a service at one location are not in the files we read.
        given = {pk: record.schedules for _, _, record, pk in written if record.schedules is not None}
        self.replace_rows(Schedule, SCHEDULE_FIELDS, given, service_at_location=None)

    def write_contacts(self, written: list[tuple[OrgPlan, int, ServiceRecord, int]]) -> None:
        given = {pk: record.contacts for _, _, record, pk in written if record.contacts is not None}
        self.replace_rows(Contact, CONTACT_FIELDS, given)

    def replace_rows(
        self, model: type[models.Model], fields: tuple[str, ...], given: dict[int, list[Any]], **only: Any
    ) -> None:
        """Each service's schedules or contacts: where the file's differ from those we hold, ours are replaced
        by the file's, each keeping the file's id unless another row already has it."""
        if not given:
            return
        have: dict[int, list[tuple[Any, ...]]] = {pk: [] for pk in given}
        held = [pk for pk in given if pk not in self.fresh]  # a service made a moment ago has none yet
        if held:
            rows_of = model._default_manager.filter(service_id__in=held, **only)
            for row in rows_of.values_list("service_id", *fields):
                have[row[0]].append(tuple(row[1:]))

        def key(record: Any) -> tuple[Any, ...]:
            return tuple(getattr(record, name) for name in fields)

        # Compared as text: a schedule's times may be None, which does not sort beside a time.
        replace = {
            pk
            for pk, records in given.items()
            if sorted(map(repr, have[pk])) != sorted(repr(key(record)) for record in records)
        }
        if not replace:
            return
        old = replace - self.new_services
        if old:
            model._default_manager.filter(service_id__in=old, **only).delete()
        uuids = [record.uuid for pk in old for record in given[pk] if record.uuid]
        taken = set(map(str, model._default_manager.filter(uuid__in=uuids).values_list("uuid", flat=True)))
        rows = []
        for pk in sorted(replace):
            for record in given[pk]:
                row = {"service_id": pk, "uuid": uuid.uuid4(), **dict(zip(fields, key(record), strict=True))}
                if record.uuid and record.uuid not in taken:
                    row["uuid"] = uuid.UUID(record.uuid)
                    taken.add(record.uuid)
                rows.append(row)
        insert_rows(model, rows)
        self.touch_services(replace)

    # the feed's own categories

    def write_feed_terms(self, feed_terms: dict[str, TermRef]) -> None:
        """Put the feed's categories in a vocabulary named after the feed: matched on id, then on code."""
        if not feed_terms:
            return
        name = (self.options.vocabulary_name or "Imported feed")[:200]
        taxonomy, made = Taxonomy.objects.get_or_create(
            name=name, defaults={"description": f"Categories from the Open Referral UK feed of {name}."}
        )
        self.feed_taxonomy = taxonomy
        if made:
            self.outcome.added["vocabulary"] += 1
        mine = {t.code: t for t in TaxonomyTerm.objects.filter(taxonomy=taxonomy)}
        elsewhere: dict[str, int] = {
            str(u): pk
            for u, pk in TaxonomyTerm.objects.filter(uuid__in=[t.uuid for t in feed_terms.values() if t.uuid])
            .exclude(taxonomy=taxonomy)
            .values_list("uuid", "pk")
        }
        new: dict[str, TaxonomyTerm] = {}
        changed: dict[str, dict[str, list[str]]] = {}
        for key, ref in feed_terms.items():
            if ref.uuid in elsewhere:
                # The same category in another vocabulary (our own, exported and read back): use it as it is.
                self.feed_terms[key] = elsewhere[ref.uuid]
                continue
            term = mine.get(ref.code)
            if term is None:
                term = TaxonomyTerm(taxonomy=taxonomy, code=ref.code, name=ref.name, description=ref.description)
                if ref.uuid:
                    term.uuid = ref.uuid
                mine[ref.code] = new[ref.code] = term
            else:
                assign(term, {"name": ref.name, "description": ref.description}, changed.setdefault(ref.code, {}))
        TaxonomyTerm.objects.bulk_create(list(new.values()), batch_size=CHUNK)
        for key, ref in feed_terms.items():
            if key not in self.feed_terms:
                self.feed_terms[key] = mine[ref.code].pk
        by_uuid = {str(t.uuid): t for t in mine.values()}
        for ref in feed_terms.values():
            term, parent = mine.get(ref.code), by_uuid.get(ref.parent_uuid)
            if term is None or parent is None or parent.pk == term.pk or term.parent_id == parent.pk:
                continue
            if ref.code not in new:
                changed.setdefault(ref.code, {})["parent"] = [_text(term.parent_id), str(parent.pk)]
            term.parent = parent
        TaxonomyTerm.objects.bulk_update([t for t in new.values() if t.parent_id], ["parent"], batch_size=CHUNK)
        for term in new.values():
            self.history.record(TaxonomyTerm, term.pk, term.name, created_changes(term, TERM_FIELDS), created=True)
        updated = [mine[code] for code, changes in changed.items() if changes]
        if updated:
            TaxonomyTerm.objects.bulk_update(updated, ["name", "description", "parent"], batch_size=500)
            for term in updated:
                self.history.record(TaxonomyTerm, term.pk, term.name, changed[term.code], created=False)
            renamed = [t.pk for t in updated if "name" in changed[t.code]]
            self.outcome.service_ids.update(
                Service.terms.through.objects.filter(taxonomyterm_id__in=renamed).values_list("service_id", flat=True)
            )
        self.outcome.added["category"] += len(new)
        self.outcome.changed["category"] += len(updated)


SCHEDULE_FIELDS = (
    "freq",
    "interval",
    "byday",
    "bymonthday",
    "opens_at",
    "closes_at",
    "valid_from",
    "valid_to",
    "description",
)
CONTACT_FIELDS = ("name", "title", "email", "phone")
TERM_FIELDS = ("code", "name", "description")


def apply_organisations(plan: Plan, parsed: Parsed, options: Options) -> Outcome:
    """Write every organisation, service, location, schedule, contact and category link in one transaction,
    then bring the search index up to date for every service touched."""
    outcome = Outcome(problems=list(plan.problems))
    writer = _Writer(plan, options, outcome)
    with roomy_cache(), transaction.atomic(), streamed_copies():
        # The new organisations' ids, and those of their services and places, in three queries.
        new = [p.record for p in plan.organisations if p.pk is None]
        writer.ids.ahead(Organisation, len(new))
        writer.ids.ahead(Service, sum(len(record.services) for record in new))
        writer.ids.ahead(Location, sum(len(s.locations) for record in new for s in record.services))
        writer.write_feed_terms(parsed.feed_terms)
        for part in chunks(plan.organisations):
            writer.write_organisations(part)
            writer.preload(part)
            location_pks = writer.write_locations(part)
            writer.write_services(part, location_pks)
        writer.history.flush()
        outcome.changed["service"] = len(writer.changed_services)
        # Every record is saved: let them go before the search index is rebuilt, so the two never add up.
        plan.organisations.clear()
        parsed.organisations.clear()
        touched = set(outcome.service_ids)
        if writer.changed_orgs:
            touched.update(Service.objects.filter(organisation_id__in=writer.changed_orgs).values_list("pk", flat=True))
        if writer.changed_locations:
            touched.update(
                ServiceAtLocation.objects.filter(location_id__in=writer.changed_locations).values_list(
                    "service_id", flat=True
                )
            )
        outcome.service_ids = touched
        if touched:
            reindex_services(sorted(touched))
    return outcome


# --- a vocabulary -------------------------------------------------------------------------------------


@dataclass
class VocabularyPlan:
    taxonomy: Taxonomy | None
    name: str
    terms: list[VocabularyTermRecord]
    problems: list[Problem]


def check_vocabulary(parsed: Parsed, *, name: str) -> VocabularyPlan:
    """Reject repeated codes, parents that are nowhere, and parents that go round in a circle."""
    taxonomy = Taxonomy.objects.filter(name=name).first()
    existing_parent: dict[str, str] = {}
    if taxonomy is not None:
        codes = dict(TaxonomyTerm.objects.filter(taxonomy=taxonomy).values_list("pk", "code"))
        for code, parent_id in TaxonomyTerm.objects.filter(taxonomy=taxonomy).values_list("code", "parent_id"):
            existing_parent[code] = codes.get(parent_id, "") if parent_id else ""
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    kept: list[VocabularyTermRecord] = []
    for record in parsed.terms:
        if record.code in first_line:
            problems.append(
                Problem(record.line, sentence(f"the code “{record.code}” is also on line {first_line[record.code]}"))
            )
            continue
        first_line[record.code] = record.line
        kept.append(record)
    in_file = {r.code: r for r in kept}
    parent_of = {**existing_parent, **{r.code: r.parent_code for r in kept}}
    good: list[VocabularyTermRecord] = []
    for record in kept:
        if record.parent_code and record.parent_code not in in_file and record.parent_code not in existing_parent:
            problems.append(
                Problem(
                    record.line,
                    sentence(f"its parent code “{record.parent_code}” is not a term in this file or the vocabulary"),
                )
            )
            continue
        seen = {record.code}
        code = record.parent_code
        while code:
            if code in seen:
                reason = (
                    "its parents go round in a circle back to it"
                    if code == record.code
                    else f"its parent “{record.parent_code}” is in a circle of parents"
                )
                problems.append(Problem(record.line, sentence(reason)))
                break
            seen.add(code)
            code = parent_of.get(code, "")
        else:
            good.append(record)
    # A row whose parent row was rejected cannot keep its place in the tree either.
    rejected = {r.code for r in kept} - {r.code for r in good}
    while True:
        orphans = [r for r in good if r.parent_code in rejected and r.parent_code not in existing_parent]
        if not orphans:
            break
        for record in orphans:
            problems.append(
                Problem(record.line, sentence(f"its parent “{record.parent_code}” was rejected, so it was too"))
            )
            rejected.add(record.code)
        good = [r for r in good if r.code not in rejected]
    problems.sort(key=lambda p: p.line or 0)
    return VocabularyPlan(taxonomy, name, good, problems)


def apply_vocabulary(plan: VocabularyPlan, options: Options) -> Outcome:
    """Create or update the vocabulary's terms (matched on code); terms the file leaves out are kept."""
    outcome = Outcome(problems=list(plan.problems))
    history = History(options)
    with transaction.atomic():
        taxonomy = plan.taxonomy
        if taxonomy is None:
            taxonomy = Taxonomy.objects.create(
                name=plan.name, description=f"Imported from a CSV file by {options.by or 'an administrator'}."
            )
            outcome.added["vocabulary"] += 1
        mine = {t.code: t for t in TaxonomyTerm.objects.filter(taxonomy=taxonomy)}
        new: list[TaxonomyTerm] = []
        changes_of: dict[str, dict[str, list[str]]] = {}
        for position, record in enumerate(plan.terms):
            term = mine.get(record.code)
            values = {"name": record.name, "description": record.description, "position": position}
            if term is None:
                term = TaxonomyTerm(taxonomy=taxonomy, code=record.code, **values)
                mine[record.code] = term
                new.append(term)
            else:
                assign(term, values, changes_of.setdefault(record.code, {}))
        TaxonomyTerm.objects.bulk_create(new, batch_size=CHUNK)
        new_codes = {t.code for t in new}
        for record in plan.terms:
            term = mine[record.code]
            parent = mine[record.parent_code] if record.parent_code else None
            parent_id = parent.pk if parent is not None else None
            if term.parent_id != parent_id:
                if record.code in new_codes:
                    term.parent_id = parent_id
                else:
                    changes_of.setdefault(record.code, {})["parent"] = [_text(term.parent_id), _text(parent_id)]
                    term.parent_id = parent_id
        TaxonomyTerm.objects.bulk_update(new, ["parent"], batch_size=CHUNK)
        changed = [mine[code] for code, changes in changes_of.items() if changes]
        if changed:
            for term in changed:
                term.updated_at = timezone.now()
            TaxonomyTerm.objects.bulk_update(
                changed, ["name", "description", "position", "parent", "updated_at"], batch_size=500
            )
        for term in new:
            history.record(
                TaxonomyTerm, term.pk, term.name, created_changes(term, (*TERM_FIELDS, "parent_id")), created=True
            )
        for term in changed:
            history.record(TaxonomyTerm, term.pk, term.name, changes_of[term.code], created=False)
        history.flush()
        outcome.added["category"] += len(new)
        outcome.changed["category"] += len(changed)
        if changed:
            outcome.service_ids = set(
                Service.terms.through.objects.filter(taxonomyterm_id__in=[t.pk for t in changed]).values_list(
                    "service_id", flat=True
                )
            )
            reindex_services(sorted(outcome.service_ids))
    return outcome
