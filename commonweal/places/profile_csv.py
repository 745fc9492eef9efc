"""Reading a borough profile file: Census 2021 ward tables as a council downloads them (pure: no Django).

Two layouts are read:
- the ONS custom dataset CSV (Nomis and 'Create a custom dataset' on ons.gov.uk): a geography code and label,
  then for each characteristic a `<characteristic> (N categories) Code` and a `<characteristic> (N categories)`
  column, then `Observation`; one row per ward and category (a table crossing two characteristics gives both);
- a simple one: `ward_code,characteristic,category,count`.

The ONS labels are put into the categories of commonweal.places.categories (detailed ethnic groups into the five
high-level groups, nine tenures into three, disability into two, 'Aged 16 to 24 years' into '16 to 24'). The
profile is of adults (16 and over, as the panel and the surveys are): the bands wholly under 16 and 'Does not
apply' are left out, and the report says so.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .categories import (
    AGE,
    CATEGORIES,
    CHARACTERISTICS,
    DISABILITIES,
    DISABILITY,
    ETHNIC_GROUPS,
    ETHNICITIES,
    ETHNICITY,
    SEX,
    SEXES,
    TENURE,
    TENURES,
    age_band_bounds,
    age_band_label,
)

ADULT_AGE = 16
SIMPLE_COLUMNS = ("ward_code", "characteristic", "category", "count")
_ONS_CHARACTERISTIC = re.compile(r"^(?P<name>.+?)\s*\((?P<n>\d+)\s+categor(?:y|ies)\)(?P<code>\s+code)?$", re.I)
_UNDER = re.compile(r"^(?:aged\s+)?(\d+)\s*(?:years?\s*)?(?:and|or)\s+(?:under|younger)$", re.I)
# Which characteristic an ONS column is about, from words in its name ('Tenure of household (9 categories)').
_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("ethnic", ETHNICITY),
    ("tenure", TENURE),
    ("disab", DISABILITY),
    ("sex", SEX),
    ("age", AGE),
)
# ONS tenure labels by their first words (TS054 and the custom datasets' 5, 7 and 9 categories).
_TENURE_STARTS: tuple[tuple[str, str], ...] = (
    ("owned", TENURES[0]),
    ("owns", TENURES[0]),
    ("shared ownership", TENURES[0]),
    ("social rented", TENURES[1]),
    ("rents from council", TENURES[1]),
    ("private rented", TENURES[2]),
    ("lives rent free", TENURES[2]),
    ("private landlord", TENURES[2]),
)
_NOT_APPLICABLE = ("does not apply", "not applicable")


class ProfileFileError(ValueError):
    """The file cannot be read as a profile at all (no such columns, not CSV); nothing is imported."""


@dataclass(frozen=True)
class ProfileRow:
    line: int
    ward_code: str
    characteristic: str
    category: str
    count: int


@dataclass
class ProfileFile:
    """What a file holds: its rows in our categories, problems by line, and what was left out on purpose."""

    layout: str  # 'ons' or 'simple'
    rows: list[ProfileRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    left_out: dict[str, int] = field(default_factory=dict)  # 'Aged 15 years and under (age)' -> rows
    warnings: list[str] = field(default_factory=list)


def characteristic_of(text: str) -> str | None:
    """'Ethnic group (20 categories)', 'Ethnic group' or 'ethnicity' -> 'ethnicity'; None if it is none of ours."""
    match = _ONS_CHARACTERISTIC.match(text.strip())
    name = (match["name"] if match else text).strip().lower()
    if name in CHARACTERISTICS:
        return name
    for label_key, label in CHARACTERISTICS.items():
        if name == label.lower():
            return label_key
    return next((key for word, key in _KEYWORDS if word in name), None)


def category_of(characteristic: str, label: str) -> str | None:
    """An ONS (or our own) label as one of our categories; '' for a label left out of the adult profile (under 16,
    'Does not apply'); None for a label we do not know."""
    text = " ".join(label.split())
    lower = text.lower()
    if lower.startswith(_NOT_APPLICABLE):
        return ""
    if characteristic == AGE:
        if (under := _UNDER.match(text)) and int(under[1]) < ADULT_AGE:
            return ""
        band = age_band_label(text)
        if band is not None and (age_band_bounds(band)[1] or ADULT_AGE) < ADULT_AGE:
            return ""
        return band
    ours = {category.lower(): category for category in CATEGORIES[characteristic]}
    if lower in ours:
        return ours[lower]
    if characteristic == ETHNICITY:
        return _ethnic_group(text)
    if characteristic == TENURE:
        return next((tenure for start, tenure in _TENURE_STARTS if lower.startswith(start)), None)
    if characteristic == DISABILITY:
        for disability in DISABILITIES:  # 'Disabled under the Equality Act: Day-to-day activities limited a lot'
            if lower.startswith(disability.lower()):
                return disability
        return None
    if characteristic == SEX:
        return {"females": SEXES[0], "males": SEXES[1]}.get(lower)
    return None


def _ethnic_group(text: str) -> str | None:
    """'Asian, Asian British or Asian Welsh: Indian' or 'Indian' -> the group; the older 'Black, African,
    Caribbean or Black British' and 'Asian/Asian British' wordings too."""
    lower = text.lower()
    for group in ETHNIC_GROUPS:
        if lower.startswith(group.lower()):
            return group
    if text in ETHNICITIES:
        return ETHNICITIES[text]
    detail = text.split(":", 1)[-1].strip()
    if detail in ETHNICITIES:
        return ETHNICITIES[detail]
    head = re.split(r"[,:/]", lower, maxsplit=1)[0].strip()
    firsts = {"asian": 0, "black": 1, "mixed": 2, "white": 3, "other ethnic group": 4}
    return ETHNIC_GROUPS[firsts[head]] if head in firsts else None


def _count(text: str) -> int | None:
    cleaned = text.strip().replace(",", "")
    return int(cleaned) if cleaned.isdigit() else None


def read_profile(lines: Iterable[str]) -> ProfileFile:
    """The rows of a profile file in either layout; a row that cannot be used is an error with its line number.

    Raises ProfileFileError when the header fits neither layout."""
    reader = csv.reader(lines)
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise ProfileFileError("The file is empty.") from None
    except csv.Error as error:
        raise ProfileFileError(f"Line 1 cannot be read as CSV ({error}).") from error
    lowered = [name.lower() for name in header]
    if all(column in lowered for column in SIMPLE_COLUMNS):
        return _read_rows(reader, _simple_layout(lowered), "simple")
    return _read_rows(reader, _ons_layout(header), "ons")


@dataclass(frozen=True)
class _Layout:
    ward: int
    count: int
    characteristics: tuple[tuple[int | None, str | None], ...]  # (label column, characteristic; None: in the row)
    characteristic_column: int | None = None


def _simple_layout(lowered: list[str]) -> _Layout:
    ward, characteristic, category, count = (lowered.index(column) for column in SIMPLE_COLUMNS)
    return _Layout(ward=ward, count=count, characteristics=((category, None),), characteristic_column=characteristic)


def _ons_layout(header: list[str]) -> _Layout:
    labels: list[tuple[int | None, str | None]] = []
    unknown: list[str] = []
    for index, name in enumerate(header):
        match = _ONS_CHARACTERISTIC.match(name)
        if match is None or match["code"]:
            continue
        characteristic = characteristic_of(name)
        if characteristic is None:
            unknown.append(name)
        else:
            labels.append((index, characteristic))
    observation = next((i for i, name in enumerate(header) if name.lower() in ("observation", "count", "value")), None)
    ward = next(
        (i for i, name in enumerate(header) if name.lower().endswith("code") and not _ONS_CHARACTERISTIC.match(name)),
        None,
    )
    if not labels or observation is None or ward is None:
        found = f" It has the columns: {', '.join(header[:8])}." if any(header) else ""
        extra = (
            f" '{unknown[0]}' is not a characteristic the profile holds (age, sex, ethnic group, tenure, disability)."
            if unknown and not labels
            else ""
        )
        raise ProfileFileError(
            "The file must be a Census 2021 ward table as the ONS custom dataset tool downloads it (a ward code "
            "column, a column such as 'Age (6 categories)', and 'Observation') or have the columns "
            f"{', '.join(SIMPLE_COLUMNS)}.{found}{extra}"
        )
    return _Layout(ward=ward, count=observation, characteristics=tuple(labels))


def _read_rows(reader: Iterable[list[str]], layout: _Layout, name: str) -> ProfileFile:
    read = ProfileFile(layout=name)
    seen: dict[tuple[str, ...], int] = {}
    line = 1
    try:
        for line, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            _read_row(read, layout, row, line, seen)
    except csv.Error as error:
        raise ProfileFileError(f"Line {line + 1} cannot be read as CSV ({error}).") from error
    return read


def _cell(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


def _read_row(read: ProfileFile, layout: _Layout, row: list[str], line: int, seen: dict[tuple[str, ...], int]) -> None:
    ward_code = _cell(row, layout.ward).upper()
    count = _count(_cell(row, layout.count))
    problems: list[str] = []
    if not ward_code:
        problems.append("the ward code is blank")
    if count is None:
        shown = _cell(row, layout.count)[:20]
        problems.append(f"the count “{shown}” is not a whole number" if shown else "the count is blank")
    categories: list[tuple[str, str]] = []
    left_out = False
    for column, fixed in layout.characteristics:
        label = _cell(row, column)
        characteristic = fixed or characteristic_of(_cell(row, layout.characteristic_column))
        if characteristic is None:
            shown = _cell(row, layout.characteristic_column)[:40]
            problems.append(
                f"“{shown}” is not a characteristic the profile holds (age, sex, ethnicity, tenure or disability)"
            )
            continue
        category = category_of(characteristic, label)
        if category is None:
            problems.append(f"“{label[:60]}” is not a category of {CHARACTERISTICS[characteristic].lower()} we know")
        elif category == "":
            left_out = True
            shown = f"{label} ({CHARACTERISTICS[characteristic].lower()})"
            read.left_out[shown] = read.left_out.get(shown, 0) + 1
        else:
            categories.append((characteristic, category))
    labels = (_cell(row, column) for column, _ in layout.characteristics)
    key = (ward_code, *labels, _cell(row, layout.characteristic_column))
    if key in seen:
        problems.append(f"it repeats line {seen[key]} (the same ward and category)")
    seen.setdefault(key, line)
    if problems:
        read.errors.append((line, "; ".join(problems) + "."))
    elif not left_out and count is not None:
        read.rows.extend(ProfileRow(line, ward_code, name, category, count) for name, category in categories)
