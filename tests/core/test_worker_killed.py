"""A real `commonweal db_worker`, killed with SIGKILL in the middle of saving a big import, leaves nothing of it
written; the run is then noticed as failed (its worker is gone), and trying it again imports it all.

It needs a database two processes share: PostgreSQL (DATABASE_URL). It skips without one, except in CI."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, cast

import pytest
from django.db import connection

from commonweal.core import jobs
from commonweal.directory.imports.runner import retry_import, start_import
from commonweal.directory.models import ImportRun, Organisation
from tests.directory.imports.conftest import CC_HEADER

ROWS = 20_000
# How long the test waits for the worker to reach a stage, at most: a limit, never a measurement.
PATIENCE = 600.0


pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def database_jobs(settings: Any, tmp_path: Path) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.VAR_DIR = tmp_path / "var"


def _register(rows: int) -> bytes:
    lines = [CC_HEADER]
    for n in range(rows):
        lines.append(f"{1_300_000 + n},0,Killed Worker Charity {n},Registered,,,,,,1000,False,Helping people {n}.")
    return ("\n".join(lines) + "\n").encode()


def _worker_env() -> dict[str, str]:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "commonweal.settings.dev"}


@pytest.fixture
def worker() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait()
    _wait_until_alone()


def _other_sessions() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return int(cursor.fetchone()[0])


def _wait_until_alone() -> None:
    """PostgreSQL ends a killed client's session (rolling back its transaction) once it notices it is gone."""
    deadline = time.monotonic() + PATIENCE
    while _other_sessions() and time.monotonic() < deadline:
        time.sleep(0.05)


def _start_worker(started: list[subprocess.Popen[bytes]], *, batch: bool = False) -> subprocess.Popen[bytes]:
    args = [
        sys.executable,
        "-m",
        "commonweal.cli",
        "db_worker",
        "--no-reload",
        "--no-startup-delay",
        "--interval",
        "0.1",
    ]
    if batch:
        args.append("--batch")
    # Its output goes to a file, not a pipe nobody reads, which would stop the worker once full.
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed with the process, by the fixture
    process = subprocess.Popen(args, env=_worker_env(), stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    process.stdout_log = log  # type: ignore[attr-defined]
    started.append(process)
    return process


def _output(process: subprocess.Popen[bytes]) -> str:
    log = cast(IO[bytes], process.stdout_log)  # type: ignore[attr-defined]
    log.seek(0)
    return log.read().decode(errors="replace")[-3000:]


def _writing_now() -> bool:
    """Another connection is inside a transaction that has written rows: the worker is saving the import."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND backend_xid IS NOT NULL"
        )
        return bool(cursor.fetchone()[0])


def _wait_for(what: str, ready: Any, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + PATIENCE
    while not ready():
        if process.poll() is not None:
            raise AssertionError(f"the worker stopped before {what}: {_output(process)}")
        if time.monotonic() > deadline:
            raise AssertionError(f"the worker never got to {what}")
        time.sleep(0.02)


def test_a_worker_killed_mid_import_leaves_nothing_written_and_the_run_can_be_retried(
    postgresql: None, database_jobs: None, worker: list[subprocess.Popen[bytes]], settings: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = Organisation.objects.count()
    run = start_import(
        kind=ImportRun.Kind.CHARITY_COMMISSION,
        upload=SimpleUploadedFile("register.csv", _register(ROWS), "text/csv"),
        by=None,
    )
    assert run.status == ImportRun.Status.QUEUED

    process = _start_worker(worker)

    def saving() -> bool:
        run.refresh_from_db()
        checked = run.status == ImportRun.Status.RUNNING and run.total_rows == run.processed_rows == ROWS
        return checked and _writing_now()

    _wait_for("saving", saving, process)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    _wait_until_alone()

    # Nothing of the file was written: the import's one transaction died with the worker.
    assert Organisation.objects.count() == before
    assert not Organisation.objects.filter(name__startswith="Killed Worker Charity").exists()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.RUNNING  # what a dead worker leaves behind

    # Once a job could not still be running, the dead worker's job is noticed and the run says it failed.
    assert jobs.fail_abandoned_jobs() == 0  # within the limit, a running job is taken to be running
    settings.COMMONWEAL_JOB_ABANDONED_SECONDS = 0  # stands for: the limit has passed
    assert jobs.fail_abandoned_jobs() == 1
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert "background worker stopped" in run.error
    assert [jobs.title_of(j) for j in jobs.failed_jobs()] == ["Directory import"]

    # Tried again, a worker imports every row.
    settings.COMMONWEAL_JOB_ABANDONED_SECONDS = jobs.DEFAULT_ABANDONED_SECONDS
    retry_import(run)
    again = _start_worker(worker, batch=True)
    assert again.wait(timeout=PATIENCE) == 0, _output(again)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    assert Organisation.objects.filter(name__startswith="Killed Worker Charity").count() == ROWS
    assert jobs.failed_jobs() == []
