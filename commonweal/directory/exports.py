"""The whole published directory as downloads: a spreadsheet (CSV) and Open Referral UK data (JSON).

Both are generators of text for a StreamingHttpResponse: they read the directory a chunk of records at a
time (keyset paging on the primary key, with the same prefetching as the ORUK API), so 100,000 services
never need 100,000 objects in memory.

The ORUK JSON file is one object:
    {"version": "3.0", "profile": ..., "generated_at": ..., "publisher": {...},
     "organizations": [every published organisation, fully nested, its services as list items],
     "services": [every published, active service, fully nested]}
Each item of "organizations" validates against the profile's compiled organization.json and each item of
"services" against service.json: the same records as /api/oruk/organizations/{id} and /api/oruk/services/{id}.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.models import Organisation
from commonweal.core.chunks import keyset_chunks
from commonweal.core.csvsafe import safe_cell
from commonweal.places.models import CouncilArea

from . import oruk
from .models import Schedule, Service

CHUNK = 500

CSV_HEADER = (
    "service_id",
    "service_name",
    "description",
    "organisation_name",
    "organisation_id",
    "organisation_identifiers",
    "charity_number",
    "company_number",
    "organisation_website",
    "locations",
    "postcodes",
    "wards",
    "wards_served",
    "categories",
    "email",
    "phone",
    "website",
    "contacts",
    "who_it_is_for",
    "minimum_age",
    "maximum_age",
    "how_to_get_help",
    "cost",
    "free",
    "delivery",
    "opening_times",
    "languages",
    "last_checked",
    "last_modified",
    "page",
    "oruk_record",
)


def _csv_line(cells: Iterable[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([safe_cell(cell) for cell in cells])
    return buffer.getvalue()


def _joined(parts: Iterable[str], separator: str = "; ") -> str:
    return separator.join(dict.fromkeys(part for part in parts if part))


def _opening_times(schedule: Schedule) -> str:
    hours = ""
    if schedule.opens_at and schedule.closes_at:
        hours = f"{schedule.opens_at:%H:%M}-{schedule.closes_at:%H:%M}"
    days = schedule.byday or schedule.bymonthday
    text = " ".join(part for part in (days, hours) if part)
    return text or schedule.description


SENTINEL = uuid.UUID(int=0)


def _address_of(name: str, base_url: str) -> Callable[[uuid.UUID], str]:
    """A record's web address from its uuid, reversing the route once rather than once a row."""
    template = base_url.rstrip("/") + reverse(name, args=[SENTINEL])
    return lambda record_id: template.replace(str(SENTINEL), str(record_id))


def _csv_row(service: Service, page: Callable[[uuid.UUID], str], record: Callable[[uuid.UUID], str]) -> list[Any]:
    org = service.organisation
    sals = oruk.published_places(service)
    identifiers = oruk.organisation_identifiers(org)
    delivery = [
        label
        for flag, label in (
            (service.in_person, "in person"),
            (service.by_phone, "by phone"),
            (service.online, "online"),
        )
        if flag
    ]
    contacts = [
        _joined((c.name, f"({c.title})" if c.title else "", c.email, c.phone), " ")
        for c in oruk.related(service, "contacts")
    ]
    return [
        service.uuid,
        service.name,
        service.description,
        org.name,
        org.uuid,
        _joined(f"{i.get('identifier_scheme', '')}-{i['identifier']}".lstrip("-") for i in identifiers),
        org.charity_number,
        org.company_number,
        org.website,
        _joined((sal.location.name + ": " + sal.location.one_line_address).strip(": ") for sal in sals),
        _joined(sal.location.postcode for sal in sals),
        _joined(sal.location.ward.name for sal in sals if sal.location.ward),
        _joined(ward.name for ward in oruk.related(service, "wards_served")),
        _joined(term.name for term in oruk.related(service, "terms")),
        service.email,
        service.phone,
        service.url,
        _joined(contacts, " | "),
        service.eligibility_description,
        service.minimum_age,
        service.maximum_age,
        service.application_process,
        service.fees_description,
        "yes" if service.is_free else "no",
        _joined(delivery),
        _joined(
            _opening_times(s)
            for s in oruk.related(service, "schedules")
            if s.service_at_location_id is None or s.service_at_location_id in {sal.pk for sal in sals}
        ),
        service.languages,
        service.last_checked_at.date().isoformat() if service.last_checked_at else "",
        service.updated_at.isoformat(),
        page(service.uuid),
        record(service.uuid),
    ]


def _public_services_in_full() -> QuerySet[Service]:
    return oruk.services_in_full().public()


def directory_csv(*, base_url: str) -> Iterator[str]:
    """The directory as CSV, one row per published service, every cell safe from spreadsheet formulas.

    The file starts with a byte order mark so that Excel reads it as UTF-8."""
    yield "\ufeff" + _csv_line(CSV_HEADER)
    page = _address_of("directory:service", base_url)
    record = _address_of("oruk:service", base_url)
    for chunk in keyset_chunks(_public_services_in_full(), CHUNK):
        for service in chunk:
            yield _csv_line(_csv_row(service, page, record))


def _json_array(items: Iterator[dict[str, Any]]) -> Iterator[str]:
    first = True
    for item in items:
        yield ("\n" if first else ",\n") + json.dumps(item, ensure_ascii=False)
        first = False


def _organisations(base_url: str) -> Iterator[dict[str, Any]]:
    organisations: QuerySet[Organisation] = oruk.organisations_in_full(full_services=False).public()
    for chunk in keyset_chunks(organisations, CHUNK):
        for org in chunk:
            yield oruk.organisation_record(org, base_url=base_url, services="list")


def _services(base_url: str) -> Iterator[dict[str, Any]]:
    for chunk in keyset_chunks(_public_services_in_full(), CHUNK):
        for service in chunk:
            yield oruk.service_record(service, base_url=base_url)


def directory_oruk_json(*, base_url: str) -> Iterator[str]:
    """The directory as one Open Referral UK JSON object (see the module's docstring), piece by piece."""
    council = CouncilArea.current()
    head: dict[str, Any] = {
        "version": oruk.HSDS_VERSION,
        "profile": oruk.PROFILE_URL,
        "generated_at": timezone.now().isoformat(),
        "description": "Every published organisation and every published, active service in the directory.",
        "api": base_url.rstrip("/") + reverse("oruk:api_details"),
    }
    if council:
        head["publisher"] = {"name": council.name, "identifier": council.org_id, "website": base_url}
    # The opening fields, then the two arrays written out as they are read.
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "organizations": ['
    yield from _json_array(_organisations(base_url))
    yield '\n], "services": ['
    yield from _json_array(_services(base_url))
    yield "\n]}\n"


def open_data_counts() -> dict[str, int]:
    """What the open data page says the downloads hold."""
    return {
        "services": Service.objects.public().count(),
        "organisations": Organisation.objects.public().count(),
    }
