"""The public area's pages: the log, a blockage's public page, case studies and the dashboard."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("", views.log, name="log"),
    path("blockages/<uuid:uuid>/", views.public_blockage, name="public_blockage"),
    path("case-studies/", views.case_studies, name="case_studies"),
    path("case-studies/<int:pk>/", views.case_study, name="case_study"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard.csv", views.dashboard_csv, name="dashboard_csv"),
]
