from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "commonweal.funding"
    label = "funding"
    verbose_name = "Funding"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from commonweal.core import jobs

        from . import models, tasks

        jobs.register(tasks.build_360giving_spreadsheet, title="The 360Giving spreadsheet of published grants")
        jobs.register(tasks.send_report_reminders, title="Reminders of monitoring reports due")
        jobs.register(tasks.build_panel_pack, title="A panel pack of a round's applications (PDF)")

        from commonweal.places import ward_links

        from .opendata.queries import ward_links as grants_in_ward

        ward_links.register(grants_in_ward)  # the ward's page links to the grants that named it

        for model in (
            models.Fund,
            models.Application,
            models.Assignment,
            models.Decision,
            models.Grant,
            models.Tranche,
            models.MonitoringReport,
            models.FundingSource,
            models.CommunityNeed,
            models.Pledge,
            models.ThemeBudget,
            models.Pot,
            models.EligibilityQuestion,
            models.Question,
            models.Criterion,
            models.ProspectusComment,
            models.Attachment,
            models.Score,
            models.ReportResult,
            models.MatchFunding,
            models.Fulfilment,
        ):
            # An assessment's weighted total is worked out from its audited scores, not a change anyone makes.
            auditlog.register(model, exclude_fields=["weighted_total"] if model is models.Assignment else None)
        # Who joined or left a round's assessor pool, and who made the change.
        auditlog.register(models.Round, m2m_fields={"assessors"})
