"""Routes for the directory's exports pages (joined into the `directory` namespace by urls.py)."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path


def not_built_yet(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """Placeholder so other pages can link here; the area's owner replaces every use of it."""
    raise Http404


urlpatterns: list[URLPattern] = [
    path("export/directory.csv", not_built_yet, name="export_csv"),
    path("export/oruk.json", not_built_yet, name="export_oruk"),
]
