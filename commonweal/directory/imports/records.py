"""What a parsed import file holds: plain records with no database behind them yet.

Parsers (charity_commission, oruk, groups, vocabulary_csv) turn a file into these; `writing` matches them
to what the directory already has and saves them. Every record remembers the line of the file it came
from, so anything wrong with it can be reported there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time


@dataclass(frozen=True, slots=True)
class Problem:
    """A row that was not used (a rejection), or something about the file worth checking (a note)."""

    line: int | None
    reason: str
    note: bool = False

    def as_json(self) -> dict[str, object]:
        data: dict[str, object] = {"line": self.line, "reason": self.reason}
        if self.note:
            data["note"] = True
        return data


@dataclass(slots=True)
class LocationRecord:
    line: int
    uuid: str = ""
    name: str = ""
    description: str = ""
    location_type: str = "physical"
    address_1: str = ""
    address_2: str = ""
    city: str = ""
    postcode: str = ""
    latitude: float | None = None
    longitude: float | None = None
    accessibility: str = ""
    transportation: str = ""
    uprn: str = ""


@dataclass(frozen=True, slots=True)
class ScheduleRecord:
    freq: str = "WEEKLY"
    interval: int = 1
    byday: str = ""
    bymonthday: str = ""
    opens_at: time | None = None
    closes_at: time | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    description: str = ""
    uuid: str = ""


@dataclass(frozen=True, slots=True)
class ContactRecord:
    name: str = ""
    title: str = ""
    email: str = ""
    phone: str = ""
    uuid: str = ""


@dataclass(frozen=True, slots=True)
class TermRef:
    """A category a row names: by label (a name or code of a term we have) or, from a feed, in full."""

    label: str = ""
    uuid: str = ""
    code: str = ""
    name: str = ""
    description: str = ""
    parent_uuid: str = ""


@dataclass(slots=True)
class ServiceRecord:
    line: int
    name: str
    uuid: str = ""
    description: str = ""
    status: str = "active"
    url: str = ""
    email: str = ""
    phone: str = ""
    eligibility_description: str = ""
    minimum_age: int | None = None
    maximum_age: int | None = None
    application_process: str = ""
    fees_description: str = ""
    is_free: bool | None = None
    languages: str = ""
    locations: list[LocationRecord] = field(default_factory=list)
    # None: the file says nothing about schedules, so leave those we have alone.
    schedules: list[ScheduleRecord] | None = None
    contacts: list[ContactRecord] | None = None
    terms: list[TermRef] = field(default_factory=list)


@dataclass(slots=True)
class OrgRecord:
    line: int
    name: str
    kind: str
    # The file is the authority on the kind (the Charity Commission on CIOs), so a re-import may change it.
    kind_is_authoritative: bool = False
    uuid: str = ""
    org_id: str = ""
    charity_number: str = ""
    company_number: str = ""
    description: str = ""
    email: str = ""
    website: str = ""
    phone: str = ""
    postcode: str = ""
    size_band: str = ""
    wards: list[str] = field(default_factory=list)
    services: list[ServiceRecord] = field(default_factory=list)


@dataclass(slots=True)
class VocabularyTermRecord:
    line: int
    code: str
    name: str
    description: str
    parent_code: str = ""


@dataclass
class Parsed:
    """A whole file, read and checked row by row without touching the database."""

    organisations: list[OrgRecord] = field(default_factory=list)
    terms: list[VocabularyTermRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0
    # Rows left out on purpose (not errors): 'removed charities' -> 12.
    skipped: dict[str, int] = field(default_factory=dict)
    # The ORUK feed's own categories, by their id, to be created in the feed's vocabulary.
    feed_terms: dict[str, TermRef] = field(default_factory=dict)

    def reject(self, line: int | None, reasons: list[str] | str) -> None:
        self.problems.append(Problem(line, sentence(reasons)))

    def note(self, line: int | None, reason: str) -> None:
        self.problems.append(Problem(line, reason, note=True))

    def skip(self, why: str) -> None:
        self.skipped[why] = self.skipped.get(why, 0) + 1

    @property
    def rejections(self) -> list[Problem]:
        return [p for p in self.problems if not p.note]


def sentence(reasons: list[str] | str) -> str:
    """'the postcode is blank', 'the name is blank' -> 'The postcode is blank; the name is blank.'"""
    text = "; ".join(reasons) if isinstance(reasons, list) else reasons
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."
