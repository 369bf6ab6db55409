from django.apps import AppConfig


class MunicipalConfig(AppConfig):
    name = "commonground.municipal"
    label = "municipal"

    def ready(self) -> None:
        # The activity feed and the audit log describe actions in words, from one table
        # that the coalitions app owns; this app's actions join it here.
        from commonground.coalitions.models import ACTION_LABELS
        from commonground.municipal.audit_labels import MUNICIPAL_ACTION_LABELS

        ACTION_LABELS.update(MUNICIPAL_ACTION_LABELS)
