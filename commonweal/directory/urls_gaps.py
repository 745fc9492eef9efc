"""Routes for the directory's gaps pages (joined into the `directory` namespace by urls.py)."""

from django.urls import URLPattern, path

from . import views_gaps

urlpatterns: list[URLPattern] = [
    path("gaps/", views_gaps.gaps_page, name="gaps"),
    path("gaps/wards.csv", views_gaps.gaps_csv, name="gaps_csv"),
]
