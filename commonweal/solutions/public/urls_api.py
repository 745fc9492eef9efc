"""/api/solutions/...: the public log as open data, with the directory API's open CORS (any web page may read it)."""

from django.urls import URLPattern, path

from commonweal.directory.urls_api import with_cors

from . import api

app_name = "solutions_api"

urlpatterns: list[URLPattern] = [
    path("blockages", with_cors(api.blockages), name="blockages"),
    path("blockages/<str:id>", with_cors(api.blockage), name="blockage"),
]
