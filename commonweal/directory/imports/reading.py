"""Reading an uploaded file safely: its size, its encoding, its CSV or JSON shape, and each cell.

Nothing here touches the database. A problem with the whole file raises `ImportRefused` with a full
sentence saying why; a problem with one row is returned as a reason for that row's line.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

from commonweal.places.services import normalise_postcode

from .records import Problem

MB = 1024 * 1024
# What a spreadsheet reads as the start of a formula (OWASP's CSV injection list, less the whitespace).
FORMULA_STARTS = ("=", "+", "-", "@")
_PHONE = re.compile(r"\+?[0-9 ()\-]{6,30}(?:\s*(?:ext\.?|x)\s*[0-9]{1,6})?", re.IGNORECASE)
_HEADER_SEPARATORS = re.compile(r"[\s\-_.]+")
_NOT_ASCII = re.compile(rb"[\x80-\xff]")
# Cells may be long (a charity's activities), but a cell bigger than this is not a directory record.
csv.field_size_limit(min(sys.maxsize, 10 * MB))


class Progress(Protocol):
    """Told how many rows there are (as soon as that is known) and how many have been checked."""

    def start(self, total: int) -> None: ...

    def advance(self, done: int) -> None: ...


class ImportRefused(Exception):
    """The whole file cannot be used: nothing is changed, and the message says why in a full sentence."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []


def megabytes(size: int) -> str:
    """A file size as people say it: '50 MB', '50.5 MB', '12 KB', '900 bytes'."""
    if size >= MB:
        return f"{size / MB:.1f}".removesuffix(".0") + " MB"
    if size >= 1024:
        return f"{round(size / 1024)} KB"
    return f"{size} bytes"


def too_big(size: int, limit: int) -> str:
    """'60 MB', or 'just over 50 MB' when the two would read the same."""
    shown = megabytes(size)
    return f"just over {shown}" if shown == megabytes(limit) else shown


def check_size(size: int, limit: int) -> None:
    """Refuse a file bigger than the limit before a byte of it is read."""
    if size > limit:
        raise ImportRefused(
            f"The file is {too_big(size, limit)}, which is more than the {megabytes(limit)} an import can take, "
            "so nothing was imported. Split it into smaller files and import each one."
        )
    if size == 0:
        raise ImportRefused("The file is empty, so nothing was imported.")


# --- encodings -----------------------------------------------------------------------------------


@dataclass
class Text:
    text: str
    notes: list[Problem] = field(default_factory=list)


def _line_of(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


def _lines_with_accents(data: bytes, most: int = 10) -> list[int]:
    lines: list[int] = []
    last_position, last_line = 0, 1
    for match in _NOT_ASCII.finditer(data):
        last_line += data.count(b"\n", last_position, match.start())
        last_position = match.start()
        if not lines or lines[-1] != last_line:
            lines.append(last_line)
            if len(lines) == most:
                break
    return lines


def _refuse_binary(data: bytes) -> None:
    if data.startswith(b"PK\x03\x04"):
        raise ImportRefused(
            "This looks like an Excel workbook or another zipped file, not CSV or JSON text, so nothing was "
            "imported. In Excel choose File, Save a copy, 'CSV UTF-8 (comma delimited)', and import that file."
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRefused(
            "This looks like an old Excel workbook (.xls), not CSV text, so nothing was imported. "
            "Save it as 'CSV UTF-8 (comma delimited)' and import that file."
        )


def decode(data: bytes, *, allow_windows_1252: bool) -> Text:
    """The file as text: UTF-8 (with or without a byte order mark) or UTF-16 with one.

    Excel's plain 'CSV' is Windows-1252; when allowed, such a file is read as that with a note saying which
    lines to check. Otherwise (JSON must be UTF-8) it is refused with the first line that is not UTF-8.
    """
    _refuse_binary(data)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportRefused(
                "The file says it is UTF-16 text but cannot be read as that, so nothing was imported. "
                "Save it as UTF-8 and import it again."
            ) from None
        return Text(_no_nulls(text))
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return Text(_no_nulls(data.decode("utf-8")))
    except UnicodeDecodeError as error:
        first = _line_of(data, error.start)
    if not allow_windows_1252:
        raise ImportRefused(
            f"Line {first} has characters that are not UTF-8 text, so nothing was imported. "
            "Save the file as UTF-8 and import it again."
        )
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise ImportRefused(
            f"Line {first} is not UTF-8 text, and line {_line_of(data, error.start)} cannot be read as "
            "Windows-1252 (Excel's 'CSV') either, so nothing was imported. "
            "Save the file as 'CSV UTF-8 (comma delimited)' and import it again."
        ) from None
    lines = ", ".join(str(n) for n in _lines_with_accents(data))
    note = Problem(
        first,
        "The file is not UTF-8 text (first at this line), so it was read as Windows-1252, the encoding of "
        f"Excel's plain 'CSV'. Check the accented letters and symbols on lines {lines}; next time save it "
        "as 'CSV UTF-8'.",
        note=True,
    )
    return Text(_no_nulls(text), [note])


def _no_nulls(text: str) -> str:
    where = text.find("\x00")
    if where >= 0:
        line = text.count("\n", 0, where) + 1
        raise ImportRefused(
            f"Line {line} contains a null character, which text files do not have, so nothing was imported. "
            "Is this a spreadsheet or another kind of file rather than CSV or JSON text?"
        )
    return text


# --- CSV -------------------------------------------------------------------------------------------


def column_key(name: str) -> str:
    """'Contact email ' -> 'contact_email', so a header matches however it is written."""
    name = unicodedata.normalize("NFKC", name).replace("\ufeff", "").strip().lower()
    return _HEADER_SEPARATORS.sub("_", name).strip("_")


@dataclass
class Table:
    """A CSV or tab-delimited file: its header (as column keys) and its rows, read as they are needed."""

    header: list[str]
    columns: dict[str, int]
    rows: Iterator[tuple[int, list[str]]]
    estimated_rows: int


def _lines(text: str) -> Iterator[str]:
    """The text's lines, ends kept, one at a time: a StringIO copy of a 50 MB file would take four times that."""
    start, length = 0, len(text)
    while start < length:
        end = text.find("\n", start)
        end = length if end < 0 else end + 1
        yield text[start:end]
        start = end


def read_table(text: str) -> Table:
    """Read CSV (or tab-delimited text, as the Charity Commission publishes) and its header."""
    if "\n" not in text and "\r" in text:
        text = text.replace("\r", "\n")  # old Mac line endings
    first_line = text.split("\n", 1)[0]
    tabbed = "\t" in first_line
    # The register's tab-delimited extract does not quote cells, and a cell may begin with a quote mark.
    reader = csv.reader(_lines(text), delimiter="\t", quoting=csv.QUOTE_NONE) if tabbed else csv.reader(_lines(text))
    header: list[str] = []
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                header = [column_key(cell) for cell in cells]
                break
    except csv.Error as error:
        raise ImportRefused(
            f"Line {reader.line_num} cannot be read as CSV ({error}), so nothing was imported."
        ) from None
    if not header:
        raise ImportRefused("The file has no header row, so nothing was imported.")
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        if name:
            columns.setdefault(name, index)
    header_line = reader.line_num

    def rows() -> Iterator[tuple[int, list[str]]]:
        start = header_line + 1
        try:
            for cells in reader:
                line, start = start, reader.line_num + 1
                if any(cell.strip() for cell in cells):
                    yield line, cells
        except csv.Error as error:
            raise ImportRefused(
                f"Line {start} cannot be read as CSV ({error}), so nothing was imported. "
                'Check for a quote mark (") that is not closed.'
            ) from None

    return Table(header, columns, rows(), max(0, text.count("\n") - header_line + 1))


def require_columns(table: Table, required: tuple[str, ...], *, what: str, expected: tuple[str, ...]) -> None:
    missing = [name for name in required if name not in table.columns]
    if missing:
        has = ", ".join(name for name in table.header if name)[:300] or "none"
        raise ImportRefused(
            f"This is not {what}: it has no {_join(missing)} column{'s' if len(missing) > 1 else ''}, "
            f"so nothing was imported. Its columns are: {has}. {what[0].upper()}{what[1:]} has the columns "
            f"{_join(list(expected))}."
        )


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


class Cells:
    """One row's cells by column key, each checked as it is read; `problems` holds what is wrong."""

    def __init__(self, line: int, cells: list[str], table: Table, *, formulas_matter: bool = True) -> None:
        self.line = line
        self.cells = cells
        self.columns = table.columns
        self.formulas_matter = formulas_matter
        self.problems: list[str] = []
        width = len(table.header)
        if len(cells) < width:
            self.problems.append(
                f"it has {len(cells)} cells where the header has {width}: is there a line break inside a cell?"
            )
        elif len(cells) > width and any(cell.strip() for cell in cells[width:]):
            self.problems.append(f"it has {len(cells)} cells where the header has {width}")

    def raw(self, column: str) -> str:
        index = self.columns.get(column)
        return self.cells[index].strip() if index is not None and index < len(self.cells) else ""

    def text(self, column: str, label: str, *, limit: int, required: bool = False, phone: bool = False) -> str:
        value = self.raw(column)
        if value and self.formulas_matter and value.startswith(FORMULA_STARTS):
            if not (phone and _PHONE.fullmatch(value)):
                self.problems.append(
                    f"the {label} starts with “{value[0]}”, which a spreadsheet would run as a formula; "
                    f"remove the “{value[0]}” and import the file again"
                )
                return ""
        return check_text(value, label, limit=limit, required=required, problems=self.problems)


def check_text(value: str, label: str, *, limit: int, required: bool = False, problems: list[str]) -> str:
    if required and not value:
        problems.append(f"the {label} is blank")
    elif len(value) > limit:
        problems.append(f"the {label} is {len(value):,} characters long; it can be at most {limit:,}")
        return ""
    return value


# --- JSON ------------------------------------------------------------------------------------------

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _skip(text: str, position: int) -> int:
    match = _WHITESPACE.match(text, position)
    return match.end() if match else position


def _json_error(error: json.JSONDecodeError) -> ImportRefused:
    return ImportRefused(
        f"Line {error.lineno} is not valid JSON ({error.msg}, at character {error.colno}), so nothing was imported."
    )


@dataclass(frozen=True, slots=True)
class JsonItem:
    """Where one record of a JSON file is: the list it is in ('' for a bare list), its line and its span."""

    key: str
    line: int
    start: int
    end: int

    def load(self, text: str) -> Any:
        return json.loads(text[self.start : self.end])


def json_items(text: str, keys: frozenset[str]) -> tuple[str, list[JsonItem]]:
    """Find the records of a JSON file without holding them all in memory: the items of a top-level list
    (shape 'list'), or of the lists under `keys` in a top-level object (shape 'object'), with their lines.
    """
    position = _skip(text, 0)
    if position >= len(text):
        raise ImportRefused("The file is empty, so nothing was imported.")
    items: list[JsonItem] = []
    counter = _LineCounter(text)
    try:
        if text[position] == "[":
            position = _array_items(text, position, "", items, counter)
            shape = "list"
        elif text[position] == "{":
            position = _object_items(text, position, keys, items, counter)
            shape = "object"
        else:
            raise ImportRefused(
                "The file is not JSON: it should start with [ or {, so nothing was imported. "
                "Is it a CSV file? Choose the kind of file that matches it."
            )
    except json.JSONDecodeError as error:
        raise _json_error(error) from None
    if _skip(text, position) != len(text):
        raise ImportRefused(
            f"Line {counter.line_at(_skip(text, position))} has more after the end of the JSON, "
            "so nothing was imported."
        )
    return shape, items


class _LineCounter:
    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0
        self.line = 1

    def line_at(self, position: int) -> int:
        if position < self.position:
            return self.text.count("\n", 0, position) + 1
        self.line += self.text.count("\n", self.position, position)
        self.position = position
        return self.line


def _expect(text: str, position: int, char: str) -> None:
    if position >= len(text) or text[position] != char:
        raise json.JSONDecodeError(f"Expecting '{char}'", text, min(position, len(text)))


def _array_items(text: str, position: int, key: str, items: list[JsonItem], counter: _LineCounter) -> int:
    position = _skip(text, position + 1)
    if position < len(text) and text[position] == "]":
        return position + 1
    while True:
        _, end = _DECODER.raw_decode(text, position)
        items.append(JsonItem(key, counter.line_at(position), position, end))
        position = _skip(text, end)
        if position < len(text) and text[position] == ",":
            position = _skip(text, position + 1)
            continue
        _expect(text, position, "]")
        return position + 1


def _object_items(text: str, position: int, keys: frozenset[str], items: list[JsonItem], counter: _LineCounter) -> int:
    position = _skip(text, position + 1)
    if position < len(text) and text[position] == "}":
        return position + 1
    while True:
        _expect(text, position, '"')
        key, position = _DECODER.raw_decode(text, position)
        position = _skip(text, position)
        _expect(text, position, ":")
        position = _skip(text, position + 1)
        if key in keys and position < len(text) and text[position] == "[":
            position = _array_items(text, position, key, items, counter)
        else:
            _, position = _DECODER.raw_decode(text, position)
        position = _skip(text, position)
        if position < len(text) and text[position] == ",":
            position = _skip(text, position + 1)
            continue
        _expect(text, position, "}")
        return position + 1


def json_text(value: Any, label: str, *, limit: int, problems: list[str], required: bool = False) -> str:
    """A JSON value as text for a field: numbers become text, anything else structured is refused."""
    if value is None:
        value = ""
    elif isinstance(value, bool):
        value = "true" if value else "false"
    elif isinstance(value, (int, float)):
        value = str(value)
    elif not isinstance(value, str):
        problems.append(f"the {label} should be text")
        return ""
    return check_text(value.strip(), label, limit=limit, required=required, problems=problems)


# --- values ---------------------------------------------------------------------------------------

_EMAIL = EmailValidator()
_URL = URLValidator(schemes=["http", "https"])


def shown(value: str, most: int = 40) -> str:
    """A value quoted back in a reason, cut short."""
    return value if len(value) <= most else value[: most - 1] + "…"


def check_postcode(value: str, label: str, problems: list[str]) -> str:
    """A blank postcode stays blank; a malformed one is a problem; a good one comes back as 'SW19 2HL'."""
    if not value:
        return ""
    postcode = normalise_postcode(value)
    if postcode is None:
        problems.append(f"the {label} “{shown(value, 20)}” is not a real postcode")
        return ""
    return postcode


def check_email(value: str, label: str, problems: list[str]) -> str:
    if not value:
        return ""
    try:
        _EMAIL(value)
    except ValidationError:
        problems.append(f"the {label} “{shown(value)}” is not an email address")
        return ""
    return value


def check_website(value: str, label: str, problems: list[str]) -> str:
    """A web address; 'www.example.org' gains https:// as a browser would."""
    if not value:
        return ""
    address = value if "://" in value else f"https://{value}"
    try:
        _URL(address)
    except ValidationError:
        problems.append(f"the {label} “{shown(value)}” is not a web address")
        return ""
    if len(address) > 200:
        problems.append(f"the {label} is {len(address):,} characters long; it can be at most 200")
        return ""
    return address


def check_phone(value: str, label: str, problems: list[str]) -> str:
    if value and len(value) > 40:
        problems.append(f"the {label} is {len(value):,} characters long; it can be at most 40")
        return ""
    return value


def name_key(name: str) -> str:
    """Names match whatever their case and spacing: 'St  Mark's Trust' is 'st mark's trust'."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


@lru_cache(maxsize=65536)
def postcode_key(postcode: str) -> str:
    return (normalise_postcode(postcode) or postcode).replace(" ", "").upper()
