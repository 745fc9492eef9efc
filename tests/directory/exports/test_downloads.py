"""The directory as downloads: a CSV with one row per published service (formula-safe), and the whole
directory as Open Referral UK JSON whose every record validates against the profile's schemas."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonweal.directory import exports
from commonweal.directory.search import reindex_services
from tests.directory.api.directory_data import Directory
from tests.directory.api.schemas import problems, validator
from tests.directory.factories import OrganisationFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(db: None) -> Directory:
    from tests.directory.api.directory_data import make_directory

    return make_directory()


def download(client: Any, path: str) -> tuple[Any, str]:
    response = client.get(path)
    assert response.status_code == 200
    assert response.streaming, "the download is streamed, not built in memory"
    return response, b"".join(response.streaming_content).decode("utf-8")


def csv_rows(client: Any) -> list[dict[str, str]]:
    response, text = download(client, "/directory/export/directory.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="directory.csv"'
    assert text.startswith("\ufeff"), "a byte order mark, so Excel reads UTF-8"
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_the_csv_has_a_row_for_each_published_service_with_what_a_reader_needs(
    directory: Directory, client: Any
) -> None:
    rows = {row["service_name"]: row for row in csv_rows(client)}
    assert set(rows) == {"Food bank", "Debt advice"}
    food = rows["Food bank"]
    assert food["organisation_name"] == "Merton Community Larder"
    assert food["organisation_identifiers"] == "GB-CHC-1234567; GB-COH-07654321"
    assert food["locations"] == "St Mark's Hall: 1 Abbey Road, London, SW19 2HL"
    assert (food["postcodes"], food["wards"], food["wards_served"]) == ("SW19 2HL", "Abbey", "Abbey")
    assert food["categories"] == "Food banks"
    assert food["contacts"] == "Ana Silva (Volunteer lead) 07700 900123"
    assert food["opening_times"] == "FR 09:00-12:00; MO,WE 10:00-14:00"
    assert food["oruk_record"] == f"http://testserver/api/oruk/services/{directory.food_bank.uuid}"
    debt = rows["Debt advice"]
    assert (debt["minimum_age"], debt["maximum_age"], debt["delivery"]) == ("18", "99", "in person; online")


def test_the_csv_leaves_out_what_the_public_may_not_see(directory: Directory, client: Any) -> None:
    _, text = download(client, "/directory/export/directory.csv")
    for name in ("Pending club", "Closed club", "Hidden club", "Waiting Group", "Waiting Place"):
        assert name not in text


def test_a_formula_in_a_service_name_comes_out_neutralised(directory: Directory, client: Any) -> None:
    formulas = ['=HYPERLINK("http://evil.example","Click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)"]
    for n, formula in enumerate(formulas):
        ServiceFactory(organisation=directory.charity, name=formula, description=f"=1+{n}")
    rows = {row["service_id"]: row for row in csv_rows(client)}
    names = {row["service_name"] for row in rows.values()}
    for formula in formulas:
        assert "'" + formula in names
        assert formula not in names
    assert all(not row["description"].startswith(("=", "+", "-", "@")) for row in rows.values())


def test_hostile_text_survives_as_data(directory: Directory, client: Any) -> None:
    hostile = '<script>alert("x")</script>, "quoted"\nnew line \u202eevil\u202c ' + "long " * 900
    directory.food_bank.description = hostile
    directory.food_bank.save()
    directory.charity.name = 'Café \u05e9\u05dc\u05d5\u05dd, Ltd; "Best"'
    directory.charity.save()
    rows = {row["service_name"]: row for row in csv_rows(client)}
    assert rows["Food bank"]["description"] == hostile
    assert rows["Food bank"]["organisation_name"] == 'Café \u05e9\u05dc\u05d5\u05dd, Ltd; "Best"'


def test_the_oruk_export_is_the_whole_directory_valid_against_the_profile(directory: Directory, client: Any) -> None:
    response, text = download(client, "/directory/export/oruk.json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(text)
    assert data["version"] == "3.0"
    assert data["publisher"]["identifier"] == "GB-LAE-MRT"
    assert [o["name"] for o in data["organizations"]] == ["Merton Community Larder"]
    assert {s["name"] for s in data["services"]} == {"Food bank", "Debt advice"}
    for organisation in data["organizations"]:
        assert not problems(validator("organization"), organisation)
    for service in data["services"]:
        assert not problems(validator("service"), service)
    for label, record in directory.hidden.items():
        assert str(record.uuid) not in text, label


def test_the_oruk_export_gives_the_same_records_as_the_api(directory: Directory, client: Any) -> None:
    _, text = download(client, "/directory/export/oruk.json")
    exported = {s["id"]: s for s in json.loads(text)["services"]}
    from_api = client.get(f"/api/oruk/services/{directory.food_bank.uuid}").json()
    assert exported[str(directory.food_bank.uuid)] == from_api


def test_hostile_text_survives_in_the_oruk_export(directory: Directory, client: Any) -> None:
    hostile = '</script><script>alert(1)</script> \u202e "\\ \n'
    directory.food_bank.name = hostile
    directory.food_bank.save()
    _, text = download(client, "/directory/export/oruk.json")
    assert {s["name"] for s in json.loads(text)["services"]} == {hostile, "Debt advice"}


def test_an_empty_directory_gives_empty_files_not_errors(db: None, client: Any) -> None:
    _, text = download(client, "/directory/export/oruk.json")
    data = json.loads(text)
    assert (data["organizations"], data["services"]) == ([], [])
    assert csv_rows(client) == []


def test_the_downloads_read_the_directory_a_chunk_at_a_time(
    db: None, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Memory stays flat however big the directory: seven services are read three at a time."""
    org = OrganisationFactory()
    ServiceFactory.create_batch(7, organisation=org)
    reindex_services(None)
    monkeypatch.setattr(exports, "CHUNK", 3)
    for path in ("/directory/export/directory.csv", "/directory/export/oruk.json"):
        with CaptureQueriesContext(connection) as queries:
            download(client, path)
        chunks = [q["sql"] for q in queries if 'ORDER BY "directory_service"."id" ASC LIMIT 3' in q["sql"]]
        assert len(chunks) == 3, path  # 3 + 3 + 1: a short chunk is the last, so nothing more is asked


def test_the_downloads_are_public_and_read_only(directory: Directory, client: Any, make_user: Any) -> None:
    for path in ("/directory/export/directory.csv", "/directory/export/oruk.json"):
        response = client.get(path)
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == "*"
        assert client.post(path).status_code == 405
