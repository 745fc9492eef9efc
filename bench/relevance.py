"""Search relevance: precision at 5 of the 'Find help' page over the everyday queries in
commonweal/directory/search_data/relevance.json, on the demo borough (SQLite, its own database under
var/bench/relevance, made once and kept). The target is 0.9; tests/directory/search/test_relevance.py holds it.

Run: .venv/bin/python bench/relevance.py [--var-dir DIR]   (DIR: a var directory already holding the demo)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var-dir", default=str(ROOT / "var" / "bench" / "relevance"))
    args = parser.parse_args()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DJANGO_SETTINGS_MODULE": "commonweal.settings.demo",
        "COMMONWEAL_VAR_DIR": args.var_dir,
        "COMMONWEAL_LOG_LEVEL": "ERROR",
    }
    Path(args.var_dir).mkdir(parents=True, exist_ok=True)
    for command in (["migrate", "--noinput", "-v0"], ["load_demo"]):
        subprocess.run([BIN / "commonweal", *command], env=env, check=True, stdout=subprocess.DEVNULL)
    os.environ.clear()
    os.environ.update(env)
    import django

    django.setup()
    from commonweal.directory import relevance
    from commonweal.directory.search import reindex_services

    reindex_services()  # the index as this code writes it, whatever wrote the database
    print()
    print(relevance.report(relevance.measure_all()))


if __name__ == "__main__":
    main()
