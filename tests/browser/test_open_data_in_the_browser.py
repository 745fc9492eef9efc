"""A developer opens the open data page in a real browser: it passes axe, and its links lead to the data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.directory.api.directory_data import make_directory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_open_data_page_leads_to_the_downloads_and_the_api(
    page: Page, live_server: Any, assert_accessible: Any
) -> None:
    make_directory()
    page.goto(f"{live_server.url}/directory/export/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Open data: the community directory")
    expect(page.get_by_test_id("open-data-counts")).to_contain_text("2 services from 1 organisations")
    page.get_by_text("The spreadsheet's columns").click()
    expect(page.get_by_test_id("csv-columns")).to_be_visible()
    assert_accessible(page)

    csv_link = page.get_by_role("link", name="Download the directory as a spreadsheet (CSV)")
    with page.expect_download() as download:
        csv_link.click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert text.startswith("service_id,service_name,")
    assert "Food bank" in text

    docs = page.request.get(page.get_by_test_id("api-docs").get_attribute("href") or "")
    assert docs.ok
    assert docs.json()["servers"][0]["url"] == f"{live_server.url}/api/oruk"
    services = page.request.get(f"{live_server.url}/api/oruk/services")
    assert services.headers["access-control-allow-origin"] == "*"
    assert json.loads(services.text())["total_items"] == 2


def test_the_page_reads_well_on_a_phone(page: Page, live_server: Any, assert_accessible: Any) -> None:
    make_directory()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/directory/export/")
    expect(page.get_by_test_id("api-root")).to_be_visible()
    assert_accessible(page)
