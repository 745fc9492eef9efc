from datetime import date
from decimal import Decimal

from commonweal.core.csvsafe import csv_lines, defused, safe_cell
from commonweal.funding.opendata.giving360_xlsx import _cell


def test_formulas_are_neutralised_and_numbers_kept() -> None:
    assert safe_cell('=HYPERLINK("http://evil")') == '\'=HYPERLINK("http://evil")'
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("+44 20 8123 4567") == "'+44 20 8123 4567"
    assert safe_cell(-12.5) == "-12.5"
    assert safe_cell("Merton Food Bank") == "Merton Food Bank"
    assert safe_cell(None) == ""


def test_csv_lines_quote_and_neutralise_each_row() -> None:
    text = "".join(csv_lines(["name", "note"], [["A, B", "=1+1"]]))
    assert text.splitlines() == ["name,note", '"A, B",\'=1+1']


def test_csv_lines_streams_rows_as_they_come() -> None:
    def rows():  # type: ignore[no-untyped-def]
        yield ["first"]
        raise AssertionError("the second row was read before the first was written")

    lines = csv_lines(["name"], rows())
    assert next(lines) == "name\r\n"
    assert next(lines) == "first\r\n"


def test_one_rule_for_spreadsheet_cells_keeps_numbers_and_dates_as_they_are() -> None:
    assert defused("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert defused("\r=1") == "'\r=1" and defused("@x") == "'@x"
    assert defused(-5) == -5 and defused(Decimal("-1.5")) == Decimal("-1.5") and defused(None) is None
    assert defused(date(2026, 1, 1)) == date(2026, 1, 1) and defused("Lunch club") == "Lunch club"
    # A character XML cannot hold is dropped first, so it cannot hide a formula behind it.
    assert _cell("\x07=1+2") == "'=1+2"
