"""Funding routes: the awards area (grant offers, acceptance, payments in tranches, monitoring reports)."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    # Officers
    path("manage/applications/<uuid:uuid>/offer/", views.offer, name="offer"),
    path("manage/grants/", views.grants_manage, name="grants_manage"),
    path("manage/grants/<str:reference>/complete/", views.grant_complete, name="grant_complete"),
    path("manage/grants/<str:reference>/withdraw/", views.grant_withdraw, name="grant_withdraw"),
    path("manage/tranches/<int:pk>/pay/", views.tranche_pay, name="tranche_pay"),
    path("manage/reports/<int:pk>/review/", views.report_review, name="report_review"),
    # The group that was awarded the grant, and officers
    path("grants/<str:reference>/", views.grant, name="grant"),
    path("grants/<str:reference>/accept/", views.grant_accept, name="grant_accept"),
    path("grants/<str:reference>/decline/", views.grant_decline, name="grant_decline"),
    path("grants/<str:reference>/reports/<int:pk>/", views.report, name="report"),
    path("grants/<str:reference>/reports/<int:pk>/received/", views.report_received, name="report_received"),
]
