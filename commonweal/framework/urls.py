from django.urls import path

from . import views

app_name = "framework"

urlpatterns = [
    path("", views.detail, name="detail"),
    path("edit/", views.edit, name="edit"),
    path("edit/vision/", views.vision_edit, name="vision"),
    path("edit/<slug:kind_slug>/add/", views.element_add, name="element_add"),
    path("edit/elements/<int:pk>/", views.element_edit, name="element_edit"),
    path("edit/elements/<int:pk>/delete/", views.element_delete, name="element_delete"),
    path("edit/elements/<int:pk>/move/", views.element_move, name="element_move"),
    path("edit/elements/<int:pk>/confirm/", views.element_confirm, name="element_confirm"),
    path("edit/history/", views.history, name="history"),
    path("edit/history/<int:entry_pk>/go-back/", views.restore, name="restore"),
    path("edit/presets/", views.presets, name="presets"),
    path("edit/presets/<slug:slug>/", views.preset_use, name="preset_use"),
]
