"""Background jobs that fail are told, not hidden: the person waiting sees a plain message and a retry, a job left
running by a worker that died is noticed and reported failed, and administrators see every failed job.

These tests queue jobs on the real database backend (django_tasks_db), as production does, rather than the
immediate backend the other tests use, so a job's state lives in the database between requests."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from commonweal.core import jobs
from commonweal.directory.models import ImportRun, Organisation
from commonweal.funding import tasks as funding_tasks

pytestmark = pytest.mark.django_db

XLSX = "/funding/open-data/360giving.xlsx"
GROUPS = (
    "name,description,contact_email,phone,postcode,website,wards,categories,what_they_do,when_they_meet\n"
    "Jobs Test Knitters,Knitting,,,,,,,Knitting together.,\n"
)


@pytest.fixture(autouse=True)
def _database_jobs(settings: Any, tmp_path: Path) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.VAR_DIR = tmp_path / "var"


def _left_running_by_a_dead_worker(task_id: str) -> None:
    """What a SIGKILLed worker leaves: its job RUNNING since long before any job could take."""
    DBTaskResult.objects.filter(pk=task_id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - jobs.abandoned_after() - timedelta(minutes=1),
        worker_ids=["killed-worker"],
    )


def _work_off_the_queue() -> None:
    """The real worker, in the test's transaction: its check for stale connections would close the test's own
    (on PostgreSQL a connection inside a transaction looks stale to it), so that check is left out here."""
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def test_the_download_page_says_the_spreadsheet_failed_and_offers_to_try_again(client: Client) -> None:
    first = client.get(XLSX)
    assert first.status_code == 202  # queued, being prepared
    (queued,) = DBTaskResult.objects.filter(task_path=funding_tasks.build_360giving_spreadsheet.module_path)
    _left_running_by_a_dead_worker(str(queued.pk))

    failed = client.get(XLSX)
    assert failed.status_code == 503
    page = failed.content.decode()
    assert "We could not prepare the spreadsheet" in page
    assert "being prepared" not in page
    assert 'data-testid="xlsx-retry"' in page

    again = client.post(XLSX)
    assert again.status_code == 302
    assert client.get(XLSX).status_code == 202  # a new build is queued
    _work_off_the_queue()
    done = client.get(XLSX)
    assert done.status_code == 200
    assert b"".join(done.streaming_content)[:2] == b"PK"  # an xlsx is a zip


def test_a_build_that_raised_is_reported_failed_not_being_prepared(client: Client) -> None:
    client.get(XLSX)
    (queued,) = DBTaskResult.objects.all()
    queued.claim("worker-1")
    queued.set_failed(OSError("disk full"))
    response = client.get(XLSX)
    assert response.status_code == 503
    assert "We could not prepare the spreadsheet" in response.content.decode()


def test_an_import_whose_worker_died_shows_failed_and_can_be_tried_again(
    client: Client, make_user: Any, mfa_exempt: None
) -> None:
    admin = make_user("admin")
    client.force_login(admin)
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(
        "/directory/imports/",
        {"kind": "groups_csv", "file": SimpleUploadedFile("groups.csv", GROUPS.encode(), "text/csv"), "name": ""},
    )
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.QUEUED
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.RUNNING, started_at=timezone.now())
    _left_running_by_a_dead_worker(run.task_id)

    page = client.get(f"/directory/imports/{run.pk}/")
    text = page.content.decode()
    assert "The import failed, so nothing was changed" in text
    assert "background worker stopped" in text
    assert 'data-testid="import-retry"' in text
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED

    retried = client.post(f"/directory/imports/{run.pk}/retry")
    assert retried.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportRun.Status.QUEUED
    _work_off_the_queue()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED
    assert Organisation.objects.filter(name="Jobs Test Knitters").exists()


def test_an_import_whose_file_is_gone_cannot_be_retried_and_says_why(
    client: Client, make_user: Any, mfa_exempt: None
) -> None:
    client.force_login(make_user("admin"))
    run = ImportRun.objects.create(
        kind=ImportRun.Kind.GROUPS_CSV, filename="gone.csv", stored_path="/nowhere/gone.csv", status="failed"
    )
    assert 'data-testid="import-retry"' not in client.get(f"/directory/imports/{run.pk}/").content.decode()
    response = client.post(f"/directory/imports/{run.pk}/retry")
    assert response.status_code == 409
    assert "Upload the file again" in response.content.decode()


def test_administrators_see_failed_jobs_with_a_plain_message_and_retry_them(
    client: Client, make_user: Any, mfa_exempt: None
) -> None:
    client.force_login(make_user("admin"))
    crashed = funding_tasks.send_report_reminders.enqueue()
    _left_running_by_a_dead_worker(str(crashed.id))
    raised = DBTaskResult.objects.get(pk=funding_tasks.build_360giving_spreadsheet.enqueue().id)
    raised.claim("worker-1")
    raised.set_failed(ValueError("bad cell"))

    page = client.get("/account/jobs/failed/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Reminders of monitoring reports due" in text
    assert "The background worker stopped while doing this job" in text
    assert "The 360Giving spreadsheet of published grants" in text
    assert "unexpected error (ValueError)" in text

    response = client.post(f"/account/jobs/{crashed.id}/retry")
    assert response.status_code == 302
    after = client.get("/account/jobs/failed/").content.decode()
    assert "Reminders of monitoring reports due" not in after
    assert DBTaskResult.objects.filter(
        task_path=funding_tasks.send_report_reminders.module_path, status=TaskResultStatus.READY
    ).exists()

    # Trying the same failed job twice (two admins at once) is refused plainly.
    twice = client.post(f"/account/jobs/{crashed.id}/retry")
    assert twice.status_code == 409
    assert "not a failed job any more" in twice.content.decode()


def test_a_job_still_within_its_time_is_not_called_failed() -> None:
    result = funding_tasks.send_report_reminders.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(status=TaskResultStatus.RUNNING, started_at=timezone.now())
    assert jobs.fail_abandoned_jobs() == 0
    state = jobs.job_state(str(result.id))
    assert state is not None and state.status == jobs.RUNNING
