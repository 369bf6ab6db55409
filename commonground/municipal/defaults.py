"""What a new checklist starts with: the usual seats, points, tasks, milestones and agenda.

Written in the language of whoever opens the checklist first; everything can be edited.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from commonground.municipal.models import MilestoneKind, ParticipantRole, Responsible


def default_items() -> dict[str, list[dict[str, Any]]]:
    """Values for each section's seeded items, by section key."""
    return {
        "participants": [
            {"role": ParticipantRole.MAYOR},
            {"role": ParticipantRole.RESILIENCE_OFFICER},
            {"role": ParticipantRole.DIRECTOR},
            {"role": ParticipantRole.CITY_REPRESENTATIVE},
        ],
        "objectives": [
            {"text": _("Agree a shared resilience vision for the city")},
            {"text": _("Nominate focal points on both sides")},
            {"text": _("Agree the risk-assessment workshop date")},
            {"text": _("Agree how the municipality will endorse the coalition")},
            {"text": _("Agree how the coalition and the municipality share data and plans")},
            {"text": _("Identify the municipal plans and budgets the coalition can feed into")},
        ],
        "tasks": [
            {
                "title": _("Send the invitation and the proposed agenda"),
                "responsible": Responsible.LEAD,
            },
            {
                "title": _("Nominate the municipality's focal point"),
                "responsible": Responsible.MUNICIPALITY,
            },
            {
                "title": _("Nominate the lead organisation's focal point"),
                "responsible": Responsible.LEAD,
            },
            {
                "title": _("Share existing risk assessments, plans and maps"),
                "responsible": Responsible.MUNICIPALITY,
            },
            {"title": _("Prepare the coalition's presentation"), "responsible": Responsible.LEAD},
            {"title": _("Draft the endorsement letter"), "responsible": Responsible.BOTH},
            {
                "title": _("Circulate the minutes and the agreed actions"),
                "responsible": Responsible.LEAD,
            },
        ],
        "milestones": [
            {"kind": MilestoneKind.WORKSHOP, "title": str(MilestoneKind.WORKSHOP.label)},
            {"kind": MilestoneKind.LAUNCH, "title": str(MilestoneKind.LAUNCH.label)},
        ],
        "agenda": [
            {"title": _("Welcome and introductions"), "duration_minutes": 10},
            {"title": _("Why a city coalition for community resilience"), "duration_minutes": 15},
            {"title": _("The proposed coalition and its goal"), "duration_minutes": 20},
            {"title": _("The municipality's priorities and plans"), "duration_minutes": 30},
            {"title": _("Roles, responsibilities and focal points"), "duration_minutes": 20},
            {
                "title": _("Timeline: the risk-assessment workshop and the launch"),
                "duration_minutes": 15,
            },
            {"title": _("Endorsement and next steps"), "duration_minutes": 10},
        ],
    }
