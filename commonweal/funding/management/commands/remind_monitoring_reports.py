"""Remind funded groups of their monitoring reports."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commonweal.funding.awards.reminders import REMIND_BEFORE, remind_reports
from commonweal.funding.tasks import send_report_reminders


class Command(BaseCommand):
    help = (
        f"Email the members of each funded group {REMIND_BEFORE.days} days before a monitoring report is due, and "
        "once it is overdue; each reminder is sent once per report. Run it daily from cron, for example "
        "'0 7 * * * commonweal remind_monitoring_reports'. By default it queues the reminder task for the "
        "background worker ('commonweal db_worker'); --now sends the emails from this process instead."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--now", action="store_true", help="Send the reminders from this process instead of queueing the task."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            sent = remind_reports()
            self.stdout.write(f"Reminded groups about {sent} report{'s' if sent != 1 else ''}.")
            return
        result = send_report_reminders.enqueue()
        self.stdout.write(f"Queued the monitoring-report reminder (task {result.id}).")
