"""Suggested matches: the marketplace's rows in, ``commonground.analysis.matching`` scores out.

A suggestion is a ``Match`` in status "suggested" holding its score and the parts of it, so
pages explain why it was suggested. Re-matching replaces a listing's suggestions; matches
someone already acted on (offered, declined …) are never touched.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from commonground.analysis import matching
from commonground.marketplace.fulfilment import available, outstanding
from commonground.marketplace.models import (
    COMMITTING,
    Match,
    MatchStatus,
    Need,
    NeedStatus,
    Offer,
    OfferStatus,
)
from commonground.places.models import Area, RiskProfile, RunStatus

MIN_SCORE = 0.3  # below this a pair is not worth anyone's time
SUGGESTIONS = 5  # per listing
OPEN_NEEDS = (NeedStatus.OPEN, NeedStatus.PARTLY_MET)


class Context:
    """What matching needs to know about a coalition's areas: ancestry and risk."""

    def __init__(self, coalition_id: int) -> None:
        areas = list(
            Area.objects.filter(coalition_id=coalition_id).values_list(
                "pk", "parent_id", "level", "name"
            )
        )
        parents = {pk: parent for pk, parent, _level, _name in areas}
        # A need pinned to an area but not to a point is placed at the area's centre.
        self.centres: dict[int, tuple[float, float]] = {
            pk: ((x0 + x1) / 2, (y0 + y1) / 2)
            for pk, x0, y0, x1, y1 in Area.objects.filter(
                coalition_id=coalition_id, min_x__isnull=False
            ).values_list("pk", "min_x", "min_y", "max_x", "max_y")
            if x0 is not None and y0 is not None and x1 is not None and y1 is not None
        }
        self.keys: dict[int, frozenset[str]] = {}
        for pk, *_rest in areas:
            chain, seen = [], set()
            current: int | None = pk
            while current is not None and current not in seen:
                seen.add(current)
                chain.append(str(current))
                current = parents.get(current)
            self.keys[pk] = frozenset(chain)
        self.risk: dict[int, float] = {}
        profile = (
            RiskProfile.objects.filter(coalition_id=coalition_id, status=RunStatus.DONE)
            .exclude(rollup=[])
            .order_by("-finished_at")
            .first()
        )
        if profile is not None:
            by_name = {(row["level"], row["area"]): row.get("risk") for row in profile.rollup}
            named = {pk: (level, name) for pk, _p, level, name in areas}
            for pk in self.keys:
                # The area's own risk, else its nearest ancestor's.
                step: int | None = pk
                while step is not None:
                    value = by_name.get(named[step])
                    if value is not None:
                        self.risk[pk] = float(value)
                        break
                    step = parents.get(step)


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _left(listing: Need | Offer) -> float | None:
    """Quantity less active commitments: annotated in bulk, else one query."""
    if listing.quantity is None:
        return None
    committed = getattr(listing, "committed_total", None)
    if committed is None and not hasattr(listing, "committed_total"):
        value = outstanding(listing) if isinstance(listing, Need) else available(listing)
        return _float(value)
    return max(float(listing.quantity) - float(committed or 0), 0.0)


COMMITTED = Sum("matches__committed", filter=Q(matches__status__in=COMMITTING))


def need_input(need: Need, context: Context) -> matching.Need:
    centre = context.centres.get(need.area_id) if need.area_id else None
    return matching.Need(
        id=need.pk,
        title=need.title,
        description=need.description,
        category=need.category,
        subcategory=need.subcategory,
        quantity=_left(need),
        unit=need.unit,
        lon=need.longitude if need.longitude is not None else centre[0] if centre else None,
        lat=need.latitude if need.latitude is not None else centre[1] if centre else None,
        areas=context.keys.get(need.area_id, frozenset()) if need.area_id else frozenset(),
        needed_by=need.needed_by,
        urgency=need.urgency,
        risk=context.risk.get(need.area_id) if need.area_id else None,
    )


def offer_input(offer: Offer) -> matching.Offer:
    return matching.Offer(
        id=offer.pk,
        title=offer.title,
        description=offer.description,
        category=offer.category,
        subcategory=offer.subcategory,
        quantity=_left(offer),
        unit=offer.unit,
        lon=offer.longitude,
        lat=offer.latitude,
        radius_km=offer.radius_km,
        areas=frozenset(str(area.pk) for area in offer.areas.all()),
        available_from=offer.available_from,
        available_until=offer.available_until,
    )


def _open_offers(coalition_id: int) -> list[Offer]:
    offers = Offer.objects.filter(coalition_id=coalition_id, status=OfferStatus.OPEN)
    return list(offers.annotate(committed_total=COMMITTED).prefetch_related("areas"))


def _open_needs(coalition_id: int) -> list[Need]:
    needs = Need.objects.filter(coalition_id=coalition_id, status__in=OPEN_NEEDS)
    return list(needs.annotate(committed_total=COMMITTED))


@transaction.atomic
def _replace(scope: Q, coalition_id: int, found: Iterable[matching.Match]) -> int:
    """Suggestions in ``scope`` become exactly ``found`` (above the threshold)."""
    keep = {(m.need_id, m.offer_id): m for m in found if m.score >= MIN_SCORE}
    existing = {
        (row.need_id, row.offer_id): row for row in Match.objects.filter(scope).select_for_update()
    }
    stale = [
        row.pk
        for pair, row in existing.items()
        if row.status == MatchStatus.SUGGESTED and pair not in keep
    ]
    Match.objects.filter(pk__in=stale).delete()
    now = timezone.now()
    created = []
    for pair, found_match in keep.items():
        row = existing.get(pair)
        values = {
            "score": round(found_match.score, 4),
            "parts": dict(found_match.parts),
            "facts": dict(found_match.facts),
        }
        if row is None:
            created.append(
                Match(coalition_id=coalition_id, need_id=pair[0], offer_id=pair[1], **values)
            )
        elif row.status == MatchStatus.SUGGESTED:
            for field, value in values.items():
                setattr(row, field, value)
            row.updated_at = now
            row.save(update_fields=[*values, "updated_at"])
    Match.objects.bulk_create(created, ignore_conflicts=True)
    return len(keep)


def today() -> datetime.date:
    return timezone.localdate()


def suggest_for_need(need: Need) -> int:
    context = Context(need.coalition_id)
    found: list[matching.Match] = []
    if need.status in OPEN_NEEDS:
        offers = [offer_input(o) for o in _open_offers(need.coalition_id)]
        found = matching.matches_for_need(
            need_input(need, context), offers, today=today(), limit=SUGGESTIONS
        )
    count = _replace(Q(need=need), need.coalition_id, found)
    Need.objects.filter(pk=need.pk).update(matched_at=timezone.now())
    return count


def suggest_for_offer(offer: Offer) -> int:
    context = Context(offer.coalition_id)
    found: list[matching.Match] = []
    if offer.status == OfferStatus.OPEN:
        needs = [need_input(n, context) for n in _open_needs(offer.coalition_id)]
        found = matching.matches_for_offer(
            offer_input(offer), needs, today=today(), limit=SUGGESTIONS
        )
    count = _replace(Q(offer=offer), offer.coalition_id, found)
    Offer.objects.filter(pk=offer.pk).update(matched_at=timezone.now())
    return count


def rematch_coalition(coalition_id: int) -> int:
    """Every open need against every open offer; the suggestions are replaced wholesale."""
    context = Context(coalition_id)
    needs = [need_input(n, context) for n in _open_needs(coalition_id)]
    offers = [offer_input(o) for o in _open_offers(coalition_id)]
    by_need = matching.match_all(needs, offers, today=today(), limit=SUGGESTIONS)
    found = [m for matches in by_need.values() for m in matches]
    count = _replace(Q(coalition_id=coalition_id), coalition_id, found)
    now = timezone.now()
    Need.objects.filter(coalition_id=coalition_id, status__in=OPEN_NEEDS).update(matched_at=now)
    Offer.objects.filter(coalition_id=coalition_id, status=OfferStatus.OPEN).update(matched_at=now)
    return count
