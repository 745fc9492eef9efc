"""/api/engagement/...: published consultations as open data, with the directory API's open CORS."""

from django.urls import URLPattern, path  # noqa: F401 - the API's routes go here

app_name = "engagement_api"

urlpatterns: list[URLPattern] = []
