"""A selection's distribution is kept in the engine's group form ({"groups": ..., "panels": ...}); one kept by the
first version (a list of people-panels) becomes that form with no groups, which the lottery reads as it was."""

from typing import Any

from django.db import migrations, models


def to_group_form(apps: Any, schema_editor: Any) -> None:
    Selection = apps.get_model("panels", "Selection")
    for selection in Selection.objects.all():
        if isinstance(selection.panels, list):
            selection.panels = {"groups": [], "panels": selection.panels}
            selection.save(update_fields=["panels"])


class Migration(migrations.Migration):
    dependencies = [("panels", "0001_initial")]

    operations = [
        migrations.AddField(model_name="selection", name="complete", field=models.BooleanField(default=True)),
        migrations.AlterField(
            model_name="selection", name="panels", field=models.JSONField(blank=True, default=dict)
        ),
        migrations.RunPython(to_group_form, migrations.RunPython.noop),
    ]
