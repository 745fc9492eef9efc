from django.urls import path

from . import views

app_name = "home"

urlpatterns = [
    path("", views.home, name="home"),
    path("home/", views.your_home, name="your_home"),
    path("privacy/", views.privacy, name="privacy"),
    path("retention/", views.retention, name="retention"),
    path("retention/<slug:kind>/", views.retention_edit, name="retention_edit"),
]
