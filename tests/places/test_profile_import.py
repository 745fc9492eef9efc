"""An administrator or steward imports the borough's profile from a Census 2021 ward table."""

from __future__ import annotations

from io import BytesIO, StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from commonweal.places.categories import ETHNIC_GROUPS, TENURES
from commonweal.places.models import ProfileCount
from commonweal.places.profile import borough_margins
from commonweal.places.profile_csv import category_of, characteristic_of
from commonweal.places.services import ProfileImportError, import_profile

ABBEY, CANNON_HILL = "E05013810", "E05013811"
ONS_AGE = (
    "Electoral wards and divisions Code,Electoral wards and divisions,Age (6 categories) Code,Age (6 categories),"
    "Observation\n"
    f"{ABBEY},Abbey,1,Aged 15 years and under,2100\n"
    f"{ABBEY},Abbey,2,Aged 16 to 24 years,1200\n"
    f"{ABBEY},Abbey,3,Aged 25 to 34 years,2600\n"
    f"{ABBEY},Abbey,4,Aged 35 to 49 years,2500\n"
    f"{ABBEY},Abbey,5,Aged 50 to 64 years,1700\n"
    f"{ABBEY},Abbey,6,Aged 65 years and over,1100\n"
    f'{CANNON_HILL},Cannon Hill,2,Aged 16 to 24 years,"1,000"\n'
    f"{CANNON_HILL},Cannon Hill,6,Aged 65 years and over,1500\n"
)


def imported(text: str, **kwargs: Any) -> Any:
    return import_profile(file=BytesIO(text.encode("utf-8")), **kwargs)


def test_an_ons_custom_dataset_ward_table_is_imported(merton: Any) -> None:
    report = imported(ONS_AGE, source="Census 2021, TS007A")

    assert report.layout == "ons"
    assert report.characteristics == {
        "age": {"16 to 24": 2200, "25 to 34": 2600, "35 to 49": 2500, "50 to 64": 1700, "65 and over": 2600}
    }
    assert report.wards == 2
    assert report.notes[0] == (
        "Left out 1 row of “Aged 15 years and under (age)”: the profile is of residents aged 16 and over."
    )
    assert "Only 2 of the council's 20 wards have age figures" in report.notes[1]
    margins = borough_margins(merton)
    assert margins["ward"] == {"Abbey": 9100, "Cannon Hill": 2500}
    assert list(margins["age"]) == ["16 to 24", "25 to 34", "35 to 49", "50 to 64", "65 and over"]
    row = ProfileCount.objects.get(ward__code=ABBEY, category="65 and over")
    assert (row.count, row.source, row.invented) == (1100, "Census 2021, TS007A", False)


def test_detailed_ons_categories_are_put_in_our_groups(merton: Any) -> None:
    header = (
        "Electoral wards and divisions Code,Electoral wards and divisions,Ethnic group (20 categories) Code,"
        "Ethnic group (20 categories),Observation\n"
    )
    rows = [
        ("Asian, Asian British or Asian Welsh: Indian", 300),
        ("Asian, Asian British or Asian Welsh: Pakistani", 200),
        ("Black, Black British, Black Welsh, Caribbean or African: African", 250),
        ("Mixed or Multiple ethnic groups: White and Asian", 90),
        ("White: English, Welsh, Scottish, Northern Irish or British", 4000),
        ("White: Roma", 10),
        ("Other ethnic group: Arab", 40),
        ("Does not apply", 0),
    ]
    text = header + "".join(f'{ABBEY},Abbey,{n},"{label}",{count}\n' for n, (label, count) in enumerate(rows))

    report = imported(text)

    assert report.characteristics["ethnicity"] == {
        ETHNIC_GROUPS[0]: 500,
        ETHNIC_GROUPS[1]: 250,
        ETHNIC_GROUPS[2]: 90,
        ETHNIC_GROUPS[3]: 4010,
        ETHNIC_GROUPS[4]: 40,
    }
    assert report.left_out == {"Does not apply (ethnic group)": 1}


def test_ons_labels_map_to_our_categories() -> None:
    assert characteristic_of("Tenure of household (9 categories)") == "tenure"
    assert characteristic_of("Disability (3 categories)") == "disability"
    assert characteristic_of("Sex (2 categories)") == "sex"
    assert characteristic_of("Housing tenure") == "tenure"
    assert characteristic_of("Religion (10 categories)") is None
    assert category_of("tenure", "Owned: Owns with a mortgage or loan") == TENURES[0]
    assert category_of("tenure", "Shared ownership: Shared ownership") == TENURES[0]
    assert category_of("tenure", "Social rented: Rents from council or Local Authority") == TENURES[1]
    assert category_of("tenure", "Lives rent free") == TENURES[2]
    assert category_of("disability", "Disabled under the Equality Act: Day-to-day activities limited a lot") == (
        "Disabled under the Equality Act"
    )
    assert (
        category_of(
            "disability", "Not disabled under the Equality Act: No long term physical or mental health conditions"
        )
        == "Not disabled under the Equality Act"
    )
    assert category_of("ethnicity", "Indian") == ETHNIC_GROUPS[0]
    assert category_of("age", "Aged 4 years and under") == ""
    assert category_of("age", "Aged 10 to 14 years") == ""
    assert category_of("age", "Aged 85 years and over") == "85 and over"
    assert category_of("sex", "Female") == "Female"
    assert category_of("sex", "Unknown") is None


def test_a_table_crossing_two_characteristics_gives_both(merton: Any) -> None:
    text = (
        "Electoral wards and divisions Code,Electoral wards and divisions,Sex (2 categories) Code,Sex (2 categories),"
        "Age (3 categories) Code,Age (3 categories),Observation\n"
        f"{ABBEY},Abbey,1,Female,1,Aged 15 years and under,700\n"
        f"{ABBEY},Abbey,1,Female,2,Aged 16 to 64 years,3000\n"
        f"{ABBEY},Abbey,1,Female,3,Aged 65 years and over,600\n"
        f"{ABBEY},Abbey,2,Male,2,Aged 16 to 64 years,2900\n"
        f"{ABBEY},Abbey,2,Male,3,Aged 65 years and over,500\n"
    )

    report = imported(text)

    assert report.characteristics == {
        "sex": {"Female": 3600, "Male": 3400},
        "age": {"16 to 64": 5900, "65 and over": 1100},
    }


def test_the_simple_layout_is_imported_too(merton: Any) -> None:
    text = (
        "ward_code,characteristic,category,count\n"
        f"{ABBEY},sex,Female,4800\n"
        f"{ABBEY},Sex,Male,4700\n"
        f"{ABBEY},Housing tenure,Social rented,900\n"
        f"{ABBEY},tenure,Owned (outright, with a mortgage or shared ownership),5000\n"
    ).replace(
        "Owned (outright, with a mortgage or shared ownership)",
        '"Owned (outright, with a mortgage or shared ownership)"',
    )

    report = imported(text)

    assert report.layout == "simple"
    assert report.characteristics == {
        "sex": {"Female": 4800, "Male": 4700},
        "tenure": {"Social rented": 900, TENURES[0]: 5000},
    }


def test_bad_rows_are_listed_by_line_and_nothing_is_imported(merton: Any) -> None:
    imported(ONS_AGE)
    before = list(ProfileCount.objects.values_list("ward__code", "category", "count").order_by("id"))
    text = ONS_AGE.replace(f"{CANNON_HILL},Cannon Hill,6", "E05099999,Nowhere,6").replace(",1700\n", ",lots\n")
    text += f"{ABBEY},Abbey,9,Aged about thirty,12\n{ABBEY},Abbey,2,Aged 16 to 24 years,1200\n"

    with pytest.raises(ProfileImportError) as error:
        imported(text)

    assert error.value.message == (
        "4 rows cannot be used, so nothing was imported. Correct them and import the file again."
    )
    assert [str(problem) for problem in error.value.errors] == [
        "Line 6: the count “lots” is not a whole number.",
        "Line 9: the ward code “E05099999” is not a ward in Merton.",
        "Line 10: “Aged about thirty” is not a category of age we know.",
        "Line 11: it repeats line 3 (the same ward and category).",
    ]
    assert list(ProfileCount.objects.values_list("ward__code", "category", "count").order_by("id")) == before


def test_importing_again_replaces_that_characteristic_only(merton: Any) -> None:
    imported(ONS_AGE)
    imported(f"ward_code,characteristic,category,count\n{ABBEY},sex,Female,10\n{ABBEY},sex,Male,9\n")

    imported(f"ward_code,characteristic,category,count\n{ABBEY},age,16 to 59,100\n{ABBEY},age,60 and over,50\n")

    margins = borough_margins(merton)
    assert margins["age"] == {"16 to 59": 100, "60 and over": 50}
    assert margins["sex"] == {"Female": 10, "Male": 9}


def test_a_file_in_neither_layout_says_what_is_expected(merton: Any) -> None:
    with pytest.raises(ProfileImportError, match="'Observation'\\) or have the columns ward_code, characteristic"):
        imported("ward,people\nAbbey,100\n")
    with pytest.raises(ProfileImportError, match="'Religion \\(10 categories\\)' is not a characteristic"):
        imported("Ward Code,Ward,Religion (10 categories) Code,Religion (10 categories),Observation\nE1,A,1,None,3\n")
    with pytest.raises(ProfileImportError, match="The file is empty"):
        imported("")
    with pytest.raises(ProfileImportError, match="Line 2 is not UTF-8 text"):
        import_profile(file=BytesIO(b"ward_code,characteristic,category,count\n\xff\xfe,sex,Female,1\n"))
    with pytest.raises(ProfileImportError, match="no figures for residents aged 16 and over"):
        imported(ONS_AGE.split("\n")[0] + f"\n{ABBEY},Abbey,1,Aged 15 years and under,2100\n")


def test_bands_with_children_in_them_are_flagged(merton: Any) -> None:
    report = imported(f"ward_code,characteristic,category,count\n{ABBEY},age,15 to 19,10\n{ABBEY},age,20+,90\n")

    assert "The age band 15 to 19 includes children under 16" in report.notes[-1]


def test_the_command_imports_a_file_and_reports_bad_rows(merton: Any, tmp_path: Any) -> None:
    good = tmp_path / "age.csv"
    good.write_text(ONS_AGE, encoding="utf-8")
    out = StringIO()
    call_command("import_profile", str(good), "--source", "Census 2021", stdout=out)
    assert "Imported age (5 categories, 11,600 residents) for 2 wards" in out.getvalue()
    assert "Left out 1 row of “Aged 15 years and under (age)”" in out.getvalue()

    bad = tmp_path / "bad.csv"
    bad.write_text(ONS_AGE.replace(",1700\n", ",x\n"), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="1 row cannot be used"):
        call_command("import_profile", str(bad), stderr=err)
    assert "Line 6: the count “x” is not a whole number." in err.getvalue()
    with pytest.raises(CommandError, match="There is no file at"):
        call_command("import_profile", str(tmp_path / "missing.csv"))
