"""Funding routes: the apply area."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
