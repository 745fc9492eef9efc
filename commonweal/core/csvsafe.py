"""Cells that a spreadsheet will not run as formulas (OWASP's CSV injection advice): for CSV files and for the
xlsx files the platform writes (one rule, `defused`, for both)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

# A cell starting with one of these is read as a formula by Excel, LibreOffice or Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")


def defused(value: Any) -> Any:
    """Text a spreadsheet would read as a formula, with a leading apostrophe (shown, so the cell reads as the text
    it is); anything that is not text (a number, a date, None) as it is. For a cell of an xlsx file as it stands,
    and the rule every CSV cell goes through."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_cell(value: Any) -> str:
    """The value as CSV text, with a leading apostrophe if a spreadsheet would otherwise treat it as a formula.

    Numbers stay as they are (a negative amount is a number, not a formula)."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return defused(str(value))


def csv_lines(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """Yield a CSV file line by line, every cell made safe: for StreamingHttpResponse or a file."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(cell) for cell in header])
    yield buffer.getvalue()
    for row in rows:  # one row at a time, so a generator of rows streams
        buffer.seek(0)
        buffer.truncate(0)
        writer.writerow([safe_cell(cell) for cell in row])
        yield buffer.getvalue()
