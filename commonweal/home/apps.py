from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "commonweal.home"
    label = "home"
    verbose_name = "Home"
