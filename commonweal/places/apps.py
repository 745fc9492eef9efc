from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "commonweal.places"
    label = "places"
    verbose_name = "Places"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import CouncilArea, Locality, Ward

        auditlog.register(CouncilArea, exclude_fields=["boundary"])
        auditlog.register(Ward, exclude_fields=["boundary"])
        auditlog.register(Locality, m2m_fields={"wards"})
