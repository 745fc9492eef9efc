from django.urls import path

from . import views

app_name = "framework"

urlpatterns = [path("", views.detail, name="detail"), path("edit/", views.edit, name="edit")]
