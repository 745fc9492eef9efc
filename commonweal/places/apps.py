from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "commonweal.places"
    label = "places"
    verbose_name = "Places"

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.db.models.signals import post_delete, post_save

        from .models import CouncilArea, Locality, ProfileCount, Ward

        post_save.connect(CouncilArea.forget_current, sender=CouncilArea, dispatch_uid="forget-current-council")
        post_delete.connect(CouncilArea.forget_current, sender=CouncilArea, dispatch_uid="forget-current-council")
        auditlog.register(CouncilArea, exclude_fields=["boundary"])
        auditlog.register(Ward, exclude_fields=["boundary"])
        auditlog.register(Locality, m2m_fields={"wards"})
        auditlog.register(ProfileCount)
