from django.apps import AppConfig


class SmpConfig(AppConfig):
    name = "smp"
    verbose_name = "Partnerships and people"
