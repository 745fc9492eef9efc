"""Our directory records as Open Referral UK (the UK profile of HSDS 3.0) objects: plain dicts for JSON.

Reads for the ORUK API and the ORUK export. Two shapes of each record, as the profile has them:
- a *list item* (one-to-one fields only), which validates against compiled/*_list.json;
- a *full* record (everything nested), which validates against compiled/service.json and the like.

Every id is the record's `uuid`. Objects we keep as fields rather than rows (an organisation's
charity number, a location's address, a service's phone) get ids derived from their owner's uuid
(uuid5), so they are stable from one request to the next.

Beyond the profile we also give the HSDS 3.0 fields we hold (phones, a contact's email,
eligibility_description, application_process, fees_description, transportation, address_2,
currency, legal_status, a language's name): the profile's schemas allow extra properties.

Queries: every `*_page` loader fetches with select_related/prefetch_related so a page of any size
costs the same, small, number of queries.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import get_language

from commonweal.accounts.models import Organisation
from commonweal.places.models import Ward

from .models import (
    Contact,
    CostOption,
    ListingQuerySet,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceQuerySet,
    Taxonomy,
    TaxonomyTerm,
)

HSDS_VERSION = "3.0"
PROFILE_URL = "https://openreferraluk.org/specifications/3.0"
# The namespace of the ids we derive for objects kept as fields (an address, a phone, an identifier).
DERIVED_IDS = uuid.UUID("6f1c3a52-2f0e-5b8e-9d4c-3c0b7d1e8a41")
WARD_URI = "http://statistics.data.gov.uk/id/statistical-geography/{code}"

Record = dict[str, Any]


def derived_id(owner: uuid.UUID, *parts: str) -> str:
    """A stable uuid for something we keep as a field of `owner` (e.g. its address or its phone)."""
    return str(uuid.uuid5(DERIVED_IDS, "/".join((str(owner), *parts))))


# The prefetches below filter nothing but the records they belong to: which of them the public may see is
# decided in Python (published_places(), and the models' is_public, which says what their public() does).
# Filtering them in SQL too leads SQLite's planner to walk every published location instead of the few it
# was asked for: five times slower on a big directory.


def _into(name: str, queryset: QuerySet[Any]) -> Any:
    """Prefetch `name` into a plain list (related(obj, name)): reading `obj.name.all()` would clone a
    queryset each time, which on a 100,000-row export costs more than the queries."""
    return Prefetch(name, queryset=queryset, to_attr=f"oruk_{name}")


def related(obj: Any, name: str) -> list[Any]:
    """The records prefetched by _into(name): services_in_full() and organisations_in_full() load them."""
    found: list[Any] = getattr(obj, f"oruk_{name}")
    return found


# A ward's boundary is a big GeoJSON polygon that no ORUK record needs: never read it.
WARD_SHAPES = ("location__ward__boundary",)


def _terms() -> QuerySet[TaxonomyTerm]:
    return TaxonomyTerm.objects.select_related("taxonomy", "parent")


def _service_at_locations_with_places() -> QuerySet[ServiceAtLocation]:
    return ServiceAtLocation.objects.select_related("location__ward__council", "location__organisation").defer(
        *WARD_SHAPES
    )


def published_places(service: Service) -> list[ServiceAtLocation]:
    """The service's places the public may see (prefetched by services_in_full()), by name."""
    sals = [sal for sal in related(service, "service_at_locations") if sal.location.is_public]
    return sorted(sals, key=lambda sal: (sal.location.name, sal.pk))


def services_for_list() -> ServiceQuerySet:
    """Services ready to become list items: their organisation comes in the same query."""
    return Service.objects.select_related("organisation")


def services_in_full() -> ServiceQuerySet:
    """Services ready to become full records: a fixed number of queries however many there are."""
    return services_for_list().prefetch_related(
        _into("terms", _terms().order_by("taxonomy__name", "position", "name", "pk")),
        _into("schedules", Schedule.objects.order_by("opens_at", "pk")),
        _into("cost_options", CostOption.objects.order_by("pk")),
        _into("contacts", Contact.objects.order_by("pk")),
        _into("service_at_locations", _service_at_locations_with_places().order_by("pk")),
        _into("wards_served", Ward.objects.only("pk", "code", "name").order_by("name")),
    )


def organisations_in_full(*, full_services: bool) -> ListingQuerySet:
    """Organisations ready to become full records, with their published services (full or list form)."""
    services = services_in_full() if full_services else services_for_list()
    lookups: tuple[Any, ...] = (
        _into("services", services.order_by("pk")),
        _into("contacts", Contact.objects.order_by("pk")),
        _into("locations", Location.objects.select_related("ward__council").defer("ward__boundary").order_by("pk")),
    )
    return Organisation.objects.prefetch_related(*lookups)


def service_at_locations_for_list() -> QuerySet[ServiceAtLocation]:
    return ServiceAtLocation.objects.select_related("location__organisation", "service__organisation")


def service_at_locations_in_full() -> QuerySet[ServiceAtLocation]:
    return _service_at_locations_with_places().prefetch_related(Prefetch("service", queryset=services_in_full()))


def in_order(objects: Iterable[Any], ids: Sequence[int]) -> list[Any]:
    """The objects in the order of `ids` (the order search found them), skipping any that went missing."""
    by_id = {obj.pk: obj for obj in objects}
    return [by_id[pk] for pk in ids if pk in by_id]


# --- small helpers -----------------------------------------------------------------------------


def _put(record: Record, **optional: Any) -> Record:
    """Add the optional fields that have a value (the profile's fields are optional unless required)."""
    for key, value in optional.items():
        if value is not None and value != "":
            record[key] = value
    return record


def _url(value: str) -> str | None:
    """A web address fit for a `format: uri` field, or None (a bad one imported from elsewhere is left out)."""
    value = (value or "").strip()
    parts = urlsplit(value)
    return value if parts.scheme in ("http", "https") and parts.netloc and " " not in value else None


def _email(value: str) -> str | None:
    value = (value or "").strip()
    return value if "@" in value and " " not in value else None


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _number(value: Decimal | float | int | None) -> float | int | None:
    if value is None:
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


_SLOT = "oruk-slot-0"


@lru_cache(maxsize=64)
def _address_template(base_url: str, name: str) -> str:
    """The route's absolute address with a slot for its one argument, reversed once (a big export would
    otherwise reverse it once a record)."""
    return base_url.rstrip("/") + reverse(name, args=[_SLOT])


def _absolute(base_url: str | None, name: str, arg: Any) -> str | None:
    return _address_template(base_url, name).replace(_SLOT, str(arg)) if base_url else None


@lru_cache(maxsize=64)
def _kind_label(kind: str, language: str | None) -> str:
    return str(Organisation.Kind(kind).label) if kind in Organisation.Kind.values else kind


# --- vocabulary --------------------------------------------------------------------------------


def taxonomy_record(taxonomy: Taxonomy, *, terms: Iterable[TaxonomyTerm] | None = None) -> Record:
    record: Record = {"id": str(taxonomy.uuid), "name": taxonomy.name, "description": taxonomy.description}
    _put(record, uri=_url(taxonomy.uri), version=taxonomy.version)
    if terms is not None:
        record["taxonomy_terms"] = [taxonomy_term_record(term) for term in terms]
    return record


def taxonomy_term_record(term: TaxonomyTerm) -> Record:
    """A term; its taxonomy and parent must be loaded with it (select_related)."""
    record: Record = {"id": str(term.uuid), "name": term.name, "description": term.description}
    return _put(
        record,
        code=term.code,
        parent_id=str(term.parent.uuid) if term.parent_id and term.parent else None,
        taxonomy=term.taxonomy.name,
        taxonomy_id=str(term.taxonomy.uuid),
        term_uri=_url(term.term_uri),
        term=term.name,
    )


def term_attribute(owner: uuid.UUID, link_entity: str, term: TaxonomyTerm) -> Record:
    """How HSDS 3.0 says a record has a category: an attribute linking it to a taxonomy term."""
    return {
        "id": derived_id(owner, "attribute", str(term.uuid)),
        "link_id": str(owner),
        "link_entity": link_entity,
        "taxonomy_term_id": str(term.uuid),
        "taxonomy_term": taxonomy_term_record(term),
    }


# --- organisations -----------------------------------------------------------------------------

_ORG_ID = re.compile(r"^([A-Z]{2}-[A-Z0-9]+)-(.+)$")
SCHEME_NAMES = {
    "GB-CHC": "Charity number (England and Wales)",
    "GB-SC": "Charity number (Scotland)",
    "GB-NIC": "Charity number (Northern Ireland)",
    "GB-COH": "Company number",
    "GB-LAE": "Local authority (England)",
    "GB-EDU": "School or college (Department for Education)",
    "GB-MPR": "Mutual society",
    "GB-GOR": "Government organisation",
}


def organisation_identifiers(org: Organisation) -> list[Record]:
    """The org's org-id, charity number and company number as HSDS organization_identifiers (no repeats)."""
    found: list[tuple[str, str]] = []
    org_id = org.org_id.strip().upper()
    if org_id:
        match = _ORG_ID.match(org_id)
        found.append((match.group(1), match.group(2)) if match else ("", org.org_id.strip()))
    charity = org.charity_number.strip().upper().replace(" ", "")
    if charity:
        if charity.startswith("SC"):
            found.append(("GB-SC", charity))
        elif charity.startswith("NIC"):
            found.append(("GB-NIC", charity[3:]))
        else:
            found.append(("GB-CHC", charity))
    company = org.company_number.strip().upper().replace(" ", "")
    if company:
        found.append(("GB-COH", company))
    records: list[Record] = []
    seen: set[tuple[str, str]] = set()
    for scheme, identifier in found:
        if (scheme, identifier) in seen:
            continue
        seen.add((scheme, identifier))
        record: Record = {
            "id": derived_id(org.uuid, "identifier", scheme, identifier),
            "organization_id": str(org.uuid),
            "identifier_type": SCHEME_NAMES.get(scheme, "Organisation identifier"),
            "identifier": identifier,
        }
        records.append(_put(record, identifier_scheme=scheme))
    return records


def organisation_list_item(org: Organisation, *, base_url: str | None = None) -> Record:
    record: Record = {"id": str(org.uuid), "name": org.name, "description": org.description}
    return _put(
        record,
        email=_email(org.email),
        website=_url(org.website),
        uri=_absolute(base_url, "directory:organisation", org.slug),
    )


def _phones(owner: uuid.UUID, owner_field: str, number: str) -> list[Record]:
    number = (number or "").strip()
    if not number:
        return []
    return [{"id": derived_id(owner, "phone"), owner_field: str(owner), "number": number}]


def contact_record(contact: Contact, *, owner_field: str, owner: uuid.UUID) -> Record:
    record: Record = {"id": str(contact.uuid), owner_field: str(owner)}
    _put(record, name=contact.name, title=contact.title, email=_email(contact.email))
    record["phones"] = _phones(contact.uuid, "contact_id", contact.phone)
    return record


def organisation_record(org: Organisation, *, base_url: str | None = None, services: str | None = "list") -> Record:
    """A full organisation. `services`: "list" (one-to-one fields), "full", or None to leave them out.

    The organisation must come from organisations_in_full() (its services, contacts and locations prefetched);
    with services=None, contacts and locations are left out too, so a plain organisation will do.
    """
    record = organisation_list_item(org, base_url=base_url)
    record["organization_identifiers"] = organisation_identifiers(org)
    _put(record, legal_status=_kind_label(org.kind, get_language()))
    if services is None:
        return record
    record["phones"] = _phones(org.uuid, "organization_id", org.phone)
    record["contacts"] = [
        contact_record(c, owner_field="organization_id", owner=org.uuid)
        for c in related(org, "contacts")
        if not c.service_id
    ]
    places = sorted((p for p in related(org, "locations") if p.is_public), key=lambda p: (p.name, p.pk))
    record["locations"] = [location_record(location) for location in places]
    published = sorted(
        (s for s in related(org, "services") if s.is_public),
        key=lambda s: (s.name, s.pk),
    )
    if services == "full":
        record["services"] = [service_record(s, base_url=base_url, organisation=org) for s in published]
    else:
        record["services"] = [service_list_item(s, base_url=base_url, organisation=org) for s in published]
    return record


# --- locations ---------------------------------------------------------------------------------


def location_list_item(location: Location) -> Record:
    record: Record = {"id": str(location.uuid), "location_type": location.location_type}
    _put(
        record,
        organization_id=str(location.organisation.uuid) if location.organisation_id and location.organisation else None,
        name=location.name,
        description=location.description,
        latitude=location.latitude,
        longitude=location.longitude,
    )
    if location.uprn:
        record["external_identifier"] = location.uprn
        record["external_identifier_type"] = "UPRN"
    return record


def location_record(location: Location) -> Record:
    """A full location: its address and accessibility as the profile nests them (ward loaded with it)."""
    record = location_list_item(location)
    _put(record, transportation=location.transportation)
    addresses: list[Record] = []
    if location.location_type != Location.Type.VIRTUAL and (location.address_1 or location.postcode):
        council = location.ward.council.area_name if location.ward_id and location.ward else ""
        address: Record = {
            "id": derived_id(location.uuid, "address"),
            "location_id": str(location.uuid),
            "address_1": location.address_1,
            "city": location.city,
            # The UK has no states or provinces; the council area is the nearest thing a reader can use.
            "state_province": council,
            "postal_code": location.postcode,
            "country": "GB",
            "address_type": location.location_type,
        }
        addresses.append(_put(address, address_2=location.address_2))
    record["addresses"] = addresses
    record["accessibility"] = (
        [
            {
                "id": derived_id(location.uuid, "accessibility"),
                "location_id": str(location.uuid),
                "description": location.accessibility,
            }
        ]
        if location.accessibility
        else []
    )
    return record


# --- services ----------------------------------------------------------------------------------


def service_list_item(
    service: Service, *, base_url: str | None = None, organisation: Organisation | None = None
) -> Record:
    """One-to-one fields of a service, with its organisation (loaded with it by services_for_list())."""
    org = organisation or service.organisation
    record: Record = {"id": str(service.uuid), "name": service.name, "status": service.status}
    _put(
        record,
        organization_id=str(org.uuid),
        description=service.description,
        url=_url(service.url),
        email=_email(service.email),
        fees=service.fees_description,
        fees_description=service.fees_description,
        eligibility_description=service.eligibility_description,
        application_process=service.application_process,
        minimum_age=service.minimum_age,
        maximum_age=service.maximum_age,
        assured_date=service.last_checked_at.date().isoformat() if service.last_checked_at else None,
        last_modified=_when(service.updated_at),
    )
    record["organization"] = organisation_list_item(org, base_url=base_url)
    return record


def schedule_record(schedule: Schedule, *, service: Service, sal: ServiceAtLocation | None = None) -> Record:
    record: Record = {"id": str(schedule.uuid), "service_id": str(service.uuid), "freq": schedule.freq}
    return _put(
        record,
        service_at_location_id=str(sal.uuid) if sal else None,
        interval=schedule.interval,
        byday=schedule.byday,
        bymonthday=schedule.bymonthday,
        opens_at=schedule.opens_at.isoformat() if schedule.opens_at else None,
        closes_at=schedule.closes_at.isoformat() if schedule.closes_at else None,
        valid_from=schedule.valid_from.isoformat() if schedule.valid_from else None,
        valid_to=schedule.valid_to.isoformat() if schedule.valid_to else None,
        description=schedule.description,
    )


def _languages(service: Service) -> list[Record]:
    names = [part.strip() for part in re.split(r",|;|\band\b", service.languages or "") if part.strip()]
    return [
        {"id": derived_id(service.uuid, "language", name.lower()), "service_id": str(service.uuid), "name": name}
        for name in names
    ]


def _service_areas(service: Service) -> list[Record]:
    return [
        {
            "id": derived_id(service.uuid, "service_area", ward.code),
            "service_id": str(service.uuid),
            "name": ward.name,
            "service_area": ward.name,
            "uri": WARD_URI.format(code=ward.code),
        }
        for ward in related(service, "wards_served")
    ]


def _cost_option(option: CostOption, service: Service) -> Record:
    record: Record = {"id": str(option.uuid), "service_id": str(service.uuid)}
    return _put(
        record,
        option=option.option,
        amount=_number(option.amount),
        currency=option.currency,
        amount_description=option.amount_description,
    )


def service_at_location_item(sal: ServiceAtLocation, service: Service, *, full: bool) -> Record:
    record: Record = {"id": str(sal.uuid), "service_id": str(service.uuid), "location_id": str(sal.location.uuid)}
    _put(record, description=sal.description)
    record["location"] = location_record(sal.location) if full else location_list_item(sal.location)
    return record


def service_record(
    service: Service,
    *,
    base_url: str | None = None,
    organisation: Organisation | None = None,
    with_locations: bool = True,
) -> Record:
    """A fully nested service; it must come from services_in_full()."""
    org = organisation or service.organisation
    record = service_list_item(service, base_url=base_url, organisation=org)
    record["organization"] = organisation_record(org, base_url=base_url, services=None)
    sals = {sal.pk: sal for sal in published_places(service)}
    record["schedules"] = [
        schedule_record(
            s, service=service, sal=sals.get(s.service_at_location_id) if s.service_at_location_id else None
        )
        for s in related(service, "schedules")
        if not s.service_at_location_id or s.service_at_location_id in sals
    ]
    record["service_areas"] = _service_areas(service)
    if with_locations:
        record["service_at_locations"] = [service_at_location_item(sal, service, full=True) for sal in sals.values()]
    record["languages"] = _languages(service)
    record["cost_options"] = [_cost_option(option, service) for option in related(service, "cost_options")]
    record["contacts"] = [
        contact_record(c, owner_field="service_id", owner=service.uuid) for c in related(service, "contacts")
    ]
    record["phones"] = _phones(service.uuid, "service_id", service.phone)
    record["attributes"] = [term_attribute(service.uuid, "service", term) for term in related(service, "terms")]
    return record


def service_minimal(service: Service) -> Record:
    """What `minimal=true` asks for: the id and when it last changed (under both names the documents use)."""
    when = _when(service.updated_at)
    return {"id": str(service.uuid), "last_modified": when, "modified_date": when}


def service_at_location_list_item(sal: ServiceAtLocation, *, base_url: str | None = None) -> Record:
    """One-to-one fields of a service at a location, with its location and service (list forms)."""
    record: Record = {
        "id": str(sal.uuid),
        "service_id": str(sal.service.uuid),
        "location_id": str(sal.location.uuid),
    }
    _put(record, description=sal.description)
    record["location"] = location_list_item(sal.location)
    record["service"] = service_list_item(sal.service, base_url=base_url)
    return record


def service_at_location_record(sal: ServiceAtLocation, *, base_url: str | None = None) -> Record:
    """A fully nested service at a location: the place in full, the service in full, this place's schedules."""
    service = sal.service
    record: Record = {"id": str(sal.uuid), "service_id": str(service.uuid), "location_id": str(sal.location.uuid)}
    _put(record, description=sal.description)
    record["location"] = location_record(sal.location)
    record["service"] = service_record(service, base_url=base_url, with_locations=False)
    record["schedules"] = [
        schedule_record(s, service=service, sal=sal)
        for s in related(service, "schedules")
        if s.service_at_location_id == sal.pk
    ]
    record["contacts"] = []
    record["attributes"] = [term_attribute(sal.uuid, "service_at_location", term) for term in related(service, "terms")]
    return record


# --- filters the API needs that are not about services -----------------------------------------


def organisations_matching(words: str, term_ids: Sequence[int], taxonomy_id: int | None) -> ListingQuerySet:
    """Published organisations whose name or description has every word, and (if asked) that offer a
    public service in those categories (a term includes its children) or that vocabulary."""
    found = Organisation.objects.public()
    for word in words.split():
        found = found.filter(Q(name__icontains=word) | Q(description__icontains=word))
    if term_ids:
        offering = Service.objects.public().filter(Q(terms__in=term_ids) | Q(terms__parent__in=term_ids))
        found = found.filter(pk__in=offering.values("organisation_id"))
    if taxonomy_id is not None:
        offering = Service.objects.public().filter(terms__taxonomy_id=taxonomy_id)
        found = found.filter(pk__in=offering.values("organisation_id"))
    return found.order_by("name", "pk")
