"""Reading files safely, without a database: sizes, encodings, CSV and JSON shapes, line numbers."""

from __future__ import annotations

import codecs

import pytest

from commonweal.directory.imports.groups import schedule_from_words, split_list
from commonweal.directory.imports.reading import (
    Cells,
    ImportRefused,
    check_size,
    check_website,
    column_key,
    decode,
    json_items,
    read_table,
)


def test_a_file_over_the_limit_is_refused_saying_how_big_it_is_and_the_limit() -> None:
    with pytest.raises(ImportRefused) as refused:
        check_size(51 * 1024 * 1024, 50 * 1024 * 1024)
    assert "51 MB" in refused.value.message
    assert "50 MB" in refused.value.message
    assert "nothing was imported" in refused.value.message


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(ImportRefused, match="empty"):
        check_size(0, 100)


def test_utf8_with_a_byte_order_mark_reads_cleanly() -> None:
    text = decode(codecs.BOM_UTF8 + "name\nCafé\n".encode(), allow_windows_1252=True)
    assert text.text == "name\nCafé\n"
    assert text.notes == []


def test_excel_windows_1252_csv_is_read_with_a_note_naming_the_lines_to_check() -> None:
    data = "name\nPlain\nCafé Trust\n£5 club\n".encode("cp1252")
    text = decode(data, allow_windows_1252=True)
    assert "Café Trust" in text.text and "£5 club" in text.text
    [note] = text.notes
    assert note.note and note.line == 3
    assert "Windows-1252" in note.reason and "lines 3, 4" in note.reason


def test_bytes_that_are_not_utf8_are_refused_with_their_line_when_utf8_is_required() -> None:
    data = b'[\n{"name": "ok"},\n{"name": "caf\xe9"}\n]'
    with pytest.raises(ImportRefused) as refused:
        decode(data, allow_windows_1252=False)
    assert refused.value.message.startswith("Line 3 ")


def test_bytes_no_encoding_can_read_are_refused_with_their_line() -> None:
    data = b"name\nfine\nbad \x81 byte\n"  # 0x81 is undefined in Windows-1252 too
    with pytest.raises(ImportRefused) as refused:
        decode(data, allow_windows_1252=True)
    assert "Line 3" in refused.value.message


def test_an_excel_workbook_is_refused_with_advice_to_save_as_csv() -> None:
    with pytest.raises(ImportRefused, match="CSV UTF-8"):
        decode(b"PK\x03\x04rest-of-a-zip", allow_windows_1252=True)


def test_a_null_character_is_refused_with_its_line() -> None:
    with pytest.raises(ImportRefused, match="Line 2 contains a null"):
        decode(b"name\nbad\x00name\n", allow_windows_1252=True)


def test_utf16_with_a_byte_order_mark_is_read() -> None:
    assert decode("name\nZoë\n".encode("utf-16"), allow_windows_1252=True).text == "name\nZoë\n"


def test_headers_match_however_they_are_written() -> None:
    assert column_key(" Contact Email ") == "contact_email"
    assert column_key("\ufeffwhat-they do") == "what_they_do"


def test_csv_rows_carry_the_line_they_start_on_even_after_a_cell_with_line_breaks() -> None:
    table = read_table('name,description\nFirst,"two\nlines"\n\nSecond,one line\n')
    assert [(line, cells[0]) for line, cells in table.rows] == [(2, "First"), (5, "Second")]


def test_tab_delimited_text_is_read_without_treating_quote_marks_as_quoting() -> None:
    table = read_table('name\tdescription\n"Quoted" Trust\tsays "hello\nNext\tx\n')
    rows = list(table.rows)
    assert rows == [(2, ['"Quoted" Trust', 'says "hello']), (3, ["Next", "x"])]


def test_a_row_with_too_few_cells_says_so() -> None:
    table = read_table("a,b,c\n1,2\n")
    line, values = next(table.rows)
    cells = Cells(line, values, table)
    assert "2 cells where the header has 3" in cells.problems[0]


def test_formula_cells_are_problems_but_phone_numbers_with_a_plus_are_not() -> None:
    table = read_table("name,phone\n=HYPERLINK(x),+44 20 7946 0000\n@SUM(A1),-1\n")
    first, second = (Cells(line, values, table) for line, values in table.rows)
    assert first.text("name", "name", limit=100) == ""
    assert first.text("phone", "phone", limit=40, phone=True) == "+44 20 7946 0000"
    assert "starts with “=”" in first.problems[0]
    second.text("name", "name", limit=100)
    second.text("phone", "phone", limit=40, phone=True)
    assert len(second.problems) == 2  # '@' and a bare '-1' are both formulas to a spreadsheet


def test_over_long_cells_say_how_long_they_are_and_the_limit() -> None:
    table = read_table("name\n" + "x" * 250 + "\n")
    line, values = next(table.rows)
    cells = Cells(line, values, table)
    assert cells.text("name", "name", limit=200) == ""
    assert cells.problems == ["the name is 250 characters long; it can be at most 200"]


def test_json_items_are_found_with_their_lines_in_a_list_and_under_known_keys() -> None:
    shape, items = json_items('[\n {"a": 1},\n\n {"a": 2}\n]', frozenset())
    assert shape == "list" and [i.line for i in items] == [2, 4]
    text = '{"total_items": 2,\n "contents": [\n  {"id": 1},\n  {"id": 2}\n ],\n "ignored": [{"x": 1}]}'
    shape, items = json_items(text, frozenset({"contents"}))
    assert shape == "object" and [(i.key, i.line, i.load(text)["id"]) for i in items] == [
        ("contents", 3, 1),
        ("contents", 4, 2),
    ]


def test_broken_json_is_refused_with_its_line() -> None:
    with pytest.raises(ImportRefused, match="^Line 3 is not valid JSON"):
        json_items('[\n {"a": 1},\n {"a": 2,,}\n]', frozenset())


def test_websites_without_a_scheme_gain_https() -> None:
    problems: list[str] = []
    assert check_website("www.example.org", "website", problems) == "https://www.example.org"
    assert check_website("not a site", "website", problems) == ""
    assert problems == ["the website “not a site” is not a web address"]


def test_when_a_group_meets_becomes_days_and_times_when_it_can_be_read() -> None:
    schedule = schedule_from_words("Tuesdays and Thursdays, 10am to 12pm")
    assert (schedule.byday, str(schedule.opens_at), str(schedule.closes_at)) == ("TU,TH", "10:00:00", "12:00:00")
    assert schedule_from_words("Saturdays 10:00 to 12:30").closes_at.minute == 30  # type: ignore[union-attr]
    loose = schedule_from_words("Ring us to find out")
    assert (loose.byday, loose.opens_at, loose.description) == ("", None, "Ring us to find out")


def test_lists_in_a_cell_split_on_semicolons_or_commas() -> None:
    assert split_list("Abbey; Trinity") == ["Abbey", "Trinity"]
    assert split_list("Food, Money") == ["Food", "Money"]
