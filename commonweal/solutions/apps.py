from django.apps import AppConfig


class SolutionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "commonweal.solutions"
    verbose_name = "Solutions Framework"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from commonweal.core import jobs, openapi

        from . import models, tasks
        from .public.api import document_paths

        jobs.register(tasks.escalate_late_blockages, title="Escalating late blockages (the daily breach task)")
        # The blockages feed is documented in /api/docs beside the directory's Open Referral UK API.
        openapi.register(document_paths)

        for model in (
            models.ServiceStandard,
            models.SolutionsSettings,
            models.Part,
            models.Escalation,
            models.Supporter,
            models.CaseStudy,
            models.AssetTransfer,
            models.SignOff,
            models.Document,
        ):
            auditlog.register(model)
        # Who raised it is personal data: its changes are audited like every record holding some.
        auditlog.register(models.Blockage, exclude_fields=["confirm_token"])
        # Routing rules: who changed which departments a category goes to.
        auditlog.register(models.Category, m2m_fields={"departments"})
