from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonweal.places.services import CouncilDataError, load_council_area


class Command(BaseCommand):
    help = "Load or refresh a council's wards and LSOAs from the ONS reference data. Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("gss_code", help="The council's ONS code, for example E09000024 for Merton.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            council = load_council_area(gss_code=options["gss_code"].strip().upper())
        except CouncilDataError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Loaded {council.name}: {council.wards.count()} wards."))
