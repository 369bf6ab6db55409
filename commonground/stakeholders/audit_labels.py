"""How the audit log names the stakeholder map's changes (added to the shared table at start)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

STAKEHOLDER_ACTION_LABELS = {
    "stakeholder.create": _("added a stakeholder"),
    "stakeholder.update": _("edited a stakeholder"),
    "stakeholder.stage": _("moved a stakeholder to another stage"),
    "stakeholder.delete": _("took a stakeholder off the map"),
    "stakeholder.import": _("imported stakeholders"),
    "stakeholder.score": _("scored a stakeholder"),
    "stakeholder.plan": _("changed an engagement plan"),
    "stakeholder.interaction": _("logged an interaction"),
    "stakeholders.cutoff": _("changed the shortlist cut-off"),
    "criteria.defaults": _("set up the default criteria"),
    "criterion.create": _("added a criterion"),
    "criterion.update": _("changed a criterion"),
    "criterion.delete": _("removed a criterion"),
}
