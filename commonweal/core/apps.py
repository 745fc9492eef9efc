from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "commonweal.core"
    label = "core"
    verbose_name = "Platform"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from commonweal.core.signals import create_cache_table

        post_migrate.connect(create_cache_table, sender=self)
