"""The borough's profile page, its CSV, and the page stewards and administrators import it on."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from commonweal.places.demo import load_demo_profile
from commonweal.places.models import ProfileCount

ABBEY = "E05013810"
SIMPLE = f"ward_code,characteristic,category,count\n{ABBEY},sex,Female,4800\n{ABBEY},sex,Male,4700\n"


def upload(client: Client, text: str, name: str = "profile.csv", **data: str) -> Any:
    file = SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")
    return client.post(reverse("places:profile_import"), {"file": file, **data}, follow=True)


def test_the_profile_page_shows_each_characteristic_and_marks_invented_figures(merton: Any, client: Client) -> None:
    load_demo_profile(merton)

    page = client.get(reverse("places:profile")).content.decode()

    assert "profile</h1>" in page
    assert 'data-testid="profile-age"' in page and 'data-testid="invented-age"' not in page
    assert "ONS mid-2015 population (IoD2019 denominators)" in page
    for key in ("sex", "ethnicity", "tenure", "disability"):
        assert f'data-testid="invented-{key}"' in page
    assert page.count("Invented for the demo") >= 4
    assert "Abbey" in page and "60 and over" in page
    assert 'data-testid="profile-import-link"' not in page  # not for a visitor


def test_with_no_profile_the_page_says_how_to_import_one(merton: Any, client: Client) -> None:
    page = client.get(reverse("places:profile")).content.decode()
    assert 'data-testid="profile-empty"' in page
    assert "commonweal import_profile FILE" in page


def test_the_csv_is_the_simple_layout_the_import_reads(merton: Any, client: Client) -> None:
    load_demo_profile(merton)

    response = client.get(reverse("places:profile_csv"))
    lines = b"".join(response.streaming_content).decode().splitlines()

    assert lines[0] == "ward_code,characteristic,category,count"
    assert len(lines) == 1 + ProfileCount.objects.count()
    assert any(line.startswith(f"{ABBEY},age,16 to 59,") for line in lines)


def test_a_steward_imports_a_profile_and_is_told_what_was_imported(
    merton: Any, client: Client, make_user: Any, mfa_exempt: None
) -> None:
    client.force_login(make_user("steward"))

    response = upload(client, SIMPLE, source="Census 2021, TS008")

    assert response.redirect_chain[-1][0] == reverse("places:profile")
    page = response.content.decode()
    assert "Imported sex (2 categories, 9,500 residents) for 1 wards" in page
    assert "Only 1 of the council&#x27;s 20 wards have sex figures" in page
    assert ProfileCount.objects.get(category="Female").source == "Census 2021, TS008"


def test_bad_rows_are_listed_by_line_beside_the_file_and_nothing_is_imported(
    merton: Any, client: Client, make_user: Any, mfa_exempt: None
) -> None:
    client.force_login(make_user("admin"))

    response = upload(client, SIMPLE + "E05099999,sex,Female,1\nE05013810,sex,Other,x\n")

    page = response.content.decode()
    assert response.status_code == 200
    assert "2 rows cannot be used, so nothing was imported." in page
    assert "Line 4: the ward code “E05099999” is not a ward in Merton." in page
    assert "Line 5: the count “x” is not a whole number; “Other” is not a category of sex we know." in page
    assert not ProfileCount.objects.exists()


def test_the_upload_form_explains_each_mistake(merton: Any, client: Client, make_user: Any, mfa_exempt: None) -> None:
    client.force_login(make_user("steward"))
    assert "Select a CSV file." in client.post(reverse("places:profile_import"), {}).content.decode()
    assert "The selected file must be a CSV file." in upload(client, SIMPLE, name="profile.pdf").content.decode()
    assert "The selected file is empty" in upload(client, "").content.decode()
    page = upload(client, "name,people\nAbbey,12\n").content.decode()
    assert "The file must be a Census 2021 ward table" in page


def test_an_officer_cannot_import_a_profile(merton: Any, client: Client, make_user: Any, mfa_exempt: None) -> None:
    client.force_login(make_user("officer"))
    response = client.get(reverse("places:profile_import"))
    assert response.status_code == 403
    assert "Only stewards and administrators can import the borough" in response.content.decode()
