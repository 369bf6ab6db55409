"""Hand-made needs and offers for the matching tests: one near central Jakarta by default,
and ``town``, a seeded mix of posts in three towns with every kind of place and window."""

from __future__ import annotations

import datetime
import random
from typing import Any

from commonground.analysis.matching import CATEGORIES, Need, Offer

TODAY = datetime.date(2026, 3, 2)
LON, LAT = 106.8272, -6.1754  # central Jakarta
KM = 1 / 111.195  # one kilometre in degrees of latitude


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def need(**fields: Any) -> Need:
    values: dict[str, Any] = {
        "id": 1,
        "title": "Water filters for 200 households",
        "description": "Our neighbourhood was flooded last month.",
        "category": "water_sanitation",
        "subcategory": "water_treatment",
        "quantity": 200,
        "unit": "households",
        "lon": LON,
        "lat": LAT,
        "areas": frozenset({"jkt", "jkt-menteng"}),
        "needed_by": days(30),
    }
    values.update(fields)
    return Need(**values)


def offer(**fields: Any) -> Offer:
    values: dict[str, Any] = {
        "id": 10,
        "title": "Drinking water filters",
        "description": "Ceramic filters donated by a local company.",
        "category": "water_sanitation",
        "subcategory": "water_treatment",
        "quantity": 200,
        "unit": "households",
        "lon": LON,
        "lat": LAT + 2 * KM,
        "radius_km": 20.0,
    }
    values.update(fields)
    return Offer(**values)


WORDS = {
    "water_sanitation": ("water filters", "water tank", "latrine repair"),
    "health": ("first aid kits", "medicines", "mosquito nets"),
    "shelter": ("tents", "roof repair", "blankets"),
    "food": ("rice", "cooking oil", "baby food"),
    "training_skills": ("first aid training", "evacuation drill"),
    "expertise": ("structural engineer", "flood mapping"),
    "other": ("translation help", "sound system"),
}


def town(seed: int, n_needs: int, n_offers: int) -> tuple[list[Need], list[Offer]]:
    """Posts in three towns 80 km apart, with every kind of place and window."""
    rng = random.Random(seed)

    def where() -> dict[str, Any]:
        t = rng.randrange(3)
        lon, lat = LON + t * 80 * KM + rng.uniform(-0.1, 0.1), LAT + rng.uniform(-0.1, 0.1)
        kind = rng.random()
        district = frozenset({f"t{t}", f"t{t}-d{rng.randrange(4)}"})
        if kind < 0.1:
            return {"lon": None, "lat": None, "areas": district}
        if kind < 0.15:
            return {"lon": None, "lat": None, "areas": frozenset()}
        return {"lon": lon, "lat": lat, "areas": district}

    def what() -> dict[str, Any]:
        category = rng.choice(list(WORDS))
        subs = CATEGORIES[category]
        return {
            "category": category,
            "subcategory": rng.choice(subs) if subs else "",
            "title": f"{rng.choice(WORDS[category])} {rng.choice(['', 'urgent', 'for families'])}",
            "quantity": rng.choice([None, 10, 50, 200]),
            "unit": rng.choice(["pcs", "kg", ""]),
        }

    needs = [
        Need(
            id=i,
            **what(),
            **where(),
            needed_by=rng.choice([None, days(rng.randint(-3, 60))]),
            urgency=rng.randint(1, 4),
            risk=rng.choice([None, rng.uniform(0, 10)]),
        )
        for i in range(1, n_needs + 1)
    ]
    offers = []
    for i in range(1, n_offers + 1):
        place = where()
        radius = rng.choice([None, 3.0, 10.0, 30.0])
        if rng.random() < 0.5:
            place["areas"] = frozenset()
        start = rng.choice([None, days(rng.randint(-20, 40))])
        last = (start or days(-5)) + datetime.timedelta(days=rng.randint(0, 90))
        offers.append(
            Offer(
                id=i,
                **what(),
                **place,
                radius_km=radius,
                available_from=start,
                available_until=rng.choice([None, last]),
            )
        )
    return needs, offers
