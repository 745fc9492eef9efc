"""The raising area's pages: raise a blockage (question page, check page, join instead, sent), a resident's
confirmation link, and the raiser's own list."""

from django.urls import path

from . import views

urlpatterns = [
    path("raise/", views.raise_blockage, name="raise"),
    path("raise/check/", views.check, name="raise_check"),
    path("raise/join/", views.join, name="raise_join"),
    path("raise/sent/", views.sent, name="raise_sent"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("yours/", views.mine, name="mine"),
]
