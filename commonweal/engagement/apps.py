from django.apps import AppConfig


class EngagementConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "commonweal.engagement"
    verbose_name = "Engagement"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        for model in (
            models.EngagementSettings,
            models.SchoolHoliday,
            models.Consultation,
            models.Document,
            models.Question,
            models.ImpactAssessment,
            models.Event,
        ):
            auditlog.register(model)
        # Who holds the councillor role for which wards is a permission: audited.
        auditlog.register(models.Councillor, m2m_fields={"wards"})
        # Responses hold personal data: their changes are audited, the resume link's secret never written down.
        auditlog.register(models.Response, exclude_fields=["resume_token"])
        auditlog.register(models.Monitoring)
        auditlog.register(models.Answer)
        # Participatory budgets and their proposals are audited; ballots are not (a log of who changed what
        # would tie a vote to a person, and nobody changes a ballot once cast).
        auditlog.register(models.Budget, m2m_fields={"wards"})
        auditlog.register(models.Proposal)
