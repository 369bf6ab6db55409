"""Synthetic needs and offers across cities, written in English, Spanish, French and Bahasa.

Each city has ten districts; needs sit in a district (a point near its centre and the area
keys ``city-N`` and ``city-N-dM``; 5% give no point). Offers: 60% serve a radius, 20% areas
(a district or the whole city), 5% both, 14.5% give a place only (the default radius) and
0.5% are network partners with no place, serving anywhere. Items are
drawn from a small multilingual phrase bank per category, so the same thing is posted in four
languages, and 3% of posts are filed under a wrong category (as people do). Everything comes
from one seeded generator: the same arguments give the same posts.
"""

from __future__ import annotations

import datetime
import math
import random
from dataclasses import dataclass

from bench.matching.phrases import ITEMS, LANGUAGES, NEED_TEXT, NEED_TITLE, OFFER_TEXT, OFFER_TITLE
from commonground.analysis.matching import CATEGORIES, Need, Offer


@dataclass(frozen=True)
class City:
    key: str
    lon: float
    lat: float
    districts: tuple[tuple[float, float], ...]


def cities(count: int, rng: random.Random) -> list[City]:
    out = []
    for i in range(count):
        lon, lat = rng.uniform(-170, 170), rng.uniform(-40, 55)
        districts = tuple(_jitter(lon, lat, 8.0, rng) for _ in range(10))
        out.append(City(f"city-{i}", lon, lat, districts))
    return out


def _jitter(lon: float, lat: float, km: float, rng: random.Random) -> tuple[float, float]:
    distance, bearing = km * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
    dlat = distance * math.cos(bearing) / 111.195
    dlon = distance * math.sin(bearing) / (111.195 * math.cos(math.radians(lat)))
    return lon + dlon, lat + dlat


def _item(
    rng: random.Random, categories: tuple[str, ...] = tuple(ITEMS)
) -> tuple[str, str, str, str, str]:
    """(category filed under, subcategory, unit, language, item text)."""
    category = rng.choice(categories)
    sub_index, unit, names = rng.choice(ITEMS[category])
    subs = CATEGORIES[category]
    sub = subs[sub_index] if subs else ""
    language = rng.choice(LANGUAGES)
    if rng.random() < 0.03:  # filed under a wrong category
        category, sub = rng.choice([c for c in ITEMS if c != category]), ""
    return category, sub, unit, language, names[language]


def generate(
    n_needs: int, n_offers: int, n_cities: int, today: datetime.date, seed: int = 1
) -> tuple[list[Need], list[Offer]]:
    """Needs and offers spread evenly over the cities, in city order."""
    rng = random.Random(seed)
    places = cities(n_cities, rng)
    needs = [_need(i + 1, places[i * n_cities // n_needs], today, rng) for i in range(n_needs)]
    offers = [_offer(i + 1, places[i * n_cities // n_offers], today, rng) for i in range(n_offers)]
    return needs, offers


def _need(id_: int, city: City, today: datetime.date, rng: random.Random) -> Need:
    category, sub, unit, language, item = _item(rng)
    n = rng.choice([20, 50, 80, 120, 200, 300, 500])
    district = rng.randrange(len(city.districts))
    lon, lat = _jitter(*city.districts[district], 2.0, rng)
    located = rng.random() >= 0.05
    return Need(
        id=id_,
        title=NEED_TITLE[language].format(item=item, n=n),
        description=" ".join(rng.sample(NEED_TEXT[language], 2)),
        category=category,
        subcategory=sub,
        quantity=float(n) if unit else None,
        unit=unit,
        lon=lon if located else None,
        lat=lat if located else None,
        areas=frozenset({city.key, f"{city.key}-d{district}"}),
        needed_by=today + datetime.timedelta(days=rng.randint(5, 120))
        if rng.random() < 0.8
        else None,
        urgency=rng.randint(1, 4),
        risk=round(rng.uniform(0, 10), 1) if rng.random() < 0.8 else None,
    )


def _offer(id_: int, city: City, today: datetime.date, rng: random.Random) -> Offer:
    kind = rng.random()
    # 0.5% are network partners with no place, offering know-how or money anywhere.
    located = kind < 0.995
    category, sub, unit, language, item = (
        _item(rng) if located else _item(rng, ("funding", "expertise", "training_skills"))
    )
    lon, lat = _jitter(city.lon, city.lat, 10.0, rng)
    radius: float | None = None
    areas: frozenset[str] = frozenset()
    if kind < 0.60:
        radius = rng.choice([5.0, 10.0, 15.0, 25.0, 40.0])
    elif kind < 0.80:
        areas = frozenset(
            {city.key} if rng.random() < 0.4 else {f"{city.key}-d{rng.randrange(10)}"}
        )
    elif kind < 0.85:
        radius, areas = 5.0, frozenset({f"{city.key}-d{rng.randrange(10)}"})
    # the rest give a place only: they serve within the default radius
    start = today + datetime.timedelta(days=rng.randint(-60, 60)) if rng.random() < 0.5 else None
    # some have expired (ended up to 10 days ago); none ends before it starts
    last = (start or today) + datetime.timedelta(days=rng.randint(0 if start else -10, 365))
    until = last if rng.random() < 0.6 else None
    return Offer(
        id=id_,
        title=OFFER_TITLE[language].format(item=item),
        description=" ".join(rng.sample(OFFER_TEXT[language], 2)),
        category=category,
        subcategory=sub,
        quantity=float(rng.choice([10, 25, 50, 100, 250, 1000])) if unit else None,
        unit=unit,
        lon=lon if located else None,
        lat=lat if located else None,
        radius_km=radius,
        areas=areas,
        available_from=start,
        available_until=until,
    )
