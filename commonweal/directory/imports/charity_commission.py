"""The Charity Commission's register extract (England and Wales): its `charity` table as JSON or as text.

The Commission publishes each table daily as a JSON array of rows and as tab-delimited text with the same
column names (CSV saved from either works too). Only main charities (linked_charity_number 0) that are
still registered become organisations; each gets the org-id GB-CHC-<registered number>.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from commonweal.accounts.models import Organisation, SizeBand

from .reading import (
    Cells,
    ImportRefused,
    Progress,
    check_email,
    check_phone,
    check_postcode,
    check_website,
    decode,
    json_items,
    json_text,
    read_table,
    require_columns,
    shown,
)
from .records import OrgRecord, Parsed

REQUIRED = ("registered_charity_number", "charity_name")
KNOWN = (
    "registered_charity_number",
    "linked_charity_number",
    "charity_name",
    "charity_registration_status",
    "charity_contact_postcode",
    "charity_contact_phone",
    "charity_contact_email",
    "charity_contact_web",
    "charity_company_registration_number",
    "latest_income",
    "charity_is_cio",
    "charity_activities",
)
WHAT = "a Charity Commission register extract"
_NUMBER = re.compile(r"[0-9]{1,8}")
_COMPANY = re.compile(r"[A-Z0-9]{1,10}")
_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0", ""}
NAME_MAX = Organisation._meta.get_field("name").max_length or 200
DESCRIPTION_MAX = Organisation._meta.get_field("description").max_length or 2000

# NCVO's bands, by yearly income in pounds: under 10,000 micro, under 100,000 small, and so on.
SIZE_BANDS = (
    (Decimal(10_000), SizeBand.MICRO),
    (Decimal(100_000), SizeBand.SMALL),
    (Decimal(1_000_000), SizeBand.MEDIUM),
    (Decimal(10_000_000), SizeBand.LARGE),
)


def size_band(income: Decimal) -> str:
    for limit, band in SIZE_BANDS:
        if income < limit:
            return str(band)
    return str(SizeBand.MAJOR)


class _Row(Protocol):
    """A row of either form, read through one interface: checked text by column name."""

    line: int
    problems: list[str]

    def text(self, column: str, label: str, *, limit: int, required: bool = False, phone: bool = False) -> str: ...


class _JsonRow:
    def __init__(self, line: int, value: dict[str, Any]) -> None:
        self.line = line
        self.value = value
        self.problems: list[str] = []

    def text(self, column: str, label: str, *, limit: int, required: bool = False, phone: bool = False) -> str:
        return json_text(self.value.get(column), label, limit=limit, required=required, problems=self.problems)


def _record(row: _Row, parsed: Parsed) -> OrgRecord | None:
    """One row as an organisation, or None when it is left out (its reasons are in row.problems)."""
    problems = row.problems
    linked = row.text("linked_charity_number", "linked charity number", limit=10)
    if linked not in ("", "0"):
        parsed.skip("linked charities (only main charities are imported)")
        return None
    status = row.text("charity_registration_status", "registration status", limit=40)
    if status.casefold() == "removed":
        parsed.skip("charities removed from the register")
        return None
    number = row.text("registered_charity_number", "registered charity number", limit=20, required=True)
    if number and not _NUMBER.fullmatch(number):
        problems.append(f"the registered charity number “{shown(number, 20)}” is not a number of up to 8 digits")
    name = row.text("charity_name", "charity name", limit=NAME_MAX, required=True)
    postcode = check_postcode(row.text("charity_contact_postcode", "postcode", limit=20), "postcode", problems)
    phone = check_phone(row.text("charity_contact_phone", "phone number", limit=40, phone=True), "phone", problems)
    email = check_email(row.text("charity_contact_email", "email", limit=254), "email", problems)
    website = check_website(row.text("charity_contact_web", "website", limit=200), "website", problems)
    company = row.text("charity_company_registration_number", "company number", limit=20).upper()
    if company and not _COMPANY.fullmatch(company):
        problems.append(f"the company number “{shown(company, 20)}” is not a company number")
        company = ""
    band = ""
    income = row.text("latest_income", "latest income", limit=30).replace(",", "").replace("£", "")
    if income:
        try:
            amount = Decimal(income)
            if not amount.is_finite() or amount < 0:
                raise InvalidOperation
            band = size_band(amount)
        except InvalidOperation:
            problems.append(f"the latest income “{shown(income, 20)}” is not an amount of money")
    cio = row.text("charity_is_cio", "CIO flag", limit=10).casefold()
    if cio not in _TRUE | _FALSE:
        problems.append(f"charity_is_cio should be True or False, not “{shown(cio, 10)}”")
    activities = row.text("charity_activities", "description of activities", limit=DESCRIPTION_MAX)
    if problems:
        return None
    company = company.zfill(8) if company.isdigit() else company
    return OrgRecord(
        line=row.line,
        name=name,
        kind=Organisation.Kind.CIO if cio in _TRUE else Organisation.Kind.REGISTERED_CHARITY,
        kind_is_authoritative=True,
        org_id=f"GB-CHC-{number}",
        charity_number=number,
        company_number=company,
        description=activities,
        email=email,
        website=website,
        phone=phone,
        postcode=postcode,
        size_band=band,
    )


def _add(parsed: Parsed, row: _Row) -> None:
    parsed.rows += 1
    record = _record(row, parsed)
    if row.problems:
        parsed.reject(row.line, row.problems)
    elif record is not None:
        parsed.organisations.append(record)


def parse_charity_commission(data: bytes, *, progress: Progress | None = None) -> Parsed:
    """Read the register's `charity` table, as JSON or as tab-delimited or comma-separated text."""
    text = decode(data, allow_windows_1252=True)
    parsed = Parsed(problems=list(text.notes))
    if text.text.lstrip()[:1] in ("[", "{"):
        _parse_json(text.text, parsed, progress)
    else:
        _parse_table(text.text, parsed, progress)
    return parsed


def _parse_table(text: str, parsed: Parsed, progress: Progress | None) -> None:
    table = read_table(text)
    require_columns(table, REQUIRED, what=WHAT, expected=KNOWN)
    if progress:
        progress.start(table.estimated_rows)
    for line, values in table.rows:
        _add(parsed, Cells(line, values, table))
        if progress:
            progress.advance(parsed.rows)


def _parse_json(text: str, parsed: Parsed, progress: Progress | None) -> None:
    shape, items = json_items(text, frozenset({"charity", "charities", "data"}))
    if shape == "object" and not items:
        raise ImportRefused(f"This is not {WHAT}: the register's JSON is a list of charities, so nothing was imported.")
    if progress:
        progress.start(len(items))
    first = True
    for item in items:
        value = item.load(text)
        if not isinstance(value, dict):
            parsed.rows += 1
            parsed.reject(item.line, "this is not a charity's row (a JSON object)")
            continue
        if first:
            missing = [name for name in REQUIRED if name not in value]
            if missing:
                raise ImportRefused(
                    f"This is not {WHAT}: its first row has no {' or '.join(missing)}, so nothing was imported. "
                    f"The register's rows have {', '.join(KNOWN)}."
                )
            first = False
        _add(parsed, _JsonRow(item.line, value))
        if progress:
            progress.advance(parsed.rows)
