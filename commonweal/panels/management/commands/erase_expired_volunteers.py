"""The citizens' panel's daily erasure of volunteers past the council's retention period."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commonweal.core.commands import a_date
from commonweal.panels.pool.services import erase_expired_volunteers
from commonweal.panels.tasks import erase_expired_volunteers as erase_task


class Command(BaseCommand):
    help = (
        "Erase every citizens' panel volunteer whose details have been kept for the council's retention period "
        "(their row and its audit entries; the selections they were in keep only anonymous numbers). Run it daily "
        "from cron, for example '30 6 * * * commonweal erase_expired_volunteers'. By default it queues the task for "
        "the background worker ('commonweal db_worker'); --now runs it in this process and reports. --today "
        "YYYY-MM-DD runs it as if it were that day (implies --now)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--now", action="store_true", help="Run the task in this process instead of queueing it.")
        parser.add_argument("--today", type=a_date, help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        today = options.get("today")
        if options["now"] or today is not None:
            erased = erase_expired_volunteers(today=today)
            self.stdout.write(f"{erased} volunteers erased.")
            return
        result = erase_task.enqueue()
        self.stdout.write(f"Queued the erasure task (task {result.id}).")
