"""Funding routes: the setup area (funds, rounds, prospectuses; the officers' set-up pages)."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    # Anyone (a prospectus only once its status lets this person read it)
    path("", views.index, name="index"),
    path("funds/<slug:slug>/", views.fund, name="fund"),
    path("rounds/<slug:slug>/", views.round, name="round"),
    path("rounds/<slug:slug>/comments/", views.prospectus_comment, name="prospectus_comment"),
    # Officers
    path("manage/", views.manage, name="manage"),
    path("manage/funds/new/", views.fund_create, name="fund_create"),
    path("manage/funds/<slug:slug>/", views.fund_edit, name="fund_edit"),
    path("manage/funds/<slug:slug>/budgets/", views.theme_budgets, name="theme_budgets"),
    path("manage/funds/<slug:slug>/pots/new/", views.pot_add, name="pot_add"),
    path("manage/pots/<int:pk>/", views.pot_edit, name="pot_edit"),
    path("manage/pots/<int:pk>/delete/", views.pot_delete, name="pot_delete"),
    path("manage/funds/<slug:slug>/eligibility/new/", views.eligibility_add, name="eligibility_add"),
    path("manage/eligibility/<int:pk>/", views.eligibility_edit, name="eligibility_edit"),
    path("manage/eligibility/<int:pk>/delete/", views.eligibility_delete, name="eligibility_delete"),
    path("manage/funds/<slug:slug>/rounds/new/", views.round_create, name="round_create"),
    path("manage/rounds/<slug:slug>/", views.round_manage, name="round_manage"),
    path("manage/rounds/<slug:slug>/prospectus/", views.prospectus_edit, name="prospectus_edit"),
    path("manage/rounds/<slug:slug>/prospectus/comment/", views.prospectus_open, name="prospectus_open"),
    path("manage/rounds/<slug:slug>/prospectus/publish/", views.prospectus_publish, name="prospectus_publish"),
    path("manage/comments/<int:pk>/answer/", views.comment_answer, name="comment_answer"),
    path("manage/rounds/<slug:slug>/questions/new/", views.question_add, name="question_add"),
    path("manage/questions/<int:pk>/", views.question_edit, name="question_edit"),
    path("manage/questions/<int:pk>/delete/", views.question_delete, name="question_delete"),
    path("manage/questions/<int:pk>/move/", views.question_move, name="question_move"),
    path("manage/rounds/<slug:slug>/criteria/new/", views.criterion_add, name="criterion_add"),
    path("manage/criteria/<int:pk>/", views.criterion_edit, name="criterion_edit"),
    path("manage/criteria/<int:pk>/delete/", views.criterion_delete, name="criterion_delete"),
]
