"""The perception survey's addresses (the `engagement` namespace): answering and results under surveys/, the
officers' pages under manage/surveys/."""

from django.urls import path

from . import views

urlpatterns = [
    path("surveys/", views.surveys, name="surveys"),
    path("surveys/invited/<str:token>/", views.survey_invited, name="survey_invited"),
    path("surveys/<slug:slug>/<slug:wave_slug>/", views.survey_answer, name="survey_answer"),
    path("surveys/<slug:slug>/<slug:wave_slug>/thanks/", views.survey_thanks, name="survey_thanks"),
    path("surveys/<slug:slug>/<slug:wave_slug>/results/", views.survey_results, name="survey_results"),
    path("surveys/<slug:slug>/<slug:wave_slug>/results.csv", views.survey_results_csv, name="survey_results_csv"),
    path("manage/surveys/", views.manage_surveys, name="manage_surveys"),
    path("manage/surveys/new/", views.survey_new, name="survey_new"),
    path("manage/surveys/<slug:slug>/", views.manage_survey, name="manage_survey"),
    path("manage/surveys/<slug:slug>/waves/new/", views.wave_new, name="wave_new"),
    path("manage/surveys/<slug:slug>/waves/<slug:wave_slug>/", views.manage_wave, name="manage_wave"),
    path("manage/surveys/<slug:slug>/waves/<slug:wave_slug>/invite/", views.wave_invite, name="wave_invite"),
    path(
        "manage/surveys/<slug:slug>/waves/<slug:wave_slug>/invite-panel/",
        views.wave_invite_panel,
        name="wave_invite_panel",
    ),
    path("manage/surveys/<slug:slug>/waves/<slug:wave_slug>/step/<str:step>/", views.wave_step, name="wave_step"),
]
