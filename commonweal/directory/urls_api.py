"""/api/oruk/... (the ORUK endpoints) and /api/docs (their OpenAPI document)."""

from django.urls import URLPattern, URLResolver, path

from .api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("oruk/", api.urls),
]
