"""Directory import benchmark: 100,000-row files imported through the real importer, timed, memory measured.

Two files are generated with a fixed seed: a Charity Commission register extract in its CSV form (every column
the register has) and a community groups CSV from our template (each row a group with a service, a place, a
schedule, wards and categories). Each is imported into a throwaway database the way `commonweal import_directory`
does it: read and check every row, save everything in one transaction, reindex the services once. Then each is
imported again, which must change nothing. Every import runs in its own process, so its peak memory (maxrss)
is its own. Figures are printed beside the issue's targets: under 60 s and under 500 MB for 100,000 rows.

Run: .venv/bin/python bench/directory_import.py [--rows N] [--database-url postgres://...]
With --database-url (or BENCH_DATABASE_URL) the benchmark makes its own database beside that one on the same
PostgreSQL server, and drops it afterwards; without, it uses a SQLite file under /tmp.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from postgres import postgres_database

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 60.0
TARGET_MB = 500.0
DEFAULT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
SEED = 2026
MERTON = "E09000024"

CC_COLUMNS = (
    "date_of_extract",
    "organisation_number",
    "registered_charity_number",
    "linked_charity_number",
    "charity_name",
    "charity_type",
    "charity_registration_status",
    "date_of_registration",
    "date_of_removal",
    "charity_reporting_status",
    "latest_acc_fin_period_start_date",
    "latest_acc_fin_period_end_date",
    "latest_income",
    "latest_expenditure",
    "charity_contact_address1",
    "charity_contact_address2",
    "charity_contact_address3",
    "charity_contact_address4",
    "charity_contact_address5",
    "charity_contact_postcode",
    "charity_contact_phone",
    "charity_contact_email",
    "charity_contact_web",
    "charity_company_registration_number",
    "charity_insolvent",
    "charity_in_administration",
    "charity_previously_excepted",
    "charity_is_cdf_or_cif",
    "charity_is_cio",
    "cio_is_dissolved",
    "date_cio_dissolution_notice",
    "charity_activities",
    "charity_gift_aid",
    "charity_has_land",
)
WORDS = (
    "Abbey Acorn Beacon Bridge Brook Cedar Common Compass Crossroads Dove Elm Fairway Friends Garden Harbour "
    "Hearth Heritage Hope Horizon Kindred Lantern Linden Meadow Mill Oak Orchard Pathway Phoenix Rainbow River "
    "Rowan Sanctuary Spring Star Together Trinity Unity Valley Village Wandle Willow"
).split()
PURPOSES = (
    "Food Bank",
    "Carers Centre",
    "Youth Club",
    "Community Trust",
    "Lunch Club",
    "Advice Service",
    "Sports Club",
    "Arts Collective",
    "Befriending Scheme",
    "Residents Association",
)
ACTIVITIES = (
    "Provides emergency food parcels and advice to people in crisis in the borough.",
    "Supports unpaid carers with respite breaks, advice, training and a friendly peer network.",
    "Runs activities, trips and mentoring for young people aged 11 to 19 in a safe space.",
    "Offers free, confidential advice on benefits, debt, housing and employment rights.",
    "Brings older neighbours together for a hot lunch, company and gentle exercise every week.",
)
WHEN = ("Mondays 10:00 to 12:00", "Tuesdays and Thursdays, 6pm to 8pm", "Saturdays 9am to 1pm", "Ring to ask", "")


def _postcodes(rng: random.Random, known: list[str], count: int) -> list[str]:
    """Half from the council's own postcode table (so they have wards), half invented elsewhere in London."""
    invented = [
        f"{rng.choice(['SE', 'SW', 'N', 'E', 'W'])}{rng.randint(1, 28)} {rng.randint(1, 9)}"
        f"{rng.choice('ABDEFGHJLNPQRSTUWXY')}{rng.choice('ABDEFGHJLNPQRSTUWXY')}"
        for _ in range(count)
    ]
    return [rng.choice(known) if known and rng.random() < 0.5 else invented[i] for i in range(count)]


def write_charity_commission(path: Path, rows: int, known_postcodes: list[str]) -> None:
    rng = random.Random(SEED)  # noqa: S311 -- a reproducible benchmark file, not a secret
    postcodes = _postcodes(rng, known_postcodes, rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CC_COLUMNS)
        for i in range(rows):
            number = 1_000_000 + i
            income = int(10 ** rng.uniform(3, 8))
            values = {
                "date_of_extract": "2026-11-01",
                "organisation_number": 5_000_000 + i,
                "registered_charity_number": number,
                "linked_charity_number": 0,
                "charity_name": f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(PURPOSES)} {i}",
                "charity_type": rng.choice(("Trust", "CIO", "Charitable company", "Other")),
                "charity_registration_status": "Registered",
                "date_of_registration": f"{rng.randint(1962, 2025)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                "charity_reporting_status": "Submission Received",
                "latest_acc_fin_period_start_date": "2025-04-01",
                "latest_acc_fin_period_end_date": "2026-03-31",
                "latest_income": income,
                "latest_expenditure": int(income * rng.uniform(0.7, 1.1)),
                "charity_contact_address1": f"{rng.randint(1, 300)} {rng.choice(WORDS)} Road",
                "charity_contact_address2": "London",
                "charity_contact_postcode": postcodes[i],
                "charity_contact_phone": f"020 8{rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                "charity_contact_email": f"info@charity{number}.example.org",
                "charity_contact_web": f"www.charity{number}.example.org",
                "charity_company_registration_number": f"{rng.randint(1, 99999999):08d}" if rng.random() < 0.2 else "",
                "charity_insolvent": "False",
                "charity_in_administration": "False",
                "charity_previously_excepted": "False",
                "charity_is_cdf_or_cif": "",
                "charity_is_cio": "True" if rng.random() < 0.3 else "False",
                "cio_is_dissolved": "False",
                "charity_activities": rng.choice(ACTIVITIES),
                "charity_gift_aid": "True",
                "charity_has_land": "False",
            }
            writer.writerow([values.get(column, "") for column in CC_COLUMNS])


def write_groups(path: Path, rows: int, known_postcodes: list[str], wards: list[str], categories: list[str]) -> None:
    from commonweal.directory.imports.groups import HEADER

    rng = random.Random(SEED + 1)  # noqa: S311 -- a reproducible benchmark file, not a secret
    postcodes = _postcodes(rng, known_postcodes, rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(rows):
            name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(PURPOSES)} Group {i}"
            writer.writerow(
                (
                    name,
                    rng.choice(ACTIVITIES),
                    f"hello@group{i}.example.org",
                    f"07{rng.randint(100, 999)} {rng.randint(100000, 999999)}",
                    postcodes[i],
                    f"www.group{i}.example.org" if rng.random() < 0.4 else "",
                    "; ".join(rng.sample(wards, rng.randint(1, 2))),
                    "; ".join(rng.sample(categories, rng.randint(1, 2))),
                    rng.choice(ACTIVITIES),
                    rng.choice(WHEN),
                )
            )


# --- the child process: one step, with Django set up in it --------------------------------------------


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def child_setup(folder: Path, rows: int) -> None:
    """Migrate the throwaway database, load Merton's wards, postcodes and the starter vocabulary, write files."""
    _django()
    from django.core.management import call_command

    from commonweal.directory.vocabulary import load_starter_vocabulary
    from commonweal.places.models import Postcode, Ward
    from commonweal.places.services import generate_demo_postcodes, import_postcodes, load_council_area

    call_command("migrate", verbosity=0, interactive=False)
    council = load_council_area(gss_code=MERTON)
    import_postcodes(path=generate_demo_postcodes(council=council, out=folder / "postcodes.csv", per_ward=50))
    vocabulary = load_starter_vocabulary()
    known = list(Postcode.objects.values_list("postcode", flat=True))
    wards = list(Ward.objects.values_list("name", flat=True))
    categories = list(vocabulary.terms.values_list("name", flat=True))
    write_charity_commission(folder / "charity-commission.csv", rows, known)
    write_groups(folder / "community-groups.csv", rows, known, wards, categories)


def _database_server_pid() -> int | None:
    """The PostgreSQL backend serving this process's connection, when the server runs on this machine."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = int(cursor.fetchone()[0])
    return pid if Path(f"/proc/{pid}/stat").exists() else None


def _cpu_of(pid: int | None) -> float | None:
    """A process's CPU time so far (user and system), from /proc; None if it cannot be read."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def child_import(kind: str, path: Path) -> None:
    """Import one file and print what it took as JSON: seconds, CPU time (this process's, and on PostgreSQL its
    server backend's), peak memory of this process, the outcome."""
    _django()
    from django.conf import settings

    from commonweal.directory.imports import import_path

    # The figure is about rows, not bytes: a register extract of 100,000 rows with every column is over 50 MB.
    settings.COMMONWEAL_IMPORT_MAX_BYTES = max(path.stat().st_size, 50 * 1024 * 1024)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    server = _database_server_pid()  # the import keeps this one connection open from start to end
    server_cpu = _cpu_of(server)
    start, cpu = time.perf_counter(), time.process_time()
    run = import_path(kind=kind, path=path)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    server_after = _cpu_of(server) if server == _database_server_pid() else None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "db_cpu_seconds": None if server_cpu is None or server_after is None else server_after - server_cpu,
        "peak_mb": peak,
        "baseline_mb": before,
        "status": run.status,
        "error": run.error,
        "rows": run.total_rows,
        "created": run.created_count,
        "updated": run.updated_count,
        "rejected": run.rejected_count,
    }
    print(json.dumps(result))


# --- the parent: make the database, run each step in a fresh process, print the figures -------------------


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, __file__, *args], env=env, capture_output=True, text=True, check=False, cwd=ROOT
    )
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"Step {' '.join(args)} failed with exit code {done.returncode}.")
    return done.stdout


def main(argv: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """Generate the files, import each twice, print the figures; returns them for bench/run.py to use."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help="Rows in each generated file.")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", ""),
        help="A PostgreSQL server to use (a database of its own is made beside this one and dropped afterwards).",
    )
    parser.add_argument("--keep", action="store_true", help="Keep the generated files and SQLite database.")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        step, *rest = args.child
        if step == "setup":
            child_setup(Path(rest[0]), int(rest[1]))
        else:
            child_import(step, Path(rest[0]))
        return {}

    folder = Path(tempfile.mkdtemp(prefix="commonweal-bench-import-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "commonweal.settings.demo",
        "COMMONWEAL_VAR_DIR": str(folder),
        "COMMONWEAL_LOG_LEVEL": "ERROR",
    }
    drop = None
    if args.database_url:
        env["DATABASE_URL"], drop = postgres_database(args.database_url, "bench_import")
        engine = "PostgreSQL"
    else:
        env.pop("DATABASE_URL", None)
        engine = "SQLite"
    results: dict[str, dict[str, Any]] = {}
    try:
        _run(env, "--child", "setup", str(folder), str(args.rows))
        steps = (
            ("Charity Commission CSV", "charity_commission", "charity-commission.csv"),
            ("Charity Commission again", "charity_commission", "charity-commission.csv"),
            ("Community groups CSV", "groups_csv", "community-groups.csv"),
            ("Community groups again", "groups_csv", "community-groups.csv"),
        )
        print(f"\nImporting {args.rows:,}-row files into {engine} (each in a fresh process; targets 60 s, 500 MB)")
        print(
            f"{'file':<26}{'MB':>6}{'seconds':>9}{'x 60 s':>8}{'CPU s':>7}{'DB CPU s':>9}{'peak MB':>9}"
            f"{'x 500 MB':>10}{'added':>9}{'changed':>9}{'rejected':>9}"
        )
        for label, kind, name in steps:
            path = folder / name
            figures = json.loads(_run(env, "--child", kind, str(path)).strip().splitlines()[-1])
            figures["file_mb"] = path.stat().st_size / (1024 * 1024)
            results[label] = figures
            if figures["status"] != "succeeded":
                print(f"{label}: {figures['status']}: {figures['error']}")
            print(
                f"{label:<26}{figures['file_mb']:>6.1f}{figures['seconds']:>9.1f}"
                f"{figures['seconds'] / TARGET_SECONDS:>8.2f}{figures['cpu_seconds']:>7.1f}"
                f"{'-' if figures['db_cpu_seconds'] is None else format(figures['db_cpu_seconds'], '.1f'):>9}"
                f"{figures['peak_mb']:>9.0f}"
                f"{figures['peak_mb'] / TARGET_MB:>10.2f}{figures['created']:>9,}{figures['updated']:>9,}"
                f"{figures['rejected']:>9,}"
            )
        load = os.getloadavg()[0]
        print(
            "Seconds are wall-clock time for read, check, save and reindex; CPU s is this process's own CPU time, "
            f"steadier on a busy machine (load average now {load:.1f} on {os.cpu_count()} CPUs); DB CPU s is the "
            "PostgreSQL server backend's, read from /proc when the server is on this machine.\n"
            "Peak MB is the whole process (Python, Django and the import) at its largest."
        )
    finally:
        if drop is not None:
            drop()
        if args.keep:
            print(f"Files and database kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return results


if __name__ == "__main__":
    main()
