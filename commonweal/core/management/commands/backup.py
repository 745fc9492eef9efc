"""Back up the whole database to a file: pg_dump for PostgreSQL, SQLite's online backup API for SQLite."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from commonweal.core.backup import BackupError, backup_database


class Command(BaseCommand):
    help = (
        "Back up the whole database to a new file while the service runs (PostgreSQL: pg_dump's custom format; "
        "SQLite: the online backup API). Restore it with `commonweal restore FILE` into an empty database."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path, help="The new backup file, e.g. /backups/commonweal-2026-12-05.dump")

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            written = backup_database(file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backed up the database to {written} ({written.stat().st_size:,} bytes).")
