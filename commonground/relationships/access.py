"""Reads of a coalition's relationships. Other coalitions' relationships are never visible."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from commonground.coalitions.models import Coalition, Membership
from commonground.lib.text import name_key
from commonground.organisations.models import Organisation
from commonground.relationships.models import Relationship


def relationships_for(membership: Membership) -> QuerySet[Relationship]:
    return Relationship.objects.filter(coalition_id=membership.coalition_id)


def get_relationship_for(membership: Membership, pk: int) -> Relationship:
    try:
        return (
            relationships_for(membership).select_related("source", "target", "coalition").get(pk=pk)
        )
    except Relationship.DoesNotExist:
        raise Http404 from None


def listed_organisations(coalition: Coalition | int) -> QuerySet[Organisation]:
    """The organisations on the coalition's list: the only ones a relationship may join."""
    coalition_id = coalition if isinstance(coalition, int) else coalition.pk
    return Organisation.objects.filter(participations__coalition_id=coalition_id)


def search_relationships(
    membership: Membership, params: Mapping[str, Any]
) -> QuerySet[Relationship]:
    """Filtered by ``q`` (either organisation's name or acronym), ``type``,
    ``organisation`` (id, at either end) and ``strength`` (at least). Shared by the list
    page, its export and the API."""
    qs = relationships_for(membership)
    q = (params.get("q") or "").strip()
    if q:
        # The organisations first (a few thousand rows), then their relationships through the
        # (coalition, source, …) and (coalition, target) indexes, not a scan of every row.
        key = name_key(q)
        named = Q(acronym__iexact=q) | Q(name_key__contains=key) if key else Q(acronym__iexact=q)
        orgs = Organisation.objects.filter(named).values("id")
        qs = qs.filter(Q(source_id__in=orgs) | Q(target_id__in=orgs))
    if params.get("type"):
        qs = qs.filter(type=params["type"])
    if params.get("organisation"):
        org = params["organisation"]
        qs = qs.filter(Q(source_id=org) | Q(target_id=org))
    if params.get("strength"):
        qs = qs.filter(strength__gte=params["strength"])
    return qs
