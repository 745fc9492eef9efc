"""Every benchmark, each figure beside a baseline measured in the same run, so machines compare by ratio.

`make bench` runs this at quick sizes (under 15 minutes on a 2-core machine); `--full` at the issues' sizes.
The platform pages: server time of the main pages against /healthz's, and throughput under gunicorn against
/healthz's, on the demo borough (SQLite, var/bench). Then, each on SQLite and on PostgreSQL too when DATABASE_URL
is set or --postgres URL is given (each in a database of its own beside that one, dropped afterwards):
- the directory (bench/directory_search.py, bench/directory_import.py): generated services and organisations,
  search server time, 'Find help' and ORUK throughput, the gaps page, then imports;
- funding (bench/funding.py): assignment, the moderation page before and after a change, the 360Giving exports;
- the Solutions Framework (bench/solutions.py): queues, log, feed, dashboard and the daily breach task.
Then engagement on SQLite (bench/engagement.py, bench/engagement_votes.py), survey weighting (bench/raking.py),
search relevance (bench/relevance.py)
and a locust load run (bench/load.py). The accessibility crawl is `make crawl`.
See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from served import as_served

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
BIN = Path(sys.executable).parent
# The platform section is SQLite whatever DATABASE_URL says; the directory section uses PostgreSQL separately.
POSTGRES_URL = os.environ.get("DATABASE_URL", "")
ENV = {
    **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
    "DJANGO_SETTINGS_MODULE": "commonweal.settings.demo",
    "COMMONWEAL_VAR_DIR": str(VAR),
    "COMMONWEAL_LOG_LEVEL": "ERROR",
}
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "300"))
LOAD_SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))


def setup_database() -> None:
    VAR.mkdir(parents=True, exist_ok=True)
    for args in (["migrate", "--noinput", "-v0"], ["load_demo"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([BIN / "commonweal", *args], env=ENV, check=True, stdout=subprocess.DEVNULL)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def server_times(paths: dict[str, str]) -> dict[str, tuple[float, float, int]]:
    """Median and p95 milliseconds of Django's handling of each path (no network in between), and the queries
    one request makes once caches are warm."""
    os.environ.update(ENV)
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    results = {}
    for name, path in paths.items():
        for _ in range(20):  # warm caches and connections
            client.get(path)
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        queries = len(captured.captured_queries)
        as_served()
        times = []
        for _ in range(REQUESTS):
            start = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        results[name] = (statistics.median(times), percentile(times, 0.95), queries)
    return results


def council_read_each_request() -> Any:
    """The baseline for the kept council (issue 14, item 7): CouncilArea.current() as it was, a query a page."""
    from unittest import mock

    from commonweal.places.models import CouncilArea

    return mock.patch.object(CouncilArea, "current", classmethod(lambda cls: cls.objects.order_by("pk").first()))


def load(path: str) -> float:
    """Requests per second over keep-alive connections from CONCURRENCY threads for LOAD_SECONDS."""
    if shutil.which("wrk"):
        out = subprocess.run(
            ["wrk", "-t2", f"-c{CONCURRENCY}", f"-d{int(LOAD_SECONDS)}s", f"http://127.0.0.1:{PORT}{path}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for line in out.splitlines():
            if line.startswith("Requests/sec:"):
                return float(line.split()[1])
    counts = [0] * CONCURRENCY
    deadline = time.monotonic() + LOAD_SECONDS

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
        while time.monotonic() < deadline:
            conn.request("GET", path)
            conn.getresponse().read()
            counts[i] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CONCURRENCY)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / LOAD_SECONDS


def throughput(paths: dict[str, str]) -> dict[str, float]:
    server = subprocess.Popen(
        [BIN / "commonweal", "serve", "--bind", f"127.0.0.1:{PORT}"],
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=1)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        return {name: load(path) for name, path in paths.items()}
    finally:
        server.terminate()
        server.wait(timeout=10)


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Every benchmark, as ratios to a baseline measured in the same run.")
    parser.add_argument(
        "--full",
        action="store_true",
        help="The issues' sizes: 100,000 services of 30,000 organisations, 100,000-row imports, 2,000 applications "
        "with 40 assessors, 10,000 grants, 50,000 blockages, 50,000 responses, 100,000 ballots, load for 5 minutes.",
    )
    parser.add_argument("--small", action="store_true", help=argparse.SUPPRESS)  # what the default run is now
    parser.add_argument("--services", type=int, help="Services to generate (10,000; --full 100,000).")
    parser.add_argument("--organisations", type=int, help="Organisations (3,000; --full 30,000).")
    parser.add_argument("--import-rows", type=int, help="Rows in each import file (10,000; --full 100,000).")
    parser.add_argument(
        "--postgres",
        nargs="?",
        const=POSTGRES_URL,
        default=POSTGRES_URL,
        metavar="URL",
        help="Also measure on this PostgreSQL server (default: DATABASE_URL, when it is set).",
    )
    parser.add_argument("--no-directory", action="store_true", help="Leave out the directory section.")
    parser.add_argument("--no-funding", action="store_true", help="Leave out the funding section.")
    parser.add_argument("--no-solutions", action="store_true", help="Leave out the Solutions Framework section.")
    parser.add_argument("--no-engagement", action="store_true", help="Leave out the engagement section.")
    parser.add_argument("--no-load", action="store_true", help="Leave out search relevance and the locust load run.")
    parser.add_argument("--no-raking", action="store_true", help="Leave out survey weighting (bench/raking.py).")
    parser.add_argument("--no-panels", action="store_true", help="Leave out the citizens' panel selection bench.")
    parser.add_argument("--blockages", type=int, help="Solutions Framework: blockages (5,000; --full 50,000).")
    parser.add_argument("--applications", type=int, help="Funding: applications (500; --full 2,000).")
    parser.add_argument("--assessors", type=int, help="Funding: assessors (20; --full 40).")
    parser.add_argument("--grants", type=int, help="Funding: grants to export (2,000; --full 10,000).")
    parser.add_argument("--responses", type=int, help="Engagement: responses (10,000; --full 50,000).")
    parser.add_argument("--ballots", type=int, help="Engagement: budget ballots (20,000; --full 100,000).")
    args = parser.parse_args(argv)
    sizes = FULL if args.full else QUICK
    for name, value in sizes.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    return args


# The quick run (`make bench`, under 15 minutes on a 2-core machine) and the issues' sizes (`--full`).
QUICK = {
    "services": 10_000,
    "organisations": 3_000,
    "import_rows": 10_000,
    "applications": 500,
    "assessors": 20,
    "grants": 2_000,
    "blockages": 5_000,
    "responses": 10_000,
    "ballots": 20_000,
}
FULL = {
    "services": 100_000,
    "organisations": 30_000,
    "import_rows": 100_000,
    "applications": 2_000,
    "assessors": 40,
    "grants": 10_000,
    "blockages": 50_000,
    "responses": 50_000,
    "ballots": 100_000,
}


def directory(args: argparse.Namespace) -> None:
    """Search and gaps over a generated directory, then imports: SQLite, then PostgreSQL if there is one."""
    import directory_search

    databases = ["", args.postgres] if args.postgres else [""]
    for url in databases:
        directory_search.measure(
            services=args.services, organisations=args.organisations, requests=REQUESTS, database_url=url
        )
    if (ROOT / "bench" / "directory_import.py").exists():
        import directory_import

        for url in databases:
            directory_import.main(["--rows", str(args.import_rows), *(["--database-url", url] if url else [])])


def funding(args: argparse.Namespace) -> None:
    """Assignment, moderation and the 360Giving exports over a generated fund: SQLite, then PostgreSQL."""
    import funding as funding_bench

    for url in ["", args.postgres] if args.postgres else [""]:
        funding_bench.measure(
            applications=args.applications,
            assessors=args.assessors,
            criteria=5,
            grants=args.grants,
            requests=int(os.environ.get("BENCH_FUNDING_REQUESTS", "20")),
            database_url=url,
        )


def solutions(args: argparse.Namespace) -> None:
    """A department's queue, the public log, the JSON feed, the dashboard and the daily breach task over
    generated blockages: SQLite, then PostgreSQL."""
    import solutions as solutions_bench

    for url in ["", args.postgres] if args.postgres else [""]:
        solutions_bench.measure(
            blockages=args.blockages,
            requests=int(os.environ.get("BENCH_SOLUTIONS_REQUESTS", "20")),
            database_url=url,
        )


def engagement(args: argparse.Namespace) -> None:
    """Consultation results and the responses CSV, then a participatory budget's count (each its own script)."""
    python = str(BIN / "python")
    subprocess.run([python, str(ROOT / "bench" / "engagement.py"), "--responses", str(args.responses)], check=True)
    subprocess.run([python, str(ROOT / "bench" / "engagement_votes.py"), "--ballots", str(args.ballots)], check=True)


def raking(args: argparse.Namespace) -> None:
    """Survey weighting: raking 100,000 responses (1,000,000 with --full) over five margins, beside weightipy."""
    subprocess.run(
        [str(BIN / "python"), str(ROOT / "bench" / "raking.py"), *(["--full"] if args.full else [])], check=True
    )


def panels(args: argparse.Namespace) -> None:
    """Citizens' panel selection: our LEXIMIN beside sortition-algorithms (bench/panels.py; no database)."""
    python = str(BIN / "python")
    subprocess.run([python, str(ROOT / "bench" / "panels.py"), *(["--full"] if args.full else [])], check=True)


def relevance_and_load(args: argparse.Namespace) -> None:
    """Search relevance on the demo borough, then locust against the served demo (5 minutes with --full)."""
    python = str(BIN / "python")
    subprocess.run([python, str(ROOT / "bench" / "relevance.py")], check=True)
    load_args = ["--full"] if args.full else []
    if args.postgres and args.full:
        load_args += ["--postgres", args.postgres]
    subprocess.run([python, str(ROOT / "bench" / "load.py"), *load_args], check=True)


STARTED = time.monotonic()


def main() -> None:
    args = arguments()
    os.environ.pop("DATABASE_URL", None)  # the platform section runs in this process, on SQLite
    setup_database()
    os.environ.update(ENV)
    import django

    django.setup()
    from commonweal.places.models import Ward

    ward = Ward.objects.order_by("name").first()
    assert ward is not None
    pages = {
        "healthz (baseline)": "/healthz",
        "home": "/",
        "ward page": f"/places/wards/{ward.code}/",
        "framework page": "/framework/",
        "wards index": "/places/",
    }
    times = server_times(pages)
    with council_read_each_request():
        before = server_times({"home, council read": "/", "framework, council read": "/framework/"})
    times.update(before)
    base_median = times["healthz (baseline)"][0]
    print(f"\nServer time over {REQUESTS} requests each (Django handler, SQLite, demo borough); 'council read' is")
    print("the page as before the council was kept in the shared cache (issue 14, item 7)")
    print(f"{'page':<25}{'median ms':>10}{'p95 ms':>10}{'x healthz':>11}{'queries':>9}")
    for name, (median, p95, queries) in times.items():
        print(f"{name:<25}{median:>10.2f}{p95:>10.2f}{median / base_median:>11.1f}{queries:>9}")

    rates = throughput({"healthz (ceiling)": "/healthz", "home": "/", "ward page": f"/places/wards/{ward.code}/"})
    ceiling = rates["healthz (ceiling)"]
    tool = "wrk" if shutil.which("wrk") else "python threads"
    print(f"\nThroughput under gunicorn (commonweal serve), {CONCURRENCY} connections, {LOAD_SECONDS:.0f} s, {tool}")
    print(f"{'page':<22}{'req/s':>10}{'of ceiling':>12}")
    for name, rate in rates.items():
        print(f"{name:<22}{rate:>10.0f}{rate / ceiling:>12.2f}")

    if not args.no_directory:
        directory(args)
    if not args.no_funding:
        funding(args)
    if not args.no_solutions:
        solutions(args)
    if not args.no_engagement:
        engagement(args)
    if not args.no_raking:
        raking(args)
    if not args.no_panels:
        panels(args)
    if not args.no_load:
        relevance_and_load(args)
    print(f"\nEvery benchmark took {(time.monotonic() - STARTED) / 60:.1f} minutes.")


if __name__ == "__main__":
    main()
