"""Keep the demo's drawn selection's result, so the demo loads it rather than running leximin for minutes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from commonweal.panels import demo
from commonweal.panels.models import Selection


class Command(BaseCommand):
    help = (
        f"Write the result of the demo selection '{demo.DRAWN_TITLE}' (loaded by load_demo, which ran leximin because "
        f"no kept result matched its pool) to {demo.RESULT_FILE.name}, so the next load_demo loads it in a second. "
        "Run it after load_demo whenever the demo pool, the demo profile or the engine changes."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        selection = Selection.objects.filter(title=demo.DRAWN_TITLE).first()
        if selection is None or not selection.panel_count:
            raise CommandError(f"There is no run demo selection '{demo.DRAWN_TITLE}': run load_demo first.")
        path = demo.write_result(selection)
        self.stdout.write(f"Wrote {path} ({path.stat().st_size:,} bytes).")
