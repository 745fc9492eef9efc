"""Routes for the vocabulary pages (joined into the `directory` namespace by urls.py)."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("vocabulary/", views.taxonomy, name="taxonomy"),
    path("vocabulary/import/", views.taxonomy_import, name="taxonomy_import"),
    path("vocabulary/<int:pk>/", views.taxonomy_detail, name="taxonomy_detail"),
    path("vocabulary/<int:pk>/terms.csv", views.taxonomy_csv, name="taxonomy_csv"),
    path("vocabulary/<int:pk>/add/", views.term_add, name="term_add"),
    path("vocabulary/terms/<int:pk>/", views.term_edit, name="term_edit"),
    path("vocabulary/terms/<int:pk>/delete/", views.term_delete, name="term_delete"),
]
