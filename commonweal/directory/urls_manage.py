"""Routes for the directory's manage pages (joined into the `directory` namespace by urls.py)."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path


def not_built_yet(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """Placeholder so other pages can link here; the area's owner replaces every use of it."""
    raise Http404


urlpatterns: list[URLPattern] = [
    path("report/<str:kind>/<uuid:uuid>/", not_built_yet, name="report"),
    path("organisations/<slug:slug>/claim/", not_built_yet, name="claim"),
    path("manage/", not_built_yet, name="my_listings"),
    path("moderation/", not_built_yet, name="moderation"),
]
