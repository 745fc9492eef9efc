"""The Solutions Framework's daily breach task."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commonweal.core.commands import a_date
from commonweal.solutions.escalation import escalate_late_blockages
from commonweal.solutions.tasks import escalate_late_blockages as escalate_task


class Command(BaseCommand):
    help = (
        "Flag every open blockage whose stage is past its due date (in working days) as breached, escalate it to "
        "its champion and, once it has been late for the council's set working days, to the stewards; each person "
        "gets one email listing their late cases. Nothing is escalated twice, so running it again is safe. Run it "
        "daily from cron, for example '15 7 * * * commonweal escalate_late_blockages'. By default it queues the task "
        "for the background worker ('commonweal db_worker'); --now runs it in this process and reports. "
        "--today YYYY-MM-DD runs it as if it were that day (implies --now)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--now", action="store_true", help="Run the task in this process instead of queueing it.")
        parser.add_argument("--today", type=a_date, help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        today = options.get("today")
        if options["now"] or today is not None:
            done = escalate_late_blockages(today=today)
            self.stdout.write(
                f"{done.breached} newly breached; {done.to_champions} escalated to champions, "
                f"{done.to_stewards} to the stewards, {done.sign_offs} late sign-offs; {done.emails} emails sent."
            )
            return
        result = escalate_task.enqueue()
        self.stdout.write(f"Queued the breach task (task {result.id}).")
