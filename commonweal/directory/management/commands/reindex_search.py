"""Rebuild the directory's search index from the services as they are."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commonweal.directory.models import SearchText
from commonweal.directory.search import reindex_services


class Command(BaseCommand):
    help = (
        "Rebuild the search index of every service. Every change to a service keeps the index true by itself; run "
        "this once after an upgrade that changes what the index holds (as the release notes say), so that services "
        "nobody has changed since are ranked the new way too."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        reindex_services()
        count = SearchText.objects.count()
        self.stdout.write(f"Indexed {count:,} public service{'s' if count != 1 else ''}.")
