"""Funding routes: the awards area."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
