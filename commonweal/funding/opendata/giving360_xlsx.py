"""The 360Giving spreadsheet written straight from the grants' records with openpyxl's write-only mode.

It lays the grants out as 360Giving's own templates do, and as flattentool writes them with the templates'
options (main sheet 'grants', the schema's titles as headings, rollup): every grant is a row of the main sheet,
a list the schema rolls up ('Recipient Org', 'Funding Org', 'Beneficiary Location', 'Grant Programme',
'Planned Dates') goes on that row when it has one entry and on its sub-sheet (named as flattentool names it)
when it has more, and every other list ('Classifications', 'disbursementTransaction', a recipient's location
'Rec_Location') is on its sub-sheet, one row per entry, joined back by the grant's 'Identifier' (and the
recipient's, for its location). Headings the schema gives no title keep their JSON path, as flattentool does.

Why not flattentool.flatten itself: its rollup refuses a one-entry list whose entry holds a list (a recipient
with a ward as `location`, valid 360Giving, stopped every build), it copies a rolled-up entry to its sub-sheet
as well, so converting the file back reads an entry without an id (a planned date, a grant programme) twice,
and it takes about 2 CPU seconds per 1,000 grants. flattentool still provides the headings (its SchemaParser
reads the titles from the schema, once per process), and its unflatten is what the tests convert the file back
with, to prove it holds the same grants as the JSON package.

Rows are flattened in one pass and kept in a temporary file (JSON lines) while the columns present are found,
then written in a second: a write-only sheet needs its headings first, and memory stays flat however many
grants there are.
"""

from __future__ import annotations

import json
import re
import tempfile
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from commonweal.core.csvsafe import defused

MAIN_SHEET = "grants"
# Changes whenever the way cells are written changes, so a file cached by an older build is built again
# (2: text that looks like a formula is written defused).
FORMAT_VERSION = 2
ID = "id"
# Characters XML 1.0 cannot hold (openpyxl refuses them): a summary pasted from elsewhere may carry one.
ILLEGAL_CHARACTERS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")

Row = dict[str, Any]  # JSON path ('recipientOrganization/0/name') -> a basic value


@dataclass(frozen=True)
class Titles:
    """What the schema says about the spreadsheet: headings, sub-sheet names and the lists rolled up."""

    main: Mapping[str, str]  # JSON path -> heading on the main sheet
    sub: Mapping[str, str]  # JSON path -> heading on a sub-sheet
    sheets: Mapping[str, str]  # a list's path ('recipientOrganization/0/location') -> its sub-sheet's name
    rolled_up: frozenset[str]  # top-level lists whose single entry goes on the main sheet

    def heading(self, sheet: str, path: str) -> str:
        if sheet == "":
            return self.main.get(path) or self.sub.get(path) or path
        return self.sub.get(path) or self.main.get(path) or path

    def sheet_name(self, path: str) -> str:
        return self.sheets.get(path) or path.rsplit("/", 1)[-1]


@cache
def schema_titles(schema: str) -> Titles:
    """The headings flattentool gives the schema's fields with titles and rollup on, read once per schema."""
    from flattentool.schema import SchemaParser

    with warnings.catch_warnings():
        # Fields without a title (the transaction lists) are reported; their columns keep their JSON paths.
        warnings.simplefilter("ignore")
        parser = SchemaParser(schema_filename=schema, rollup=True, root_id="", use_titles=True)
        parser.parse()
    main = dict(parser.main_sheet.titles)
    sub: dict[str, str] = {}
    for sheet in parser.sub_sheets.values():
        sub.update((path, title) for path, title in sheet.titles.items() if "/0/" in path or path == ID)
    return Titles(
        main=main,
        sub=sub,
        sheets={parent + key: name for (parent, key), name in parser.sub_sheet_titles.items()},
        rolled_up=frozenset(path.split("/0/", 1)[0] for path in main if "/0/" in path),
    )


def _is_table(value: Any) -> bool:
    return isinstance(value, list) and any(isinstance(entry, dict) for entry in value)


def _fill(row: Row, prefix: str, data: Mapping[str, Any], keys: Row, sheets: dict[str, list[Row]]) -> None:
    """Put data's fields in row under prefix; each list of objects in it becomes rows of its own sheet, each
    carrying `keys` (the ids that join it back to its grant, and to the entry that holds it)."""
    for name, value in data.items():
        path = prefix + name
        if isinstance(value, dict):
            _fill(row, f"{path}/", value, keys, sheets)
        elif _is_table(value):
            for entry in value:
                _add_entry(path, entry, keys, sheets)
        elif isinstance(value, list):
            row[path] = ";".join(str(item) for item in value)
        else:
            row[path] = value


def _add_entry(path: str, entry: Mapping[str, Any], keys: Row, sheets: dict[str, list[Row]]) -> None:
    child = dict(keys)
    inner = {**keys, f"{path}/0/{ID}": entry[ID]} if ID in entry else keys
    _fill(child, f"{path}/0/", entry, inner, sheets)
    sheets.setdefault(path, []).append(child)


def _rolls_up(path: str, value: Any, titles: Titles) -> bool:
    """Whether a top-level list goes on the grant's own row: one entry, every plain field of which has a
    main-sheet heading (anything else stays on the sub-sheet, where it has one)."""
    if path not in titles.rolled_up or not isinstance(value, list) or len(value) != 1:
        return False
    entry = value[0]
    return isinstance(entry, dict) and all(
        f"{path}/0/{name}" in titles.main for name, field in entry.items() if not _is_table(field)
    )


def flatten_grant(record: Mapping[str, Any], titles: Titles) -> dict[str, list[Row]]:
    """One grant's rows: its main-sheet row under '' and its entries under each list's path."""
    main: Row = {}
    sheets: dict[str, list[Row]] = {"": [main]}
    keys: Row = {ID: record[ID]}
    for name, value in record.items():
        if _rolls_up(name, value, titles):
            entry = value[0]
            inner = {**keys, f"{name}/0/{ID}": entry[ID]} if ID in entry else keys
            _fill(main, f"{name}/0/", entry, inner, sheets)
        else:
            _fill(main, "", {name: value}, keys, sheets)
    return sheets


def _cell(value: Any) -> Any:
    """A value as a cell: text without what XML cannot hold, then never a formula (a group's title of
    '=HYPERLINK(...)' is shown as that text, with core.csvsafe's leading apostrophe, as in the CSV exports)."""
    return defused(ILLEGAL_CHARACTERS.sub("", value)) if isinstance(value, str) else value


def write_spreadsheet(records: Iterable[Mapping[str, Any]], target: Path, *, schema: Path | str) -> int:
    """Write the grants' records to target as a 360Giving spreadsheet; returns how many grants it holds."""
    from openpyxl import Workbook

    titles = schema_titles(str(schema))
    # Each sheet's columns in the order the grants first use them, as flattentool orders them.
    columns: dict[str, dict[str, None]] = {"": {}}  # sheet path -> its columns' paths
    count = 0
    with tempfile.TemporaryFile("w+", encoding="utf-8", dir=target.parent) as rows:
        for record in records:
            sheets = flatten_grant(record, titles)
            for sheet, entries in sheets.items():
                seen = columns.setdefault(sheet, {})
                for entry in entries:
                    seen.update(dict.fromkeys(entry))
            rows.write(json.dumps(sheets, ensure_ascii=False) + "\n")
            count += 1
        ordered = {sheet: list(paths) for sheet, paths in columns.items()}
        book = Workbook(write_only=True)
        # The main sheet first, then the sub-sheets by name, as flattentool orders them.
        names = {sheet: MAIN_SHEET if sheet == "" else titles.sheet_name(sheet) for sheet in ordered}
        pages = {sheet: book.create_sheet(names[sheet]) for sheet in sorted(ordered, key=lambda s: (s != "", names[s]))}
        for sheet, page in pages.items():
            if ordered[sheet]:
                page.append([titles.heading(sheet, path) for path in ordered[sheet]])
        rows.seek(0)
        for line in rows:
            for sheet, entries in json.loads(line).items():
                for entry in entries:
                    pages[sheet].append([_cell(entry.get(path)) for path in ordered[sheet]])
        book.save(target)
    return count
