"""The public area's pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
