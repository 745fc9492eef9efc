"""Routes for the directory's imports and vocabulary pages (joined into the `directory` namespace by urls.py)."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("imports/", views.imports, name="imports"),
    path("imports/community-groups-template.csv", views.import_template, name="import_template"),
    path("imports/<int:pk>/", views.import_run, name="import_run"),
    path("imports/<int:pk>/retry", views.import_retry, name="import_retry"),
    path("imports/<int:pk>/status.json", views.import_status, name="import_status"),
    path("imports/<int:pk>/rejected-rows.csv", views.import_rejections, name="import_rejections"),
]
