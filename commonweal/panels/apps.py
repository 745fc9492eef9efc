from django.apps import AppConfig


class PanelsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "commonweal.panels"
    verbose_name = "Citizens' panel"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from commonweal.accounts.services import register_eraser
        from commonweal.core import jobs

        from . import models, privacy, tasks

        # Erasing a person's account erases their volunteer record too.
        register_eraser(privacy.erase)
        jobs.register(
            tasks.run_selection,
            title="Running a citizens' panel selection",
            hooks=jobs.Hooks(on_failed=tasks.selection_failed),
        )
        jobs.register(tasks.erase_expired_volunteers, title="Erasing panel volunteers past the retention period")

        # A volunteer's record is personal data: every change is audited (the status link's secret never written
        # down); erasing one removes its entries too (pool/services.py).
        auditlog.register(models.Volunteer, exclude_fields=["status_token"])
        # The selection's big results (the distribution, the lottery) are kept out of the log: the digest and the
        # status say what changed, and the entries stay small.
        auditlog.register(models.Selection, exclude_fields=["pool", "panels", "lottery", "excluded", "progress"])
        auditlog.register(models.SelectionQuota)
        auditlog.register(models.SelectionMember)
