"""The stakeholder map through the API, continued: plans, interactions, contacts due, the
shortlist, its cut-off and the analyses."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.request import Request
from rest_framework.response import Response

from commonground.coalitions.roles import Can
from commonground.stakeholders import criteria_actions, engagement_actions
from commonground.stakeholders.access import (
    get_plan,
    get_stakeholder_for,
    interactions_for,
    open_plans,
    overdue_plans,
    settings_for,
    upcoming_plans,
)
from commonground.stakeholders.analysis import diversity_of, grid, salience_classes, shortlist
from commonground.stakeholders.models import EngagementPlan, Interaction

from .base import CoalitionScopedViewSet
from .stakeholder_serializers import (
    AnalysisSerializer,
    DueFilterSerializer,
    DuePlanSerializer,
    InteractionSerializer,
    PlanSerializer,
    SettingsSerializer,
    ShortlistRowSerializer,
)


@extend_schema(tags=["stakeholders"])
class PlanViewSet(CoalitionScopedViewSet):
    """A stakeholder's engagement plan: channels, frequency, owner, next contact."""

    write_capability = Can.EDIT_REGISTRY
    serializer_class = PlanSerializer
    pagination_class = None

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        if not self.is_schema_view:
            context["coalition"] = self.coalition
        return context

    @extend_schema(summary="Read a stakeholder's plan", description="404 when it has none.")
    def retrieve(self, request: Request, slug: str, pk: str) -> Response:
        plan = get_plan(get_stakeholder_for(self.membership, int(pk)))
        if plan is None:
            raise Http404
        return Response(PlanSerializer(plan).data)

    @extend_schema(
        summary="Make or change a stakeholder's plan",
        description="Fields left out keep their value. Needs the edit-registry capability.",
    )
    def update(self, request: Request, slug: str, pk: str) -> Response:
        stakeholder = get_stakeholder_for(self.membership, int(pk))
        plan = get_plan(stakeholder)
        serializer = PlanSerializer(
            plan, data=request.data, partial=plan is not None, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        saved = engagement_actions.save_plan(self.actor, stakeholder, **serializer.validated_data)
        return Response(PlanSerializer(saved).data)


@extend_schema(tags=["stakeholders"])
class InteractionViewSet(mixins.ListModelMixin, CoalitionScopedViewSet):
    """A stakeholder's interaction log. Logging one moves the plan's next contact on."""

    write_capability = Can.EDIT_REGISTRY
    serializer_class = InteractionSerializer

    def get_queryset(self) -> QuerySet[Interaction]:
        if self.is_schema_view:
            return Interaction.objects.none()
        stakeholder = get_stakeholder_for(self.membership, int(self.kwargs["pk"]))
        return (
            interactions_for(self.membership)
            .filter(stakeholder=stakeholder)
            .select_related("logged_by")
            .order_by("-date", "-id")
        )

    @extend_schema(summary="A stakeholder's interactions, newest first")
    def list(self, request: Request, slug: str, pk: str) -> Response:
        return super().list(request, slug, pk)

    @extend_schema(
        summary="Log an interaction",
        description="`date` defaults to today. Needs the edit-registry capability.",
        responses={201: InteractionSerializer},
    )
    def create(self, request: Request, slug: str, pk: str) -> Response:
        stakeholder = get_stakeholder_for(self.membership, int(pk))
        serializer = InteractionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        interaction = engagement_actions.log_interaction(
            self.actor, stakeholder, **serializer.validated_data
        )
        return Response(InteractionSerializer(interaction).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["stakeholders"])
class DuePlanViewSet(mixins.ListModelMixin, CoalitionScopedViewSet):
    """Plans with a next contact, soonest first: overdue ones, coming ones, or both."""

    serializer_class = DuePlanSerializer

    def get_queryset(self) -> QuerySet[EngagementPlan]:
        if self.is_schema_view:
            return EngagementPlan.objects.none()
        params = DueFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        today = timezone.localdate()
        due = params.validated_data.get("due")
        if due == "overdue":
            return overdue_plans(self.membership, today)
        if due == "upcoming":
            return upcoming_plans(self.membership, today)
        return open_plans(self.coalition.pk).order_by("next_contact", "id")

    @extend_schema(summary="Contacts due", parameters=[DueFilterSerializer])
    def list(self, request: Request, slug: str) -> Response:
        return super().list(request, slug)


@extend_schema(tags=["stakeholders"])
class ShortlistViewSet(CoalitionScopedViewSet):
    """The ranked shortlist and its cut-off (the cut-off needs the manage capability)."""

    write_capability = Can.MANAGE
    pagination_class = None
    serializer_class = SettingsSerializer

    @extend_schema(
        summary="The ranked shortlist",
        description="Active, scored stakeholders by weighted score, marked at the cut-off.",
        responses=ShortlistRowSerializer(many=True),
    )
    def list(self, request: Request, slug: str) -> Response:
        criteria_actions.ensure_default_criteria(self.actor, self.coalition)
        cutoff = float(settings_for(self.membership).shortlist_cutoff)
        _table, rows = shortlist(self.coalition.pk, cutoff)
        data = [
            {
                "rank": row.ranked.rank,
                "stakeholder": row.stakeholder.pk,
                "name": row.stakeholder.name,
                "stage": row.stakeholder.stage,
                "weighted": row.ranked.score,
                "scorers": row.aggregate.scorers,
                "shortlisted": row.ranked.shortlisted,
                "disputed": row.aggregate.disputed,
            }
            for row in rows
        ]
        return Response(ShortlistRowSerializer(data, many=True).data)

    @extend_schema(summary="Read the shortlist cut-off", responses=SettingsSerializer)
    def read_cutoff(self, request: Request, slug: str) -> Response:
        current = settings_for(self.membership)
        return Response(SettingsSerializer({"shortlist_cutoff": current.shortlist_cutoff}).data)

    @extend_schema(
        summary="Set the shortlist cut-off",
        request=SettingsSerializer,
        responses=SettingsSerializer,
    )
    def set_cutoff(self, request: Request, slug: str) -> Response:
        serializer = SettingsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        saved = criteria_actions.set_shortlist_cutoff(
            self.actor, self.coalition, serializer.validated_data["shortlist_cutoff"]
        )
        return Response(SettingsSerializer({"shortlist_cutoff": saved.shortlist_cutoff}).data)


@extend_schema(tags=["stakeholders"])
class AnalysisViewSet(CoalitionScopedViewSet):
    """The analyses: power–interest quadrants, salience classes, diversity and its gaps."""

    pagination_class = None
    serializer_class = AnalysisSerializer

    @extend_schema(summary="Grid, salience and diversity", responses=AnalysisSerializer)
    def retrieve(self, request: Request, slug: str) -> Response:
        pk = self.coalition.pk
        quadrants, unplaced = grid(pk)
        classes, _unscored, _missing = salience_classes(pk)
        found = diversity_of(pk)
        data = {
            "quadrants": {str(k): [p.stakeholder.pk for p in v] for k, v in quadrants.items()},
            "unplaced": [s.pk for s in unplaced],
            "salience": {str(k): [s.stakeholder.pk for s in v] for k, v in classes.items()},
            "diversity": {
                "total": found.total,
                "by_type": found.by_type,
                "by_level": found.by_level,
                "by_sector": found.by_sector,
                "shannon": found.shannon,
                "simpson": found.simpson,
                "evenness": found.evenness,
                "gaps": [str(g) for g in found.gaps],
            },
        }
        return Response(AnalysisSerializer(data).data)
