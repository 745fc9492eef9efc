"""What the benchmarks share: a throwaway PostgreSQL database of their own beside the one they are given.

The benchmarks run as scripts (`python bench/NAME.py`), so this folder is on their import path."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit


def postgres_database(url: str, name: str) -> tuple[str, Callable[[], None]]:
    """A fresh database of the benchmark's own beside the one in `url`, and a function that drops it."""
    import psycopg

    parts = urlsplit(url)
    bench = f"{parts.path.lstrip('/') or 'commonweal'}_{name}"
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{bench}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{bench}"')

    def drop() -> None:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{bench}" WITH (FORCE)')

    return urlunsplit(parts._replace(path=f"/{bench}")), drop
