"""An administrator imports the Charity Commission register: as CSV, tab-delimited text or JSON; again and
again without duplicates; and every bad row is reported by line while the good ones are saved together."""

from __future__ import annotations

import json
from typing import Any

import pytest
from auditlog.models import LogEntry

from commonweal.accounts.models import ListingStatus, Organisation
from commonweal.directory.models import ImportRun
from tests.directory.factories import OrganisationFactory, ServiceFactory
from tests.directory.imports.conftest import CC_HEADER, counts, notes, rejected

pytestmark = pytest.mark.django_db
CC = ImportRun.Kind.CHARITY_COMMISSION

ROWS = [
    "1180001,0,Merton Food Bank,Registered,sw19 2hl,020 8540 0000,hello@foodbank.example,www.foodbank.example,"
    "09876543,54000,False,Emergency food parcels for people in crisis.",
    "1180002,0,Wimbledon Carers CIO,Registered,SW19 1AA,,,,,2500000,True,Support for unpaid carers.",
    "1180003,0,An Old Charity,Removed,SW19 1AA,,,,,100,False,Closed.",
    "1180001,3,A Linked Subsidiary,Registered,SW19 1AA,,,,,100,False,Part of the food bank.",
]


def cc_csv(*rows: str) -> str:
    return "\n".join([CC_HEADER, *rows]) + "\n"


def test_main_registered_charities_become_published_organisations_with_their_org_ids(run_import: Any) -> None:
    run = run_import(CC, cc_csv(*ROWS))
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    food = Organisation.objects.get(org_id="GB-CHC-1180001")
    assert (food.name, food.kind, food.charity_number, food.company_number) == (
        "Merton Food Bank",
        Organisation.Kind.REGISTERED_CHARITY,
        "1180001",
        "09876543",
    )
    assert (food.postcode, food.phone, food.email, food.website) == (
        "SW19 2HL",
        "020 8540 0000",
        "hello@foodbank.example",
        "https://www.foodbank.example",
    )
    assert food.size_band == "small" and food.description.startswith("Emergency food")
    assert food.listing_status == ListingStatus.PUBLISHED and food.source == CC and food.last_checked_at
    carers = Organisation.objects.get(org_id="GB-CHC-1180002")
    assert carers.kind == Organisation.Kind.CIO and carers.size_band == "large"
    # Removed and linked charities are left out and counted, not reported as errors.
    assert Organisation.objects.count() == 2
    assert (run.created_count, run.updated_count, run.rejected_count, run.total_rows) == (2, 0, 0, 4)
    assert any("charities removed from the register" in n for n in notes(run))
    assert any("linked charities" in n for n in notes(run))


def test_importing_the_same_register_twice_changes_nothing(run_import: Any) -> None:
    run_import(CC, cc_csv(*ROWS))
    before = counts()
    history = LogEntry.objects.count()
    again = run_import(CC, cc_csv(*ROWS))
    assert again.status == ImportRun.Status.SUCCEEDED
    assert (again.created_count, again.updated_count, again.rejected_count) == (0, 0, 0)
    assert counts() == before
    assert LogEntry.objects.count() == history


def test_a_second_import_updates_changed_fields_and_keeps_what_the_file_leaves_blank(run_import: Any) -> None:
    run_import(CC, cc_csv(*ROWS))
    food = Organisation.objects.get(org_id="GB-CHC-1180001")
    newer = ROWS[0].replace("Merton Food Bank", "Merton Foodbank").replace("020 8540 0000", "")
    newer = newer.replace("54000", "150000")
    run = run_import(CC, cc_csv(newer))
    assert (run.created_count, run.updated_count) == (0, 1)
    food.refresh_from_db()
    assert food.name == "Merton Foodbank" and food.size_band == "medium"
    assert food.phone == "020 8540 0000"  # blank in the file: kept
    entry = LogEntry.objects.get_for_object(food).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes_dict["name"] == ["Merton Food Bank", "Merton Foodbank"]
    assert entry.additional_data == {"import_run": run.pk}


def test_organisations_already_listed_are_matched_by_charity_number_then_name_and_postcode(run_import: Any) -> None:
    by_number = OrganisationFactory(name="Food Bank (Merton)", charity_number="1180001", org_id="")
    by_name = OrganisationFactory(name="wimbledon  CARERS cio", postcode="SW19 1AA", org_id="")
    run = run_import(CC, cc_csv(*ROWS[:2]))
    assert (run.created_count, run.updated_count) == (0, 2)
    assert Organisation.objects.count() == 2
    by_number.refresh_from_db()
    by_name.refresh_from_db()
    assert by_number.org_id == "GB-CHC-1180001" and by_number.name == "Merton Food Bank"
    assert by_name.org_id == "GB-CHC-1180002" and by_name.kind == Organisation.Kind.CIO


def test_a_withdrawn_listing_stays_withdrawn_when_the_register_is_imported_again(run_import: Any) -> None:
    run_import(CC, cc_csv(ROWS[0]))
    Organisation.objects.filter(org_id="GB-CHC-1180001").update(listing_status=ListingStatus.WITHDRAWN)
    run_import(CC, cc_csv(ROWS[0].replace("54000", "9000")))
    food = Organisation.objects.get(org_id="GB-CHC-1180001")
    assert food.listing_status == ListingStatus.WITHDRAWN and food.size_band == "micro"


def test_the_register_as_tab_delimited_text_imports_the_same(run_import: Any) -> None:
    header = CC_HEADER.replace(",", "\t")
    row = ROWS[0].replace(",", "\t")
    run = run_import(CC, f"{header}\r\n{row}\r\n", suffix=".txt")
    assert run.status == ImportRun.Status.SUCCEEDED and run.created_count == 1
    assert Organisation.objects.get().org_id == "GB-CHC-1180001"


def test_the_register_as_json_imports_the_same_and_reports_bad_rows_by_line(run_import: Any) -> None:
    rows = [
        {
            "registered_charity_number": 1180001,
            "linked_charity_number": 0,
            "charity_name": "Merton Food Bank",
            "charity_registration_status": "Registered",
            "charity_contact_postcode": "SW19 2HL",
            "latest_income": 54000.0,
            "charity_is_cio": False,
            "charity_activities": "Food parcels.",
        },
        {
            "registered_charity_number": 1180002,
            "linked_charity_number": 0,
            "charity_name": "Bad Postcode Trust",
            "charity_contact_postcode": "NOT A CODE",
            "charity_is_cio": None,
        },
    ]
    text = "[\n" + ",\n".join(json.dumps(r) for r in rows) + "\n]"
    run = run_import(CC, text, suffix=".json")
    assert run.created_count == 1
    assert rejected(run) == {3: "The postcode “NOT A CODE” is not a real postcode."}


def test_a_file_without_the_registers_columns_is_refused_naming_them(run_import: Any) -> None:
    run = run_import(CC, "name,postcode\nMerton Food Bank,SW19 2HL\n")
    assert run.status == ImportRun.Status.FAILED
    assert "no registered_charity_number and charity_name columns" in run.error
    assert "Its columns are: name, postcode" in run.error
    assert Organisation.objects.count() == 0


def test_bad_rows_are_rejected_with_their_line_and_reason_and_good_rows_still_saved(run_import: Any) -> None:
    rows = [
        ROWS[0],
        "1180005,0,Bad Postcode Trust,Registered,SW19 ZZZZ,,,,,,False,",
        ROWS[0],  # the same charity again
        '1180006,0,=HYPERLINK("http://evil.example"),Registered,,,,,,,False,',
        "1180007,0," + "L" * 201 + ",Registered,,,,,,,False,",
        "ABC,0,Not A Number,Registered,,,not-an-email,,,lots,maybe,",
        ",0,,Registered,,,,,,,False,",
    ]
    run = run_import(CC, cc_csv(*rows))
    assert run.status == ImportRun.Status.SUCCEEDED
    reasons = rejected(run)
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8]
    assert reasons[3] == "The postcode “SW19 ZZZZ” is not a real postcode."
    assert reasons[4].startswith("This is the same organisation as line 2 (org-id GB-CHC-1180001)")
    assert "starts with “=”, which a spreadsheet would run as a formula" in reasons[5]
    assert "201 characters long; it can be at most 200" in reasons[6]
    assert "“ABC” is not a number" in reasons[7] and "not an email address" in reasons[7]
    assert "not an amount of money" in reasons[7] and "True or False" in reasons[7]
    assert "registered charity number is blank" in reasons[8] and "charity name is blank" in reasons[8]
    assert run.rejected_count == 6 and run.created_count == 1
    assert not Organisation.objects.filter(name__startswith="=").exists()


def test_a_windows_1252_file_from_excel_is_imported_with_a_note(run_import: Any) -> None:
    data = cc_csv(ROWS[0].replace("Merton Food Bank", "Café Merton")).encode("cp1252")
    run = run_import(CC, data)
    assert Organisation.objects.get().name == "Café Merton"
    assert any("Windows-1252" in note for note in notes(run))


def test_a_file_over_50_mb_is_refused_before_it_is_read(run_import: Any, tmp_path: Any) -> None:
    from commonweal.directory.imports import import_path

    big = tmp_path / "register.csv"
    with big.open("wb") as handle:
        handle.write(CC_HEADER.encode() + b"\n")
        handle.truncate(50 * 1024 * 1024 + 1)  # sparse: costs no disk, still 50 MB and a byte
    run = import_path(kind=CC, path=big)
    assert run.status == ImportRun.Status.FAILED
    assert "more than the 50 MB an import can take" in run.error
    assert Organisation.objects.count() == 0


def test_a_failure_while_saving_leaves_the_directory_exactly_as_it_was(run_import: Any, monkeypatch: Any) -> None:
    from commonweal.directory.imports import writing

    existing = OrganisationFactory(charity_number="1180001", org_id="", name="Old Name")
    ServiceFactory(organisation=existing)
    before, history = counts(), LogEntry.objects.count()

    def broken(ids: Any) -> None:
        raise RuntimeError("the search index is down")

    monkeypatch.setattr(writing, "reindex_services", broken)
    run = run_import(CC, cc_csv(*ROWS))
    assert run.status == ImportRun.Status.FAILED
    assert "nothing was changed" in run.error and "RuntimeError" in run.error
    assert counts() == before and LogEntry.objects.count() == history
    existing.refresh_from_db()
    assert existing.name == "Old Name" and existing.org_id == ""


def test_new_listings_can_be_held_for_approval(run_import: Any) -> None:
    run_import(CC, cc_csv(ROWS[0]), publish=False)
    assert Organisation.objects.get().listing_status == ListingStatus.PENDING
