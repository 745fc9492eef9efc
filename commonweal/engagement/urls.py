"""Engagement's pages, one area each: consultations (drafting, the Gunning check, the public pages), responding,
analysis, closing ('we asked, you said, we did'), participatory budgets, and forums, events and councillors, and the
resident perception survey's waves."""

from django.urls import include, path

app_name = "engagement"

urlpatterns = [
    path("", include("commonweal.engagement.consultations.urls")),
    path("", include("commonweal.engagement.responding.urls")),
    path("", include("commonweal.engagement.analysis.urls")),
    path("", include("commonweal.engagement.closing.urls")),
    path("budgets/", include("commonweal.engagement.budgets.urls")),
    path("", include("commonweal.engagement.forums.urls")),
    path("", include("commonweal.engagement.surveys.urls")),
]
