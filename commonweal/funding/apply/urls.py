"""Funding routes: the apply area (eligibility, applications, their files and the officers' list)."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("rounds/<slug:slug>/eligibility/", views.eligibility, name="eligibility"),
    path("rounds/<slug:slug>/apply/", views.application_start, name="application_start"),
    path("applications/", views.my_applications, name="my_applications"),
    path("applications/<uuid:uuid>/", views.application, name="application"),
    path("applications/<uuid:uuid>/edit/", views.application_edit, name="application_edit"),
    path("applications/<uuid:uuid>/autosave/", views.application_autosave, name="application_autosave"),
    path("applications/<uuid:uuid>/check/", views.application_check, name="application_check"),
    path("applications/<uuid:uuid>/submit/", views.application_submit, name="application_submit"),
    path("applications/<uuid:uuid>/submitted/", views.application_submitted, name="application_submitted"),
    path("applications/<uuid:uuid>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("applications/<uuid:uuid>/files/<int:pk>/", views.attachment, name="attachment"),
    path("manage/rounds/<slug:slug>/applications/", views.round_applications, name="round_applications"),
]
