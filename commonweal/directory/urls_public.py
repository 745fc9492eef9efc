"""Routes for the directory's public pages (joined into the `directory` namespace by urls.py)."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path


def not_built_yet(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """Placeholder so other pages can link here; the area's owner replaces every use of it."""
    raise Http404


urlpatterns: list[URLPattern] = [
    path("", not_built_yet, name="search"),
    path("organisations/<slug:slug>/", not_built_yet, name="organisation"),
    path("services/<uuid:uuid>/", not_built_yet, name="service"),
    path("assets/", not_built_yet, name="assets"),
    path("assets/<uuid:uuid>/", not_built_yet, name="asset"),
]
