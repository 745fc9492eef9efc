"""An administrator finds the failed background jobs from their home, reads why each failed, and tries one
again; the public sees a failed spreadsheet build as a failure with a button to try again, not 'being prepared'."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import Page, expect

from commonweal.core import jobs
from commonweal.funding import tasks as funding_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _database_jobs(settings: Any, tmp_path: Path) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.VAR_DIR = tmp_path / "var"


def _killed(task_id: str) -> None:
    DBTaskResult.objects.filter(pk=task_id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - jobs.abandoned_after() - timedelta(minutes=1)
    )


def test_an_admin_sees_a_failed_job_and_tries_it_again(
    page: Page, live_server: Any, make_user: Any, merton: Any, mfa_exempt: None, sign_in: Any, assert_accessible: Any
) -> None:
    _killed(str(funding_tasks.send_report_reminders.enqueue().id))
    sign_in(page, make_user("admin"))
    page.get_by_role("link", name="Failed jobs").click()
    table = page.get_by_test_id("failed-jobs")
    expect(table).to_contain_text("Reminders of monitoring reports due")
    expect(table).to_contain_text("The background worker stopped while doing this job")
    assert_accessible(page)
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_test_id("no-failed-jobs")).to_be_visible()
    assert_accessible(page)


def test_the_public_sees_the_spreadsheet_failed_and_can_try_again(
    page: Page, live_server: Any, merton: Any, assert_accessible: Any
) -> None:
    page.goto(f"{live_server.url}/funding/open-data/360giving.xlsx")
    expect(page.get_by_role("heading", level=1)).to_have_text("The spreadsheet is being prepared")
    (queued,) = DBTaskResult.objects.all()
    _killed(str(queued.pk))
    page.reload()
    expect(page.get_by_test_id("xlsx-failed")).to_have_text("We could not prepare the spreadsheet")
    assert_accessible(page)
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The spreadsheet is being prepared")
