"""Work out consultations' kept results again from their answers."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from commonweal.engagement.models import Consultation
from commonweal.engagement.tallies import rebuild


class Command(BaseCommand):
    help = (
        "Work out the kept counts behind a consultation's results page again from its submitted responses and "
        "replace them: after a bulk load, or to check them. Give one or more consultation slugs, or --all."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("slugs", nargs="*", help="The consultations' slugs (the last part of their address).")
        parser.add_argument("--all", action="store_true", help="Every consultation.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["all"]:
            found = list(Consultation.objects.order_by("slug"))
        elif options["slugs"]:
            found = list(Consultation.objects.filter(slug__in=options["slugs"]).order_by("slug"))
            missing = set(options["slugs"]) - {c.slug for c in found}
            if missing:
                raise CommandError(f"There is no consultation with the slug {', '.join(sorted(missing))}.")
        else:
            raise CommandError("Give the slug of a consultation, or --all for every one.")
        for consultation in found:
            made = rebuild(consultation)
            self.stdout.write(f"{consultation.slug}: {made['tallies']} counts in {made['groups']} groups.")
