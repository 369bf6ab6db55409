"""Who sees which needs, offers and matches.

Every member reads open listings. Drafts, offers waiting for review and offers found not
suitable are seen by whoever posted them and by the coalition's managers. A match's thread
and fulfilment are seen by its two sides — the need's poster, the offer's poster and the
people of the offering organisation — and by managers.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from commonground.coalitions.models import Membership
from commonground.coalitions.roles import Can
from commonground.marketplace.models import (
    Match,
    Need,
    NeedStatus,
    Offer,
    OfferStatus,
)

PRIVATE_NEED = (NeedStatus.DRAFT,)
PRIVATE_OFFER = (OfferStatus.DRAFT, OfferStatus.IN_REVIEW, OfferStatus.DECLINED)


def needs_for(membership: Membership) -> QuerySet[Need]:
    needs = Need.objects.filter(coalition_id=membership.coalition_id)
    if not membership.can(Can.MANAGE):
        needs = needs.filter(~Q(status__in=PRIVATE_NEED) | Q(created_by_id=membership.user_id))
    return needs.select_related("area", "created_by")


def offers_for(membership: Membership) -> QuerySet[Offer]:
    offers = Offer.objects.filter(coalition_id=membership.coalition_id)
    if not membership.can(Can.MANAGE):
        mine = Q(created_by_id=membership.user_id)
        if membership.organisation_id:
            mine |= Q(organisation_id=membership.organisation_id)
        offers = offers.filter(~Q(status__in=PRIVATE_OFFER) | mine)
    return offers.select_related("organisation", "created_by")


def get_need_for(membership: Membership, pk: int) -> Need:
    try:
        return needs_for(membership).get(pk=pk)
    except Need.DoesNotExist:
        raise Http404 from None


def get_offer_for(membership: Membership, pk: int) -> Offer:
    try:
        return offers_for(membership).get(pk=pk)
    except Offer.DoesNotExist:
        raise Http404 from None


def is_need_side(membership: Membership, need: Need) -> bool:
    return membership.can(Can.MANAGE) or need.created_by_id == membership.user_id


def is_offer_side(membership: Membership, offer: Offer) -> bool:
    return (
        membership.can(Can.MANAGE)
        or offer.created_by_id == membership.user_id
        or bool(membership.organisation_id and membership.organisation_id == offer.organisation_id)
    )


def can_edit_need(membership: Membership, need: Need) -> bool:
    return is_need_side(membership, need) and membership.can(Can.POST_NEEDS)


def can_edit_offer(membership: Membership, offer: Offer) -> bool:
    return is_offer_side(membership, offer) and membership.can(Can.EDIT_REGISTRY)


def matches_for(membership: Membership) -> QuerySet[Match]:
    """Matches the member is a side of (all of them for managers)."""
    matches = Match.objects.filter(coalition_id=membership.coalition_id)
    if not membership.can(Can.MANAGE):
        mine = Q(need__created_by_id=membership.user_id) | Q(
            offer__created_by_id=membership.user_id
        )
        if membership.organisation_id:
            mine |= Q(offer__organisation_id=membership.organisation_id)
        matches = matches.filter(mine)
    return matches.select_related(
        "need",
        "need__area",
        "need__created_by",
        "offer",
        "offer__organisation",
        "offer__created_by",
    )


def get_match_for(membership: Membership, pk: int) -> Match:
    try:
        return matches_for(membership).get(pk=pk)
    except Match.DoesNotExist:
        raise Http404 from None
