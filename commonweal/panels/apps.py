from django.apps import AppConfig


class PanelsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "commonweal.panels"
    verbose_name = "Citizens' panel"
