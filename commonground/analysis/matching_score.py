"""The score of need × offer pairs, computed for whole blocks at once with numpy.

``matching`` documents the formulas; this module is their only implementation, used alike
for one pair (``matching.score``), one need against every offer and the full re-match, so
the three always agree. Needs and offers are first turned into tables (one array per field,
strings coded as integers) that share one ``Codes``.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .errors import LayerError
from .matching_data import (
    CATEGORIES,
    OTHER,
    RELATED_CATEGORY,
    SAME_CATEGORY,
    SAME_SUBCATEGORY,
    Need,
    Offer,
    canonical_unit,
    fitting_categories,
)
from .matching_text import FloatArray, IntArray, TextModel, Vectors, cosine, dot

BoolArray = npt.NDArray[np.bool_]

WEIGHT_NAMES = ("category", "text", "distance", "quantity", "time")
TEXT_FLOOR = 0.4  # below this, text alone cannot carry a pair whose categories do not fit
DEFAULT_RADIUS_KM = 50.0  # an offer with a place but no radius and no areas serves this far
HALF_WAIT_DAYS = 30.0  # a need with no date: the time part halves every 30 days of waiting
BOOST_MIN, BOOST_MAX = 0.95, 1.2
EARTH_RADIUS_KM = 6371.0088


class Codes:
    """Strings as small integers: categories in one series (they index ``fit_matrix``), and
    subcategories, units and area keys in another."""

    def __init__(self) -> None:
        self.categories: dict[str, int] = {c: i for i, c in enumerate(CATEGORIES)}
        self.labels: dict[str, int] = {}
        self.names: list[str] = []

    def category(self, name: str) -> int:
        return self.categories.setdefault(name, len(self.categories))

    def __call__(self, label: str) -> int:
        code = self.labels.get(label)
        if code is None:
            code = self.labels[label] = len(self.names)
            self.names.append(label)
        return code

    def unit_name(self, code: int) -> str | None:
        return self.names[code].removeprefix("unit:") if code >= 0 else None

    def pairable_matrix(self) -> BoolArray:
        """``pairable[a, b]``: categories that fit, or either is ``other`` (the engine's rule)."""
        pairable = self.fit_matrix() > 0
        other = self.category(OTHER)
        pairable[other, :] = pairable[:, other] = True
        return pairable

    def fit_matrix(self) -> FloatArray:
        """``fit[a, b]``: the category part for category codes a (need) and b (offer)."""
        fit = np.zeros((len(self.categories), len(self.categories)))
        for name, a in self.categories.items():
            for other in fitting_categories(name):
                if other in self.categories:
                    fit[a, self.categories[other]] = RELATED_CATEGORY
            if name != OTHER:
                fit[a, a] = SAME_CATEGORY
        return fit


def _sets(rows: Sequence[frozenset[str]], codes: Codes) -> Vectors:
    """Sets of area keys as a 0/1 sparse matrix (``dot`` then counts shared keys)."""
    known: dict[frozenset[str], list[int]] = {}
    ids = []
    for row in rows:
        coded = known.get(row)
        if coded is None:
            coded = known[row] = sorted({codes("area:" + key) for key in row})
        ids.append(coded)
    indptr = np.zeros(len(ids) + 1, dtype=np.int64)
    np.cumsum([len(i) for i in ids], out=indptr[1:])
    flat = np.fromiter((x for i in ids for x in i), dtype=np.int32, count=int(indptr[-1]))
    return Vectors(indptr, flat, np.ones(len(flat)))


def _float(values: Sequence[float | None]) -> FloatArray:
    return np.array([math.nan if v is None else float(v) for v in values], dtype=np.float64)


def _days(values: Sequence[datetime.date | None], missing: float) -> FloatArray:
    return np.array([missing if v is None else float(v.toordinal()) for v in values])


def _check(kind: str, ids: IntArray, problems: Sequence[tuple[BoolArray, str]]) -> None:
    """Raise ``LayerError`` naming the first post and field that cannot be used."""
    for bad, message in problems:
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise LayerError(f"{kind} {ids[row]}: {message}")
    unique, counts = np.unique(ids, return_counts=True)
    if (counts > 1).any():
        raise LayerError(f"{kind} id {unique[counts > 1][0]} appears more than once.")


def _place_problems(lon: FloatArray, lat: FloatArray) -> list[tuple[BoolArray, str]]:
    return [
        (np.isnan(lon) != np.isnan(lat), "give both longitude and latitude, or neither."),
        (np.abs(lat) > 90, "latitude must be between -90 and 90."),
        (np.abs(lon) > 180, "longitude must be between -180 and 180."),
    ]


@dataclass(frozen=True)
class Table:
    """One side (needs or offers) as arrays; fields the side lacks are NaN or empty."""

    ids: IntArray
    category: IntArray
    subcategory: IntArray  # -1: none
    quantity: FloatArray  # in the canonical unit; NaN: unknown
    unit: IntArray  # -1: none
    lon: FloatArray
    lat: FloatArray
    radius: FloatArray  # offers only
    areas: Vectors
    start: FloatArray  # day ordinals; offers: available_from (-inf), needs: -inf
    end: FloatArray  # offers: available_until (+inf), needs: needed_by (+inf)
    boost: FloatArray  # needs only (offers: 1)
    text: Vectors
    risk: FloatArray  # needs only: the area's risk index, NaN when unknown
    urgency: IntArray  # needs only (offers: 0)

    def __len__(self) -> int:
        return len(self.ids)


def _common(
    items: Sequence[Need] | Sequence[Offer], codes: Codes
) -> tuple[IntArray, IntArray, IntArray, FloatArray, IntArray]:
    units = [canonical_unit(i.unit) for i in items]
    factors = np.array([f for _, f in units], dtype=np.float64)
    return (
        np.array([i.id for i in items], dtype=np.int64),
        np.array([codes.category(i.category) for i in items], dtype=np.int64),
        np.array(
            [codes("sub:" + i.subcategory) if i.subcategory else -1 for i in items], dtype=np.int64
        ),
        _float([i.quantity for i in items]) * factors,
        np.array([codes("unit:" + u) if u else -1 for u, _ in units], dtype=np.int64),
    )


def document(item: Need | Offer) -> str:
    return f"{item.title}\n{item.description}"


def need_table(needs: Sequence[Need], codes: Codes, text: Vectors) -> Table:
    ids, category, sub, quantity, unit = _common(needs, codes)
    urgency = np.array([n.urgency for n in needs], dtype=np.float64)
    risk = _float([n.risk for n in needs])
    lon, lat = _float([x.lon for x in needs]), _float([x.lat for x in needs])
    _check("Need", ids, [
        *_place_problems(lon, lat),
        (quantity < 0, "the quantity cannot be negative."),
        (~np.isin(urgency, (1, 2, 3, 4)), "urgency must be 1 (low) to 4 (critical)."),
        ((risk < 0) | (risk > 10), "the risk index must be between 0 and 10."),
    ])  # fmt: skip
    known_risk = np.nan_to_num(risk, nan=0.0)
    boost = np.clip(1 + 0.1 * known_risk / 10 + 0.05 * (urgency - 2), BOOST_MIN, BOOST_MAX)
    n = len(needs)
    return Table(
        ids, category, sub, quantity, unit, lon, lat, np.full(n, np.nan),
        _sets([x.areas for x in needs], codes), np.full(n, -np.inf),
        _days([x.needed_by for x in needs], np.inf), boost.reshape(n), text,
        risk, urgency.astype(np.int64),
    )  # fmt: skip


def offer_table(offers: Sequence[Offer], codes: Codes, text: Vectors) -> Table:
    ids, category, sub, quantity, unit = _common(offers, codes)
    lon, lat = _float([o.lon for o in offers]), _float([o.lat for o in offers])
    radius = _float([o.radius_km for o in offers])
    start = _days([o.available_from for o in offers], -np.inf)
    end = _days([o.available_until for o in offers], np.inf)
    _check("Offer", ids, [
        *_place_problems(lon, lat),
        (quantity < 0, "the quantity cannot be negative."),
        (radius < 0, "the radius cannot be negative."),
        (start > end, "it is available from a date after its last day."),
    ])  # fmt: skip
    placed_only = [o.radius_km is None and not o.areas and o.lon is not None for o in offers]
    radius[np.array(placed_only, dtype=bool)] = DEFAULT_RADIUS_KM
    areas = _sets([o.areas for o in offers], codes)
    return Table(
        ids, category, sub, quantity, unit, lon, lat, radius, areas, start, end,
        np.ones(len(offers)), text, np.full(len(offers), np.nan),
        np.zeros(len(offers), dtype=np.int64),
    )  # fmt: skip


def great_circle_km(
    lon1: FloatArray, lat1: FloatArray, lon2: FloatArray, lat2: FloatArray
) -> FloatArray:
    """Great-circle distances of every point of side 1 to every point of side 2 (a matrix);
    NaN where a coordinate is missing.

    The same distance as the haversine formula, computed from the straight chord between the
    two points on the unit sphere (angle = 2 asin(chord / 2)): the trigonometry is done once
    per point instead of once per pair.
    """
    x1, y1, z1 = _unit_vectors(lon1, lat1)
    x2, y2, z2 = _unit_vectors(lon2, lat2)
    chord = np.sqrt(
        (x1[:, None] - x2[None, :]) ** 2
        + (y1[:, None] - y2[None, :]) ** 2
        + (z1[:, None] - z2[None, :]) ** 2
    )
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(chord / 2, 1.0))


def _unit_vectors(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    lam, phi = np.radians(lon), np.radians(lat)
    return np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)


@dataclass(frozen=True)
class Block:
    """Scores of ``len(needs) × len(offers)`` pairs; ``raw`` is -inf where a pair cannot match."""

    needs: IntArray  # rows of the need table
    offers: IntArray  # rows of the offer table
    raw: FloatArray  # base × boost, uncapped: the ranking key
    parts: dict[str, FloatArray]
    facts: dict[str, FloatArray]


def score_block(
    needs: Table,
    need_rows: IntArray,
    offers: Table,
    offer_rows: IntArray,
    *,
    today: int,
    fit: FloatArray,
    weights: Mapping[str, float],
    limit: int | None = None,
    pairable: BoolArray | None = None,
) -> Block:
    """Every part and the score of each need row × offer row (see ``matching``).

    With ``limit``, text (the costly part) is left out for pairs that cannot be among a
    need's ``limit`` best whatever their text: a pair scores at least its other parts with
    text 0 and at most with text 1, so one whose best is below the ``limit``-th best worst
    case of the row is dropped (raw -inf). The pairs kept get exactly the score they would
    get otherwise. With ``pairable`` (category code × category code), pairs of categories it
    rules out are impossible whatever their text (the engine's rule, ``matching_engine``).
    """
    col = slice(None), None  # needs vary down the rows, offers across the columns
    n_cat, o_cat = needs.category[need_rows], offers.category[offer_rows]
    n_sub, o_sub = needs.subcategory[need_rows], offers.subcategory[offer_rows]
    category = fit[n_cat[col], o_cat[None, :]]
    same_sub = (n_cat[col] == o_cat) & (n_sub[col] == o_sub) & (n_sub[col] >= 0)
    category = np.where(same_sub & (category > 0), SAME_SUBCATEGORY, category)

    n_lon, n_lat = needs.lon[need_rows], needs.lat[need_rows]
    o_lon, o_lat, radius = offers.lon[offer_rows], offers.lat[offer_rows], offers.radius[offer_rows]
    km = great_circle_km(n_lon, n_lat, o_lon, o_lat)
    need_point = ~np.isnan(n_lon)[col]
    has_radius = ~np.isnan(o_lon) & ~np.isnan(radius)
    in_radius = has_radius & need_point & (km <= radius)
    n_areas, o_areas = needs.areas.take(need_rows), offers.areas.take(offer_rows)
    n_has, o_has = np.diff(n_areas.indptr) > 0, np.diff(o_areas.indptr) > 0
    in_area = dot(n_areas, o_areas) > 0
    limited = has_radius | o_has
    placed = need_point | n_has[col]
    reachable = ~limited | ~placed | in_radius | in_area
    with np.errstate(invalid="ignore", divide="ignore"):
        inside = np.where(radius > 0, 1 - 0.5 * km / radius, 1.0)
    distance = np.where(in_area, 1.0, np.where(in_radius, inside, 0.5))
    served = np.where(in_area, 1, np.where(in_radius, 0, np.where(limited, 3, 2)))

    n_qty, o_qty = needs.quantity[need_rows][col], offers.quantity[offer_rows]
    n_unit = needs.unit[need_rows][col]
    comparable = (
        (n_unit == offers.unit[offer_rows]) & (n_unit >= 0) & (n_qty > 0) & ~np.isnan(o_qty)
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        coverage = np.where(comparable, np.maximum(o_qty, 0) / n_qty, np.nan)
    quantity = np.where(comparable, np.minimum(coverage, 1.0), 0.5)

    needed_by = needs.end[need_rows][col]
    o_from, o_until = offers.start[offer_rows], offers.end[offer_rows]
    start = np.maximum(o_from, today)
    wait = start - today
    with np.errstate(invalid="ignore", divide="ignore"):
        later = np.where(
            np.isfinite(needed_by),
            1 - wait / (needed_by - today + 1),
            0.5 ** (wait / HALF_WAIT_DAYS),
        )
    time = np.clip(np.where(wait <= 0, 1.0, later), 0.0, 1.0)
    end = np.minimum(o_until, needed_by)
    timely = (o_until >= today) & (o_from <= needed_by)

    boost = needs.boost[need_rows][col]
    total = sum(weights.values())
    parts = {"category": category, "distance": distance, "quantity": quantity, "time": time}
    rest = sum(weights[name] * parts[name] for name in WEIGHT_NAMES if name != "text")
    possible = reachable & timely
    if pairable is not None:
        possible &= pairable[n_cat[col], o_cat[None, :]]
    wanted = _text_needed(
        possible, category, rest * boost / total, weights["text"] * boost / total, limit
    )
    text = np.zeros(category.shape)
    computed = np.zeros(category.shape, dtype=bool)
    rows, cols = np.flatnonzero(wanted.any(axis=1)), np.flatnonzero(wanted.any(axis=0))
    if len(rows) and len(cols):
        # One rectangle covering every pair wanted: cheaper than fitting it pair by pair.
        cell = np.ix_(rows, cols)
        text[cell] = cosine(needs.text.take(need_rows[rows]), offers.text.take(offer_rows[cols]))
        computed[cell] = True
    parts["text"] = text
    raw = np.round((rest + weights["text"] * text) / total * boost, 9)
    possible &= computed & ((category > 0) | (text >= TEXT_FLOOR))
    shape = raw.shape
    parts["priority"] = np.broadcast_to((boost - BOOST_MIN) / (BOOST_MAX - BOOST_MIN), shape)
    facts = {
        "distance_km": km,
        "served_by": served,
        "coverage": coverage,
        "overlap_days": np.where(np.isfinite(end), np.maximum(end - start + 1, 0), np.nan),
        "wait_days": np.broadcast_to(wait, shape),
        "boost": np.broadcast_to(boost, shape),
    }
    return Block(need_rows, offer_rows, np.where(possible, raw, -np.inf), parts, facts)


def _text_needed(
    possible: BoolArray,
    category: FloatArray,
    low: FloatArray,
    spread: FloatArray,
    limit: int | None,
) -> BoolArray:
    """The pairs whose text must be computed (see ``score_block``)."""
    if limit is None:
        return possible
    else:
        # Pairs whose categories fit are possible whatever their text: their worst case counts.
        sure = np.where(possible & (category > 0), low, -np.inf)
        k = min(limit, sure.shape[1])
        floor = -np.partition(-sure, k - 1, axis=1)[:, k - 1 : k] if k else -np.inf
        return possible & (low + spread >= floor - 1e-8)


def fit_text(needs: Sequence[Need], offers: Sequence[Offer]) -> tuple[TextModel, Vectors, Vectors]:
    """One text model over every need and offer; the needs' and the offers' vectors."""
    model, vectors = TextModel.fit([document(x) for x in needs] + [document(x) for x in offers])
    n = len(needs)
    return (
        model,
        vectors.take(np.arange(n, dtype=np.int64)),
        vectors.take(np.arange(n, n + len(offers), dtype=np.int64)),
    )
