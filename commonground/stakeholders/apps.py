from django.apps import AppConfig


class StakeholdersConfig(AppConfig):
    name = "commonground.stakeholders"
    label = "stakeholders"

    def ready(self) -> None:
        # The audit log's table of action names lives with the log; this app adds its own.
        from commonground.coalitions.models import ACTION_LABELS
        from commonground.stakeholders.audit_labels import STAKEHOLDER_ACTION_LABELS

        ACTION_LABELS.update(STAKEHOLDER_ACTION_LABELS)
