"""Funding routes: the sources area."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
