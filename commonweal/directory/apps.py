from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "commonweal.directory"
    label = "directory"
    verbose_name = "Community directory"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from commonweal.core import jobs

        from . import models, reminders, tasks
        from .imports.runner import HOOKS

        jobs.register(tasks.import_directory_file, title="Directory import", hooks=HOOKS)
        jobs.register(reminders.remind_stale_listings, title="Reminders of listings nobody has checked")

        # Every change to a directory record is kept: who, when, what, before and after.
        plain: tuple[type, ...] = (
            models.Location,
            models.Taxonomy,
            models.TaxonomyTerm,
            models.ServiceAtLocation,
            models.Schedule,
            models.Contact,
            models.CostOption,
            models.Claim,
            models.ChangeRequest,
            models.Report,
        )
        for model in plain:
            auditlog.register(model)
        auditlog.register(models.Service, m2m_fields={"terms", "themes", "wards_served"})
        auditlog.register(models.Asset, m2m_fields={"themes"})

        from commonweal.places import ward_links

        from .queries import ward_links as directory_in_ward

        ward_links.register(directory_in_ward)  # the ward's page links to its services, groups and assets

        from .changes import connect_signals

        connect_signals()  # a change to the public data gives it a new version: new downloads, results, API pages
