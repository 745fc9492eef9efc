"""Load: locust against `commonweal serve` with the demo borough, 80% anonymous residents, 20% signed in.

    .venv/bin/python bench/load.py                       # the cheap form (make bench): 10 users for 20 seconds, SQLite
    .venv/bin/python bench/load.py --full                # the issue's figure: 50 users for 5 minutes
    .venv/bin/python bench/load.py --full --postgres URL # ... on PostgreSQL (a database of its own beside URL's)

Prints requests served, p50/p95/p99 in milliseconds and errors per kind of page and in all, and /healthz from the
same run as the baseline (`x healthz` is a page's median over /healthz's median). The mix is bench/locustfile.py.
Exits 1 when any request failed (an answer that was not 2xx after redirects, or no answer).
"""

from __future__ import annotations

import argparse
import csv
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from postgres import postgres_database

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "commonweal-demo"


def _opener(base: str, email: str = "") -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    if email:
        page = opener.open(base + "/accounts/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        data = f"login={email}&password={PASSWORD}&csrfmiddlewaretoken={token.group(1) if token else ''}".encode()
        request = urllib.request.Request(base + "/accounts/login/", data=data, headers={"Referer": base + "/"})
        if "/accounts/login/" in opener.open(request).geturl():
            raise SystemExit(f"{email} could not sign in to the benchmark's server.")
    return opener


def _links(opener: urllib.request.OpenerDirector, url: str, pattern: str) -> list[str]:
    return sorted(set(re.findall(pattern, opener.open(url).read().decode())))


def discover(base: str) -> dict[str, list[str]]:
    """The demo borough's addresses for the mix, read from its own pages as a user would find them."""
    anonymous = _opener(base)
    services: list[str] = []
    for words in ("club", "support", "advice", "food", "health"):
        search = f"{base}/directory/?q={words}&distance=any"
        services += _links(anonymous, search, r'href="(/directory/services/[0-9a-f-]{36}/)"')
    funding = _links(anonymous, base + "/funding/", r'href="(/funding/(?:rounds|funds)/[a-z0-9-]+/)"')
    group = _opener(base, "group@demo.commonweal.test")
    officer = _opener(base, "officer@demo.commonweal.test")
    paths = {
        "services": sorted(set(services)),
        "wards": _links(anonymous, base + "/places/", r'href="(/places/wards/[A-Z0-9]+/)"'),
        "funding": ["/funding/", "/funding/where-the-money-went/", *funding],
        "open_data": ["/funding/open-data/", "/directory/export/", "/api/oruk/services?page=1&per_page=20"],
        "group_pages": _links(
            group, base + "/directory/manage/", r'href="(/directory/manage/organisations/[a-z0-9-]+/)"'
        ),
        "drafts": _links(group, base + "/funding/applications/", r'href="(/funding/applications/[0-9a-f-]{36}/edit/)"'),
        "rounds_manage": _links(officer, base + "/funding/manage/", r'href="(/funding/manage/rounds/[a-z0-9-]+/)"'),
    }
    paths["rounds_manage"] += [p + "applications/" for p in paths["rounds_manage"]]
    for name, found in paths.items():
        if not found and name in {"services", "wards"}:
            raise SystemExit(f"The benchmark found no {name} in the demo borough.")
    return paths


def _wait_for(base: str) -> None:
    for _ in range(600):
        try:
            if urllib.request.urlopen(base + "/healthz", timeout=1).status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("The benchmark's server did not start.")


def report(stats_csv: Path, label: str) -> int:
    rows = list(csv.DictReader(stats_csv.open(encoding="utf-8")))
    healthz = next((float(r["50%"]) for r in rows if r["Name"] == "/healthz"), 0.0)
    print(f"\n{label}")
    print(f"{'page':<48}{'requests':>9}{'errors':>7}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'x healthz':>10}")
    errors = 0
    for row in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        name = row["Name"] if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
        ratio = f"{float(row['50%']) / healthz:.1f}" if healthz else "-"
        print(
            f"{name[:47]:<48}{row['Request Count']:>9}{row['Failure Count']:>7}"
            f"{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}{ratio:>10}"
        )
        if row["Name"] == "Aggregated":
            errors = int(row["Failure Count"])
    return errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help="The issue's run: 50 users for 5 minutes.")
    parser.add_argument("--users", type=int, help="Users (default 10, or 50 with --full).")
    parser.add_argument("--seconds", type=int, help="Seconds of load (default 20, or 300 with --full).")
    parser.add_argument("--postgres", metavar="URL", default="", help="Run on PostgreSQL (a database beside URL's).")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8766")))
    options = parser.parse_args(argv)
    users = options.users or (50 if options.full else 10)
    seconds = options.seconds or (300 if options.full else 20)

    folder = ROOT / "var" / "bench" / "load"
    folder.mkdir(parents=True, exist_ok=True)
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DJANGO_SETTINGS_MODULE": "commonweal.settings.demo",
        "COMMONWEAL_VAR_DIR": str(folder),
        "COMMONWEAL_LOG_LEVEL": "ERROR",
    }
    drop = None
    if options.postgres:
        env["DATABASE_URL"], drop = postgres_database(options.postgres, "bench_load")
        database = "PostgreSQL"
    else:
        (folder / "commonweal.sqlite3").unlink(missing_ok=True)
        database = "SQLite"
    server = None
    try:
        for args in (["migrate", "--noinput", "-v0"], ["load_demo"], ["collectstatic", "--noinput", "-v0"]):
            subprocess.run([BIN / "commonweal", *args], env=env, check=True, stdout=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{options.port}"
        server = subprocess.Popen(
            [BIN / "commonweal", "serve", "--bind", f"127.0.0.1:{options.port}"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=(folder / "server.log").open("w"),
        )
        _wait_for(base)
        with tempfile.TemporaryDirectory() as tmp:
            paths_file = Path(tmp) / "paths.json"
            paths_file.write_text(json.dumps(discover(base)), encoding="utf-8")
            prefix = Path(tmp) / "load"
            subprocess.run(
                [
                    BIN / "locust",
                    "-f",
                    str(ROOT / "bench" / "locustfile.py"),
                    "--headless",
                    "--host",
                    base,
                    "--users",
                    str(users),
                    "--spawn-rate",
                    str(max(1, users // 10)),
                    "--run-time",
                    f"{seconds}s",
                    "--csv",
                    str(prefix),
                    "--only-summary",
                    "--loglevel",
                    "ERROR",
                    "--exit-code-on-error",
                    "0",
                ],
                env={**os.environ, "COMMONWEAL_LOAD_PATHS": str(paths_file)},
                check=True,
                stdout=subprocess.DEVNULL,
            )
            errors = report(
                Path(f"{prefix}_stats.csv"),
                f"Load on {database}: {users} users for {seconds} s, 80% anonymous, 20% signed in "
                "(bench/locustfile.py)",
            )
            failures = list(csv.DictReader(Path(f"{prefix}_failures.csv").open(encoding="utf-8")))
            for failure in failures:
                print(f"  failed {failure['Occurrences']}x {failure['Method']} {failure['Name']}: {failure['Error']}")
        return 1 if errors else 0
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        if drop:
            drop()  # type: ignore[operator]


if __name__ == "__main__":
    sys.exit(main())
