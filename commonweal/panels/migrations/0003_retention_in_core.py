"""How long volunteers' details are kept becomes one of the council's retention periods (core.RetentionPeriod),
set on the retention page and printed in the privacy notice like the others; the panel's own settings row goes.
A council that had changed it keeps its number of months."""

from typing import Any

from django.db import migrations

KIND = "panel_volunteers"
WHAT_HAPPENS = (
    "the volunteer's name, contact details, address and answers are erased; a selection they were in keeps only "
    "an anonymous number"
)


def to_core(apps: Any, schema_editor: Any) -> None:
    settings = apps.get_model("panels", "PanelSettings").objects.order_by("pk").first()
    months = settings.retention_months if settings is not None else 24
    apps.get_model("core", "RetentionPeriod").objects.get_or_create(
        kind=KIND, defaults={"months": months, "what_happens": WHAT_HAPPENS}
    )


def to_panels(apps: Any, schema_editor: Any) -> None:
    period = apps.get_model("core", "RetentionPeriod").objects.filter(kind=KIND).first()
    if period is not None:
        apps.get_model("panels", "PanelSettings").objects.create(retention_months=min(max(period.months, 1), 120))
        period.delete()


class Migration(migrations.Migration):
    dependencies = [("panels", "0002_distribution_in_groups"), ("core", "0005_panel_volunteers_retention")]

    operations = [
        migrations.RunPython(to_core, to_panels),
        migrations.DeleteModel(name="PanelSettings"),
    ]
