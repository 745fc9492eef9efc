"""Responding's pages: answering a consultation, coming back to a draft, confirming by email, a person's own
responses, and asking for another format."""

from django.urls import path

from . import views

urlpatterns = [
    path("consultations/<slug:slug>/respond/", views.respond, name="respond"),
    path("consultations/<slug:slug>/respond/<int:number>/", views.question, name="respond_question"),
    path("consultations/<slug:slug>/respond/about-you/", views.about, name="respond_about"),
    path("consultations/<slug:slug>/respond/equality/", views.equality, name="respond_equality"),
    path("consultations/<slug:slug>/respond/check/", views.check, name="respond_check"),
    path("consultations/<slug:slug>/respond/save/", views.save, name="respond_save"),
    path("consultations/<slug:slug>/respond/sent/", views.responded, name="responded"),
    path("consultations/<slug:slug>/other-formats/", views.alternative_formats, name="alternative_formats"),
    path(
        "consultations/<slug:slug>/other-formats/sent/",
        views.alternative_formats_sent,
        name="alternative_formats_sent",
    ),
    path("respond/resume/<str:token>/", views.resume, name="resume"),
    path("respond/confirm/<str:token>/", views.confirm_response, name="confirm_response"),
    path("your-responses/", views.your_responses, name="your_responses"),
    path("your-responses/<uuid:uuid>/", views.your_response, name="your_response"),
]
