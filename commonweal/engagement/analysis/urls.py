"""The analysis area's pages: results, tagging free-text answers with themes, and the responses as CSV."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("manage/consultations/<slug:slug>/results/", views.results, name="results"),
    path("manage/consultations/<slug:slug>/results/responses.csv", views.responses_csv, name="responses_csv"),
    path("manage/consultations/<slug:slug>/results/themes/<int:question_id>/", views.tagging, name="tagging"),
    path(
        "manage/consultations/<slug:slug>/results/themes/<int:question_id>/theme/<int:theme_id>/",
        views.theme,
        name="theme",
    ),
]
