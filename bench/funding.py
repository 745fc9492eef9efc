"""Funding benchmark: a round of 2,000 applications, 40 assessors and 5 criteria, and 10,000 awarded grants.

A fund is generated over Merton's real wards and framework themes (commonweal.funding.generate, fixed seed) into
a database of its own, then measured, each figure beside a baseline taken in the same run:

1. Assignment: `assess.services.assign_assessors(round=, by=)` giving each of the 2,000 submitted applications
   two of the 40 assessors (balanced load, no one from the applicant's organisation): seconds. The round is
   then scored throughout (generate_scores) so moderation has every score to work on.
2. The moderation page's server time (`funding:moderation` for an officer, Django's test client: no network),
   interleaved with /healthz's: median and p95 in milliseconds and the median as a multiple of /healthz's.
   The issue's target: each page under 200 ms.
3. The 360Giving export of 10,000 grants (`funding:open_data_json`, and `funding:open_data_xlsx`: the
   worker's build of the spreadsheet, which the download then serves, timed together), streamed through the
   test client with every byte consumed, each in a fresh process: seconds, the process's peak memory
   (ru_maxrss) above what it held before the request, and, in a second fresh run,
   Python's own peak allocation during the request (tracemalloc). The issue's target: under 10 s.

4. With --dq, the 360Giving Data Quality Tool's own checks (shared/tools/360dq, run offline with the Python that
   has it installed: --dq-python, default .dq/bin/python) on the JSON package and the spreadsheet of those
   grants: validation errors, quality findings and usefulness notes of each. The issue's target: no validation
   errors in either.

A piece not built yet (another area's work in progress) is reported as 'not built yet' and the rest goes on.

Run: .venv/bin/python bench/funding.py [--applications N] [--assessors N] [--grants N] [--database-url URL]
     [--dq [--dq-python PATH]]
With --database-url (or BENCH_DATABASE_URL) a database of its own is made beside that one on the same
PostgreSQL server and dropped afterwards; without, a SQLite file under var/bench/funding is used.
"""

from __future__ import annotations

import argparse
import json
import os
import re
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
VAR = ROOT / "var" / "bench" / "funding"
MERTON = "E09000024"
SEED = 2026
TARGET_PAGE_MS = 200.0
TARGET_EXPORT_S = 10.0
OFFICER = f"bench-{SEED}-officer@bench.commonweal.test"
NOT_BUILT = "not built yet"
FRESH = "moderation, just changed"
DQ_TOOL = ROOT.parent / "shared" / "tools" / "360dq"
DQ_LINE = re.compile(
    r"(?P<verdict>HOLDS|FALLS SHORT): .*?: (?P<grants>\d+) grants, (?P<errors>\d+) validation errors, "
    r"(?P<quality>\d+) quality findings, (?P<useful>\d+) usefulness notes"
)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


# --- children (each runs Django against the benchmark database) --------------------------------------------


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonweal.settings.demo")
    import django

    django.setup()


def child_setup(applications: int, assessors: int, criteria: int, grants: int) -> None:
    """Migrate, load Merton's wards and framework, generate the fund; print what it made as JSON."""
    _django()
    from django.core.management import call_command

    from commonweal.framework.services import load_framework_preset
    from commonweal.funding.generate import generate_round
    from commonweal.places.services import load_council_area

    call_command("migrate", verbosity=0, interactive=False)
    council = load_council_area(gss_code=MERTON)
    load_framework_preset(slug="merton")
    made = generate_round(
        applications=applications,
        assessors=assessors,
        criteria=criteria,
        grants=grants,
        seed=SEED,
        wards=council.wards.all(),
    )
    print(json.dumps({**made.counts, "seconds": made.seconds, "round": made.round.slug}))


def child_assign(slug: str) -> None:
    """Time assign_assessors over the round, then score every assignment; print JSON."""
    _django()
    from django.db.models import Count

    from commonweal.accounts.models import User
    from commonweal.funding.generate import generate_scores
    from commonweal.funding.models import Assignment, Round

    round = Round.objects.get(slug=slug)
    officer = User.objects.get(email=OFFICER)
    result: dict[str, Any] = {}
    try:
        from commonweal.funding.assess.services import assign_assessors
    except ImportError:
        result["assign"] = NOT_BUILT
    else:
        start = time.perf_counter()
        cpu = time.process_time()
        made = assign_assessors(round=round, by=officer, early_reason="A benchmark run")
        result["assign"] = time.perf_counter() - start
        result["assign_cpu"] = time.process_time() - cpu
        result["assignments"] = made
        loads = list(
            Assignment.objects.filter(application__round=round)
            .values("assessor")
            .annotate(n=Count("pk"))
            .values_list("n", flat=True)
        )
        result["load"] = [min(loads), max(loads)] if loads else [0, 0]
    start = time.perf_counter()
    result["scores"] = generate_scores(round=round, seed=SEED)
    result["scoring"] = time.perf_counter() - start
    print(json.dumps(result))


def child_pages(slug: str, requests: int) -> None:
    """Server times (ms) of the officers' pages for the round, interleaved with /healthz; print JSON."""
    _django()
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from commonweal.accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    officer = User.objects.get(email=OFFICER)
    client.force_login(officer)
    pages: dict[str, str] = {}
    missing: dict[str, str] = {}
    for name, label in (("moderation", "moderation page"), ("round_applications", "applications list")):
        try:
            path = reverse(f"funding:{name}", args=[slug])
        except NoReverseMatch:
            missing[label] = NOT_BUILT
            continue
        status = client.get(path).status_code  # warms caches, connections and the database's pages
        if status != 200:
            missing[label] = f"{NOT_BUILT} (answers {status})"
        else:
            pages[label] = path
    if "moderation page" in pages:
        # The page keeps its figures until a score, an assignment or an application changes; this row is the
        # first request after an assessor really changes a score (saved through the scoring service, not
        # timed), so whatever the page keeps or keeps up to date has just been touched.
        pages[FRESH] = pages["moderation page"]
    as_served()
    times: dict[str, list[float]] = {"healthz": [], **{label: [] for label in pages}}
    cpu: dict[str, list[float]] = {name: [] for name in times}
    changes = _score_changes(slug)

    for _ in range(requests):
        for label, path in (("healthz", "/healthz"), *pages.items()):
            if label == FRESH:
                next(changes)
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


def _score_changes(slug: str) -> Any:
    """A generator that, each time it is advanced, has one assessor change one criterion's score on a submitted
    assessment through assess.services.save_scores, as the scoring page does, in turn across the round."""
    from commonweal.funding.assess.services import Marked, save_scores
    from commonweal.funding.models import Application, Assignment, Score

    scored = list(
        Assignment.objects.filter(
            application__round__slug=slug,
            application__status=Application.Status.IN_ASSESSMENT,
            status=Assignment.Status.SCORED,
        )
        .select_related("assessor", "application__round")
        .order_by("pk")[:500]
    )
    turn = 0
    while True:
        assignment = scored[turn % len(scored)]
        turn += 1
        score_max = assignment.application.round.score_max
        given = list(Score.objects.filter(assignment=assignment).order_by("criterion_id"))
        marks = {s.criterion_id: Marked(str(s.score), s.comment) for s in given}
        first = given[turn % len(given)]
        changed = first.score + 1 if first.score < score_max else first.score - 1
        marks[first.criterion_id] = Marked(str(changed), first.comment)
        save_scores(assignment=assignment, marks=marks, submit=True, by=assignment.assessor)
        yield assignment


def _rss_mb() -> float:
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def child_export(name: str, traced: bool) -> None:
    """One export streamed through the test client, every byte consumed: seconds, bytes and memory; JSON."""
    _django()
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    try:
        path = reverse(f"funding:{name}")
    except NoReverseMatch:
        print(json.dumps({"error": NOT_BUILT}))
        return
    client = Client(HTTP_HOST="127.0.0.1")
    assert client.get("/healthz").status_code == 200  # the middleware and URLconf loaded before measuring
    import gc

    gc.collect()
    before = _rss_mb()
    if traced:
        import tracemalloc

        tracemalloc.start()
    start = time.perf_counter()
    cpu = time.process_time()
    if name == "open_data_xlsx":
        # The download serves what the background worker built; time the worker's build and the download.
        from commonweal.funding.opendata.services import xlsx_file

        xlsx_file()
    response = client.get(path)
    size = 0
    first: bytes = b""
    if response.status_code == 200:
        if getattr(response, "streaming", False):
            for chunk in response.streaming_content:  # type: ignore[attr-defined]
                if len(first) < 4096:
                    first += chunk[:4096]
                size += len(chunk)
        else:
            size = len(response.content)
            first = response.content[:4096]
    seconds = time.perf_counter() - start
    result: dict[str, Any] = {
        "seconds": seconds,
        "cpu": time.process_time() - cpu,
        "bytes": size,
        "status": response.status_code,
    }
    if traced:
        import tracemalloc

        result["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / (1024 * 1024)
        tracemalloc.stop()
    else:
        result["rss_before_mb"] = before
        result["rss_peak_mb"] = _rss_mb()
        result["streaming"] = bool(getattr(response, "streaming", False))
    if response.status_code != 200:
        result["error"] = f"{NOT_BUILT} (answers {response.status_code})"
    print(json.dumps(result))


def child_files(folder: str) -> None:
    """Write the JSON package and build the spreadsheet of the published grants into folder; print their paths."""
    _django()
    import shutil

    from commonweal.funding.opendata import giving360
    from commonweal.funding.opendata.services import xlsx_file

    package = Path(folder) / "360giving.json"
    with package.open("w", encoding="utf-8") as out:
        giving360.write_package(out)
    sheet = Path(folder) / "360giving.xlsx"
    shutil.copyfile(xlsx_file(), sheet)
    print(json.dumps([str(package), str(sheet)]))


def data_quality(env: dict[str, str], python: str, engine: str) -> dict[str, Any]:
    """Run the 360Giving Data Quality Tool on the JSON package and the spreadsheet; print and return its counts."""
    folder = VAR / f"dq-{engine.lower()}"
    folder.mkdir(parents=True, exist_ok=True)
    files = json.loads(_run(env, "files", str(folder)))
    print(f"\n360Giving Data Quality Tool ({DQ_TOOL}), {engine} (target: no validation errors in either)")
    print(f"{'file':<22}{'grants':>8}{'errors':>8}{'quality':>9}{'useful':>8}{'seconds':>9}  verdict")
    found: dict[str, Any] = {}
    for path in files:
        start = time.perf_counter()
        done = subprocess.run(
            [python, str(DQ_TOOL / "check.py"), path, str(DQ_TOOL / "standard")],
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - start
        match = DQ_LINE.search(done.stdout)
        name = Path(path).name
        if match is None:
            print(f"{name:<22}  the tool did not finish: {(done.stderr or done.stdout).strip()[-300:]}")
            found[name] = {"error": done.stderr[-2000:]}
            continue
        counts = {key: int(match[key]) for key in ("grants", "errors", "quality", "useful")}
        found[name] = {**counts, "seconds": seconds, "findings": done.stdout.splitlines()[:-1][:20]}
        print(
            f"{name:<22}{counts['grants']:>8,}{counts['errors']:>8}{counts['quality']:>9}{counts['useful']:>8}"
            f"{seconds:>9.1f}  {match['verdict']}"
        )
        for line in done.stdout.splitlines()[:-1][:10]:
            print(f"    {line}")
    print("The tool exits 1 on any quality finding too (its own publishers' warnings); the target is errors.")
    return found


# --- the parent ---------------------------------------------------------------------------------------------


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-5000:] + done.stderr[-5000:])
        raise SystemExit(f"The funding benchmark's {args[0]} step failed (exit {done.returncode}).")
    return done.stdout.strip().splitlines()[-1]


def measure(
    *,
    applications: int,
    assessors: int,
    criteria: int,
    grants: int,
    requests: int,
    database_url: str = "",
    dq_python: str = "",
) -> dict[str, Any]:
    """Generate the fund, then time assignment, the moderation page and the exports; print the tables."""
    import shutil

    VAR.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "commonweal.settings.demo", "COMMONWEAL_LOG_LEVEL": "ERROR"}
    drop = None
    if database_url:
        env["DATABASE_URL"], drop = postgres_database(database_url, "bench_funding")
        env["COMMONWEAL_VAR_DIR"] = str(VAR / "postgres")
        engine = "PostgreSQL"
    else:
        env.pop("DATABASE_URL", None)
        folder = VAR / f"sqlite-{applications}-{grants}"
        if folder.exists():
            shutil.rmtree(folder)
        env["COMMONWEAL_VAR_DIR"] = str(folder)
        engine = "SQLite"
    results: dict[str, Any] = {"engine": engine}
    try:
        subprocess.run(
            [BIN / "commonweal", "collectstatic", "--noinput", "-v0"], env=env, check=True, stdout=subprocess.DEVNULL
        )
        made = json.loads(_run(env, "setup", str(applications), str(assessors), str(criteria), str(grants)))
        results["generated"] = made
        print(
            f"\nFunding: generated {made['applications']:,} submitted applications, {made['assessors']} assessors, "
            f"{made['criteria']} criteria and {made.get('grants', 0):,} paid grants "
            f"({made['organisations']:,} organisations) in {engine}: {made['seconds']:.1f} s"
        )

        assigned = json.loads(_run(env, "assign", made["round"]))
        results["assign"] = assigned
        print(f"\nAssignment, {engine}: {applications:,} applications x {assessors} assessors")
        if assigned["assign"] == NOT_BUILT:
            print(f"  assign_assessors: {NOT_BUILT} (round-robin assignments generated instead)")
        else:
            low, high = assigned["load"]
            print(
                f"  assign_assessors: {assigned['assign']:.2f} s ({assigned['assign_cpu']:.2f} s CPU) for "
                f"{assigned['assignments']:,} assignments (each assessor {low} to {high})"
            )
        print(f"  then {assigned['scores']:,} scores generated in {assigned['scoring']:.1f} s")

        times = json.loads(_run(env, "pages", made["round"], str(requests)))
        results["pages"] = times
        base = times["healthz"]["median"]
        print(
            f"\nServer time, {engine}, a round of {applications:,} applications fully scored, {requests} requests "
            f"each (target under {TARGET_PAGE_MS:.0f} ms)"
        )
        print(f"{'page':<22}{'median ms':>10}{'p95 ms':>10}{'x healthz':>11}{'CPU ms':>10}")
        for name, figure in times.items():
            label = f"{name} (baseline)" if name == "healthz" else name
            if isinstance(figure, str):
                print(f"{label:<22}{figure:>41}")
            else:
                median, p95 = figure["median"], figure["p95"]
                print(f"{label:<22}{median:>10.2f}{p95:>10.2f}{median / base:>11.1f}{figure['cpu']:>10.2f}")
        print("CPU ms: this process's CPU time per request, median (on PostgreSQL the database's work is not in it).")

        print(
            f"\n360Giving export, {engine}, {made.get('grants', 0):,} grants, each in a fresh process "
            f"(target under {TARGET_EXPORT_S:.0f} s)"
        )
        print(f"{'export':<22}{'seconds':>10}{'CPU s':>10}{'MB out':>10}{'RSS +MB':>10}{'traced MB':>11}")
        results["exports"] = {}
        for name, label in (("open_data_json", "360giving.json"), ("open_data_xlsx", "360giving.xlsx")):
            plain = json.loads(_run(env, "export", name, "plain"))
            if "error" in plain:
                print(f"{label:<22}{plain['error']:>51}")
                results["exports"][label] = plain
                continue
            traced = json.loads(_run(env, "export", name, "traced"))
            plain["traced_peak_mb"] = traced.get("traced_peak_mb")
            results["exports"][label] = plain
            grown = plain["rss_peak_mb"] - plain["rss_before_mb"]
            print(
                f"{label:<22}{plain['seconds']:>10.2f}{plain['cpu']:>10.2f}{plain['bytes'] / 1e6:>10.1f}{grown:>10.0f}"
                f"{plain['traced_peak_mb']:>11.1f}"
            )
        print(
            "RSS +MB: the process's peak memory above what it held before the request (0 when the export fits in "
            "memory it already had); traced MB: Python's peak allocation during the request, in a second run. "
            "CPU s: this process's CPU time, which other work on the machine does not inflate as it does seconds."
        )
        if dq_python:
            results["data_quality"] = data_quality(env, dq_python, engine)
        print(f"Load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs.")
    finally:
        if drop is not None:
            drop()
    return results


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--applications", type=int, default=2000)
    parser.add_argument("--assessors", type=int, default=40)
    parser.add_argument("--criteria", type=int, default=5)
    parser.add_argument("--grants", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=int(os.environ.get("BENCH_FUNDING_REQUESTS", "20")))
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--dq", action="store_true", help="Run the 360Giving Data Quality Tool on both exports.")
    parser.add_argument("--dq-python", default=".dq/bin/python", help="The Python with lib360dataquality installed.")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        step, *rest = args.child
        if step == "setup":
            child_setup(*(int(value) for value in rest))
        elif step == "assign":
            child_assign(rest[0])
        elif step == "pages":
            child_pages(rest[0], int(rest[1]))
        elif step == "files":
            child_files(rest[0])
        else:
            child_export(rest[0], rest[1] == "traced")
        return {}
    return measure(
        applications=args.applications,
        assessors=args.assessors,
        criteria=args.criteria,
        grants=args.grants,
        requests=args.requests,
        database_url=args.database_url,
        dq_python=args.dq_python if args.dq else "",
    )


if __name__ == "__main__":
    main()
