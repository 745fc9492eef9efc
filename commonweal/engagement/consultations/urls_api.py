"""/api/engagement/...: published consultations as open data, with the directory API's open CORS."""

from django.urls import URLPattern, path

from commonweal.directory.urls_api import with_cors

from . import api

app_name = "engagement_api"

urlpatterns: list[URLPattern] = [
    path("consultations", with_cors(api.consultations), name="consultations"),
    path("consultations/<str:id>", with_cors(api.consultation), name="consultation"),
]
