"""Engagement benchmark: a consultation with 50,000 responses, its results page (unfiltered, by ward, by a
monitoring answer, and both) and the export of every response as CSV.

Responses are generated over Merton's real wards (commonweal.engagement.generate, fixed seed) into a database of
their own, the kept tallies rebuilt from them, then measured beside a baseline taken in the same run:

1. Server time (Django's test client, no network), interleaved with /healthz's: median and p95 in milliseconds
   and the median as a multiple of /healthz's, for the results page as a steward: everyone, the busiest ward, one
   monitoring answer (sex: female), and that ward with that answer. The issue's target: under 300 ms.
2. The CSV export of every response (personal data included, as a steward gets it): seconds to stream it all,
   and memory: the peak of Python's allocations while streaming (tracemalloc) and the process's peak resident
   size (RSS). The issue's targets: under 20 s and 300 MB.

Run: .venv/bin/python bench/engagement.py [--responses N] [--requests N]   (default 50,000 responses)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from served import as_served

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
VAR = ROOT / "var" / "bench" / "engagement"
MERTON = "E09000024"
SEED = 2026
TARGET_PAGE_MS = 300.0
TARGET_CSV_S = 20.0
TARGET_CSV_MB = 300.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonweal.settings.demo")
    import django

    django.setup()


def child_setup(responses: int) -> None:
    """Migrate, load Merton's wards, generate the responses and rebuild the tallies; print what it made."""
    _django()
    from django.core.management import call_command

    from commonweal.engagement.generate import generate_responses
    from commonweal.places.services import load_council_area

    call_command("migrate", verbosity=0, interactive=False)
    load_council_area(gss_code=MERTON)
    made = generate_responses(responses=responses, seed=SEED)
    print(json.dumps({**made.counts, "seconds": made.seconds, "slug": made.consultation.slug}))


def _steward() -> Any:
    from commonweal.accounts.models import User
    from commonweal.accounts.roles import Role
    from commonweal.accounts.services import confirm_email, grant_membership

    user = User.objects.filter(email="bench.steward@example.org").first()
    if user is None:
        user = User.objects.create_user("bench.steward@example.org", "a long bench password", full_name="Steward")
        confirm_email(user)
        grant_membership(user=user, role=Role.STEWARD, organisation=None)
    return user


def child_pages(slug: str, requests: int) -> None:
    """Server times (ms) of the results page's views, interleaved with /healthz; print JSON."""
    _django()
    from django.db.models import Sum
    from django.test import Client
    from django.urls import reverse

    from commonweal.engagement.models import Consultation, GroupSize

    consultation = Consultation.objects.get(slug=slug)
    busiest = (
        GroupSize.objects.filter(consultation=consultation, field="", ward__gt=0)
        .values("ward")
        .annotate(n=Sum("count"))
        .order_by("-n")
        .first()
    )
    ward = busiest["ward"] if busiest else ""
    steward = Client(HTTP_HOST="127.0.0.1")
    steward.force_login(_steward())
    anonymous = Client(HTTP_HOST="127.0.0.1")
    base = reverse("engagement:results", args=[slug])
    pages = {
        "results, everyone": base,
        "results, a ward": f"{base}?ward={ward}",
        "results, an answer": f"{base}?answer=sex:female",
        "results, both": f"{base}?ward={ward}&answer=sex:female",
    }
    for path in pages.values():
        response = steward.get(path)  # warms caches and the database's pages; the charts are drawn once
        assert response.status_code == 200, (path, response.status_code)
        assert b'data-testid="question-result"' in response.content, path
    as_served()
    times: dict[str, list[float]] = {"healthz": [], **{label: [] for label in pages}}
    cpu: dict[str, list[float]] = {name: [] for name in times}
    for _ in range(requests):
        for label, (path, client) in (
            ("healthz", ("/healthz", anonymous)),
            *((k, (v, steward)) for k, v in pages.items()),
        ):
            start, used = time.perf_counter(), time.process_time()
            assert client.get(path).status_code == 200
            times[label].append((time.perf_counter() - start) * 1000)
            cpu[label].append((time.process_time() - used) * 1000)
    print(
        json.dumps(
            {
                name: {"median": statistics.median(v), "p95": percentile(v, 0.95), "cpu": statistics.median(cpu[name])}
                for name, v in times.items()
            }
        )
    )


def child_csv(slug: str) -> None:
    """Stream the whole CSV export as a steward; time, rows, bytes, Python's peak allocations and peak RSS."""
    _django()
    import tracemalloc

    from django.test import Client
    from django.urls import reverse

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(_steward())
    path = reverse("engagement:responses_csv", args=[slug])

    def export() -> tuple[int, int]:
        size = lines = 0
        for chunk in client.get(path).streaming_content:
            size += len(chunk)
            lines += chunk.count(b"\n")
        return size, lines

    # Timed on its own (tracemalloc slows Python down several times), then again to trace Python's allocations.
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, used = time.perf_counter(), time.process_time()
    size, lines = export()
    seconds = time.perf_counter() - start
    cpu = time.process_time() - used
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    export()
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu": cpu,
                "lines": lines,
                "megabytes": size / 1e6,
                "python_peak_mb": peak / 1e6,
                "rss_peak_mb": after / 1024,
                "rss_before_mb": before / 1024,
            }
        )
    )


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-5000:] + done.stderr[-5000:])
        raise SystemExit(f"The engagement benchmark's {args[0]} step failed (exit {done.returncode}).")
    return done.stdout.strip().splitlines()[-1]


def measure(*, responses: int, requests: int) -> dict[str, Any]:
    folder = VAR / f"sqlite-{responses}"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DJANGO_SETTINGS_MODULE": "commonweal.settings.demo",
        "COMMONWEAL_LOG_LEVEL": "ERROR",
        "COMMONWEAL_VAR_DIR": str(folder),
    }
    subprocess.run(
        [BIN / "commonweal", "collectstatic", "--noinput", "-v0"], env=env, check=True, stdout=subprocess.DEVNULL
    )
    made = json.loads(_run(env, "setup", str(responses)))
    print(
        f"\nEngagement: generated {made['responses']:,} responses with {made['answers']:,} answers and "
        f"{made['monitoring']:,} monitoring forms, and rebuilt {made['tallies']:,} tallies in "
        f"{made['groups']:,} groups, in SQLite: {made['seconds']:.1f} s"
    )
    times = json.loads(_run(env, "pages", made["slug"], str(requests)))
    base = times["healthz"]["median"]
    print(
        f"\nServer time, SQLite, {responses:,} responses, {requests} requests each "
        f"(target under {TARGET_PAGE_MS:.0f} ms)"
    )
    print(f"{'page':<24}{'median ms':>10}{'p95 ms':>10}{'x healthz':>11}{'CPU ms':>10}")
    for name, figure in times.items():
        label = f"{name} (baseline)" if name == "healthz" else name
        median, p95, cpu = figure["median"], figure["p95"], figure["cpu"]
        print(f"{label:<24}{median:>10.2f}{p95:>10.2f}{median / base:>11.1f}{cpu:>10.2f}")
    exported = json.loads(_run(env, "csv", made["slug"]))
    print(
        f"\nCSV export, {responses:,} responses (targets under {TARGET_CSV_S:.0f} s and {TARGET_CSV_MB:.0f} MB): "
        f"{exported['seconds']:.1f} s ({exported['cpu']:.1f} s of CPU) for {exported['lines']:,} lines "
        f"({exported['megabytes']:.1f} MB of CSV); "
        f"{exported['seconds'] * 1000 / base:,.0f} times /healthz's median. Python's peak allocations while "
        f"streaming it again under tracemalloc {exported['python_peak_mb']:.1f} MB; "
        f"the process's peak RSS {exported['rss_peak_mb']:.0f} MB "
        f"({exported['rss_before_mb']:.0f} MB before the export)."
    )
    print(f"Load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs.")
    return {"generated": made, "pages": times, "csv": exported}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--responses", type=int, default=int(os.environ.get("BENCH_ENGAGEMENT_RESPONSES", "50000")))
    parser.add_argument("--requests", type=int, default=int(os.environ.get("BENCH_ENGAGEMENT_REQUESTS", "20")))
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        step, *rest = args.child
        if step == "setup":
            child_setup(int(rest[0]))
        elif step == "pages":
            child_pages(rest[0], int(rest[1]))
        else:
            child_csv(rest[0])
        return {}
    return measure(responses=args.responses, requests=args.requests)


if __name__ == "__main__":
    main()
