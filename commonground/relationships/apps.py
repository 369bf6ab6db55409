from django.apps import AppConfig


class RelationshipsConfig(AppConfig):
    name = "commonground.relationships"
    label = "relationships"
