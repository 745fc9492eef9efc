from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonweal.places.services import PostcodeImportError, import_postcodes


class Command(BaseCommand):
    help = (
        "Import postcodes from an ONS Postcode Directory CSV (pcds, lat, long, osward or wd25cd, lsoa11). "
        "Bad rows are skipped and listed by line; the rest are saved together. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--demo", action="store_true", help="Mark the postcodes as invented for the demo.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = import_postcodes(path=options["file"], is_demo=options["demo"])
        except PostcodeImportError as error:
            raise CommandError(str(error)) from error
        for problem in report.errors:
            self.stderr.write(str(problem))
        self.stdout.write(self.style.SUCCESS(report.summary) if not report.skipped else report.summary)
