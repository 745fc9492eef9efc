"""Funding routes: the setup area."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
