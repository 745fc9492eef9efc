from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from commonweal.core.demo import DEMO_PASSWORD
from commonweal.engagement.forums.demo import COUNCILLORS
from commonweal.home.demo import load_demo_borough
from commonweal.home.demo_data import DEMO_ACCOUNTS


class Command(BaseCommand):
    help = "Load the demo borough (Merton, with invented organisations and people). Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.COMMONWEAL_DEMO:
            raise CommandError(
                "The demo borough loads only with demo settings (DJANGO_SETTINGS_MODULE=commonweal.settings.demo)."
            )
        council = load_demo_borough()
        self.stdout.write(self.style.SUCCESS(f"Demo borough ready: {council.name}, {council.wards.count()} wards."))
        self.stdout.write("Sign in at http://127.0.0.1:8000/accounts/login/ as any of these (demo data only):")
        for account in DEMO_ACCOUNTS:
            where = f" ({account.organisation})" if account.organisation else ""
            self.stdout.write(f"  {account.label:<14} {account.email:<36} password: {DEMO_PASSWORD}{where}")
        for email, _name, _party, ward in COUNCILLORS:
            self.stdout.write(f"  {'Councillor':<14} {email:<36} password: {DEMO_PASSWORD} ({ward})")
