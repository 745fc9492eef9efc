"""The worker builds the demo's 360Giving spreadsheet: its recipients are placed in their wards (a `location`
list inside the recipient), the shape that once made every build fail while the page said 'being prepared'."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django_tasks.base import TaskResultStatus

from commonweal.funding import tasks
from commonweal.funding.opendata import giving360

from .test_xlsx import unflattened

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_cache_folder(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path / "var"


def test_the_worker_builds_the_demos_spreadsheet_with_recipients_in_their_wards(
    demo_borough: Any, client: Client
) -> None:
    package = giving360.build_package()
    placed = [g for g in package["grants"] if "location" in g["recipientOrganization"][0]]
    assert placed, "the demo's recipients are placed in their wards: the case this test is for"
    # The immediate backend records a failing task rather than raising: its status is what tells.
    result = tasks.build_360giving_spreadsheet.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL, [error.traceback for error in result.errors]
    built = Path(str(result.return_value))
    assert unflattened(built) == {grant["id"]: grant for grant in package["grants"]}
    book = openpyxl.load_workbook(built, read_only=True)
    located = {row[0] for row in book["Rec_Location"].iter_rows(min_row=2, values_only=True)}
    assert located == {grant["id"] for grant in placed}
    # And the download serves it rather than 'being prepared'.
    response = client.get("/funding/open-data/360giving.xlsx")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == built.read_bytes()
