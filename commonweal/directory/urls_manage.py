"""Routes for keeping the directory true (joined into the `directory` namespace by urls.py): reports from the
public, claims, group members' own listings, and the officers' moderation."""

from django.urls import URLPattern, path

from . import views_manage as views

urlpatterns: list[URLPattern] = [
    # Anyone
    path("report/<str:kind>/<uuid:uuid>/", views.report, name="report"),
    path("report/<str:kind>/<uuid:uuid>/sent/", views.report_sent, name="report_sent"),
    # Signed in
    path("organisations/<slug:slug>/claim/", views.claim, name="claim"),
    path("manage/", views.my_listings, name="my_listings"),
    # An organisation's own members, officers and administrators
    path("manage/organisations/<slug:slug>/", views.manage_organisation, name="manage_organisation"),
    path("manage/organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path("manage/organisations/<slug:slug>/services/add/", views.service_add, name="service_add"),
    path("manage/organisations/<slug:slug>/locations/add/", views.location_add, name="location_add"),
    path("manage/organisations/<slug:slug>/assets/add/", views.asset_add, name="asset_add"),
    path("manage/service/<uuid:uuid>/edit/", views.service_edit, name="service_edit"),
    path("manage/location/<uuid:uuid>/edit/", views.location_edit, name="location_edit"),
    path("manage/asset/<uuid:uuid>/edit/", views.asset_edit, name="asset_edit"),
    path("manage/<str:kind>/<uuid:uuid>/confirm/", views.confirm, name="confirm"),
    path("manage/<str:kind>/<uuid:uuid>/withdraw/", views.withdraw, name="withdraw"),
    path("manage/<str:kind>/<uuid:uuid>/restore/", views.restore, name="restore"),
    path("manage/<str:kind>/<uuid:uuid>/history/", views.history, name="history"),
    # Officers and administrators
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/stale/", views.stale, name="stale"),
    path("moderation/stale/remind/", views.stale_remind, name="stale_remind"),
    path("moderation/listings/<str:kind>/<uuid:uuid>/", views.listing_decide, name="listing_decide"),
    path("moderation/changes/<int:pk>/", views.change_decide, name="change_decide"),
    path("moderation/claims/<int:pk>/", views.claim_decide, name="claim_decide"),
    path("moderation/reports/<int:pk>/", views.report_resolve, name="report_resolve"),
]
