"""`commonweal load_framework_preset merton [--replace]`: start the framework from a council's preset."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonweal.framework.models import Framework
from commonweal.framework.presets import get_preset, list_presets
from commonweal.framework.queries import framework_sections
from commonweal.framework.services import load_framework_preset


class Command(BaseCommand):
    help = "Set up the framework from a council's preset; an existing framework is kept unless --replace."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help=f"one of: {', '.join(p.slug for p in list_presets())}")
        parser.add_argument("--replace", action="store_true", help="replace the current framework's content")

    def handle(self, *args: Any, slug: str, replace: bool, **options: Any) -> None:
        existing = Framework.current()
        try:
            framework = load_framework_preset(slug=slug, replace=replace)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if existing is not None and not replace:
            self.stdout.write(
                f'A framework already exists ("{existing.name}"), so it was left as it is. '
                "Use --replace to replace its content with the preset."
            )
            return
        preset = get_preset(slug)
        counts = ", ".join(
            f"{len(section.elements)} {section.heading.lower()}"
            for section in framework_sections(framework)
            if section.elements
        )
        verb = "Replaced the framework with" if existing is not None else "Loaded"
        council = preset.council if preset else slug
        self.stdout.write(self.style.SUCCESS(f'{verb} {council}\'s "{framework.name}": {counts}.'))
