"""`commonweal backup` and `commonweal restore`: the demo borough backed up while the service could be running,
restored into a new empty database, has every record: the same tables, the same number of rows in each, and the
same rows (every row compared). On SQLite always; on PostgreSQL when DATABASE_URL names one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


def _live() -> dict[str, list[str]]:
    """Every table of the live database: its rows, each as text, sorted (read as the restored one is read)."""
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        return _sqlite_tables(name)
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT t::text FROM {quoted} t")  # noqa: S608 - our own table names
            found[table] = sorted(repr(row) for row in cursor.fetchall())
    return found


def _restore(url: str, backup: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "commonweal.settings.dev"}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "commonweal.cli", "restore", str(backup)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def _pg_url(name: str) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _pg_tables(name: str) -> dict[str, list[str]]:
    import psycopg

    with psycopg.connect(_pg_url(name)) as other, other.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = [row[0] for row in cursor.fetchall()]
        found = {}
        for table in tables:
            cursor.execute(f'SELECT t::text FROM "{table}" t')  # noqa: S608
            found[table] = sorted(repr(row) for row in cursor.fetchall())
    return found


def _sqlite_tables(path: Path | str) -> dict[str, list[str]]:
    import sqlite3

    with sqlite3.connect(str(path) if isinstance(path, Path) else path, uri=str(path).startswith("file:")) as other:
        tables = [
            row[0]
            for row in other.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        ]
        return {t: sorted(repr(row) for row in other.execute(f'SELECT * FROM "{t}"')) for t in tables}  # noqa: S608


def _same(live: dict[str, list[str]], restored: dict[str, list[str]]) -> None:
    assert set(restored) == set(live)
    counts = {t: (len(live[t]), len(restored[t])) for t in live if len(live[t]) != len(restored[t])}
    assert counts == {}, counts
    assert sum(len(rows) for rows in live.values()) > 1000  # the demo borough: a real amount of data
    different = [t for t in live if live[t] != restored[t]]
    assert different == []


def test_a_backup_restored_into_an_empty_database_has_every_record(tmp_path: Path) -> None:
    from commonweal.home.demo import load_demo_borough

    load_demo_borough()
    backup = tmp_path / "commonweal.backup"
    call_command("backup", str(backup), verbosity=0)
    live = _live()
    if connection.vendor == "postgresql":
        import psycopg

        restored = f"{connection.settings_dict['NAME']}_restored"  # beside this run's own test database

        with psycopg.connect(_pg_url("postgres"), autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {restored}")
            admin.execute(f"CREATE DATABASE {restored}")
        try:
            done = _restore(_pg_url(restored), backup)
            assert done.returncode == 0, done.stderr
            _same(live, _pg_tables(restored))
        finally:
            with psycopg.connect(_pg_url("postgres"), autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {restored}")
    else:
        empty = tmp_path / "restored.sqlite3"
        done = _restore(f"sqlite:///{empty}", backup)
        assert done.returncode == 0, done.stderr
        _same(live, _sqlite_tables(empty))


def test_a_restore_refuses_a_database_that_is_not_empty(tmp_path: Path) -> None:
    backup = tmp_path / "commonweal.backup"
    call_command("backup", str(backup), verbosity=0)
    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("restore", str(backup), verbosity=0)


def test_a_backup_never_overwrites_a_file(tmp_path: Path) -> None:
    backup = tmp_path / "commonweal.backup"
    backup.write_text("an earlier backup")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(backup), verbosity=0)
    assert backup.read_text() == "an earlier backup"
