from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "commonground.network"
    label = "network"
    verbose_name = "Network of cities"
