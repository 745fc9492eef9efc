"""Our CSV template for community groups that no register lists: one row a group, in plain columns.

Each row becomes an informal group; 'what they do', 'when they meet' or 'categories' give it a service,
and a postcode gives that service a place. The template is downloadable from the imports page.
"""

from __future__ import annotations

import re
import sys
from datetime import time
from functools import lru_cache

from commonweal.accounts.models import Organisation
from commonweal.directory.models import Location, Schedule, Service

from .reading import (
    Cells,
    ImportRefused,
    Progress,
    check_email,
    check_phone,
    check_postcode,
    check_website,
    decode,
    read_table,
    require_columns,
)
from .records import LocationRecord, OrgRecord, Parsed, ScheduleRecord, ServiceRecord, TermRef

# (column key, heading in the template, what goes in it)
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("name", "name", "The group's name. Required."),
    ("description", "description", "What the group is, in a sentence or two."),
    ("contact_email", "contact_email", "An email address people can write to."),
    ("phone", "phone", "A phone number people can call."),
    ("postcode", "postcode", "Where the group meets."),
    ("website", "website", "A web page or social media page."),
    ("wards", "wards", "Wards the group serves, by name, separated by semicolons."),
    ("categories", "categories", "Service categories from the vocabulary, by name, separated by semicolons."),
    ("what_they_do", "what_they_do", "What people can come for."),
    ("when_they_meet", "when_they_meet", "For example: Tuesdays 10:00 to 12:00."),
)
HEADER = tuple(heading for _, heading, _ in COLUMNS)
KNOWN = frozenset(key for key, _, _ in COLUMNS)
EXAMPLE_ROWS = (
    (
        "Abbey Road Litter Pickers",
        "Neighbours who pick litter and plant bulbs along Abbey Road.",
        "hello@example.org",
        "020 7946 0000",
        "SW19 2HL",
        "www.example.org",
        "Abbey",
        "Volunteering",
        "Monthly litter picks; we lend gloves and pickers.",
        "Saturdays 10:00 to 12:00",
    ),
)
WHAT = "our community groups template"
NAME_MAX = Organisation._meta.get_field("name").max_length or 200
DESCRIPTION_MAX = Organisation._meta.get_field("description").max_length or 2000
SERVICE_DESCRIPTION_MAX = Service._meta.get_field("description").max_length or 5000
SCHEDULE_MAX = Schedule._meta.get_field("description").max_length or 500
LOCATION_NAME_MAX = Location._meta.get_field("name").max_length or 200
_LIST = re.compile(r"\s*[;|\n]\s*")

_DAYS = (
    ("MO", r"mon(?:day)?s?"),
    ("TU", r"tue(?:s(?:day)?)?s?"),
    ("WE", r"wed(?:nesday)?s?"),
    ("TH", r"thu(?:rs(?:day)?)?s?"),
    ("FR", r"fri(?:day)?s?"),
    ("SA", r"sat(?:urday)?s?"),
    ("SU", r"sun(?:day)?s?"),
)
_DAY_PATTERNS = tuple((code, re.compile(rf"\b{pattern}\b", re.IGNORECASE)) for code, pattern in _DAYS)
_EVERY_DAY = re.compile(r"\b(every ?day|daily)\b", re.IGNORECASE)
_WEEKDAYS = re.compile(r"\bweekdays\b", re.IGNORECASE)
_TIME = re.compile(r"\b([01]?[0-9]|2[0-3])(?:[:.]([0-5][0-9]))?\s*(am|pm)?\b", re.IGNORECASE)


def _clock(hour: str, minute: str | None, half: str | None) -> time | None:
    h = int(hour)
    if half:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if half.lower() == "pm" else 0)
    elif minute is None:
        return None  # a bare number ('2nd', '3 groups') is not a time
    return time(h, int(minute or 0))


@lru_cache(maxsize=4096)
def schedule_from_words(text: str) -> ScheduleRecord:
    """'Tuesdays and Thursdays, 10am to 12pm' -> weekly on TU,TH from 10:00 to 12:00.

    What cannot be read as days and times is kept as the schedule's description, so nothing is lost."""
    if _EVERY_DAY.search(text):
        days = [code for code, _ in _DAYS]
    else:
        days = [code for code, pattern in _DAY_PATTERNS if pattern.search(text)]
        if _WEEKDAYS.search(text):
            days = sorted({*days, "MO", "TU", "WE", "TH", "FR"}, key=[c for c, _ in _DAYS].index)
    times = [t for t in (_clock(*m.groups()) for m in _TIME.finditer(text)) if t is not None]
    opens = closes = None
    if len(times) >= 2 and times[0] < times[1]:
        opens, closes = times[0], times[1]
    return ScheduleRecord(byday=",".join(days), opens_at=opens, closes_at=closes, description=text)


@lru_cache(maxsize=4096)
def _term(label: str) -> TermRef:
    return TermRef(label=label)


def split_list(value: str) -> list[str]:
    """'Abbey; Trinity' -> ['Abbey', 'Trinity']; a cell with no semicolon may use commas."""
    parts = _LIST.split(value) if _LIST.search(value) else value.split(",")
    return [part.strip() for part in parts if part.strip()]


def _record(cells: Cells) -> OrgRecord | None:
    problems = cells.problems
    name = cells.text("name", "name", limit=NAME_MAX, required=True)
    description = cells.text("description", "description", limit=DESCRIPTION_MAX)
    email = check_email(cells.text("contact_email", "contact email", limit=254), "contact email", problems)
    phone = check_phone(cells.text("phone", "phone number", limit=40, phone=True), "phone number", problems)
    postcode = check_postcode(cells.text("postcode", "postcode", limit=20), "postcode", problems)
    website = check_website(cells.text("website", "website", limit=200), "website", problems)
    # Wards and categories repeat from row to row: one copy of each is enough for a file of 100,000 rows.
    wards = [sys.intern(ward) for ward in split_list(cells.text("wards", "wards", limit=2000))]
    categories = split_list(cells.text("categories", "categories", limit=2000))
    what = cells.text("what_they_do", "what they do", limit=SERVICE_DESCRIPTION_MAX)
    when = cells.text("when_they_meet", "when they meet", limit=SCHEDULE_MAX)
    if problems:
        return None
    record = OrgRecord(
        line=cells.line,
        name=name,
        kind=Organisation.Kind.INFORMAL_GROUP,
        description=description,
        email=email,
        website=website,
        phone=phone,
        postcode=postcode,
        wards=wards,
    )
    if what or when or categories:
        service = ServiceRecord(
            line=cells.line,
            name=name,
            description=what or description,
            email=email,
            phone=phone,
            url=website,
            terms=[_term(label) for label in categories],
            schedules=[schedule_from_words(when)] if when else None,
        )
        if postcode:
            service.locations.append(LocationRecord(line=cells.line, name=name[:LOCATION_NAME_MAX], postcode=postcode))
        record.services.append(service)
    return record


def parse_groups(data: bytes, *, progress: Progress | None = None) -> Parsed:
    """Read a community groups CSV made from our template."""
    text = decode(data, allow_windows_1252=True)
    parsed = Parsed(problems=list(text.notes))
    table = read_table(text.text)
    require_columns(table, ("name",), what=WHAT, expected=HEADER)
    unknown = [name for name in table.header if name and name not in KNOWN]
    if unknown:
        raise ImportRefused(
            f"The file has column{'s' if len(unknown) > 1 else ''} that the template does not: "
            f"{', '.join(unknown)[:300]}, so nothing was imported. Use the template's column names: "
            f"{', '.join(HEADER)}."
        )
    if progress:
        progress.start(table.estimated_rows)
    for line, values in table.rows:
        parsed.rows += 1
        cells = Cells(line, values, table)
        record = _record(cells)
        if record is None:
            parsed.reject(line, cells.problems)
        else:
            parsed.organisations.append(record)
        if progress:
            progress.advance(parsed.rows)
    return parsed
