from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "commonweal.core"
    label = "core"
    verbose_name = "Platform"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import RetentionPeriod

        auditlog.register(RetentionPeriod)
