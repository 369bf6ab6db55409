"""The stakeholder map's vocabularies: stages, roles, engagement models, channels, frequencies."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    APPROACHED = "approached", _("Approached")
    ENGAGED = "engaged", _("Engaged")
    COMMITTED = "committed", _("Committed")
    MEMBER = "member", _("Member")
    DECLINED = "declined", _("Declined")
    INACTIVE = "inactive", _("Inactive")


# Stakeholders at these stages are out of the pipeline: no plan is overdue, no shortlist place.
CLOSED_STAGES = frozenset({Stage.DECLINED, Stage.INACTIVE})


class CoalitionRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    CORE_PARTNER = "core_partner", _("Core partner")
    MEMBER = "member", _("Member")
    ALLY = "ally", _("Ally")
    OBSERVER = "observer", _("Observer")


class EngagementModel(models.TextChoices):
    NETWORKS = "networks", _("Engaging with networks")
    CONVENING = "convening", _("Convening and deliberation")
    PARTNERSHIP = "partnership", _("Partnership development")


class Channel(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SOCIAL = "social", _("Social media")
    NEWSLETTER = "newsletter", _("Newsletter")


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    FORTNIGHTLY = "fortnightly", _("Every two weeks")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Every three months")
    TWICE_YEARLY = "twice_yearly", _("Twice a year")
    YEARLY = "yearly", _("Once a year")


FREQUENCY_DAYS: dict[str, int] = {
    Frequency.WEEKLY: 7,
    Frequency.FORTNIGHTLY: 14,
    Frequency.MONTHLY: 30,
    Frequency.QUARTERLY: 91,
    Frequency.TWICE_YEARLY: 182,
    Frequency.YEARLY: 365,
}

# The criteria a coalition starts with (key, English name, what it asks).
DEFAULT_CRITERIA: list[tuple[str, Any, Any]] = [
    ("interest", _("Interest"), _("How interested are they in the coalition's goals?")),
    (
        "contribution",
        _("Potential contribution"),
        _("What could they bring: people, skills, resources, reach?"),
    ),
    (
        "complementarity",
        _("Complementarity"),
        _("Do they fill a gap that current members leave?"),
    ),
    ("outreach", _("Active outreach"), _("Do they reach communities others cannot?")),
    ("influence", _("Influence"), _("How much can they change decisions (power)?")),
    ("legitimacy", _("Legitimacy"), _("How rightful is their claim to a say?")),
    ("urgency", _("Urgency"), _("How pressing are their claims right now?")),
]
