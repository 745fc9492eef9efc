"""An administrator imports postcodes from an ONS Postcode Directory file, and a demo file is generated."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from commonweal.places.models import Postcode, Ward
from commonweal.places.services import (
    DEMO_NOTE,
    PostcodeImportError,
    generate_demo_postcodes,
    import_postcodes,
    ward_for_point,
)

ABBEY = "E05013810"
HEADER = "pcds,lat,long,osward,lsoa11\n"
GOOD = HEADER + "SW19 2HL,51.4159,-0.1948,E05013810,E01003355\nsw192hq,51.4160,-0.1950,E05013810,\n"


def test_a_good_file_adds_every_postcode(merton: Any, write_csv: Any) -> None:
    report = import_postcodes(path=write_csv(GOOD))
    assert (report.created, report.updated, report.skipped) == (2, 0, 0)
    found = Postcode.objects.get(postcode="SW19 2HQ")
    assert found.ward.code == ABBEY
    assert Postcode.objects.get(postcode="SW19 2HL").lsoa_code == "E01003355"


def test_the_newer_ward_code_column_is_accepted(merton: Any, write_csv: Any) -> None:
    report = import_postcodes(path=write_csv("PCDS,LAT,LONG,WD25CD,LSOA21\nSW19 2HL,51.4159,-0.1948,E05013810,\n"))
    assert report.created == 1


def test_importing_the_same_file_again_updates_rather_than_duplicates(merton: Any, write_csv: Any) -> None:
    import_postcodes(path=write_csv(GOOD))
    moved = GOOD.replace("51.4159", "51.4161")
    report = import_postcodes(path=write_csv(moved, "again.csv"))
    assert (report.created, report.updated) == (0, 2)
    assert Postcode.objects.count() == 2
    assert Postcode.objects.get(postcode="SW19 2HL").latitude == pytest.approx(51.4161)


def test_bad_rows_are_skipped_and_reported_by_line(merton: Any, write_csv: Any) -> None:
    content = (
        HEADER
        + "SW19 2HL,51.4159,-0.1948,E05013810,\n"  # line 2: fine
        + "NOT A POSTCODE,51.4,-0.19,E05013810,\n"  # line 3
        + "SW19 2HQ,fifty-one,-0.19,E05013810,\n"  # line 4
        + "SW19 2HR,51.4,-0.19,E05000001,\n"  # line 5: a ward elsewhere
        + "SW19 2HS,nan,-0.19,E05013810,\n"  # line 6
    )
    report = import_postcodes(path=write_csv(content))
    assert report.created == 1
    assert report.skipped == 4
    assert [error.line for error in report.errors] == [3, 4, 5, 6]
    messages = [str(error) for error in report.errors]
    assert messages[0] == "Line 3: “NOT A POSTCODE” is not a real postcode."
    assert "must be numbers" in messages[1]
    assert messages[2] == "Line 5: the ward code “E05000001” for SW19 2HR is not a ward in Merton."
    assert report.summary == "1 postcodes added, 0 updated, 4 rows skipped."
    assert list(Postcode.objects.values_list("postcode", flat=True)) == ["SW19 2HL"]


def test_formula_cells_are_rejected_not_stored(merton: Any, write_csv: Any) -> None:
    content = (
        HEADER
        + '"=HYPERLINK(""http://evil.example"",""x"")",51.4,-0.19,E05013810,\n'
        + "SW19 2HL,=1+1,-0.19,E05013810,\n"
        + "SW19 2HQ,51.4,-0.19,E05013810,=cmd|' /C calc'!A0\n"
    )
    report = import_postcodes(path=write_csv(content))
    assert report.skipped == 3
    assert not Postcode.objects.exists()


def test_a_missing_column_stops_the_import_and_names_the_columns(merton: Any, write_csv: Any) -> None:
    with pytest.raises(PostcodeImportError) as error:
        import_postcodes(path=write_csv("pcds,lat,osward\nSW19 2HL,51.4,E05013810\n"))
    message = str(error.value)
    assert "pcds, lat, long and a ward code (osward or wd25cd)" in message
    assert "It has no long column" in message
    assert not Postcode.objects.exists()


def test_a_file_that_is_not_utf8_names_the_bad_line_and_writes_nothing(merton: Any, write_csv: Any) -> None:
    content = (GOOD + "SW19 2HT,51.4,-0.19,E05013810,caf\xe9\n").encode("latin-1")
    with pytest.raises(PostcodeImportError) as error:
        import_postcodes(path=write_csv(content))
    assert str(error.value).startswith("Line 4 is not UTF-8 text, so nothing was imported.")
    assert not Postcode.objects.exists()


def test_a_failure_while_saving_leaves_nothing_half_written(
    merton: Any, write_csv: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_postcodes(path=write_csv(GOOD))

    def fail(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Postcode.objects, "bulk_update", fail)
    with pytest.raises(RuntimeError):
        import_postcodes(path=write_csv(GOOD.replace("\n", "\nSW19 2HU,51.4,-0.19,E05013810,\n", 1), "more.csv"))
    assert Postcode.objects.count() == 2


def test_the_command_prints_each_problem_and_a_summary(merton: Any, write_csv: Any) -> None:
    out, err = StringIO(), StringIO()
    call_command("import_postcodes", str(write_csv(GOOD + "XX,1,1,E05013810,\n")), stdout=out, stderr=err)
    assert "Line 4: “XX” is not a real postcode." in err.getvalue()
    assert "2 postcodes added, 0 updated, 1 rows skipped." in out.getvalue()
    with pytest.raises(CommandError, match="no long column"):
        call_command("import_postcodes", str(write_csv("pcds,lat,osward\n", "bad.csv")))


def test_demo_postcodes_sit_inside_every_real_ward_and_import_cleanly(merton: Any, tmp_path: Path) -> None:
    path = generate_demo_postcodes(council=merton, out=tmp_path / "demo.csv", per_ward=2, seed=7)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert len(rows) == 40
    assert {row["osward"] for row in rows} == set(Ward.objects.values_list("code", flat=True))
    assert all(row["note"] == DEMO_NOTE for row in rows)
    assert all(row["pcds"].split()[0] in {"SW19", "SW20", "SM4", "CR4", "SW16", "SW17"} for row in rows)
    postcodes = {row["pcds"]: row["osward"] for row in rows}
    assert len(postcodes) == 40
    assert "SW19 1ZZ" not in postcodes
    assert postcodes["SW19 2HL"] == ABBEY  # the finder's hint works in the demo
    for row in rows:
        ward = ward_for_point(float(row["lat"]), float(row["long"]))
        assert ward is not None and ward.code == row["osward"]
    report = import_postcodes(path=path, is_demo=True)
    assert (report.created, report.skipped) == (40, 0)
    assert Postcode.objects.filter(is_demo=True).count() == 40


def test_demo_postcodes_are_the_same_every_time(merton: Any, tmp_path: Path) -> None:
    first = generate_demo_postcodes(council=merton, out=tmp_path / "a.csv", seed=1)
    second = generate_demo_postcodes(council=merton, out=tmp_path / "b.csv", seed=1)
    assert first.read_text() == second.read_text()


def test_the_demo_command_writes_a_file(merton: Any, tmp_path: Path) -> None:
    out = StringIO()
    call_command("generate_demo_postcodes", "--out", str(tmp_path / "demo.csv"), stdout=out)
    assert (tmp_path / "demo.csv").exists()
    assert "--demo" in out.getvalue()
