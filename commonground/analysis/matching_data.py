"""What the marketplace matches: the taxonomy, units, and the Need, Offer and Match records.

Related categories (``RELATED``), each pair chosen because one side is often the way to meet
the other:

=======================  =======================  ==========================================
category                 related category         why
=======================  =======================  ==========================================
training_skills          expertise                both are know-how: a trainer or an expert
training_skills          education                courses, drills and school programmes
training_skills          health                   first-aid training for first-aid needs
training_skills          livelihoods              vocational training for jobs and income
preparedness_equipment   shelter                  tarpaulins, tents, tools, repair kits
preparedness_equipment   logistics                generators, pumps, vehicles, radios
health                   water_sanitation         hygiene and water-borne disease
health                   protection               mental health, psychosocial support
food                     livelihoods              seeds, tools, kitchen gardens
livelihoods              funding                  grants, microfinance, cash for work
expertise                funding                  city requests met by partners' programmes
=======================  =======================  ==========================================

``other`` relates to nothing: a post filed there is matched by its text alone.
"""

from __future__ import annotations

import datetime
import functools
import unicodedata
from dataclasses import dataclass, field

CATEGORIES: dict[str, tuple[str, ...]] = {
    "water_sanitation": (
        "water_supply",
        "water_treatment",
        "sanitation",
        "hygiene_items",
        "drainage",
    ),
    "health": (
        "first_aid",
        "medical_supplies",
        "mental_health",
        "disease_prevention",
        "health_services",
    ),
    "shelter": ("emergency_shelter", "housing_repair", "infrastructure_repair", "household_items"),
    "food": ("food_parcels", "nutrition", "cooking", "agricultural_inputs"),
    "education": ("school_supplies", "school_repair", "learning_programmes", "early_childhood"),
    "livelihoods": ("tools_equipment", "small_business", "employment", "market_access"),
    "protection": (
        "child_protection",
        "gender_based_violence",
        "disability_inclusion",
        "legal_aid",
        "safe_spaces",
    ),
    "preparedness_equipment": (
        "early_warning",
        "rescue_equipment",
        "emergency_kits",
        "power_generators",
        "communication_equipment",
    ),
    "training_skills": (
        "first_aid_training",
        "evacuation_drills",
        "search_and_rescue",
        "vocational_training",
        "risk_awareness",
    ),
    "expertise": (
        "engineering",
        "urban_planning",
        "risk_assessment",
        "legal_advice",
        "data_and_it",
    ),
    "funding": ("grants", "microfinance", "cash_transfers", "insurance"),
    "logistics": ("transport", "storage", "distribution", "volunteers"),
    "other": (),
}

RELATED: frozenset[frozenset[str]] = frozenset(
    frozenset(pair)
    for pair in (
        ("training_skills", "expertise"),
        ("training_skills", "education"),
        ("training_skills", "health"),
        ("training_skills", "livelihoods"),
        ("preparedness_equipment", "shelter"),
        ("preparedness_equipment", "logistics"),
        ("health", "water_sanitation"),
        ("health", "protection"),
        ("food", "livelihoods"),
        ("livelihoods", "funding"),
        ("expertise", "funding"),
    )
)

OTHER = "other"
SAME_SUBCATEGORY, SAME_CATEGORY, RELATED_CATEGORY = 1.0, 0.8, 0.4


def category_fit(need_category: str, need_sub: str, offer_category: str, offer_sub: str) -> float:
    """1 same subcategory, 0.8 same category, 0.4 related categories, else 0 (``other``: 0)."""
    if need_category == OTHER or offer_category == OTHER:
        return 0.0
    if need_category == offer_category:
        return SAME_SUBCATEGORY if need_sub and need_sub == offer_sub else SAME_CATEGORY
    if frozenset((need_category, offer_category)) in RELATED:
        return RELATED_CATEGORY
    return 0.0


def fitting_categories(category: str) -> frozenset[str]:
    """The categories whose posts can fit a post of this one by category (itself, related)."""
    if category == OTHER:
        return frozenset()
    related = {c for pair in RELATED if category in pair for c in pair}
    return frozenset({category, *related})


# Unit spellings → (canonical unit, factor to it). Anything else is compared as written,
# casefolded, without accents and without a plural "s".
_UNITS: dict[str, tuple[str, float]] = {}
for _names, _unit, _factor in (
    ("kg kgs kilo kilos kilogram kilogramme kilogramo", "kg", 1.0),
    ("g gr gram gramme gramo", "kg", 0.001),
    ("t tonne ton tonelada", "kg", 1000.0),
    ("l lt ltr litre liter litro", "l", 1.0),
    ("ml millilitre milliliter mililitro", "l", 0.001),
    ("m3 cubic_metre cubic_meter metro_cubico", "l", 1000.0),
    ("m metre meter metro", "m", 1.0),
    ("km kilometre kilometer kilometro", "m", 1000.0),
    ("pc pcs piece item unit unidad unidade pieza piece unite buah", "item", 1.0),
    ("person people persona personne orang", "person", 1.0),
    ("household family hogar familia menage famille keluarga", "household", 1.0),
    ("h hr hour hora heure jam", "hour", 1.0),
    ("day dia jour hari", "day", 1.0),
    ("usd us$ $ dollar dolar", "usd", 1.0),
    ("eur euro €", "eur", 1.0),
    ("idr rp rupiah", "idr", 1.0),
):
    for _name in _names.split():
        _UNITS[_name.replace("_", " ")] = (_unit, _factor)

_PLURALS = (("es", ""), ("s", ""))  # kilos, litres, unidades, hogares → singular


@functools.lru_cache(maxsize=4096)
def canonical_unit(unit: str) -> tuple[str, float]:
    """``("kg", 1000.0)`` for "tonnes": the unit quantities are compared in, and the factor."""
    text = unicodedata.normalize("NFKD", unit).casefold()
    text = " ".join("".join(ch for ch in text if not unicodedata.combining(ch)).split())
    text = text.strip(" .")
    if not text:
        return "", 1.0
    if text in _UNITS:
        return _UNITS[text]
    for suffix, replacement in _PLURALS:
        if text.endswith(suffix) and text[: -len(suffix)] + replacement in _UNITS:
            return _UNITS[text[: -len(suffix)] + replacement]
    return (text[:-1] if text.endswith("s") and len(text) > 2 else text), 1.0


@dataclass(frozen=True)
class Need:
    """An open need as the matcher sees it (quantity: what is still outstanding)."""

    id: int
    title: str
    description: str = ""
    category: str = "other"
    subcategory: str = ""
    quantity: float | None = None
    unit: str = ""
    lon: float | None = None
    lat: float | None = None
    areas: frozenset[str] = frozenset()  # the area it is in and that area's ancestors
    needed_by: datetime.date | None = None
    urgency: int = 2  # 1 low, 2 medium, 3 high, 4 critical
    risk: float | None = None  # the area's risk index 0-10, when the profile has one


@dataclass(frozen=True)
class Offer:
    """An offer as the matcher sees it (quantity: what is still available)."""

    id: int
    title: str
    description: str = ""
    category: str = "other"
    subcategory: str = ""
    quantity: float | None = None
    unit: str = ""
    lon: float | None = None
    lat: float | None = None
    radius_km: float | None = None  # serves within this distance of (lon, lat)
    areas: frozenset[str] = frozenset()  # or serves these areas (keys as in Need.areas)
    available_from: datetime.date | None = None
    available_until: datetime.date | None = None


@dataclass(frozen=True)
class Match:
    """A suggested pairing: the score, its parts (each 0-1) and the facts behind them.

    ``parts``: category, text, distance, quantity, time, priority. ``facts``: distance_km,
    served_by (radius, area, anywhere or unknown), coverage (offer quantity / need quantity in
    a common unit), unit, overlap_days (None when open-ended), wait_days (until the offer is
    available), boost (the priority multiplier), and the need's risk (None when unknown) and
    urgency behind it.
    """

    need_id: int
    offer_id: int
    score: float
    parts: dict[str, float] = field(hash=False)
    facts: dict[str, float | str | None] = field(hash=False)
