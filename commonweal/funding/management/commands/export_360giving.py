"""Write the published grants as a 360Giving JSON package to a file (for cron, or publishing to GrantNav)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from commonweal.funding.opendata import giving360


class Command(BaseCommand):
    help = (
        "Write every published grant (accepted or completed) as one 360Giving Data Standard 1.4 JSON file. "
        "The file is written beside its destination and moved into place when complete, so a web server never "
        "serves half of it. Run it from cron, e.g. '15 2 * * * commonweal export_360giving /srv/www/360giving.json'. "
        "--check also validates the file against the 360Giving schema and fails if it is not valid."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", help="Where to write the JSON file; '-' writes it to standard output.")
        parser.add_argument("--base-url", default=None, help="The site's address for links (COMMONWEAL_BASE_URL).")
        parser.add_argument("--check", action="store_true", help="Validate the written file against the schema.")

    def handle(self, *args: Any, **options: Any) -> None:
        target = options["path"]
        if target == "-":
            self.stdout.ending = ""  # the JSON as it is, with no line break after each piece
            giving360.write_package(self.stdout, base_url=options["base_url"])
            return
        destination = Path(target)
        if not destination.parent.is_dir():
            raise CommandError(f"The folder {destination.parent} does not exist.")
        handle, temporary = tempfile.mkstemp(dir=destination.parent, prefix=".360giving-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                count = giving360.write_package(out, base_url=options["base_url"])
            if options["check"]:
                import json

                problems = giving360.validate_package(json.loads(Path(temporary).read_text(encoding="utf-8")))
                if problems:
                    raise CommandError(
                        "The file is not valid 360Giving data, so it was not written:\n" + "\n".join(problems[:20])
                    )
            os.replace(temporary, destination)
        finally:
            Path(temporary).unlink(missing_ok=True)
        self.stdout.write(f"Wrote {count} grant{'s' if count != 1 else ''} to {destination}.")
