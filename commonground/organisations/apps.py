from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "commonground.organisations"
    label = "organisations"
