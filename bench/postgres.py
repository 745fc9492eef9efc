"""What the benchmarks share: a throwaway PostgreSQL database of their own beside the one they are given.

The benchmarks run as scripts (`python bench/NAME.py`), so this folder is on their import path."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit


def postgres_database(url: str, name: str) -> tuple[str, Callable[[], None]]:
    """A fresh database of the benchmark's own beside the one in `url`, and a function that drops it."""
    import psycopg

    parts = urlsplit(url)
    bench = f"{parts.path.lstrip('/') or 'commonweal'}_{name}"
    server = urlunsplit(parts._replace(path="/postgres"))

    def drop() -> None:
        # FORCE ends our own sessions in it; the server's autovacuum, busy after a big import, it may not end
        # for us: then the drop waits for it to finish.
        with psycopg.connect(server, autocommit=True) as connection:
            for attempt in range(30):
                try:
                    connection.execute(f'DROP DATABASE IF EXISTS "{bench}" WITH (FORCE)')
                    return
                except psycopg.errors.InsufficientPrivilege:
                    if attempt == 29:
                        raise
                    time.sleep(2)

    drop()
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{bench}"')

    return urlunsplit(parts._replace(path=f"/{bench}")), drop
