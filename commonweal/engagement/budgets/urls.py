"""Participatory budgets' addresses, under /engagement/budgets/ (the `engagement` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.budgets, name="budgets"),
    path("your-proposals/", views.your_proposals, name="your_proposals"),
    path("ballot/<str:token>/", views.ballot, name="ballot"),
    path("manage/", views.manage_budgets, name="manage_budgets"),
    path("manage/new/", views.budget_new, name="budget_new"),
    path("manage/<slug:slug>/", views.manage_budget, name="manage_budget"),
    path("manage/<slug:slug>/edit/", views.budget_edit, name="budget_edit"),
    path("manage/<slug:slug>/step/<str:step>/", views.budget_step, name="budget_step"),
    path("manage/<slug:slug>/proposals/<uuid:uuid>/feasibility/", views.feasibility, name="feasibility"),
    path("<slug:slug>/", views.budget, name="budget"),
    path("<slug:slug>/propose/", views.propose, name="propose"),
    path("<slug:slug>/proposals/<uuid:uuid>/edit/", views.proposal_edit, name="proposal_edit"),
    path("<slug:slug>/vote/", views.vote, name="vote"),
    path("<slug:slug>/vote/sent/", views.vote_sent, name="vote_sent"),
    path("<slug:slug>/voted/", views.voted, name="voted"),
    path("<slug:slug>/result/", views.result, name="budget_result"),
    path("<slug:slug>/ballots.csv", views.ballots_csv, name="ballots_csv"),
]
