"""CSV cells that a spreadsheet will not run as formulas (OWASP's CSV injection advice)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

# A cell starting with one of these is read as a formula by Excel, LibreOffice or Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")


def safe_cell(value: Any) -> str:
    """The value as text, with a leading apostrophe if a spreadsheet would otherwise treat it as a formula.

    Numbers stay as they are (a negative amount is a number, not a formula)."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


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
