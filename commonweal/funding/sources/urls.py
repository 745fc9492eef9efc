"""Funding routes: the sources area (external funding, match funding, leverage, community needs, pledges)."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    # Anyone
    path("sources/", views.sources, name="sources"),
    path("sources/register.csv", views.sources_csv, name="sources_csv"),
    path("sources/<int:pk>/", views.source, name="source"),
    path("leverage/", views.leverage, name="leverage"),
    path("needs/", views.needs, name="needs"),
    path("needs/<int:pk>/", views.need, name="need"),
    path("pledges/<int:pk>/", views.pledge, name="pledge"),
    # Officers
    path("manage/sources/new/", views.source_add, name="source_add"),
    path("manage/sources/<int:pk>/", views.source_edit, name="source_edit"),
    # An application's managers and officers
    path("applications/<uuid:uuid>/match-funding/", views.match_funding, name="match_funding"),
    # Group members (needs) and suppliers' members (pledges)
    path("needs/new/", views.need_add, name="need_add"),
    path("needs/<int:pk>/pledge/", views.pledge_add, name="pledge_add"),
    # The steps of a pledge, one address each: the need's group, the supplier and officers, as the workflow says
    path("pledges/<int:pk>/accept/", views.pledge_accept, name="pledge_accept"),
    path("pledges/<int:pk>/deliveries/", views.pledge_fulfil, name="pledge_fulfil"),
    path("pledges/<int:pk>/deliver/", views.pledge_deliver, name="pledge_deliver"),
    path("pledges/<int:pk>/verify/", views.pledge_verify, name="pledge_verify"),
    path("pledges/<int:pk>/withdraw/", views.pledge_withdraw, name="pledge_withdraw"),
    path("pledges/<int:pk>/withdraw-consent/", views.pledge_consent_withdraw, name="pledge_consent_withdraw"),
]
