from django.urls import path

from . import views

app_name = "places"

urlpatterns = [
    path("", views.index, name="index"),
    path("postcode/", views.postcode, name="postcode"),
    path("boundaries.geojson", views.boundaries, name="boundaries"),
    path("wards/<str:code>/", views.ward, name="ward"),
    path("localities/<slug:slug>/", views.locality, name="locality"),
    path("profile/", views.profile, name="profile"),
    path("profile.csv", views.profile_csv, name="profile_csv"),
    path("profile/import/", views.profile_import, name="profile_import"),
]
