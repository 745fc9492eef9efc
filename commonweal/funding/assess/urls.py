"""Funding routes: the assess area (the assessor pool, conflicts, scoring, moderation, the panel)."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    # Officers
    path("manage/rounds/<slug:slug>/assessors/", views.assessors, name="assessors"),
    path("manage/rounds/<slug:slug>/assessors/add/", views.assessor_add, name="assessor_add"),
    path("manage/rounds/<slug:slug>/assessors/<int:pk>/remove/", views.assessor_remove, name="assessor_remove"),
    path("manage/rounds/<slug:slug>/assessors/assign/", views.assessors_assign, name="assessors_assign"),
    path("manage/rounds/<slug:slug>/moderation/", views.moderation, name="moderation"),
    path("manage/rounds/<slug:slug>/applications.csv", views.round_applications_csv, name="round_applications_csv"),
    path("manage/rounds/<slug:slug>/panel-pack.pdf", views.panel_pack, name="panel_pack"),
    path("manage/applications/<uuid:uuid>/decide/", views.decide, name="decide"),
    path("manage/applications/<uuid:uuid>/assessors/", views.assign_by_hand, name="assign_by_hand"),
    # Assessors: anyone signed in, refused unless assigned and not conflicted
    path("assess/", views.my_assessments, name="my_assessments"),
    path("assess/<int:pk>/declare/", views.declare, name="declare"),
    path("assess/<int:pk>/", views.score, name="score"),
]
