"""Risk profiles and the areas' own indicators through the API."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from commonground.coalitions.roles import Can
from commonground.lib.tabular import TableImportError, read_upload
from commonground.places import risk_actions
from commonground.places.access import get_profile_for, layers_for, profiles_for, runs_for
from commonground.places.models import AreaLevel, LayerStatus, RiskProfile, RunStatus
from commonground.places.profiles import DIMENSION_LABELS

from .base import CoalitionScopedViewSet


class IndicatorSerializer(serializers.Serializer):
    column = serializers.CharField()
    dimension = serializers.ChoiceField(
        choices=[("", "not used"), *DIMENSION_LABELS.items()], allow_blank=True, required=False
    )
    higher_is_worse = serializers.BooleanField(required=False)
    weight = serializers.FloatField(min_value=0, required=False)
    minimum = serializers.FloatField(allow_null=True, required=False)
    maximum = serializers.FloatField(allow_null=True, required=False)


class RiskProfileSerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True, required=False)

    class Meta:
        model = RiskProfile
        fields = [
            "id",
            "name",
            "area_level",
            "exposure_run",
            "population_layer",
            "population_field",
            "resources_layer",
            "resource_field",
            "resource_class",
            "distance_m",
            "indicators",
            "status",
            "error",
            "warnings",
            "score_error",
            "values",
            "scores",
            "rollup",
            "created_at",
            "finished_at",
        ]
        read_only_fields = [
            "status",
            "error",
            "warnings",
            "score_error",
            "values",
            "scores",
            "rollup",
            "created_at",
            "finished_at",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        view = self.context.get("view")
        if view is not None and not getattr(view, "is_schema_view", False):
            ready = layers_for(view.membership).filter(status=LayerStatus.READY)
            for name in ("population_layer", "resources_layer"):
                self.fields[name].queryset = ready  # type: ignore[attr-defined]
            self.fields["exposure_run"].queryset = runs_for(  # type: ignore[attr-defined]
                view.membership
            ).filter(status=RunStatus.DONE)


class IndicatorsUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    level = serializers.ChoiceField(choices=AreaLevel.choices)


@extend_schema(tags=["urban profile"])
@extend_schema_view(
    list=extend_schema(operation_id="risk_profiles_list", summary="List risk profiles"),
    retrieve=extend_schema(
        operation_id="risk_profiles_retrieve",
        summary="Read a risk profile: indicator values, scores and the ranking at every level",
    ),
    create=extend_schema(
        summary="Start a risk profile",
        description="Gathers the indicators in the background: poll until the status is done "
        "or failed. Needs the edit-registry capability.",
    ),
    partial_update=extend_schema(
        summary="Change the indicators' dimensions, directions, weights and goalposts",
        description="Only `indicators` can change; the scores are recomputed at once.",
    ),
    destroy=extend_schema(summary="Delete a risk profile"),
)
class RiskProfileViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CoalitionScopedViewSet):
    serializer_class = RiskProfileSerializer
    write_capability = Can.EDIT_REGISTRY

    def get_queryset(self) -> QuerySet[RiskProfile]:
        if self.is_schema_view:
            return RiskProfile.objects.none()
        return profiles_for(self.membership).order_by("-created_at", "-id")

    def get_object(self) -> RiskProfile:
        return get_profile_for(self.membership, int(self.kwargs["pk"]))

    def create(self, request: Request, slug: str) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        values.pop("indicators", None)  # set once the indicators are known
        profile = risk_actions.start_risk_profile(self.actor, self.coalition, **values)
        return Response(self.get_serializer(profile).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, slug: str, pk: int) -> Response:
        profile = self.get_object()
        data = request.data if isinstance(request.data, dict) else {}
        serializer = IndicatorSerializer(data=data.get("indicators"), many=True)
        serializer.is_valid(raise_exception=True)
        specs = [dict(spec) for spec in serializer.validated_data]
        profile = risk_actions.set_indicators(self.actor, profile, specs)
        return Response(self.get_serializer(profile).data)

    def destroy(self, request: Request, slug: str, pk: int) -> Response:
        risk_actions.delete_risk_profile(self.actor, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=None,
        summary="Read the indicators again from the layers, the analysis and the uploads",
    )
    @action(detail=True, methods=["post"])
    def refresh(self, request: Request, slug: str, pk: int) -> Response:
        profile = risk_actions.refresh_risk_profile(self.actor, self.get_object())
        return Response(self.get_serializer(profile).data, status=status.HTTP_202_ACCEPTED)


@extend_schema(tags=["urban profile"])
class AreaIndicatorsViewSet(CoalitionScopedViewSet):
    """Upload the coalition's own figures per area (CSV or XLSX; all rows or none)."""

    serializer_class = IndicatorsUploadSerializer
    parser_classes = [MultiPartParser]
    write_capability = Can.EDIT_REGISTRY

    @extend_schema(
        operation_id="area_indicators_upload",
        summary="Upload indicators per area",
        responses={
            200: inline_serializer("IndicatorsUploaded", {"areas": serializers.IntegerField()}),
            400: inline_serializer(
                "IndicatorsRejected",
                {"errors": serializers.ListField(child=serializers.CharField())},
            ),
        },
    )
    def create(self, request: Request, slug: str) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        try:
            data = read_upload(upload, settings.MAX_UPLOAD_SIZE)
            count = risk_actions.import_area_indicators(
                self.actor,
                self.coalition,
                data,
                upload.name or "",
                level=serializer.validated_data["level"],
                max_bytes=settings.MAX_UPLOAD_SIZE,
            )
        except TableImportError as error:
            return Response(
                {"errors": [str(e) for e in error.errors]}, status=status.HTTP_400_BAD_REQUEST
            )
        return Response({"areas": count})
