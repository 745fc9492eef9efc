"""Remind the people who run each stale listing to check it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commonweal.directory.reminders import REMIND_AGAIN_AFTER, remind_stale_listings, send_stale_reminders


class Command(BaseCommand):
    help = (
        "Email the group members of every organisation whose listing nobody has confirmed for a year, "
        f"at most once every {REMIND_AGAIN_AFTER.days} days. Run it daily from cron, for example "
        "'0 7 * * * commonweal remind_stale_listings'. By default it queues the reminder task for the background "
        "worker ('commonweal db_worker', or 'serve --with-worker'); --now sends the emails from this process instead."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--now", action="store_true", help="Send the reminders from this process instead of queueing the task."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            sent = send_stale_reminders()
            self.stdout.write(f"Reminded the members of {sent} organisation{'s' if sent != 1 else ''}.")
            return
        result = remind_stale_listings.enqueue()
        self.stdout.write(f"Queued the stale-listing reminder (task {result.id}).")
