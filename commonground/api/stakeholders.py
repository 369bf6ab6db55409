"""The stakeholder map through the API: stakeholders, stages, scores and criteria.

Every member reads; members edit stakeholders, move stages and score (edit-registry);
focal points and lead-organisation admins manage the criteria and the shortlist cut-off.
Plans, interactions and the analyses are in ``stakeholder_engagement``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from commonground.coalitions.roles import Can
from commonground.stakeholders import actions, criteria_actions
from commonground.stakeholders.access import (
    get_criterion_for,
    get_stakeholder_for,
    listed,
    scores_for,
    search_stakeholders,
)
from commonground.stakeholders.analysis import score_table
from commonground.stakeholders.models import Criterion, Stakeholder

from .base import CoalitionScopedViewSet
from .serializers import UserBriefSerializer
from .stakeholder_serializers import (
    CriterionSerializer,
    MyScoresSerializer,
    ScoresSerializer,
    StageMoveSerializer,
    StakeholderDetailSerializer,
    StakeholderFilterSerializer,
    StakeholderSerializer,
    StakeholderUpdateSerializer,
)


@extend_schema(tags=["stakeholders"])
@extend_schema_view(
    retrieve=extend_schema(summary="Read a stakeholder", description="With its stage history."),
    destroy=extend_schema(
        summary="Take a stakeholder off the map",
        description="Removes its history, scores, plan and log. Needs edit-registry.",
        responses={status.HTTP_204_NO_CONTENT: None},
    ),
)
class StakeholderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CoalitionScopedViewSet):
    write_capability = Can.EDIT_REGISTRY

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "partial_update":
            return StakeholderUpdateSerializer
        if self.action == "retrieve":
            return StakeholderDetailSerializer
        return StakeholderSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        if not self.is_schema_view:
            context["coalition"] = self.coalition
        return context

    def get_queryset(self) -> QuerySet[Stakeholder]:
        if self.is_schema_view:
            return Stakeholder.objects.none()
        params = StakeholderFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return listed(search_stakeholders(self.membership, params.params()))

    def get_object(self) -> Stakeholder:
        return self.load(int(self.kwargs["pk"]))

    def load(self, pk: int) -> Stakeholder:
        stakeholder = get_stakeholder_for(self.membership, pk)
        return (
            Stakeholder.objects.select_related("organisation", "plan")
            .prefetch_related("stage_changes__changed_by")
            .get(pk=stakeholder.pk)
        )

    @extend_schema(
        summary="List and filter the stakeholder map",
        parameters=[StakeholderFilterSerializer],
    )
    def list(self, request: Request, slug: str) -> Response:
        return super().list(request, slug)

    @extend_schema(
        summary="Add a stakeholder",
        description=(
            "An organisation from the registry (`organisation`) or a person (`person_name`), "
            "at a starting `stage`. Needs the edit-registry capability."
        ),
        responses={201: StakeholderDetailSerializer},
    )
    def create(self, request: Request, slug: str) -> Response:
        serializer = StakeholderSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        stage = values.pop("stage")
        stakeholder = actions.create_stakeholder(self.actor, self.coalition, stage=stage, **values)
        data = StakeholderDetailSerializer(self.load(stakeholder.pk)).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit a stakeholder",
        description="Any field but the stage. Needs the edit-registry capability.",
        responses=StakeholderDetailSerializer,
    )
    def partial_update(self, request: Request, slug: str, pk: str) -> Response:
        stakeholder = get_stakeholder_for(self.membership, int(pk))
        serializer = StakeholderUpdateSerializer(
            stakeholder, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        if serializer.validated_data:
            actions.update_stakeholder(self.actor, stakeholder, **serializer.validated_data)
        return Response(StakeholderDetailSerializer(self.load(stakeholder.pk)).data)

    def destroy(self, request: Request, slug: str, pk: str) -> Response:
        actions.delete_stakeholder(self.actor, get_stakeholder_for(self.membership, int(pk)))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Move a stakeholder to another stage",
        description="Dated in its history, with who moved it and an optional note.",
        request=StageMoveSerializer,
        responses=StakeholderDetailSerializer,
    )
    def stage(self, request: Request, slug: str, pk: str) -> Response:
        stakeholder = get_stakeholder_for(self.membership, int(pk))
        serializer = StageMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actions.move_stage(self.actor, stakeholder, **serializer.validated_data)
        return Response(StakeholderDetailSerializer(self.load(stakeholder.pk)).data)


def scores_payload(viewset: CoalitionScopedViewSet, stakeholder: Stakeholder) -> dict[str, Any]:
    table = score_table(viewset.coalition.pk, [stakeholder.pk])
    found = table.aggregates.get(stakeholder.pk)
    rows = scores_for(viewset.membership).filter(stakeholder=stakeholder).select_related("scorer")
    sets: dict[int, dict[str, Any]] = {}
    for score in rows.order_by("scorer_id", "criterion__position", "criterion_id"):
        entry = sets.setdefault(
            score.scorer_id, {"scorer": UserBriefSerializer(score.scorer).data, "scores": []}
        )
        entry["scores"].append({"criterion": score.criterion_id, "value": score.value})
    criteria = []
    for c in table.criteria:
        spread = found.by_criterion.get(c.pk) if found else None
        criteria.append(
            {
                "criterion": c.pk,
                "label": c.label,
                "weight": c.weight,
                "scorers": spread.count if spread else 0,
                "mean": spread.mean if spread else None,
                "minimum": spread.minimum if spread else None,
                "maximum": spread.maximum if spread else None,
                "std_dev": spread.std_dev if spread else None,
                "high_disagreement": bool(spread and spread.high_disagreement),
            }
        )
    return {
        "weighted": found.weighted if found else None,
        "scorers": found.scorers if found else 0,
        "criteria": criteria,
        "score_sets": list(sets.values()),
    }


@extend_schema(tags=["stakeholders"])
class ScoreViewSet(CoalitionScopedViewSet):
    """A stakeholder's scores. Every member reads; members (edit-registry) give their own set."""

    write_capability = Can.EDIT_REGISTRY
    serializer_class = ScoresSerializer
    pagination_class = None

    @extend_schema(summary="Everyone's scores, the weighted score and the disagreement")
    def retrieve(self, request: Request, slug: str, pk: str) -> Response:
        stakeholder = get_stakeholder_for(self.membership, int(pk))
        criteria_actions.ensure_default_criteria(self.actor, self.coalition)
        return Response(ScoresSerializer(scores_payload(self, stakeholder)).data)

    @extend_schema(
        summary="Give or change your own score set",
        description="Criteria left out keep your earlier score; a null value clears it.",
        request=MyScoresSerializer,
        responses=ScoresSerializer,
    )
    def update(self, request: Request, slug: str, pk: str) -> Response:
        stakeholder = get_stakeholder_for(self.membership, int(pk))
        criteria_actions.ensure_default_criteria(self.actor, self.coalition)
        serializer = MyScoresSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = {row["criterion"]: row["value"] for row in serializer.validated_data["scores"]}
        criteria_actions.set_scores(self.actor, stakeholder, values)
        return Response(ScoresSerializer(scores_payload(self, stakeholder)).data)


@extend_schema(tags=["stakeholders"])
@extend_schema_view(
    list=extend_schema(summary="The coalition's weighted criteria (defaults on first use)"),
    retrieve=extend_schema(summary="Read a criterion"),
    create=extend_schema(summary="Add a criterion", description="Needs the manage capability."),
    partial_update=extend_schema(
        summary="Rename or reweight a criterion", description="Needs the manage capability."
    ),
    destroy=extend_schema(
        summary="Remove a criterion and its scores",
        description="Needs the manage capability.",
        responses={status.HTTP_204_NO_CONTENT: None},
    ),
)
class CriterionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CoalitionScopedViewSet):
    write_capability = Can.MANAGE
    serializer_class = CriterionSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Criterion]:
        if self.is_schema_view:
            return Criterion.objects.none()
        criteria_actions.ensure_default_criteria(self.actor, self.coalition)
        return Criterion.objects.filter(coalition=self.coalition).order_by("position", "id")

    def get_object(self) -> Criterion:
        return get_criterion_for(self.membership, int(self.kwargs["pk"]))

    def create(self, request: Request, slug: str) -> Response:
        serializer = CriterionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        criterion = criteria_actions.create_criterion(
            self.actor, self.coalition, **serializer.validated_data
        )
        return Response(CriterionSerializer(criterion).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, slug: str, pk: str) -> Response:
        criterion = self.get_object()
        serializer = CriterionSerializer(criterion, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if serializer.validated_data:
            criterion = criteria_actions.update_criterion(
                self.actor, criterion, **serializer.validated_data
            )
        return Response(CriterionSerializer(criterion).data)

    def destroy(self, request: Request, slug: str, pk: str) -> Response:
        criteria_actions.delete_criterion(self.actor, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
