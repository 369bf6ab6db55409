"""Why a match was suggested, in words: each part of its score with the fact behind it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from commonground.marketplace.models import Match


@dataclass(frozen=True)
class Reason:
    label: str
    detail: str
    strength: float  # 0-1, for a small bar

    @property
    def percent(self) -> int:
        return round(max(0.0, min(1.0, self.strength)) * 100)


def _category(value: float, facts: dict[str, Any]) -> str:
    if value >= 1:
        return _("same kind of help")
    if value >= 0.8:
        return _("same category")
    if value > 0:
        return _("a related category")
    return _("a different category, similar words")


def _distance(value: float, facts: dict[str, Any]) -> str:
    km = facts.get("distance_km")
    if isinstance(km, int | float):
        return _("%(km).1f km away") % {"km": km}
    if facts.get("served_by") == "area":
        return _("serves this area")
    return _("no location to compare")


def _quantity(value: float, facts: dict[str, Any]) -> str:
    coverage = facts.get("coverage")
    if isinstance(coverage, int | float):
        if coverage >= 1:
            return _("enough for all of it")
        return _("covers about %(share)s%%") % {"share": round(coverage * 100)}
    return _("quantities not comparable")


def _time(value: float, facts: dict[str, Any]) -> str:
    if value >= 1:
        return _("available in time")
    if value > 0:
        return _("available for part of the time")
    return _("timing unclear")


def _text(value: float, facts: dict[str, Any]) -> str:
    return _("%(share)s%% similar wording") % {"share": round(value * 100)}


def _priority(value: float, facts: dict[str, Any]) -> str:
    risk = facts.get("risk")
    if isinstance(risk, int | float):
        return _("area risk index %(risk).1f of 10") % {"risk": risk}
    return _("urgency of the need")


PARTS = [
    ("category", _category),
    ("text", _text),
    ("distance", _distance),
    ("quantity", _quantity),
    ("time", _time),
    ("priority", _priority),
]
LABELS = {
    "category": lambda: _("What"),
    "text": lambda: _("Description"),
    "distance": lambda: _("Where"),
    "quantity": lambda: _("How much"),
    "time": lambda: _("When"),
    "priority": lambda: _("Priority"),
}


def explain(match: Match) -> list[Reason]:
    parts, facts = match.parts or {}, match.facts or {}
    return [
        Reason(str(LABELS[key]()), describe(float(parts[key]), facts), float(parts[key]))
        for key, describe in PARTS
        if isinstance(parts.get(key), int | float)
    ]
