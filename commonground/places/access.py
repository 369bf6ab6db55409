"""Reads of a coalition's areas and layers. 404 alike for missing and not yours."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from commonground.coalitions.models import Membership
from commonground.coalitions.roles import Can
from commonground.places.models import AnalysisRun, Area, Layer, RiskProfile, Visibility


def areas_for(membership: Membership) -> QuerySet[Area]:
    return Area.objects.filter(coalition_id=membership.coalition_id)


def layers_for(membership: Membership) -> QuerySet[Layer]:
    return Layer.objects.filter(coalition_id=membership.coalition_id)


def get_layer_for(membership: Membership, pk: int) -> Layer:
    try:
        return layers_for(membership).get(pk=pk)
    except Layer.DoesNotExist:
        raise Http404 from None


def public_layers() -> QuerySet[Layer]:
    """Layers any visitor may read (OGC API without a token)."""
    return Layer.objects.filter(visibility=Visibility.PUBLIC)


def can_edit_places(membership: Membership) -> bool:
    return membership.can(Can.EDIT_REGISTRY)


def runs_for(membership: Membership) -> QuerySet[AnalysisRun]:
    return AnalysisRun.objects.filter(coalition_id=membership.coalition_id).select_related(
        "hazard_layer", "exposure_layer", "population_layer", "created_by"
    )


def get_run_for(membership: Membership, pk: int) -> AnalysisRun:
    try:
        return runs_for(membership).get(pk=pk)
    except AnalysisRun.DoesNotExist:
        raise Http404 from None


def profiles_for(membership: Membership) -> QuerySet[RiskProfile]:
    return RiskProfile.objects.filter(coalition_id=membership.coalition_id).select_related(
        "coalition",
        "exposure_run",
        "exposure_run__exposure_layer",
        "population_layer",
        "resources_layer",
        "created_by",
    )


def get_profile_for(membership: Membership, pk: int) -> RiskProfile:
    try:
        return profiles_for(membership).get(pk=pk)
    except RiskProfile.DoesNotExist:
        raise Http404 from None
