"""Forums, events and councillors: the public calendar and events, sign-up and giving a place up, the officers'
event pages under manage/events/, the stewards' councillor pages and a councillor's wards."""

from django.urls import path

from . import views

urlpatterns = [
    path("events/", views.events, name="events"),
    path("events/<uuid:uuid>/", views.event, name="event"),
    path("events/<uuid:uuid>/event.ics", views.event_ics, name="event_ics"),
    path("events/<uuid:uuid>/sign-up/", views.event_signup, name="event_signup"),
    path("events/<uuid:uuid>/signed-up/", views.event_signed_up, name="event_signed_up"),
    path("events/give-up-place/<str:token>/", views.signup_cancel, name="signup_cancel"),
    path("manage/events/", views.manage_events, name="manage_events"),
    path("manage/events/new/", views.event_new, name="event_new"),
    path("manage/events/<uuid:uuid>/", views.manage_event, name="manage_event"),
    path("manage/events/<uuid:uuid>/edit/", views.event_edit, name="event_edit"),
    path("manage/events/<uuid:uuid>/publish/", views.event_publish, name="event_publish"),
    path("manage/events/<uuid:uuid>/cancel/", views.event_cancel, name="event_cancel"),
    path("manage/events/<uuid:uuid>/sign-ups.csv", views.event_signups_csv, name="event_signups_csv"),
    path("manage/events/<uuid:uuid>/notes/", views.event_notes, name="event_notes"),
    path("manage/councillors/", views.councillors, name="councillors"),
    path("manage/councillors/<int:pk>/", views.councillor, name="councillor"),
    path("manage/councillors/<int:pk>/remove/", views.councillor_remove, name="councillor_remove"),
    path("your-wards/", views.ward_engagement, name="ward_engagement"),
]
