from django.apps import AppConfig


class PrioritiesConfig(AppConfig):
    name = "priorities"
