"""Routes for the directory's gaps pages (joined into the `directory` namespace by urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
