"""Directory search benchmark: 100,000 services of 30,000 organisations, searched by words + a filter + distance.

A directory of that size is generated over Merton's real wards (commonweal.directory.generate, fixed seed) into a
database of its own, then three figures are measured, each beside a baseline taken in the same run:

1. Server time of a varied mix of searches (several words, typos, categories and other filters, postcodes and
   distances): through `search_services` itself, through the 'Find help' page's Django handler, and through
   the ORUK API's /api/oruk/services handler (Django's test client: no network), beside /healthz's handler.
   Median and p95 in milliseconds; the issue's target is p95 under 50 ms.
2. Throughput of the same mix under concurrent load against gunicorn (`commonweal serve`), beside /healthz on
   the same server in the same run, after one request for each path (the steady state of a server in service,
   not the minute after it starts with an empty cache): requests a second and the ratio. The issue's target is
   at least half.
3. The gaps page (every ward's figures over the whole directory) for an officer, beside /healthz.

Run: .venv/bin/python bench/directory_search.py [--services N] [--organisations N] [--database-url postgres://...]
With --database-url (or BENCH_DATABASE_URL) a database of its own is made beside that one on the same
PostgreSQL server and dropped afterwards (with --reuse it is kept, named for its size, and the next --reuse run
uses it); without, a SQLite file under var/bench/directory is used (kept, so --reuse can skip generating it again).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from postgres import postgres_database
from served import as_served

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
VAR = ROOT / "var" / "bench" / "directory"
MERTON = "E09000024"
SEED = 2025
MILE = 1609.344
PORT = int(os.environ.get("BENCH_PORT", "8766"))
LOAD_SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))
TARGET_P95_MS = 50.0
TARGET_RATIO = 0.5

# What residents type: plain words, several words, and the typos a phone keyboard makes.
WORDS = (
    "lunch club",
    "food bank",
    "benefits advice",
    "debt",
    "yoga",
    "mental health support",
    "english conversation",
    "youth club",
    "coffee morning",
    "warm space",
    "lunch clb",
    "fod bank",
    "benifits",
    "councelling",
    "yogga",
    "dept advise",
)
# One filter with each search: a category (top-level or below), free only, or a way of getting help.
FILTERS = (
    ("category", "food"),
    ("category", "money"),
    ("free", "on"),
    ("category", "health"),
    ("delivery", "in_person"),
    ("category", "children-families"),
    ("category", "community-meals"),
    ("category", "older-people"),
    ("delivery", "by_phone"),
    ("category", "community-life"),
    ("free", "on"),
)
MIX_SIZE = 48
BROAD = 5_000  # a search that finds at least this many services is broad


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


# --- children (each runs Django against the benchmark database) --------------------------------------------


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonweal.settings.demo")
    import django

    django.setup()


def child_setup(services: int, organisations: int) -> None:
    """Migrate, load Merton's wards and demo postcodes, generate the directory; print what it took as JSON."""
    _django()
    import tempfile

    from django.core.management import call_command

    from commonweal.accounts.models import User
    from commonweal.accounts.services import confirm_email, grant_membership
    from commonweal.directory.generate import generate_directory
    from commonweal.places.services import generate_demo_postcodes, import_postcodes, load_council_area

    call_command("migrate", verbosity=0, interactive=False)
    council = load_council_area(gss_code=MERTON)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "postcodes.csv"
        generate_demo_postcodes(council=council, out=path, per_ward=10)
        import_postcodes(path=path, is_demo=True)
    admin = confirm_email(
        User.objects.create_user("bench-admin@bench.commonweal.test", None, full_name="Benchmark administrator")
    )
    grant_membership(user=admin, role="admin")
    built = generate_directory(council=council, organisations=organisations, services=services, seed=SEED)
    print(json.dumps({**built.counts(), "seconds": built.seconds, "reindex_seconds": built.reindex_seconds}))


def _mix() -> list[dict[str, Any]]:
    """The queries, each as a SearchQuery, a 'Find help' address and an ORUK address."""
    from commonweal.directory.forms_public import DEFAULT_DISTANCE
    from commonweal.directory.models import TaxonomyTerm
    from commonweal.directory.search import SearchQuery
    from commonweal.places.models import Postcode

    postcodes = list(Postcode.objects.order_by("postcode")[:: max(1, Postcode.objects.count() // 24)])
    terms = {term.code: term for term in TaxonomyTerm.objects.all()}
    mix = []
    for i in range(MIX_SIZE):
        words = WORDS[i % len(WORDS)]
        field, value = FILTERS[i % len(FILTERS)]
        postcode = postcodes[(i * 7) % len(postcodes)]
        miles = (1, 2, 5)[i % 3] if i % 4 else int(DEFAULT_DISTANCE)
        within = miles * MILE
        query: dict[str, Any] = {
            "words": words,
            "near": (postcode.latitude, postcode.longitude),
            "within_metres": within,
        }
        page = {"q": words, "postcode": postcode.postcode, "distance": str(miles), field: value}
        api = {"search": words, "postcode": postcode.postcode, "proximity": str(round(within))}
        if field == "category":
            query["term_ids"] = (terms[value].pk,)
            api["taxonomy_term_id"] = str(terms[value].uuid)
        elif field == "free":
            query["is_free"] = True
        else:
            query["delivery"] = frozenset({value})
        mix.append(
            {
                "query": SearchQuery(**query),
                "page": "/directory/?" + urlencode(page),
                "api": "/api/oruk/services?" + urlencode(api),
            }
        )
    return mix


def child_measure(requests: int) -> None:
    """Server times (ms) of each handler over the mix, interleaved with the /healthz baseline; print JSON."""
    _django()
    from django.test import Client

    from commonweal.accounts.models import User
    from commonweal.directory.search import search_services

    mix = _mix()
    client = Client(HTTP_HOST="127.0.0.1")
    for item in mix:  # warm caches, connections and the database's pages
        search_services(item["query"])
        assert client.get(item["page"]).status_code == 200, item["page"]
        assert client.get(item["api"]).status_code == 200, item["api"]
    as_served()
    times: dict[str, list[float]] = {"healthz": [], "search_services": [], "find help page": [], "oruk services": []}
    totals: list[int] = []
    for n in range(requests):
        item = mix[n % len(mix)]
        start = time.perf_counter()
        assert client.get("/healthz").status_code == 200
        times["healthz"].append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        found = search_services(item["query"])
        times["search_services"].append((time.perf_counter() - start) * 1000)
        totals.append(found.total)
        start = time.perf_counter()
        assert client.get(item["page"]).status_code == 200
        times["find help page"].append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        assert client.get(item["api"]).status_code == 200
        times["oruk services"].append((time.perf_counter() - start) * 1000)

    officer = Client(HTTP_HOST="127.0.0.1")
    admin = User.objects.get(email="bench-admin@bench.commonweal.test")
    officer.force_login(admin)
    assert officer.get("/directory/gaps/").status_code == 200
    # The gaps page keeps its counts until the directory changes: time it counting afresh (the cache emptied
    # first, as after any change) and as officers mostly meet it (filtering and sorting what was counted).
    from django.core.cache import cache

    times["gaps page, counting"] = []
    times["gaps page, counted"] = []
    for n in range(max(10, requests // 10)):
        path = "/directory/gaps/" if n % 2 else "/directory/gaps/?category=food"
        cache.clear()
        start = time.perf_counter()
        assert officer.get(path).status_code == 200
        times["gaps page, counting"].append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        assert officer.get(path + ("?" if n % 2 else "&") + "sort=services&order=desc").status_code == 200
        times["gaps page, counted"].append((time.perf_counter() - start) * 1000)
    figures = {
        name: {"median": statistics.median(values), "p95": percentile(values, 0.95), "n": len(values)}
        for name, values in times.items()
    }
    figures["results"] = {"median": statistics.median(totals), "p95": percentile(totals, 0.95), "n": len(totals)}
    # The same search times split by how much each search found: broad searches are the slow ones.
    for label, keep in (("narrow", lambda n: n < BROAD), ("broad", lambda n: n >= BROAD)):
        values = [t for t, n in zip(times["search_services"], totals, strict=True) if keep(n)]
        if values:
            figures[f"search_services, {label}"] = {
                "median": statistics.median(values),
                "p95": percentile(values, 0.95),
                "n": len(values),
            }
    print(json.dumps({"times": figures, "paths": [[item["page"], item["api"]] for item in mix]}))


# --- the parent: databases, server, load --------------------------------------------------------------------


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-5000:] + done.stderr[-5000:])
        raise SystemExit(f"The benchmark's {args[0]} step failed (exit {done.returncode}).")
    return done.stdout.strip().splitlines()[-1]


def _wait_for(port: int) -> None:
    for _ in range(300):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit("The benchmark's server did not start.")


def _wrk(paths: list[str], folder: Path, name: str) -> tuple[float, int]:
    """Requests a second over CONCURRENCY connections for LOAD_SECONDS, cycling through the paths; and how many
    answers were not 2xx or 3xx."""
    script = folder / f"{name}.lua"
    quoted = ", ".join(json.dumps(p) for p in paths)
    script.write_text(
        "local paths = {" + quoted + "}\n"
        "local i = math.random(#paths)\n"
        "request = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n",
        encoding="utf-8",
    )
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONCURRENCY}",
            f"-d{int(LOAD_SECONDS)}s",
            "--latency",
            "-s",
            str(script),
            f"http://127.0.0.1:{PORT}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate, errors = 0.0, 0
    for line in out.splitlines():
        if line.startswith("Requests/sec:"):
            rate = float(line.split()[1])
        if "Non-2xx or 3xx responses:" in line:
            errors = int(line.split(":")[1])
    return rate, errors


def _threads(paths: list[str]) -> tuple[float, int]:
    """The same as _wrk with Python threads, for machines without wrk."""
    import threading

    counts = [0] * CONCURRENCY
    errors = [0] * CONCURRENCY
    deadline = time.monotonic() + LOAD_SECONDS

    def worker(i: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        n = i
        while time.monotonic() < deadline:
            connection.request("GET", paths[n % len(paths)])
            response = connection.getresponse()
            response.read()
            errors[i] += response.status >= 400
            counts[i] += 1
            n += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / LOAD_SECONDS, sum(errors)


def _warm(paths: dict[str, list[str]]) -> None:
    """Ask for every path once before the timing, as a server in service has been asked before: the measure step
    just emptied the shared cache (the gaps page's timing), and each worker loads its templates on first use."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    for path in (path for some in paths.values() for path in some):
        connection.request("GET", path)
        connection.getresponse().read()
    connection.close()


def throughput(env: dict[str, str], paths: dict[str, list[str]], folder: Path) -> dict[str, tuple[float, int]]:
    server = subprocess.Popen(
        [BIN / "commonweal", "serve", "--bind", f"127.0.0.1:{PORT}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(PORT)
        _warm(paths)
        have_wrk = shutil.which("wrk") is not None
        return {name: (_wrk(p, folder, name) if have_wrk else _threads(p)) for name, p in paths.items()}
    finally:
        server.terminate()
        server.wait(timeout=20)


def _beside(url: str, name: str) -> str:
    """The address of the benchmark's database `name` beside the one in `url` (as postgres_database names it)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{parts.path.lstrip('/') or 'commonweal'}_{name}"))


def _generated(url: str, name: str) -> bool:
    """Whether a previous run kept a generated directory in the benchmark's database `name`."""
    import psycopg

    try:
        with psycopg.connect(_beside(url, name)) as connection:
            row = connection.execute("SELECT COUNT(*) FROM directory_searchentry").fetchone()
    except psycopg.Error:
        return False
    return bool(row and row[0])


def measure(
    *, services: int, organisations: int, requests: int, database_url: str = "", reuse: bool = False
) -> dict[str, Any]:
    """Generate (unless reusing), time the handlers, load the server; print the tables and return the figures."""
    VAR.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "commonweal.settings.demo",
        "COMMONWEAL_LOG_LEVEL": "ERROR",
    }
    drop = None
    if database_url:
        engine = "PostgreSQL"
        env["COMMONWEAL_VAR_DIR"] = str(VAR / "postgres")
        # With --reuse the directory is kept in a database named for its size, for the next run to reuse.
        kept = f"bench_search_{services}_{organisations}"
        if reuse and _generated(database_url, kept):
            env["DATABASE_URL"] = _beside(database_url, kept)
        else:
            env["DATABASE_URL"], drop = postgres_database(database_url, kept if reuse else "bench_search")
            if reuse:
                drop, reuse = None, False
    else:
        env.pop("DATABASE_URL", None)
        folder = VAR / f"sqlite-{services}-{organisations}"
        env["COMMONWEAL_VAR_DIR"] = str(folder)
        engine = "SQLite"
        if not reuse and folder.exists():
            shutil.rmtree(folder)
        reuse = reuse and (folder / "commonweal.sqlite3").exists()
    results: dict[str, Any] = {"engine": engine, "services": services, "organisations": organisations}
    try:
        # A kept directory may predate a migration (0004 moved PostgreSQL's words onto the entries).
        for args in (["collectstatic", "--noinput", "-v0"], *([["migrate", "--noinput", "-v0"]] if reuse else [])):
            subprocess.run([BIN / "commonweal", *args], env=env, check=True, stdout=subprocess.DEVNULL)
        if reuse:
            print(f"\nReusing the {engine} directory of {services:,} services and {organisations:,} organisations.")
        else:
            made = json.loads(_run(env, "setup", str(services), str(organisations)))
            results["generated"] = made
            print(
                f"\nGenerated {made['services']:,} services of {made['organisations']:,} organisations "
                f"({made['locations']:,} places, {made['schedules']:,} schedules, {made['term_links']:,} categories, "
                f"{made['assets']:,} assets) in {engine}: {made['seconds']:.1f} s, then the search index in "
                f"{made['reindex_seconds']:.1f} s"
            )
        measured = json.loads(_run(env, "measure", str(requests)))
        times = measured["times"]
        results["times"] = times
        base = times["healthz"]["median"]
        print(
            f"\nSearch server time, {engine}, {services:,} services / {organisations:,} organisations: "
            f"words + a filter + distance, {MIX_SIZE} different queries, {requests} requests each handler "
            f"(target p95 under {TARGET_P95_MS:.0f} ms)"
        )
        print(f"{'handler':<24}{'median ms':>10}{'p95 ms':>10}{'x healthz':>11}")
        for name in (
            "healthz",
            "search_services",
            "search_services, narrow",
            "search_services, broad",
            "find help page",
            "oruk services",
            "gaps page, counting",
            "gaps page, counted",
        ):
            if name not in times:
                continue
            median, p95 = times[name]["median"], times[name]["p95"]
            label = f"{name} (baseline)" if name == "healthz" else name
            print(f"{label:<24}{median:>10.2f}{p95:>10.2f}{median / base:>11.1f}")
        found = times["results"]
        print(
            f"Services found per search: median {found['median']:,.0f}, p95 {found['p95']:,.0f} "
            f"(broad: {BROAD:,} or more)"
        )
        print(
            f"Load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
            " (other work on the machine slows every figure)."
        )

        pages = [page for page, _ in measured["paths"]]
        apis = [api for _, api in measured["paths"]]
        rates = throughput(
            env,
            {"healthz": ["/healthz"], "find help page": pages, "oruk services": apis},
            Path(env["COMMONWEAL_VAR_DIR"]),
        )
        results["throughput"] = {name: {"rate": rate, "errors": errors} for name, (rate, errors) in rates.items()}
        ceiling = rates["healthz"][0]
        tool = "wrk" if shutil.which("wrk") else "python threads"
        print(
            f"\nSearch throughput under gunicorn (commonweal serve), {engine}, {CONCURRENCY} connections, "
            f"{LOAD_SECONDS:.0f} s each, {tool} (target at least {TARGET_RATIO:.1f} of healthz)"
        )
        print(f"{'endpoint':<22}{'req/s':>10}{'x healthz':>11}{'errors':>8}")
        for name, (rate, errors) in rates.items():
            label = f"{name} (ceiling)" if name == "healthz" else name
            print(f"{label:<22}{rate:>10.0f}{rate / ceiling if ceiling else 0:>11.2f}{errors:>8}")
        print(f"Load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs.")
    finally:
        if drop is not None:
            drop()
    return results


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--organisations", type=int, default=30_000)
    parser.add_argument("--requests", type=int, default=int(os.environ.get("BENCH_REQUESTS", "300")))
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Use the directory a previous --reuse run generated (SQLite: always kept; PostgreSQL: kept with --reuse).",
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        step, *rest = args.child
        if step == "setup":
            child_setup(int(rest[0]), int(rest[1]))
        else:
            child_measure(int(rest[0]))
        return {}
    return measure(
        services=args.services,
        organisations=args.organisations,
        requests=args.requests,
        database_url=args.database_url,
        reuse=args.reuse,
    )


if __name__ == "__main__":
    main()
