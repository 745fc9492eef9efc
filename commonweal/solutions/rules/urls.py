"""The rules area's pages: categories and routing, service standards, settings and their history."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.overview, name="rules"),
    path("categories/add/", views.category_add, name="rules_category_add"),
    path("categories/<int:pk>/", views.category_edit, name="rules_category_edit"),
    path("categories/<int:pk>/delete/", views.category_delete, name="rules_category_delete"),
    path("standards/", views.standards, name="rules_standards"),
    path("settings/", views.settings, name="rules_settings"),
    path("changes/", views.changes, name="rules_changes"),
]
