"""Routes for the directory's public pages (joined into the `directory` namespace by urls.py)."""

from django.urls import URLPattern, path

from . import views_public

urlpatterns: list[URLPattern] = [
    path("", views_public.search, name="search"),
    path("groups/", views_public.groups, name="groups"),
    path("organisations/<slug:slug>/", views_public.organisation, name="organisation"),
    path("services/<uuid:uuid>/", views_public.service, name="service"),
    path("assets/", views_public.assets, name="assets"),
    path("assets/<uuid:uuid>/", views_public.asset, name="asset"),
]
