from django.apps import AppConfig


class FrameworkConfig(AppConfig):
    name = "commonweal.framework"
    label = "framework"
    verbose_name = "Framework"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Element, Framework

        auditlog.register(Framework)
        auditlog.register(Element)
