"""Backups of the whole database and restoring one into an empty database.

PostgreSQL: pg_dump's custom format (`pg_restore` reads it), taken in one snapshot while the service runs.
SQLite: SQLite's online backup API, which copies a consistent database while others read and write it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.db import connections

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(Exception):
    """Something a person can put right: said plainly, never a traceback."""


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db: dict[str, Any]) -> list[str]:
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return args


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed on this machine; install the PostgreSQL client tools.")
    return found


def backup_database(target: Path, *, alias: str = "default") -> Path:
    """Write a backup of the database to `target` (a new file) and return it."""
    connection = connections[alias]
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new file name, so no backup is overwritten.")
    target.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        command = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", *_pg_args(db)]
        command += ["--file", str(target), str(db["NAME"])]
        done = subprocess.run(command, env=_pg_env(db), capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode:
            target.unlink(missing_ok=True)
            raise BackupError(f"pg_dump could not back up the database: {done.stderr.strip()}")
        return target
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)  # the online backup API
        return target
    raise BackupError(f"Backups of {connection.vendor} databases are not supported.")


def _table_count(connection: Any) -> int:
    with connection.cursor() as cursor:
        return len(connection.introspection.table_names(cursor))


def restore_database(source: Path, *, alias: str = "default") -> None:
    """Restore a backup into the database, which must be empty (no tables): a restore never merges."""
    connection = connections[alias]
    if not source.is_file():
        raise BackupError(f"There is no backup at {source}.")
    head = source.read_bytes()[:16]
    if _table_count(connection):
        raise BackupError(
            "The database is not empty. Restore into a new, empty database, then point DATABASE_URL at it."
        )
    if connection.vendor == "postgresql":
        if not head.startswith(PG_MAGIC):
            raise BackupError(f"{source} is not a PostgreSQL backup made by `commonweal backup`.")
        db = connection.settings_dict
        connection.close()
        command = [_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", *_pg_args(db)]
        command += ["--dbname", str(db["NAME"]), str(source)]
        done = subprocess.run(command, env=_pg_env(db), capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode:
            raise BackupError(f"pg_restore could not restore the backup: {done.stderr.strip()}")
        return
    if connection.vendor == "sqlite":
        if head != SQLITE_MAGIC:
            raise BackupError(f"{source} is not an SQLite backup made by `commonweal backup`.")
        connection.ensure_connection()
        with sqlite3.connect(source) as backup:
            backup.backup(connection.connection)
        return
    raise BackupError(f"Restoring {connection.vendor} databases is not supported.")
