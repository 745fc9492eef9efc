"""Fuzz: schemathesis over every operation of the ORUK API's OpenAPI document (/api/docs), many cases each.

    .venv/bin/python bench/fuzz.py [--examples N] [--database-url URL]

Runs in a process of its own against a database of its own with the demo borough loaded (SQLite under
var/bench/fuzz, or a database beside URL's on PostgreSQL, dropped afterwards), through the WSGI application as
the pytest test does (tests/directory/api/test_fuzz.py, which tries fewer cases). Nothing is left out. Prints each
operation with the cases tried and the 5xx answers, and exits 1 if there were any.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=300, help="Cases per operation (default 300).")
    parser.add_argument("--database-url", default="", help="PostgreSQL: fuzz a database beside this one's.")
    options = parser.parse_args(argv)
    folder = ROOT / "var" / "bench" / "fuzz"
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="commonweal.settings.demo",
        COMMONWEAL_VAR_DIR=str(folder),
        COMMONWEAL_LOG_LEVEL="CRITICAL",
    )
    drop = None
    if options.database_url:
        sys.path.insert(0, str(ROOT / "bench"))
        from postgres import postgres_database

        os.environ["DATABASE_URL"], drop = postgres_database(options.database_url, "bench_fuzz")
    else:
        (folder / "commonweal.sqlite3").unlink(missing_ok=True)
    try:
        for args in (["migrate", "--noinput", "-v0"], ["load_demo"]):
            subprocess.run([BIN / "commonweal", *args], check=True, stdout=subprocess.DEVNULL)
        import logging

        import django

        django.setup()
        logging.disable(logging.CRITICAL)
        import schemathesis
        from django.core.wsgi import get_wsgi_application

        from tests.directory.api.test_fuzz import fuzz

        schema = schemathesis.openapi.from_wsgi("/api/docs", get_wsgi_application())
        tried, failures = fuzz(schema, options.examples)
        print(f"Fuzz: schemathesis over /api/docs, up to {options.examples} cases per operation")
        for operation, count in tried.items():
            found = [f for f in failures if f.startswith(operation + " ")]
            print(f"  {operation:<45}{count:>6} cases {len(found):>4} 5xx")
        print(f"  {'all ' + str(len(tried)) + ' operations':<45}{sum(tried.values()):>6} cases {len(failures):>4} 5xx")
        for failure in failures:
            print(f"  5xx: {failure[:300]}")
        return 1 if failures else 0
    finally:
        if drop:
            drop()  # type: ignore[operator]


if __name__ == "__main__":
    sys.exit(main())
