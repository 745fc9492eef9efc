"""Work out the moderation page's running totals afresh from the scores, for one round or every round."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from commonweal.funding.assess.totals import rebuild_totals
from commonweal.funding.models import Round


class Command(BaseCommand):
    help = (
        "Work out the totals the moderation page reads (each submitted assessment's weighted total, each "
        "application's figures and each assessor's tally) afresh from the scores. Scoring keeps them up to date; "
        "run this after changing scores in the database by hand. Without --round, every round."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--round", dest="slug", default="", help="The round's slug (as in its address).")

    def handle(self, *args: Any, **options: Any) -> None:
        rounds = Round.objects.order_by("pk")
        if options["slug"]:
            rounds = rounds.filter(slug=options["slug"])
            if not rounds.exists():
                raise CommandError(f"There is no round with the slug {options['slug']!r}.")
        for round in rounds:
            counted = rebuild_totals(round)
            self.stdout.write(f"{round.slug}: {counted} submitted assessments counted")
