from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonweal.places.models import CouncilArea
from commonweal.places.services import generate_demo_postcodes


class Command(BaseCommand):
    help = "Write invented (demo) postcodes inside the real wards, in the ONS Postcode Directory layout."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, required=True, help="The CSV file to write.")
        parser.add_argument("--per-ward", type=int, default=3)
        parser.add_argument("--seed", type=int, default=2019)

    def handle(self, *args: Any, **options: Any) -> None:
        council = CouncilArea.current()
        if council is None:
            raise CommandError("Load the council's wards first (commonweal load_council_area CODE).")
        try:
            path = generate_demo_postcodes(
                council=council, out=options["out"], per_ward=options["per_ward"], seed=options["seed"]
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Wrote demo postcodes to {path}."))
        self.stdout.write(f"Import them with: commonweal import_postcodes {path} --demo")
