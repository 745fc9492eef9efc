"""Closing the loop: the close form for officers, the public 'we did' pages, and the list of 'we did' due."""

from django.urls import path

from . import views

urlpatterns = [
    path("manage/consultations/<slug:slug>/close/", views.close, name="close"),
    path("manage/consultations/<slug:slug>/close/preview/", views.close_preview, name="close_preview"),
    path("manage/consultations/<slug:slug>/close/publish/", views.close_publish, name="close_publish"),
    path("manage/consultations/<slug:slug>/close/send/", views.close_send, name="close_send"),
    path("manage/we-did-due/", views.we_did_due, name="we_did_due"),
    path("consultations/<slug:slug>/we-did/", views.we_did, name="we_did"),
    path("consultations/<slug:slug>/we-did/papers/<int:pk>/", views.we_did_paper, name="we_did_paper"),
    path("we-asked-you-said-we-did/", views.we_asked, name="we_asked"),
]
