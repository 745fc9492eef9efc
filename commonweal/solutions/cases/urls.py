"""The cases area's pages: the council's queues and each blockage's case, with its steps and forms."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("queue/", views.queue, name="queue"),
    path("cases/<uuid:uuid>/", views.case, name="case"),
    path("cases/<uuid:uuid>/steps/<slug:step>/", views.case_step, name="case_step"),
    path("cases/<uuid:uuid>/parts/<int:pk>/", views.case_part, name="case_part"),
    path("cases/<uuid:uuid>/champion/", views.case_champion, name="case_champion"),
    path("cases/<uuid:uuid>/departments/", views.case_department_add, name="case_department_add"),
    path("cases/<uuid:uuid>/departments/<int:pk>/remove/", views.case_department_remove, name="case_department_remove"),
    path("cases/<uuid:uuid>/documents/<int:pk>/", views.case_document, name="case_document"),
    path("cases/<uuid:uuid>/learning/", views.case_learning, name="case_learning"),
    path("cases/<uuid:uuid>/case-study/", views.case_study, name="case_study"),
]
