"""Quality checks on 360Giving grant records, after the list 360Giving's own data quality tool runs
(lib360dataquality; see ../shared/background/funding.md §3.6). Pure: no Django; a record is a dict as
giving360.grant_record makes it, or as anyone's 360Giving JSON holds it.

Schema validity is a separate matter (giving360.validate_package): these checks find data that is valid but
probably wrong, and say so in a plain-English sentence naming the grant.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

TITLE_LIMIT = 140
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
# A UK postcode, with or without its space (the check is on geoCode, which should be an ONS code).
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}$", re.IGNORECASE)
CHARITY_NUMBER = re.compile(r"^(\d{6,8}|SC\d{6}|NIC\d{6})$")
COMPANY_NUMBER = re.compile(r"^(\d{8}|[A-Z]{2}\d{6})$")
TEXT_FIELDS = ("title", "description")
EARLIEST_YEAR = 1990
FUTURE_YEARS = 10


@dataclass(frozen=True)
class QualityWarning:
    """One problem with one grant: which check found it and what to tell the publisher."""

    check: str
    grant_id: str
    message: str


def _orgs(record: dict[str, Any], key: str) -> list[dict[str, Any]]:
    found = record.get(key) or []
    return [org for org in found if isinstance(org, dict)]


def _date(text: Any) -> date | None:
    if not isinstance(text, str) or len(text) < 10:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def zero_amount(record: dict[str, Any], today: date) -> list[str]:
    amount = record.get("amountAwarded")
    if isinstance(amount, int | float) and amount <= 0:
        return ["Its amount awarded is £0. Publish only grants of money actually awarded."]
    return []


def title_is_description(record: dict[str, Any], today: date) -> list[str]:
    title, description = record.get("title"), record.get("description")
    if title and description and str(title).strip().lower() == str(description).strip().lower():
        return ["Its description is the same as its title. Say what the grant is for in the description."]
    return []


def long_title(record: dict[str, Any], today: date) -> list[str]:
    title = record.get("title") or ""
    if len(str(title)) > TITLE_LIMIT:
        return [f"Its title is {len(str(title))} characters long; 360Giving asks for titles under {TITLE_LIMIT}."]
    return []


def own_id_despite_register(record: dict[str, Any], today: date) -> list[str]:
    problems = []
    for org in _orgs(record, "recipientOrganization") + _orgs(record, "fundingOrganization"):
        if str(org.get("id", "")).startswith("360G-") and (org.get("charityNumber") or org.get("companyNumber")):
            problems.append(
                f"{org.get('name') or 'An organisation'} has a 360G- identifier although it has a charity or "
                "company number: use the registered identifier (GB-CHC-… or GB-COH-…)."
            )
    return problems


def bad_registered_numbers(record: dict[str, Any], today: date) -> list[str]:
    problems = []
    for org in _orgs(record, "recipientOrganization"):
        name = org.get("name") or "The recipient"
        charity = str(org.get("charityNumber") or "")
        company = str(org.get("companyNumber") or "")
        if charity and not CHARITY_NUMBER.match(charity):
            problems.append(f"{name}'s charity number '{charity}' is not in a format any UK charity register uses.")
        if company and not COMPANY_NUMBER.match(company):
            problems.append(
                f"{name}'s company number '{company}' is not eight characters as Companies House writes it."
            )
    return problems


def award_in_future(record: dict[str, Any], today: date) -> list[str]:
    awarded = _date(record.get("awardDate"))
    if awarded and awarded > today:
        return [f"Its award date, {awarded.isoformat()}, is in the future."]
    return []


def start_after_end(record: dict[str, Any], today: date) -> list[str]:
    problems = []
    for planned in record.get("plannedDates") or []:
        start, end = _date(planned.get("startDate")), _date(planned.get("endDate"))
        if start and end and start > end:
            problems.append(f"Its planned start, {start.isoformat()}, is after its planned end, {end.isoformat()}.")
    return problems


def unlikely_dates(record: dict[str, Any], today: date) -> list[str]:
    """Dates long before 360Giving existed or more than ten years ahead: usually a typing slip."""
    found = [("award date", _date(record.get("awardDate")))]
    for planned in record.get("plannedDates") or []:
        found += [("planned start", _date(planned.get("startDate"))), ("planned end", _date(planned.get("endDate")))]
    earliest, latest = date(EARLIEST_YEAR, 1, 1), date(today.year + FUTURE_YEARS, today.month, 1)
    return [
        f"Its {label}, {when.isoformat()}, is {'far in the past' if when < earliest else 'far in the future'}."
        for label, when in found
        if when is not None and (when < earliest or when > latest)
    ]


def postcode_as_geocode(record: dict[str, Any], today: date) -> list[str]:
    problems = []
    for place in record.get("beneficiaryLocation") or []:
        code = str(place.get("geoCode") or "")
        if POSTCODE.match(code.strip()):
            problems.append(
                f"The beneficiary location {place.get('name') or code} has a postcode ({code}) as its geoCode; "
                "use an ONS code such as a ward's E05 code."
            )
    return problems


def emails_in_text(record: dict[str, Any], today: date) -> list[str]:
    found = [name for name in TEXT_FIELDS if EMAIL.search(str(record.get(name) or ""))]
    if found:
        return [
            f"Its {' and '.join(found)} contains an email address; take personal contact details out before publishing."
        ]
    return []


def missing_location(record: dict[str, Any], today: date) -> list[str]:
    if not record.get("beneficiaryLocation"):
        return ["It has no beneficiary location: name the wards the grant benefits."]
    return []


def missing_programme(record: dict[str, Any], today: date) -> list[str]:
    if not record.get("grantProgramme"):
        return ["It has no grant programme: name the fund and round it came from."]
    return []


CHECKS: dict[str, Callable[[dict[str, Any], date], list[str]]] = {
    "zero_amount": zero_amount,
    "title_is_description": title_is_description,
    "long_title": long_title,
    "own_id_despite_register": own_id_despite_register,
    "bad_registered_numbers": bad_registered_numbers,
    "award_in_future": award_in_future,
    "start_after_end": start_after_end,
    "unlikely_dates": unlikely_dates,
    "postcode_as_geocode": postcode_as_geocode,
    "emails_in_text": emails_in_text,
    "missing_location": missing_location,
    "missing_programme": missing_programme,
}

# What the summary on the open data page calls each check.
CHECK_TITLES: dict[str, str] = {
    "zero_amount": "Grants of £0",
    "title_is_description": "Description the same as the title",
    "long_title": "Title over 140 characters",
    "own_id_despite_register": "Our own identifier used although a charity or company number is known",
    "bad_registered_numbers": "Charity or company number in the wrong format",
    "award_in_future": "Award date in the future",
    "start_after_end": "Planned start after the planned end",
    "unlikely_dates": "Dates far in the past or the future",
    "postcode_as_geocode": "A postcode given as a location code",
    "emails_in_text": "Email addresses in the title or description",
    "missing_location": "No beneficiary location",
    "missing_programme": "No grant programme",
    "duplicate_id": "The same id on more than one grant",
}


def check_grant(record: dict[str, Any], *, today: date) -> list[QualityWarning]:
    """Every warning for one grant record; each message starts with the grant's id."""
    grant_id = str(record.get("id") or "A grant with no id")
    warnings = []
    for name, check in CHECKS.items():
        for message in check(record, today):
            warnings.append(QualityWarning(name, grant_id, f"{grant_id}: {message}"))
    return warnings


def check_grants(records: Iterable[dict[str, Any]], *, today: date) -> list[QualityWarning]:
    """Every warning for every grant, in the order of the grants, then any id that more than one grant has."""
    found: list[QualityWarning] = []
    ids: Counter[str] = Counter()
    for record in records:
        found += check_grant(record, today=today)
        ids[str(record.get("id") or "")] += 1
    for grant_id, count in ids.items():
        if grant_id and count > 1:
            found.append(
                QualityWarning(
                    "duplicate_id",
                    grant_id,
                    f"{grant_id}: {count} grants have this id; each grant needs its own (check references that "
                    "differ only in slashes, spaces or other special characters).",
                )
            )
    return found


def summary(warnings: Iterable[QualityWarning]) -> list[tuple[str, int]]:
    """(what the check looks for, how many warnings) for each check that found something, most first."""
    counts = Counter(w.check for w in warnings)
    return [(CHECK_TITLES[name], count) for name, count in counts.most_common()]
