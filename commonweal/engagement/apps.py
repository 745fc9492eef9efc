from django.apps import AppConfig


class EngagementConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "commonweal.engagement"
    verbose_name = "Engagement"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from commonweal.accounts.services import register_eraser
        from commonweal.core import jobs, openapi

        from . import models, privacy
        from .closing import tasks as closing_tasks
        from .consultations.api import document_paths

        # The consultations feed is documented in /api/docs beside the directory's Open Referral UK API.
        openapi.register(document_paths)
        # Erasing a person takes their name and addresses out of responses, format requests and event places.
        register_eraser(privacy.erase)
        jobs.register(closing_tasks.tell_respondents, title="Emailing a consultation's decision ('we did')")

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
        # Responding's own: the emailed confirmation (its secret never written down) and requests for other formats.
        auditlog.register(models.ResponseConfirmation, exclude_fields=["token"])
        auditlog.register(models.AlternativeFormatRequest)
        # Who was told of a decision (a hash of each address): written in bulk by the task, so its rows are
        # counted rather than logged one by one; registered so any other change to them is.
        auditlog.register(models.DecisionNotice)
        # Themes and the answers tagged with them are officers' analysis: who changed what is kept.
        auditlog.register(models.AnswerTheme)
        auditlog.register(models.AnswerTag)
        # Participatory budgets and their proposals are audited; ballots are not (a log of who changed what
        # would tie a vote to a person, and nobody changes a ballot once cast).
        auditlog.register(models.Budget, m2m_fields={"wards"})
        auditlog.register(models.Proposal)
        # Perception surveys: who set up a survey and took a wave's steps is kept; responses and invitations are
        # not logged (they hold no name or address, and a log entry would tie an answer to a time and a person).
        auditlog.register(models.Survey)
        auditlog.register(models.SurveyQuestion)
        auditlog.register(models.Wave)
