"""Another directory's Open Referral UK (HSDS 3) feed, saved as a JSON file.

Three shapes are read: an ORUK page ({"contents": [services...]}, as /services returns), a bare list of
services, or {"organizations": [...], "services": [...]} (with "locations" that services may point to by id).
Organisations may be nested in each service or listed once and named by organization_id; categories come
from services' attributes (or a taxonomy_terms list) and go into a vocabulary named after the feed.
"""

from __future__ import annotations

import re
import uuid as uuidlib
from datetime import date, time
from typing import Any

from django.utils.text import slugify

from commonweal.accounts.models import Organisation
from commonweal.directory.models import Contact, Location, Schedule, Service, TaxonomyTerm

from .reading import (
    ImportRefused,
    JsonItem,
    Progress,
    check_email,
    check_phone,
    check_postcode,
    check_website,
    decode,
    json_items,
    json_text,
    name_key,
    shown,
)
from .records import ContactRecord, LocationRecord, OrgRecord, Parsed, ScheduleRecord, ServiceRecord, TermRef
from .vocabulary_csv import CODE

KEYS = frozenset({"contents", "services", "organizations", "locations"})
STATUSES = frozenset(Service.Status.values)
DAY = re.compile(r"(?:[+-]?[0-9]{1,2})?(MO|TU|WE|TH|FR|SA|SU)")
_TIME = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])(?::([0-5][0-9])(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?")
# Schemes whose identifier is a charity number, and the org-id prefixes of public bodies.
CHARITY_SCHEMES = frozenset({"GB-CHC", "GB-SC", "GB-NIC"})
PUBLIC_SCHEMES = frozenset({"GB-LAE", "GB-LAS", "GB-LANI", "GB-PLA", "GB-GOR", "GB-NHS", "GB-SHPE", "GB-EDU"})
_SCHEME = re.compile(r"[A-Z]{2}-[A-Z]{2,5}")


def _limit(model: Any, name: str) -> int:
    return int(model._meta.get_field(name).max_length)


class _Reader:
    """Reads one service or organisation object, collecting every problem with it."""

    def __init__(self, parsed: Parsed, line: int) -> None:
        self.parsed = parsed
        self.line = line
        self.problems: list[str] = []

    def text(self, data: dict[str, Any], key: str, label: str, limit: int, *, required: bool = False) -> str:
        return json_text(data.get(key), label, limit=limit, problems=self.problems, required=required)

    def age(self, data: dict[str, Any], key: str, label: str) -> int | None:
        value = data.get(key)
        if value in (None, ""):
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.problems.append(f"the {label} should be a whole number of years")
            return None
        try:
            number = float(value)
        except ValueError:
            number = -1.0
        if not number.is_integer() or not 0 <= number <= 150:
            self.problems.append(f"the {label} “{shown(str(value), 10)}” is not an age in years")
            return None
        return int(number)

    def items(self, data: dict[str, Any], key: str, label: str) -> list[dict[str, Any]]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.problems.append(f"the {label} should be a list of objects")
            return []
        return value


def valid_uuid(value: Any) -> str:
    """The id as a UUID string, or '' when it is not one (ids that are not UUIDs are not kept)."""
    if not isinstance(value, str) or len(value) > 40:
        return ""
    try:
        return str(uuidlib.UUID(value))
    except ValueError:
        return ""


def _clock(value: Any, label: str, reader: _Reader) -> time | None:
    if value in (None, ""):
        return None
    match = _TIME.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        reader.problems.append(f"{label} “{shown(str(value), 20)}” is not a time like 09:30")
        return None
    return time(int(match[1]), int(match[2]), int(match[3] or 0))


def _day(value: Any, label: str, reader: _Reader) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        reader.problems.append(f"{label} “{shown(str(value), 20)}” is not a date like 2025-04-01")
        return None


def _schedule(data: dict[str, Any], number: int, reader: _Reader) -> ScheduleRecord:
    label = f"schedule {number}"
    freq = str(data.get("freq") or "WEEKLY").upper()
    if freq not in Schedule.Freq.values:
        reader.problems.append(f"{label} repeats “{shown(freq, 12)}”; Open Referral allows WEEKLY or MONTHLY")
    interval = data.get("interval") or 1
    if not isinstance(interval, int) or isinstance(interval, bool) or not 1 <= interval <= 52:
        reader.problems.append(f"{label} has an interval that is not a whole number from 1 to 52")
        interval = 1
    days = [d.strip().upper() for d in str(data.get("byday") or "").split(",") if d.strip()]
    bad = [d for d in days if not DAY.fullmatch(d)]
    if bad:
        reader.problems.append(f"{label} has days “{shown(','.join(bad), 20)}” that are not MO to SU")
    byday = reader.text({"byday": ",".join(days)}, "byday", f"days of {label}", _limit(Schedule, "byday"))
    bymonthday = reader.text(data, "bymonthday", f"days of the month of {label}", _limit(Schedule, "bymonthday"))
    opens = _clock(data.get("opens_at"), f"{label} opens at", reader)
    closes = _clock(data.get("closes_at"), f"{label} closes at", reader)
    return ScheduleRecord(
        freq=freq,
        interval=interval,
        byday=byday,
        bymonthday=bymonthday,
        opens_at=opens,
        closes_at=closes,
        valid_from=_day(data.get("valid_from"), f"{label} starts on", reader),
        valid_to=_day(data.get("valid_to"), f"{label} ends on", reader),
        description=reader.text(data, "description", f"description of {label}", _limit(Schedule, "description")),
        uuid=valid_uuid(data.get("id")),
    )


def _phone(data: dict[str, Any], reader: _Reader, label: str) -> str:
    for phone in reader.items(data, "phones", f"phones of {label}"):
        number = reader.text(phone, "number", f"phone number of {label}", 40)
        if number:
            return check_phone(number, f"phone number of {label}", reader.problems)
    return ""


def _contact(data: dict[str, Any], number: int, reader: _Reader) -> ContactRecord:
    label = f"contact {number}"
    email = reader.text(data, "email", f"email of {label}", 254)
    return ContactRecord(
        name=reader.text(data, "name", f"name of {label}", _limit(Contact, "name")),
        title=reader.text(data, "title", f"job title of {label}", _limit(Contact, "title")),
        email=check_email(email, f"email of {label}", reader.problems),
        phone=_phone(data, reader, label),
        uuid=valid_uuid(data.get("id")),
    )


def _location(data: dict[str, Any], number: int, reader: _Reader) -> LocationRecord:
    label = f"location {number}"
    kind = str(data.get("location_type") or "physical").lower()
    if kind not in Location.Type.values:
        kind = Location.Type.PHYSICAL
    record = LocationRecord(
        line=reader.line,
        uuid=valid_uuid(data.get("id")),
        location_type=kind,
        name=reader.text(data, "name", f"name of {label}", _limit(Location, "name")),
        description=reader.text(data, "description", f"description of {label}", _limit(Location, "description")),
        transportation=reader.text(data, "transportation", f"transport to {label}", _limit(Location, "transportation")),
    )
    addresses = reader.items(data, "addresses", f"addresses of {label}")
    addresses.sort(key=lambda a: a.get("address_type") != "physical")
    if addresses:
        address = addresses[0]
        record.address_1 = reader.text(address, "address_1", f"address of {label}", _limit(Location, "address_1"))
        record.address_2 = reader.text(address, "address_2", f"address of {label}", _limit(Location, "address_2"))
        record.city = reader.text(address, "city", f"town of {label}", _limit(Location, "city"))
        postcode = reader.text(address, "postal_code", f"postcode of {label}", 20)
        record.postcode = check_postcode(postcode, f"postcode of {label}", reader.problems)
    latitude, longitude = data.get("latitude"), data.get("longitude")
    if latitude not in (None, "") or longitude not in (None, ""):
        try:
            lat, lon = float(latitude), float(longitude)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            lat = lon = float("nan")
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            record.latitude, record.longitude = lat, lon
        else:
            reader.parsed.note(
                reader.line,
                f"The latitude and longitude of {label} ({shown(str(latitude), 12)}, {shown(str(longitude), 12)}) "
                "are not a place on Earth, so the location was kept without a point on the map.",
            )
    notes = []
    for item in reader.items(data, "accessibility", f"accessibility of {label}"):
        for key in ("description", "details"):
            value = item.get(key)
            if isinstance(value, str) and value.strip() and value.strip() not in notes:
                notes.append(value.strip())
    record.accessibility = json_text(
        " ".join(notes), f"accessibility of {label}", limit=_limit(Location, "accessibility"), problems=reader.problems
    )
    if str(data.get("external_identifier_type") or "").upper() == "UPRN":
        uprn = str(data.get("external_identifier") or "").strip()
        record.uprn = uprn if uprn.isdigit() and len(uprn) <= 12 else ""
    return record


def _term(data: Any) -> TermRef | None:
    if not isinstance(data, dict):
        return None
    name = data.get("name") or data.get("term")
    if not isinstance(name, str) or not name.strip():
        return None
    name = name.strip()[: _limit(TaxonomyTerm, "name")]
    term_uuid = valid_uuid(data.get("id"))
    code = data.get("code")
    code = code.strip() if isinstance(code, str) else ""
    if not code or not CODE.fullmatch(code) or len(code) > _limit(TaxonomyTerm, "code"):
        code = term_uuid or slugify(name)[: _limit(TaxonomyTerm, "code")] or "term"
    description = data.get("description")
    description = description.strip() if isinstance(description, str) and description.strip() else name
    return TermRef(
        uuid=term_uuid,
        code=code,
        name=name,
        description=description[:2000],
        parent_uuid=valid_uuid(data.get("parent_id")),
    )


def _terms(data: dict[str, Any], reader: _Reader) -> list[TermRef]:
    found: list[TermRef] = []
    for attribute in reader.items(data, "attributes", "attributes"):
        term = _term(attribute.get("taxonomy_term"))
        if term is not None:
            found.append(term)
    for raw in reader.items(data, "taxonomy_terms", "taxonomy terms"):
        term = _term(raw)
        if term is not None:
            found.append(term)
    unique: dict[str, TermRef] = {}
    for term in found:
        key = term.uuid or term.code
        unique.setdefault(key, term)
        reader.parsed.feed_terms.setdefault(key, term)
    return list(unique.values())


def _identifiers(data: dict[str, Any], record: OrgRecord, reader: _Reader) -> None:
    for item in reader.items(data, "organization_identifiers", "organisation identifiers"):
        scheme = str(item.get("identifier_scheme") or "").strip().upper()
        identifier = str(item.get("identifier") or "").strip().upper().replace(" ", "")
        if not scheme or not identifier or len(identifier) > 20:
            continue
        if scheme in CHARITY_SCHEMES and not record.charity_number:
            record.charity_number = identifier
            record.org_id = f"{scheme}-{identifier}"
            record.kind = Organisation.Kind.REGISTERED_CHARITY
        elif scheme == "GB-COH" and not record.company_number:
            record.company_number = identifier
            if not record.org_id:
                record.org_id = f"GB-COH-{identifier}"
                record.kind = Organisation.Kind.COMPANY
        elif _SCHEME.fullmatch(scheme) and not record.org_id:
            record.org_id = f"{scheme}-{identifier}"[:60]
            if scheme in PUBLIC_SCHEMES:
                record.kind = Organisation.Kind.PUBLIC_BODY


class _Feed:
    def __init__(self, text: str, parsed: Parsed, progress: Progress | None) -> None:
        self.text = text
        self.parsed = parsed
        self.progress = progress
        self.organisations: dict[str, OrgRecord | list[str]] = {}
        self.locations: dict[str, tuple[int, dict[str, Any]]] = {}
        self.service_lines: dict[str, int] = {}

    def organisation(self, data: dict[str, Any], line: int) -> OrgRecord | list[str]:
        """The organisation (created once per id or name), or the reasons it cannot be used."""
        key = valid_uuid(data.get("id")) or name_key(str(data.get("name") or ""))
        if key and key in self.organisations:
            return self.organisations[key]
        reader = _Reader(self.parsed, line)
        dropped: list[str] = []
        name = reader.text(data, "name", "organisation's name", _limit(Organisation, "name"), required=True)
        record = OrgRecord(
            line=line,
            name=name,
            kind=Organisation.Kind.INFORMAL_GROUP,
            uuid=valid_uuid(data.get("id")),
            description=reader.text(
                data, "description", "organisation's description", _limit(Organisation, "description")
            ),
            email=check_email(reader.text(data, "email", "organisation's email", 254), "email", reader.problems),
            website=check_website(reader.text(data, "website", "organisation's website", 200), "website", dropped),
            phone=_phone(data, reader, "the organisation"),
        )
        _identifiers(data, record, reader)
        if dropped:
            # A wrong web address is no reason to leave out an organisation and all its services.
            self.parsed.note(line, f"The organisation {shown(name)} was imported without its website: {dropped[0]}.")
        result: OrgRecord | list[str] = reader.problems or record
        if key:
            self.organisations[key] = result
        if isinstance(result, OrgRecord):
            self.parsed.organisations.append(result)
        return result

    def service(self, data: dict[str, Any], line: int, owner: OrgRecord | list[str] | None) -> None:
        reader = _Reader(self.parsed, line)
        service_uuid = valid_uuid(data.get("id"))
        if service_uuid and service_uuid in self.service_lines:
            self.parsed.reject(
                line, f"this service (id {service_uuid}) is also on line {self.service_lines[service_uuid]}"
            )
            return
        if owner is None:
            nested = data.get("organization")
            if isinstance(nested, dict):
                owner = self.organisation(nested, line)
            elif valid_uuid(data.get("organization_id")) in self.organisations:
                owner = self.organisations[valid_uuid(data.get("organization_id"))]
            elif data.get("organization_id"):
                owner = [f"its organisation (id {shown(str(data['organization_id']), 40)}) is not in the file"]
            else:
                owner = ["it does not say which organisation runs it"]
        if isinstance(owner, list):
            reader.problems.extend(owner)
        status = str(data.get("status") or "active").lower()
        if status not in STATUSES:
            reader.problems.append(f"its status “{shown(status, 20)}” is not one of {', '.join(sorted(STATUSES))}")
        record = ServiceRecord(
            line=line,
            uuid=service_uuid,
            name=reader.text(data, "name", "name", _limit(Service, "name"), required=True),
            description=reader.text(data, "description", "description", _limit(Service, "description")),
            status=status,
            url=check_website(reader.text(data, "url", "web address", 200), "web address", reader.problems),
            email=check_email(reader.text(data, "email", "email", 254), "email", reader.problems),
            phone=_phone(data, reader, "the service"),
            eligibility_description=reader.text(
                data, "eligibility_description", "eligibility", _limit(Service, "eligibility_description")
            ),
            minimum_age=reader.age(data, "minimum_age", "minimum age"),
            maximum_age=reader.age(data, "maximum_age", "maximum age"),
            application_process=reader.text(
                data, "application_process", "how to apply", _limit(Service, "application_process")
            ),
            fees_description=reader.text(
                {"fees": data.get("fees_description") or data.get("fees")},
                "fees",
                "description of fees",
                _limit(Service, "fees_description"),
            ),
        )
        if record.minimum_age is not None and record.maximum_age is not None:
            if record.minimum_age > record.maximum_age:
                reader.problems.append("the minimum age is more than the maximum age")
        names = [str(x.get("name") or "").strip() for x in reader.items(data, "languages", "languages")]
        record.languages = json_text(
            ", ".join(n for n in names if n), "languages", limit=_limit(Service, "languages"), problems=reader.problems
        )
        costs = reader.items(data, "cost_options", "cost options")
        if costs:
            amounts = [float(c["amount"]) for c in costs if isinstance(c.get("amount"), (int, float))]
            record.is_free = not any(amount > 0 for amount in amounts)
        if "schedules" in data:
            record.schedules = [
                _schedule(item, n, reader) for n, item in enumerate(reader.items(data, "schedules", "schedules"), 1)
            ]
        if "contacts" in data:
            record.contacts = [
                _contact(item, n, reader) for n, item in enumerate(reader.items(data, "contacts", "contacts"), 1)
            ]
        for number, link in enumerate(reader.items(data, "service_at_locations", "service at locations"), 1):
            place = link.get("location")
            if not isinstance(place, dict):
                found = self.locations.get(valid_uuid(link.get("location_id")))
                place = found[1] if found else None
            if isinstance(place, dict):
                record.locations.append(_location(place, number, reader))
        record.terms = _terms(data, reader)
        if reader.problems:
            self.parsed.reject(line, reader.problems)
            return
        if service_uuid:
            self.service_lines[service_uuid] = line
        assert isinstance(owner, OrgRecord)
        owner.services.append(record)
        if not owner.postcode:
            owner.postcode = next((place.postcode for place in record.locations if place.postcode), "")


def _is_organisation(data: dict[str, Any]) -> bool:
    return "status" not in data and ("services" in data or "organization_identifiers" in data)


def parse_oruk(data: bytes, *, progress: Progress | None = None) -> Parsed:
    """Read an ORUK feed: organisations, their services, locations, schedules, contacts and categories."""
    text = decode(data, allow_windows_1252=False).text
    parsed = Parsed()
    shape, items = json_items(text, KEYS)
    if shape == "object" and not items:
        single = _load_object(text)
        if single is None:
            raise ImportRefused(
                "This is not an Open Referral UK feed, so nothing was imported. A feed is a page of services "
                '({"contents": [...]}, as /services returns), a list of services, or '
                '{"organizations": [...], "services": [...]}.'
            )
        items = [JsonItem("", 1, 0, len(text))]
    feed = _Feed(text, parsed, progress)
    records = [item for item in items if item.key != "locations"]
    if progress:
        progress.start(len(records))
    for item in items:
        if item.key == "locations":
            place = item.load(text)
            if isinstance(place, dict) and valid_uuid(place.get("id")):
                feed.locations[valid_uuid(place.get("id"))] = (item.line, place)
    # Organisations first, so services anywhere in the file can name them by id.
    ordered = sorted(records, key=lambda item: item.key != "organizations")
    for item in ordered:
        parsed.rows += 1
        value = item.load(text)
        if not isinstance(value, dict):
            parsed.reject(item.line, "this is not a service or an organisation (a JSON object)")
        elif item.key == "organizations" or (item.key != "services" and _is_organisation(value)):
            owner = feed.organisation(value, item.line)
            if isinstance(owner, list):
                parsed.reject(item.line, owner)
            else:
                for nested in _nested_services(value, feed, item.line, owner):
                    feed.service(nested, item.line, owner)
        else:
            feed.service(value, item.line, None)
        if progress:
            progress.advance(parsed.rows)
    parsed.problems.sort(key=lambda p: (p.line or 0, p.note))
    return parsed


def _nested_services(data: dict[str, Any], feed: _Feed, line: int, owner: OrgRecord) -> list[dict[str, Any]]:
    services = data.get("services")
    if services is None:
        return []
    if not isinstance(services, list) or not all(isinstance(s, dict) for s in services):
        feed.parsed.reject(line, f"the services of {owner.name} should be a list of objects")
        return []
    return services


def _load_object(text: str) -> dict[str, Any] | None:
    """A file holding one service, as /services/{id} returns."""
    import json

    value = json.loads(text)
    if isinstance(value, dict) and "name" in value and ("status" in value or "organization" in value):
        return value
    return None
