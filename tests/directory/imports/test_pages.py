"""The imports pages: an administrator uploads a file, the background task imports it, and the run page shows
the outcome with every rejected row; nobody else may import; oversized or wrong files are refused plainly."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from commonweal.accounts.models import Organisation
from commonweal.directory.models import ImportRun
from tests.directory.imports.conftest import CC_HEADER, GROUPS_HEADER

pytestmark = pytest.mark.django_db

GOOD_ROW = "1180001,0,Merton Food Bank,Registered,SW19 2HL,,,,,54000,False,Food parcels."
BAD_ROW = "1180002,0,=1+1,Registered,SW19 ZZZZ,,,,,,False,"


@pytest.fixture
def admin(client: Client, make_user: Any, mfa_exempt: None, settings_var: Any) -> Any:
    user = make_user("admin")
    client.force_login(user)
    return user


def upload(name: str, content: str | bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content, "text/csv")


def post_import(client: Client, kind: str, file: Any, **extra: Any) -> Any:
    return client.post("/directory/imports/", {"kind": kind, "file": file, "name": "", **extra})


def test_an_administrator_uploads_the_register_and_sees_the_report(client: Client, admin: Any, merton: Any) -> None:
    response = post_import(
        client, "charity_commission", upload("register.csv", f"{CC_HEADER}\n{GOOD_ROW}\n{BAD_ROW}\n")
    )
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/directory/imports/{run.pk}/"
    assert (run.status, run.started_by, run.filename, run.created_count) == ("succeeded", admin, "register.csv", 1)
    assert run.task_id
    page = client.get(response["Location"]).content.decode()
    assert "Import finished" in page and "1 record added" in page and "1 row rejected" in page
    assert "The charity name starts with “=”" in page and "the postcode “SW19 ZZZZ” is not a real postcode" in page
    assert "Check progress" not in page  # finished: nothing to poll
    assert Organisation.objects.filter(org_id="GB-CHC-1180001").exists()
    listing = client.get("/directory/imports/").content.decode()
    assert "register.csv" in listing and "Finished" in listing


def test_the_uploaded_file_is_deleted_once_imported(client: Client, admin: Any, settings_var: Any) -> None:
    post_import(client, "groups_csv", upload("groups.csv", f"{GROUPS_HEADER}\nKnit and Natter,,,,,,,,,\n"))
    assert not list((settings_var / "imports").iterdir())


def test_the_rejected_rows_download_as_csv_with_formulas_neutralised(client: Client, admin: Any) -> None:
    post_import(client, "groups_csv", upload("groups.csv", f"{GROUPS_HEADER}\nGood,,,,,,,,,\n+SUM(A1),,,,,,,,,\n"))
    run = ImportRun.objects.get()
    response = client.get(f"/directory/imports/{run.pk}/rejected-rows.csv")
    assert response["Content-Disposition"] == f'attachment; filename="import-{run.pk}-rejected-rows.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))  # type: ignore[attr-defined]
    assert rows[0] == ["line", "reason"]
    assert rows[1][0] == "3" and "formula" in rows[1][1]
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_a_run_still_going_shows_its_progress_and_a_link_to_check_it(client: Client, admin: Any) -> None:
    run = ImportRun.objects.create(
        kind="groups_csv",
        filename="big.csv",
        stored_path="/nowhere",
        status="running",
        total_rows=200,
        processed_rows=50,
    )
    page = client.get(f"/directory/imports/{run.pk}/").content.decode()
    assert "Checking the rows." in page and "50 of about 200 rows checked (25%)" in page
    assert f'href="/directory/imports/{run.pk}/"' in page and "Check progress" in page
    assert 'src="/static/directory/imports.mjs"' in page
    status = client.get(f"/directory/imports/{run.pk}/status.json").json()
    assert (status["status"], status["percent"], status["finished"]) == ("running", 25, False)
    assert client.get(f"/directory/imports/{run.pk}/status.json")["Cache-Control"] == "no-store"


def test_a_failed_run_says_why_and_that_nothing_changed(client: Client, admin: Any) -> None:
    post_import(client, "charity_commission", upload("wrong.csv", "name,postcode\nA,B\n"))
    run = ImportRun.objects.get()
    page = client.get(f"/directory/imports/{run.pk}/").content.decode()
    assert "The import failed, so nothing was changed" in page
    assert "no registered_charity_number and charity_name columns" in page


def test_the_form_explains_what_is_missing_or_wrong(client: Client, admin: Any, settings: Any) -> None:
    page = client.post("/directory/imports/", {}).content.decode()
    assert "There is a problem" in page and "Choose what kind of file it is." in page and "Select a file." in page
    wrong = post_import(client, "groups_csv", upload("groups.xlsx", "x"))
    assert "The selected file must be a CSV, TXT or JSON file." in wrong.content.decode()
    empty = post_import(client, "groups_csv", upload("groups.csv", b""))
    assert "The selected file is empty." in empty.content.decode()
    settings.COMMONWEAL_IMPORT_MAX_BYTES = 1000
    big = post_import(client, "groups_csv", upload("groups.csv", "x" * 1500))
    assert "The selected file must be smaller than 1000 bytes. It is 1 KB" in big.content.decode()
    assert ImportRun.objects.count() == 0


def test_an_upload_over_50_mb_is_refused_without_reading_it(client: Client, admin: Any) -> None:
    response = client.post(
        "/directory/imports/",
        {"kind": "groups_csv", "file": upload("huge.csv", "name\nA\n")},
        CONTENT_LENGTH=str(60 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "The selected file must be smaller than 50 MB. It is 60 MB" in response.content.decode()
    assert ImportRun.objects.count() == 0


def test_a_real_50_mb_upload_is_refused_too(client: Client, admin: Any) -> None:
    big = SimpleUploadedFile("huge.csv", b"name\n" + b"x" * (50 * 1024 * 1024), "text/csv")
    response = post_import(client, "groups_csv", big)
    assert "The selected file must be smaller than 50 MB. It is just over 50 MB" in response.content.decode()
    assert ImportRun.objects.count() == 0


def test_uploads_need_the_csrf_token(make_user: Any, mfa_exempt: None, settings_var: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("admin"))
    response = post_import(client, "groups_csv", upload("groups.csv", f"{GROUPS_HEADER}\nA,,,,,,,,,\n"))
    assert response.status_code == 403
    assert ImportRun.objects.count() == 0


def test_the_template_downloads_with_the_columns_the_import_reads(client: Client, admin: Any) -> None:
    response = client.get("/directory/imports/community-groups-template.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))  # type: ignore[attr-defined]
    assert ",".join(rows[0]) == GROUPS_HEADER
    assert rows[1][0] == "Abbey Road Litter Pickers"


def test_hostile_file_names_and_rejections_are_shown_as_text(client: Client, admin: Any) -> None:
    name = "<b onmouseover=alert(1)>\u202egpj.csv"
    post_import(client, "groups_csv", upload(name, f"{GROUPS_HEADER}\nGood,,,,<img src=x>,,,,,\n"))
    run = ImportRun.objects.get()
    page = client.get(f"/directory/imports/{run.pk}/").content.decode()
    assert "<b onmouseover" not in page
    # Control characters such as the right-to-left override are taken out of file names altogether.
    assert run.filename == "<b onmouseover=alert(1)>gpj.csv"
    assert "<bdi>&lt;b onmouseover=alert(1)&gt;gpj.csv</bdi>" in page
    assert "<img src=x>" not in page and "“&lt;img src=x&gt;” is not a real postcode" in page


@pytest.mark.parametrize("role", ["resident", "group_member", "officer", "champion", "steward"])
def test_only_administrators_may_import(client: Client, make_user: Any, mfa_exempt: None, role: str) -> None:
    client.force_login(make_user(role))
    response = post_import(client, "groups_csv", upload("groups.csv", f"{GROUPS_HEADER}\nA,,,,,,,,,\n"))
    assert response.status_code == 403
    assert client.get("/directory/imports/").status_code == 403
    assert ImportRun.objects.count() == 0


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get("/directory/imports/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
