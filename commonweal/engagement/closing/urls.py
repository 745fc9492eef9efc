from django.urls import URLPattern, path  # noqa: F401 - the area's routes go here

urlpatterns: list[URLPattern] = []
