"""The shared taxonomy of needs and offers, with labels people read in their language.

The codes are the matching core's (``commonground.analysis.matching.CATEGORIES``); the
category carries a match across languages, so a need written in Bahasa Indonesia still finds
an offer written in English.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from commonground.analysis.matching import CATEGORIES

CATEGORY_LABELS = {
    "water_sanitation": _("Water and sanitation"),
    "health": _("Health"),
    "shelter": _("Shelter"),
    "food": _("Food"),
    "education": _("Education"),
    "livelihoods": _("Livelihoods"),
    "protection": _("Protection"),
    "preparedness_equipment": _("Preparedness equipment"),
    "training_skills": _("Training and skills"),
    "expertise": _("Expertise"),
    "funding": _("Funding"),
    "logistics": _("Logistics"),
    "other": _("Other"),
}
CATEGORY_CHOICES = list(CATEGORY_LABELS.items())

SUBCATEGORY_LABELS = {
    "water_supply": _("Water supply"),
    "water_treatment": _("Water treatment and filters"),
    "sanitation": _("Sanitation"),
    "hygiene_items": _("Hygiene items"),
    "drainage": _("Drainage"),
    "first_aid": _("First aid"),
    "medical_supplies": _("Medical supplies"),
    "mental_health": _("Mental health and psychosocial support"),
    "disease_prevention": _("Disease prevention"),
    "health_services": _("Health services"),
    "emergency_shelter": _("Emergency shelter"),
    "housing_repair": _("Housing repair"),
    "infrastructure_repair": _("Repair of bridges, paths and drains"),
    "household_items": _("Household items"),
    "food_parcels": _("Food parcels"),
    "nutrition": _("Nutrition"),
    "cooking": _("Cooking"),
    "agricultural_inputs": _("Seeds, tools and other farm inputs"),
    "school_supplies": _("School supplies"),
    "school_repair": _("School repair"),
    "learning_programmes": _("Learning programmes"),
    "early_childhood": _("Early childhood"),
    "tools_equipment": _("Tools and equipment"),
    "small_business": _("Small business support"),
    "employment": _("Jobs and income"),
    "market_access": _("Market access"),
    "child_protection": _("Child protection"),
    "gender_based_violence": _("Gender-based violence prevention"),
    "disability_inclusion": _("Disability inclusion"),
    "legal_aid": _("Legal aid"),
    "safe_spaces": _("Safe spaces"),
    "early_warning": _("Early warning"),
    "rescue_equipment": _("Rescue equipment"),
    "emergency_kits": _("Emergency kits"),
    "power_generators": _("Generators and power"),
    "communication_equipment": _("Radios and communication"),
    "first_aid_training": _("First-aid training"),
    "evacuation_drills": _("Evacuation drills"),
    "search_and_rescue": _("Search and rescue"),
    "vocational_training": _("Vocational training"),
    "risk_awareness": _("Risk awareness"),
    "engineering": _("Engineering"),
    "urban_planning": _("Urban planning"),
    "risk_assessment": _("Risk assessment"),
    "legal_advice": _("Legal advice"),
    "data_and_it": _("Data and IT"),
    "grants": _("Grants"),
    "microfinance": _("Microfinance"),
    "cash_transfers": _("Cash transfers"),
    "insurance": _("Insurance"),
    "transport": _("Transport"),
    "storage": _("Storage"),
    "distribution": _("Distribution"),
    "volunteers": _("Volunteers"),
}


def subcategory_choices() -> list[tuple[object, object]]:
    """Subcategories grouped under their category, for a select with optgroups."""
    return [("", "—")] + [
        (CATEGORY_LABELS[category], [(code, SUBCATEGORY_LABELS[code]) for code in codes])
        for category, codes in CATEGORIES.items()
        if codes
    ]


def category_label(code: str) -> str:
    return str(CATEGORY_LABELS.get(code, code))


def subcategory_label(code: str) -> str:
    return str(SUBCATEGORY_LABELS.get(code, code.replace("_", " ")))
