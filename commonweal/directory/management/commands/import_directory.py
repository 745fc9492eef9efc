"""`commonweal import_directory <kind> <file>`: the web page's import, run here and now, with its report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonweal.directory.imports import import_path
from commonweal.directory.models import ImportRun

ALIASES = {
    "charity-commission": ImportRun.Kind.CHARITY_COMMISSION,
    "oruk": ImportRun.Kind.ORUK_FEED,
    "groups": ImportRun.Kind.GROUPS_CSV,
    "vocabulary": ImportRun.Kind.TAXONOMY_CSV,
    **{kind.value: kind for kind in ImportRun.Kind},
}


class Command(BaseCommand):
    help = (
        "Import a file into the directory now: a Charity Commission register extract, another directory's "
        "Open Referral UK feed, a community groups CSV or a vocabulary CSV. Prints every rejected row."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(ALIASES), help="What kind of file it is.")
        parser.add_argument("file", type=Path, help="The file to import.")
        parser.add_argument(
            "--name", default="", help="For a feed or a vocabulary: the name its categories are kept under."
        )
        parser.add_argument("--hold", action="store_true", help="Hold new listings until an officer approves them.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")
        kind = ALIASES[options["kind"]]
        run = import_path(kind=kind, path=path, name=options["name"], publish=not options["hold"])
        notes = [r for r in run.rejections if r.get("note")]
        rejected = [r for r in run.rejections if not r.get("note")]
        for note in notes:
            where = f"Line {note['line']}: " if note.get("line") else ""
            self.stdout.write(f"{where}{note['reason']}")
        for rejection in rejected:
            self.stdout.write(f"Line {rejection['line']}: {rejection['reason']}")
        summary = (
            f"Import {run.pk} of {run.filename}: {run.total_rows:,} rows read, {run.created_count:,} records added, "
            f"{run.updated_count:,} changed, {run.rejected_count:,} rows rejected."
        )
        if run.status == ImportRun.Status.FAILED:
            raise CommandError(f"{run.error}\n{summary}")
        self.stdout.write(self.style.SUCCESS(summary))
