"""The Solutions Framework's pages, one area each: raising a blockage, the council's cases, the public log and
dashboard, community asset transfers, and the rules (categories, routing, service standards)."""

from django.urls import include, path

app_name = "solutions"

urlpatterns = [
    path("", include("commonweal.solutions.public.urls")),
    path("", include("commonweal.solutions.raising.urls")),
    path("", include("commonweal.solutions.cases.urls")),
    path("transfers/", include("commonweal.solutions.transfers.urls")),
    path("rules/", include("commonweal.solutions.rules.urls")),
]
