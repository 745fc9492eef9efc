"""PostgreSQL stopped mid-run: /healthz and every page answer 503 (GOV.UK 'service unavailable', Retry-After),
a form posted meanwhile is not half-written, and once the database is back the service answers again with
everything written before it stopped.

The test runs its own throwaway PostgreSQL cluster (initdb into a temporary folder, on a free port) and its own
`commonweal serve`, so stopping that database cannot disturb any other test. It is skipped where PostgreSQL's
programs are not installed, except in CI (CI=true), where it must run.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

import pytest

BIN = Path(sys.executable).parent
PG_BINS = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
AS_ROOT = os.geteuid() == 0
PASSWORD = "a-long-password-for-faults-1"

if not PG_BINS or not Path(PG_BINS[-1], "initdb").exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError("PostgreSQL's programs (initdb, pg_ctl) are needed for the fault tests in CI.")
    pytest.skip("PostgreSQL's programs are not installed", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(*argv: str) -> list[str]:
    """PostgreSQL refuses to run as root: CI runs as root, so its programs run as the postgres user."""
    return ["runuser", "-u", "postgres", "--", *argv] if AS_ROOT else list(argv)


class Cluster:
    def __init__(self, folder: Path) -> None:
        self.data = folder / "data"
        self.port = _free_port()
        self.bin = Path(PG_BINS[-1])
        folder.mkdir(parents=True, exist_ok=True)
        if AS_ROOT:
            shutil.chown(folder, "postgres")
            shutil.chown(folder.parent, "postgres")
        subprocess.run(
            _as_postgres(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8"),
            check=True,
            capture_output=True,
        )
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/faults"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            _as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-w", "-l",
                         str(self.data / "log"), "start"),
            check=True,
            capture_output=True,
        )  # fmt: skip

    def stop(self) -> None:
        subprocess.run(
            _as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"),
            check=False,
            capture_output=True,
        )


class Browser:
    """A resident's HTTP client: cookies kept, redirects followed, every answer returned (errors too)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def open(self, path: str, data: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        body = "&".join(f"{k}={urllib.request.quote(v)}" for k, v in data.items()).encode() if data else None
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def token(self, path: str) -> str:
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.open(path)[2])
        assert found, path
        return found.group(1)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Cluster, str, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("faults")
    # Outside pytest's own folder, which only root may enter: the postgres user must reach its data.
    cluster_folder = Path(tempfile.mkdtemp(prefix="commonweal-faults-"))
    cluster = Cluster(cluster_folder / "pg")
    cluster.start()
    server = None
    try:
        subprocess.run(
            _as_postgres(str(cluster.bin / "createdb"), "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres",
                         "faults"),
            check=True,
            capture_output=True,
        )  # fmt: skip
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "commonweal.settings.demo",
            "DATABASE_URL": cluster.url,
            "COMMONWEAL_VAR_DIR": str(folder / "var"),
            "COMMONWEAL_LOG_LEVEL": "CRITICAL",
        }
        for args in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
            subprocess.run([BIN / "commonweal", *args], env=env, check=True, capture_output=True)
        port = _free_port()
        server = subprocess.Popen(
            [BIN / "commonweal", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        _until(lambda: Browser(base).open("/healthz")[0] == 200)
        yield cluster, base, env
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        cluster.stop()
        shutil.rmtree(cluster_folder, ignore_errors=True)


def _until(condition: Any, seconds: int = 60) -> None:
    for _ in range(seconds * 10):
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError("gave up waiting")


def _signed_up(env: dict[str, str], email: str) -> bool:
    done = subprocess.run(
        [BIN / "commonweal", "shell", "-c",
         "from django.contrib.auth import get_user_model; "
         f"print(get_user_model().objects.filter(email='{email}').count())"],
        env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return done.stdout.strip().splitlines()[-1] == "1"


def _sign_up(browser: Browser, email: str, token: str | None = None) -> tuple[int, dict[str, str], str]:
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    data["csrfmiddlewaretoken"] = token or browser.token("/accounts/signup/")
    return browser.open("/accounts/signup/", data)


Served = tuple[Cluster, str, dict[str, str]]


def test_database_stopped_mid_run_is_a_clear_503_and_nothing_is_lost(served: Served) -> None:
    cluster, base, env = served
    before = Browser(base)
    status, _, _ = _sign_up(before, "before@faults.test")
    assert status == 200
    assert _signed_up(env, "before@faults.test")

    # A resident opens the sign-up form, then the database stops before they send it.
    during = Browser(base)
    token = during.token("/accounts/signup/")
    cluster.stop()

    status, headers, body = during.open("/healthz")
    assert status == 503
    assert '"unreachable"' in body
    assert int(headers["Retry-After"]) > 0
    for path in ("/", "/directory/?q=food", "/places/", "/funding/", "/accounts/login/"):
        status, headers, body = during.open(path)
        assert status == 503, path
        assert "Sorry, the service is unavailable" in body, path
        assert "Try again" in body, path
        assert int(headers["Retry-After"]) > 0, path
    status, headers, body = _sign_up(during, "during@faults.test", token)
    assert status == 503
    assert "Sorry, the service is unavailable" in body
    # The API still answers in JSON, with the same advice.
    status, headers, body = during.open("/api/oruk/services")
    assert status == 503
    assert headers["Content-Type"].startswith("application/json")
    assert int(headers["Retry-After"]) > 0

    cluster.start()
    _until(lambda: Browser(base).open("/healthz")[0] == 200)
    assert Browser(base).open("/")[0] == 200
    assert _signed_up(env, "before@faults.test"), "what was written before the database stopped is there"
    assert not _signed_up(env, "during@faults.test"), "the form sent while it was down left nothing behind"
    # Sending the form again once the service is back works: the page said to try again, and it does.
    again = Browser(base)
    assert _sign_up(again, "during@faults.test")[0] == 200
    assert _signed_up(env, "during@faults.test")
    # And the one who signed up before can still sign in.
    signed_in = Browser(base)
    token = signed_in.token("/accounts/login/")
    status, _, body = signed_in.open(
        "/accounts/login/", {"login": "before@faults.test", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert status == 200 and "Sign out" in body
