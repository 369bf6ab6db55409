"""Controlled vocabularies for the organisation registry.

Sector codes follow the humanitarian cluster/sector list that HDX and HXL use, with the
extra themes urban resilience work needs. Kept as plain data so imports, the API and the
forms share one list.
"""

from __future__ import annotations

import functools

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class OrgType(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    PRIVATE = "private", _("Private sector")
    ACADEMIA = "academia", _("Academia and schools")
    NGO = "ngo", _("NGO")
    COMMUNITY = "community", _("Community-based / grassroots")
    FAITH = "faith", _("Faith-based")
    RED_CROSS = "red_cross", _("Red Cross / Red Crescent")
    UN = "un", _("UN / international")
    MEDIA = "media", _("Media")
    OTHER = "other", _("Other")


class OrgLevel(models.TextChoices):
    COMMUNITY = "community", _("Community")
    CITY = "city", _("City")
    NATIONAL = "national", _("National")
    GLOBAL = "global", _("Global")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SIGNAL = "signal", _("Signal")
    IN_PERSON = "in_person", _("In person")
    OTHER = "other", _("Other")


# (code, English name). Codes are what imports and the API accept.
SECTORS: list[tuple[str, str]] = [
    ("cccm", "Camp Coordination and Camp Management"),
    ("coordination", "Coordination"),
    ("ery", "Early Recovery"),
    ("edu", "Education"),
    ("tel", "Emergency Telecommunications"),
    ("fsc", "Food Security"),
    ("hea", "Health"),
    ("log", "Logistics"),
    ("nut", "Nutrition"),
    ("pro", "Protection"),
    ("pro-cpn", "Child Protection"),
    ("pro-gbv", "Gender-Based Violence"),
    ("pro-hlp", "Housing, Land and Property"),
    ("pro-mine", "Mine Action"),
    ("shl", "Shelter"),
    ("wsh", "Water Sanitation Hygiene"),
    ("cash", "Multi-Purpose Cash"),
    ("agr", "Agriculture"),
    ("drr", "Disaster Risk Reduction"),
    ("env", "Environment and Climate"),
    ("liv", "Livelihoods"),
]

SECTOR_LABELS = {
    "cccm": _("Camp Coordination and Camp Management"),
    "coordination": _("Coordination"),
    "ery": _("Early Recovery"),
    "edu": _("Education"),
    "tel": _("Emergency Telecommunications"),
    "fsc": _("Food Security"),
    "hea": _("Health"),
    "log": _("Logistics"),
    "nut": _("Nutrition"),
    "pro": _("Protection"),
    "pro-cpn": _("Child Protection"),
    "pro-gbv": _("Gender-Based Violence"),
    "pro-hlp": _("Housing, Land and Property"),
    "pro-mine": _("Mine Action"),
    "shl": _("Shelter"),
    "wsh": _("Water Sanitation Hygiene"),
    "cash": _("Multi-Purpose Cash"),
    "agr": _("Agriculture"),
    "drr": _("Disaster Risk Reduction"),
    "env": _("Environment and Climate"),
    "liv": _("Livelihoods"),
}

SECTOR_CHOICES = [(code, SECTOR_LABELS[code]) for code, _name in SECTORS]


@functools.cache
def _labels_in(language: str | None) -> dict[str, dict[str, str]]:
    with translation.override(language):
        return {
            "type": {code: str(label) for code, label in OrgType.choices},
            "level": {code: str(label) for code, label in OrgLevel.choices},
            "sector": {code: str(label) for code, label in SECTOR_LABELS.items()},
        }


def labels(vocabulary: str) -> dict[str, str]:
    """Code → label in the active language, translated once per language, not once per row.

    A list page shows hundreds of labels; resolving each lazy translation costs more than
    the database does.
    """
    return _labels_in(translation.get_language())[vocabulary]
