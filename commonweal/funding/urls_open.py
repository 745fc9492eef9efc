"""Funding routes: the open area."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
