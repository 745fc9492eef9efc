"""Routes for the directory's open data (joined into the `directory` namespace by urls.py)."""

from django.urls import URLPattern, path

from . import views_exports

urlpatterns: list[URLPattern] = [
    path("export/", views_exports.open_data, name="open_data"),
    path("export/directory.csv", views_exports.export_csv, name="export_csv"),
    path("export/oruk.json", views_exports.export_oruk, name="export_oruk"),
]
