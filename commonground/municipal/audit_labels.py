"""This app's audit actions in words, for the activity feed and the audit log."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

MUNICIPAL_ACTION_LABELS = {
    "municipal.start": _("started the municipal session checklist"),
    "municipal.update": _("edited the municipal session"),
    "municipal.document.attach": _("attached the endorsement document"),
    "municipal.document.remove": _("removed the endorsement document"),
    "municipal.participants.create": _("added a session participant"),
    "municipal.participants.update": _("edited a session participant"),
    "municipal.participants.move": _("moved a session participant"),
    "municipal.participants.delete": _("removed a session participant"),
    "municipal.objectives.create": _("added a point to agree"),
    "municipal.objectives.update": _("edited a point to agree"),
    "municipal.objectives.move": _("moved a point to agree"),
    "municipal.objectives.delete": _("removed a point to agree"),
    "municipal.tasks.create": _("added a session task"),
    "municipal.tasks.update": _("edited a session task"),
    "municipal.tasks.move": _("moved a session task"),
    "municipal.tasks.delete": _("removed a session task"),
    "municipal.milestones.create": _("added a milestone"),
    "municipal.milestones.update": _("edited a milestone"),
    "municipal.milestones.move": _("moved a milestone"),
    "municipal.milestones.delete": _("removed a milestone"),
    "municipal.agenda.create": _("added an agenda item"),
    "municipal.agenda.update": _("edited an agenda item"),
    "municipal.agenda.move": _("moved an agenda item"),
    "municipal.agenda.delete": _("removed an agenda item"),
}
