"""The open data page: what a resident or developer finds there, and the way to every download and the API."""

from __future__ import annotations

from typing import Any

import pytest

from tests.directory.api.directory_data import Directory, make_directory

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(db: None) -> Directory:
    return make_directory()


def test_the_page_says_what_the_downloads_hold_and_links_to_them(directory: Directory, client: Any) -> None:
    response = client.get("/directory/export/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Open data: the community directory" in page
    assert "The directory holds 2 services from 1 organisations." in " ".join(page.split())
    assert 'href="/directory/export/directory.csv"' in page
    assert 'href="/directory/export/oruk.json"' in page
    assert "Download the directory as a spreadsheet (CSV)" in page
    assert "Download the directory as Open Referral UK data (JSON)" in page


def test_developers_find_the_api_and_its_document(directory: Directory, client: Any) -> None:
    page = client.get("/directory/export/").content.decode()
    assert '<code data-testid="api-root">http://testserver/api/oruk/</code>' in page
    assert 'href="http://testserver/api/docs"' in page
    for endpoint in ("/services", "/service_at_locations/{id}", "/organizations", "/taxonomy_terms"):
        assert f"<code>{endpoint}</code>" in page
    assert "is 50 unless you ask, at most 500" in page
    assert "format=ndjson" in page


def test_the_page_lists_every_column_of_the_spreadsheet(directory: Directory, client: Any) -> None:
    from commonweal.directory.exports import CSV_HEADER

    page = client.get("/directory/export/").content.decode()
    for column in CSV_HEADER:
        assert f"<li><code>{column}</code></li>" in page


def test_anyone_may_open_it(directory: Directory, client: Any, make_user: Any) -> None:
    assert client.get("/directory/export/").status_code == 200
    client.force_login(make_user("resident"))
    assert client.get("/directory/export/").status_code == 200
    assert client.post("/directory/export/").status_code == 405
