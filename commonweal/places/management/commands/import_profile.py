from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonweal.places.services import ProfileImportError, import_profile


class Command(BaseCommand):
    help = (
        "Import the borough's profile from a Census 2021 ward table: the ONS custom dataset CSV (a ward code column, "
        "a column such as 'Age (6 categories)', and Observation) or ward_code,characteristic,category,count. "
        "All or nothing: bad rows are listed by line and nothing is written. Each characteristic in the file "
        "replaces its figures before."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", default="", help="Where the figures come from, shown on the profile page.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")
        try:
            with path.open("rb") as handle:
                report = import_profile(file=handle, source=options["source"] or path.name)
        except ProfileImportError as error:
            for problem in error.errors:
                self.stderr.write(str(problem))
            raise CommandError(error.message) from error
        self.stdout.write(self.style.SUCCESS(report.summary))
        for note in report.notes:
            self.stdout.write(note)
