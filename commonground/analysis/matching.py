"""Matching needs with offers for the marketplace, and why each match was suggested.

Every suggestion has a score from 0 to 1 and six parts, each 0 to 1, that the page shows:

category
    1 when need and offer have the same subcategory, 0.8 the same category, 0.4 related
    categories (the table in ``matching_data``), otherwise 0. ``other`` fits nothing: such a
    post is matched by its text.
text
    How alike the titles and descriptions are: character pieces of words weighted by how rare
    they are (TF-IDF cosine, ``matching_text``). It works the same for English, Spanish, French
    and Bahasa Indonesia; across languages the category carries the match.
distance
    An offer with a radius: 1 at its point, falling evenly to 0.5 at the edge of the radius
    (an offer that gives a place but neither radius nor areas serves within 50 km). An offer
    serving areas: 1 when the need lies in one of them (or in a place within one). 0.5 when
    the offer serves anywhere (no place, no areas) or the need's place is unknown.
quantity
    The share of the outstanding quantity the offer covers, up to 1 (half the water filters
    needed: 0.5). Units are compared after simple clean-up ("Kilos" = "kg", "tonnes" = 1,000
    kg, "hogares" = "households"); 0.5 when the units differ or a quantity is unknown.
time
    1 when the offer is available now. If it only starts later: the share of the time until
    the need's date that is left once it starts (half-way: 0.5); for a need with no date it
    halves for every 30 days of waiting.
priority
    Not a weight but a boost for urgent needs in risky areas: the score is multiplied by
    ``1 + 0.1 × risk/10 + 0.05 × (urgency − 2)``, from 0.95 (low urgency, no known risk) to
    1.2 (critical, risk index 10), and capped at 1. The part shows where the need sits on that
    scale (0 to 1). It orders needs for an offer; it does not reorder one need's offers.

The score is the weighted mean of the first five parts (``DEFAULT_WEIGHTS``: category 0.35,
text 0.25, distance 0.2, quantity 0.1, time 0.1) times the boost, capped at 1. Ties are broken
by id, lowest first, so results never depend on input order.

A pair is never suggested when the offer has expired (available until before today), starts
after the need's date, or when the categories do not fit and the texts are not alike either
(text below 0.4). Nor when the offer does not reach the need: a pair is kept only when the
offer serves anywhere (it gives neither place nor areas), the need's place is unknown (no
point, no areas: distance 0.5), the need's point lies within the offer's radius, or the need
lies in one of the offer's areas. A need with areas but no point therefore reaches only
offers serving those areas or anywhere: callers should give it its area's centre as a point.

The lists (``matches_for_need``, ``matches_for_offer``, ``match_all``) go one step further:
they never pair unrelated categories, even with alike texts (``other`` still pairs with
anything). That is what keeps a full re-match fast (``matching_engine``); ``score`` of one
such pair still answers.

Facts shown beside the parts: ``distance_km``, ``served_by`` (radius, area, anywhere or
unknown), ``coverage`` (offer quantity / need quantity), ``unit``, ``overlap_days`` (days both
are open, None if open-ended), ``wait_days``, ``boost``, and the need's ``risk`` and
``urgency``.

``Matcher`` prepares needs and offers once (text model, tables, spatial index) and answers
many questions quickly; the functions below build one per call. Text weights depend on the
corpus a matcher was built from, so the text part of a pair may move slightly when the set
of open posts changes, as a search engine's scores do.

Input that cannot be used (one coordinate without the other, a latitude beyond 90, urgency
outside 1-4, a risk index outside 0-10, a negative quantity or radius, an offer available
from after its last day, an id given twice) raises ``LayerError`` naming the post and field.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from .matching_data import CATEGORIES, RELATED, Match, Need, Offer, canonical_unit, category_fit
from .matching_engine import Matcher
from .matching_text import text_similarity

__all__ = [
    "CATEGORIES",
    "DEFAULT_WEIGHTS",
    "RELATED",
    "Match",
    "Matcher",
    "Need",
    "Offer",
    "canonical_unit",
    "category_fit",
    "match_all",
    "matches_for_need",
    "matches_for_offer",
    "score",
    "text_similarity",
]

DEFAULT_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {"category": 0.35, "text": 0.25, "distance": 0.2, "quantity": 0.1, "time": 0.1}
)


def score(
    need: Need,
    offer: Offer,
    *,
    today: datetime.date,
    weights: Mapping[str, float] = DEFAULT_WEIGHTS,
) -> Match | None:
    """The match of one pair, or None when it can never match (see the module docstring).

    Text is weighed with a model of these two texts (as ``text_similarity`` does); a
    ``Matcher`` built over many posts weighs pieces common among them less.
    """
    return Matcher([need], [offer], today=today, weights=weights).score(need, offer)


def matches_for_need(
    need: Need,
    offers: Sequence[Offer],
    *,
    today: datetime.date,
    limit: int = 10,
    weights: Mapping[str, float] = DEFAULT_WEIGHTS,
) -> list[Match]:
    """The ``limit`` best offers for a need, best first."""
    return Matcher([need], offers, today=today, weights=weights).for_need(need, limit)


def matches_for_offer(
    offer: Offer,
    needs: Sequence[Need],
    *,
    today: datetime.date,
    limit: int = 10,
    weights: Mapping[str, float] = DEFAULT_WEIGHTS,
) -> list[Match]:
    """The ``limit`` needs an offer could serve best, best first."""
    return Matcher(needs, [offer], today=today, weights=weights).for_offer(offer, limit)


def match_all(
    needs: Sequence[Need],
    offers: Sequence[Offer],
    *,
    today: datetime.date,
    limit: int = 10,
    weights: Mapping[str, float] = DEFAULT_WEIGHTS,
    workers: int = 1,
) -> dict[int, list[Match]]:
    """The ``limit`` best offers of every need, by need id; needs with none are left out.

    ``workers`` > 1 spreads the work over that many processes (see ``Matcher.all``).
    """
    return Matcher(needs, offers, today=today, weights=weights).all(limit, workers)
