from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonweal.places.fetch import ReferenceDataError, fetch_reference_data


class Command(BaseCommand):
    help = (
        "Download an English council's ward and LSOA boundaries, deprivation, population and centroids from the "
        "ONS Open Geography Portal and MHCLG into the reference data folder; then run load_council_area."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("gss_code", help="The council's ONS code, for example E07000178 for Oxford.")
        parser.add_argument(
            "--into",
            type=Path,
            help="The folder to add the files to (default: the reference data folder the loader reads).",
        )
        parser.add_argument("--ons-url", help="The root of the ONS ArcGIS services (default: settings).")
        parser.add_argument("--imd-url", help="MHCLG's IoD2019 File 7 CSV (default: settings).")

    def handle(self, *args: Any, **options: Any) -> None:
        into = options["into"] or Path(settings.REFERENCE_DATA_DIR)
        try:
            fetched = fetch_reference_data(
                gss_code=options["gss_code"],
                into=into,
                ons_url=options["ons_url"] or settings.REFERENCE_DATA_ONS_URL,
                imd_url=options["imd_url"] or settings.REFERENCE_DATA_IMD_URL,
            )
        except ReferenceDataError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Fetched {fetched.name}: {fetched.wards} wards, {fetched.lsoas} LSOAs into {into}.")
        )
        # The loader reads only its own folder; say how to point it at another.
        override = "" if into == Path(settings.REFERENCE_DATA_DIR) else f"COMMONWEAL_SHARED_DATA={into} "
        self.stdout.write(f"Load it with: {override}commonweal load_council_area {fetched.code}")
