"""Apply the council's retention periods."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commonweal.core.models import RetentionPeriod
from commonweal.home.services import apply_retention
from commonweal.home.tasks import apply_retention_periods


class Command(BaseCommand):
    help = (
        "Remove what has been kept longer than the council's retention periods (set on the retention settings "
        "page): files of applications not funded, reporters' email addresses, old audit entries. Run it daily "
        "from cron, for example '30 2 * * * commonweal apply_retention'. By default it queues the task for the "
        "background worker ('commonweal db_worker'); --now applies the periods from this process and reports."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--now", action="store_true", help="Apply the periods from this process instead.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            done = apply_retention()
            for kind, count in done.items():
                self.stdout.write(f"{RetentionPeriod.Kind(kind).label}: {count} removed.")
            return
        result = apply_retention_periods.enqueue()
        self.stdout.write(f"Queued the retention task (task {result.id}).")
