"""Two web servers (`commonweal serve`, real gunicorn processes on two ports) and a worker against one PostgreSQL
behave as one system: the sign-in rate limit counts failures across both servers, a value one server puts in the
cache is seen by the other (one spreadsheet build is queued, not one for each server), and a job queued through
one server is run by the worker and its result served by the other.

It skips without PostgreSQL, except in CI (CI=true), where it must run."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from commonweal.funding import tasks as funding_tasks
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)
# The longest the test waits for a server to start or the worker to finish: a limit, never a measurement.
PATIENCE = 120.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _env(var_dir: str) -> dict[str, str]:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    # The servers' own settings, as production's: the cache in the shared database, jobs on the database backend.
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "commonweal.settings.dev",
        "COMMONWEAL_VAR_DIR": var_dir,
        "COMMONWEAL_DB_CONN_MAX_AGE": "0",
    }


@pytest.fixture
def system(postgresql: None, settings: Any, tmp_path: Any) -> Iterator[dict[str, Any]]:
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "commonweal_cache"}
    }
    call_command("createcachetable", verbosity=0)
    env = _env(str(tmp_path / "var"))
    processes: list[subprocess.Popen[bytes]] = []
    logs = []

    def start(*args: str) -> subprocess.Popen[bytes]:
        log = tempfile.TemporaryFile()  # noqa: SIM115 - closed when the test ends
        logs.append(log)
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "commonweal.cli", *args], env=env, stdout=log, stderr=subprocess.STDOUT
        )
        processes.append(process)
        return process

    ports = [_free_port(), _free_port()]
    for port in ports:
        start("serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2")
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    deadline = time.monotonic() + PATIENCE
    for url in urls:
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                for log in logs:
                    log.seek(0)
                    print(log.read().decode(errors="replace")[-3000:])  # noqa: T201
                raise AssertionError(f"{url} never answered")
            time.sleep(0.2)
    try:
        yield {"urls": urls, "start_worker": lambda: start("db_worker", "--no-reload", "--batch", "--no-startup-delay")}
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in logs:
            log.close()


def _sign_in(client: httpx.Client, url: str, email: str, password: str) -> httpx.Response:
    form = client.get(f"{url}/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    assert token, form.text[:500]
    return client.post(
        f"{url}/accounts/login/",
        data={"login": email, "password": password, "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": f"{url}/accounts/login/"},
    )


def test_two_servers_and_a_worker_behave_as_one_system(system: dict[str, Any], make_user: Any) -> None:
    first, second = system["urls"]
    user = make_user("resident")

    # The rate limit: five failed sign-ins for an account in five minutes, counted across both servers. Both are
    # reached by one name, as behind a load balancer (allauth counts per site and account, the site being the Host).
    with httpx.Client(timeout=30, headers={"Host": "localhost"}) as client:
        for n in range(6):
            response = _sign_in(client, (first, second)[n % 2], user.email, "not the password")
            assert response.status_code < 500
        assert "Too many failed login attempts" in response.text
        # On either server, even the right password waits.
        assert "Too many failed login attempts" in _sign_in(client, first, user.email, PASSWORD).text

    # The cache: the first server queues the spreadsheet's build and notes it; the second sees the note and
    # queues nothing more.
    assert httpx.get(f"{first}/funding/open-data/360giving.xlsx", timeout=30).status_code == 202
    assert httpx.get(f"{second}/funding/open-data/360giving.xlsx", timeout=30).status_code == 202
    builds = DBTaskResult.objects.filter(task_path=funding_tasks.build_360giving_spreadsheet.module_path)
    assert builds.count() == 1

    # The job: queued through the first server, run by the worker, its result served by the second.
    worker = system["start_worker"]()
    assert worker.wait(timeout=PATIENCE) == 0
    assert builds.get().status == "SUCCESSFUL"
    served = httpx.get(f"{second}/funding/open-data/360giving.xlsx", timeout=30)
    assert served.status_code == 200
    assert served.content[:2] == b"PK"
