"""Funding routes: the open area (360Giving open data and where the money went; all public)."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/360giving.json", views.open_data_json, name="open_data_json"),
    path("open-data/360giving.xlsx", views.open_data_xlsx, name="open_data_xlsx"),
    path("where-the-money-went/", views.where_money_went, name="where_money_went"),
]
