"""The consultations area's pages: the public list and pages, and the officer's pages under manage/."""

from django.urls import path

from . import views

urlpatterns = [
    path("consultations/", views.consultations, name="consultations"),
    path("consultations/<slug:slug>/", views.consultation, name="consultation"),
    path("consultations/<slug:slug>/documents/<int:pk>/", views.consultation_document, name="consultation_document"),
    path("manage/", views.manage, name="manage"),
    path("manage/consultations/new/", views.manage_new, name="manage_new"),
    path("manage/consultations/<slug:slug>/", views.manage_consultation, name="manage_consultation"),
    path("manage/consultations/<slug:slug>/details/", views.manage_details, name="manage_details"),
    path("manage/consultations/<slug:slug>/who-is-affected/", views.manage_affected, name="manage_affected"),
    path("manage/consultations/<slug:slug>/dates/", views.manage_dates, name="manage_dates"),
    path("manage/consultations/<slug:slug>/questions/", views.manage_questions, name="manage_questions"),
    path("manage/consultations/<slug:slug>/questions/add/", views.manage_question_add, name="manage_question_add"),
    path(
        "manage/consultations/<slug:slug>/questions/<int:pk>/", views.manage_question_edit, name="manage_question_edit"
    ),
    path(
        "manage/consultations/<slug:slug>/questions/<int:pk>/move/",
        views.manage_question_move,
        name="manage_question_move",
    ),
    path(
        "manage/consultations/<slug:slug>/questions/<int:pk>/delete/",
        views.manage_question_delete,
        name="manage_question_delete",
    ),
    path("manage/consultations/<slug:slug>/documents/", views.manage_documents, name="manage_documents"),
    path(
        "manage/consultations/<slug:slug>/documents/<int:pk>/delete/",
        views.manage_document_delete,
        name="manage_document_delete",
    ),
    path("manage/consultations/<slug:slug>/gunning/", views.manage_gunning, name="manage_gunning"),
    path("manage/consultations/<slug:slug>/equality-impact/", views.manage_eqia, name="manage_eqia"),
    path("manage/consultations/<slug:slug>/publish/", views.manage_publish, name="manage_publish"),
    path("manage/consultations/<slug:slug>/withdraw/", views.manage_withdraw, name="manage_withdraw"),
]
