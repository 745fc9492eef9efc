"""The retention periods the platform starts with; the council changes them on the retention settings page."""

from typing import Any

from django.db import migrations

DEFAULTS = [
    (
        "declined_attachments",
        24,
        "the files are deleted; the application itself and the decision are kept",
    ),
    ("reporter_emails", 6, "the email address is removed from the report once it has been resolved"),
    ("audit_entries", 84, "the entries are deleted"),
]


def add_defaults(apps: Any, schema_editor: Any) -> None:
    RetentionPeriod = apps.get_model("core", "RetentionPeriod")
    for kind, months, what_happens in DEFAULTS:
        RetentionPeriod.objects.get_or_create(kind=kind, defaults={"months": months, "what_happens": what_happens})


def remove_defaults(apps: Any, schema_editor: Any) -> None:
    apps.get_model("core", "RetentionPeriod").objects.filter(kind__in=[kind for kind, _, _ in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0002_privacy_retention_periods")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
