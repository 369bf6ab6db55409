from django.apps import AppConfig


class CoalitionsConfig(AppConfig):
    name = "commonground.coalitions"
    label = "coalitions"
