"""Partner offers for a city's request (and the reverse), ranked by the marketplace's matcher.

Only offers on the request's theme are candidates; among them the matching core scores what
is asked and offered (expertise, funding…), the wording, the amount and the time window.
"""

from __future__ import annotations

from django.utils import timezone

from commonground.analysis import matching
from commonground.network.models import CityRequest, PartnerOffer, Status


def _need(request: CityRequest) -> matching.Need:
    return matching.Need(
        id=request.pk,
        title=request.title,
        description=request.description,
        category=request.kind,
        quantity=float(request.amount) if request.amount else None,
        unit=request.unit,
        needed_by=request.needed_by,
    )


def _offer(offer: PartnerOffer) -> matching.Offer:
    return matching.Offer(
        id=offer.pk,
        title=offer.title,
        description=offer.description,
        category=offer.kind,
        quantity=float(offer.amount) if offer.amount else None,
        unit=offer.unit,
        available_until=offer.available_until,
    )


def offers_for_request(
    request: CityRequest, limit: int = 10
) -> list[tuple[PartnerOffer, matching.Match]]:
    candidates = {
        offer.pk: offer
        for offer in PartnerOffer.objects.filter(
            themes=request.theme, status=Status.OPEN
        ).select_related("organisation")
    }
    found = matching.matches_for_need(
        _need(request),
        [_offer(o) for o in candidates.values()],
        today=timezone.localdate(),
        limit=limit,
    )
    return [(candidates[m.offer_id], m) for m in found]


def requests_for_offer(
    offer: PartnerOffer, limit: int = 10
) -> list[tuple[CityRequest, matching.Match]]:
    candidates = {
        request.pk: request
        for request in CityRequest.objects.filter(
            theme__in=offer.themes.all(), status=Status.OPEN
        ).select_related("coalition", "theme")
    }
    found = matching.matches_for_offer(
        _offer(offer),
        [_need(r) for r in candidates.values()],
        today=timezone.localdate(),
        limit=limit,
    )
    return [(candidates[m.need_id], m) for m in found]
