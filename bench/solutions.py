"""Solutions Framework benchmark: 50,000 blockages with full histories, the pages that read them, and the daily
breach task.

Blockages are generated over Merton's real wards (commonweal.solutions.generate, fixed seed) into a database of
their own, then measured, each figure beside a baseline taken in the same run:

1. Server time (Django's test client, no network), interleaved with /healthz's: median and p95 in milliseconds
   and the median as a multiple of /healthz's, for a department's queue (`solutions:queue`, as an officer of the
   busiest department), the public log (`solutions:log`), the JSON feed (`/api/solutions/blockages`) and the
   dashboard (`solutions:dashboard`, as a steward). The issue's target: each under 200 ms.
2. The daily breach task (`escalation.escalate_late_blockages`) over all of them: the first run, which flags and
   escalates the late blockages the generator left unescalated, and a second run the same day, which finds
   nothing new to do. Seconds; the issue's target: under 10 s.

A page not built yet (another area's work in progress) is reported as 'not built yet' and the rest goes on.

Run: .venv/bin/python bench/solutions.py [--blockages N] [--requests N] [--database-url URL]
With --database-url (or BENCH_DATABASE_URL) a database of its own is made beside that one on the same
PostgreSQL server and dropped afterwards; without, a SQLite file under var/bench/solutions is used.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from postgres import postgres_database
from served import as_served

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
VAR = ROOT / "var" / "bench" / "solutions"
MERTON = "E09000024"
SEED = 2026
TARGET_PAGE_MS = 200.0
TARGET_TASK_S = 10.0
NOT_BUILT = "not built yet"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


# --- children (each runs Django against the benchmark database) --------------------------------------------


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonweal.settings.demo")
    import django

    django.setup()


def child_setup(blockages: int) -> None:
    """Migrate, load Merton's wards, generate the blockages; print what it made as JSON."""
    _django()
    from django.core.management import call_command

    from commonweal.places.services import load_council_area
    from commonweal.solutions.generate import generate_blockages

    call_command("migrate", verbosity=0, interactive=False)
    load_council_area(gss_code=MERTON)
    made = generate_blockages(blockages=blockages, seed=SEED)
    print(json.dumps({**made.counts, "seconds": made.seconds}))


def child_task() -> None:
    """Time the daily breach task twice on the same day: the work, then nothing left to do; print JSON."""
    _django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from commonweal.solutions.escalation import escalate_late_blockages

    result: dict[str, Any] = {}
    for run in ("first", "again"):
        with CaptureQueriesContext(connection) as queries:
            start, cpu = time.perf_counter(), time.process_time()
            done = escalate_late_blockages()
            seconds = time.perf_counter() - start
        result[run] = {
            "seconds": seconds,
            "cpu": time.process_time() - cpu,
            "queries": len(queries.captured_queries),
            **done.as_dict(),
        }
    print(json.dumps(result))


def child_pages(requests: int) -> None:
    """Server times (ms) of the pages over the blockages, interleaved with /healthz; print JSON."""
    _django()
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from commonweal.accounts.models import User
    from commonweal.accounts.roles import Role
    from commonweal.solutions.generate import first_department_queue_owner

    officer = first_department_queue_owner()
    steward = User.objects.filter(memberships__role=Role.STEWARD).order_by("pk").first()
    anonymous = Client(HTTP_HOST="127.0.0.1")
    as_officer = Client(HTTP_HOST="127.0.0.1")
    as_officer.force_login(officer)
    as_steward = Client(HTTP_HOST="127.0.0.1")
    as_steward.force_login(steward)
    wanted: list[tuple[str, str, Client]] = [
        ("department queue", "solutions:queue", as_officer),
        ("public log", "solutions:log", anonymous),
        ("JSON feed", "/api/solutions/blockages", anonymous),
        ("dashboard", "solutions:dashboard", as_steward),
    ]
    pages: dict[str, tuple[str, Client]] = {}
    missing: dict[str, str] = {}
    for label, name, client in wanted:
        if name.startswith("/"):
            path = name
        else:
            try:
                path = reverse(name)
            except NoReverseMatch:
                missing[label] = NOT_BUILT
                continue
        status = client.get(path).status_code  # warms caches, connections and the database's pages
        if status != 200:
            missing[label] = f"{NOT_BUILT} (answers {status})"
        else:
            pages[label] = (path, client)
    as_served()
    times: dict[str, list[float]] = {"healthz": [], **{label: [] for label in pages}}
    cpu: dict[str, list[float]] = {name: [] for name in times}
    for _ in range(requests):
        for label, (path, client) in (("healthz", ("/healthz", anonymous)), *pages.items()):
            start, used = time.perf_counter(), time.process_time()
            assert client.get(path).status_code == 200
            times[label].append((time.perf_counter() - start) * 1000)
            cpu[label].append((time.process_time() - used) * 1000)
    figures: dict[str, Any] = {
        name: {
            "median": statistics.median(values),
            "p95": percentile(values, 0.95),
            "cpu": statistics.median(cpu[name]),
            "n": len(values),
        }
        for name, values in times.items()
    }
    figures.update(missing)
    print(json.dumps(figures))


# --- the parent ---------------------------------------------------------------------------------------------


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-5000:] + done.stderr[-5000:])
        raise SystemExit(f"The Solutions Framework benchmark's {args[0]} step failed (exit {done.returncode}).")
    return done.stdout.strip().splitlines()[-1]


def measure(*, blockages: int, requests: int, database_url: str = "") -> dict[str, Any]:
    """Generate the blockages, then time the pages and the daily breach task; print the tables."""
    VAR.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "commonweal.settings.demo",
        "COMMONWEAL_LOG_LEVEL": "ERROR",
        # The task's digests would otherwise be printed with the results.
        "COMMONWEAL_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    drop = None
    if database_url:
        env["DATABASE_URL"], drop = postgres_database(database_url, "bench_solutions")
        env["COMMONWEAL_VAR_DIR"] = str(VAR / "postgres")
        engine = "PostgreSQL"
    else:
        env.pop("DATABASE_URL", None)
        folder = VAR / f"sqlite-{blockages}"
        if folder.exists():
            shutil.rmtree(folder)
        env["COMMONWEAL_VAR_DIR"] = str(folder)
        engine = "SQLite"
    results: dict[str, Any] = {"engine": engine}
    try:
        subprocess.run(
            [BIN / "commonweal", "collectstatic", "--noinput", "-v0"], env=env, check=True, stdout=subprocess.DEVNULL
        )
        made = json.loads(_run(env, "setup", str(blockages)))
        results["generated"] = made
        print(
            f"\nSolutions Framework: generated {made['blockages']:,} blockages with {made['events']:,} steps, "
            f"{made['parts']:,} department parts and {made['escalations']:,} escalations in {engine}: "
            f"{made['seconds']:.1f} s"
        )

        times = json.loads(_run(env, "pages", str(requests)))
        results["pages"] = times
        base = times["healthz"]["median"]
        print(
            f"\nServer time, {engine}, {blockages:,} blockages, {requests} requests each "
            f"(target under {TARGET_PAGE_MS:.0f} ms)"
        )
        print(f"{'page':<22}{'median ms':>10}{'p95 ms':>10}{'x healthz':>11}{'CPU ms':>10}")
        for name, figure in times.items():
            label = f"{name} (baseline)" if name == "healthz" else name
            if isinstance(figure, str):
                print(f"{label:<22}{figure:>41}")
            else:
                median, p95 = figure["median"], figure["p95"]
                print(f"{label:<22}{median:>10.2f}{p95:>10.2f}{median / base:>11.1f}{figure['cpu']:>10.2f}")

        task = json.loads(_run(env, "task"))
        results["task"] = task
        print(f"\nThe daily breach task, {engine}, {blockages:,} blockages (target under {TARGET_TASK_S:.0f} s)")
        print(
            f"{'run':<22}{'seconds':>10}{'CPU s':>10}{'queries':>10}{'breached':>10}{'to champ.':>11}{'to stew.':>10}"
        )
        for name, label in (("first", "first of the day"), ("again", "again, same day")):
            run = task[name]
            print(
                f"{label:<22}{run['seconds']:>10.2f}{run['cpu']:>10.2f}{run['queries']:>10}{run['breached']:>10,}"
                f"{run['to_champions']:>11,}{run['to_stewards']:>10,}"
            )
        print(f"x healthz: the first run is {task['first']['seconds'] * 1000 / base:,.0f} times /healthz's median.")
        print(f"Load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs.")
    finally:
        if drop is not None:
            drop()
    return results


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--blockages", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=int(os.environ.get("BENCH_SOLUTIONS_REQUESTS", "20")))
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        step, *rest = args.child
        if step == "setup":
            child_setup(int(rest[0]))
        elif step == "task":
            child_task()
        else:
            child_pages(int(rest[0]))
        return {}
    results = measure(blockages=args.blockages, requests=args.requests)
    if args.database_url:
        measure(blockages=args.blockages, requests=args.requests, database_url=args.database_url)
    return results


if __name__ == "__main__":
    main()
