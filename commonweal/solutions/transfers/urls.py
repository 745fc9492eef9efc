"""The transfers area's pages (mounted at /solutions/transfers/)."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("", views.transfers, name="transfers"),
    path("yours/", views.transfers_mine, name="transfers_mine"),
    path("interest/", views.interest, name="transfer_interest"),
    path("<uuid:uuid>/", views.transfer, name="transfer"),
    path("<uuid:uuid>/support/", views.support, name="transfer_support"),
    path("<uuid:uuid>/business-case/", views.business_case, name="transfer_business_case"),
    path("<uuid:uuid>/sign-offs/", views.sign_offs, name="transfer_sign_offs"),
    path("<uuid:uuid>/sign-offs/<str:kind>/", views.sign_off, name="transfer_sign_off"),
    path("<uuid:uuid>/decision/", views.decision, name="transfer_decision"),
    path("<uuid:uuid>/lease/", views.lease, name="transfer_lease"),
    path("<uuid:uuid>/withdraw/", views.withdraw, name="transfer_withdraw"),
    path("<uuid:uuid>/champion/", views.champion, name="transfer_champion"),
    path("<uuid:uuid>/documents/", views.documents, name="transfer_documents"),
    path("<uuid:uuid>/documents/<int:pk>/", views.document, name="transfer_document"),
]
