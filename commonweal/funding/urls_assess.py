"""Funding routes: the assess area."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
