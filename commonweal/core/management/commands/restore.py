"""Restore a backup made by `commonweal backup` into an empty database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from commonweal.core.backup import BackupError, restore_database


class Command(BaseCommand):
    help = (
        "Restore a backup made by `commonweal backup` into the database DATABASE_URL names, which must be new "
        "and empty (create it first; do not run migrate): a restore never merges into existing data."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path, help="The backup file")

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            restore_database(file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored {file}. Run `commonweal migrate` if this version of Commonweal is newer.")
