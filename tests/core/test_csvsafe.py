from commonweal.core.csvsafe import csv_lines, safe_cell


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
