"""The urban profile through the API: areas, layers and exposure analyses.

Features themselves are served as GeoJSON by the map endpoints and by the OGC API
(``/ogc/<slug>/``), which GIS tools read directly; here is the metadata and the analyses.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from commonground.coalitions.roles import Can
from commonground.places import actions
from commonground.places.access import areas_for, get_run_for, layers_for, runs_for
from commonground.places.models import AnalysisRun, Area, Layer, LayerStatus

from .base import CoalitionScopedViewSet


class AreaSerializer(serializers.ModelSerializer):
    bbox = serializers.SerializerMethodField()

    class Meta:
        model = Area
        fields = ["id", "level", "name", "pcode", "parent", "bbox", "indicators"]

    def get_bbox(self, area: Area) -> list[float] | None:
        if area.min_x is None:
            return None
        return [area.min_x, area.min_y or 0.0, area.max_x or 0.0, area.max_y or 0.0]


class LayerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Layer
        fields = [
            "id",
            "name",
            "kind",
            "class_field",
            "source",
            "licence",
            "visibility",
            "status",
            "error",
            "feature_count",
            "geometry_type",
            "fields",
            "min_x",
            "min_y",
            "max_x",
            "max_y",
            "created_at",
            "updated_at",
        ]


class AnalysisRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = AnalysisRun
        fields = [
            "id",
            "name",
            "hazard_layer",
            "hazard_classes",
            "exposure_layer",
            "exposure_field",
            "population_layer",
            "population_field",
            "area_level",
            "rule",
            "status",
            "error",
            "warnings",
            "shares",
            "result",
            "created_at",
            "finished_at",
        ]
        read_only_fields = [
            "status",
            "error",
            "warnings",
            "shares",
            "result",
            "created_at",
            "finished_at",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        view = self.context.get("view")
        if view is not None and not getattr(view, "is_schema_view", False):
            # Only this coalition's ready layers can be chosen.
            ready = layers_for(view.membership).filter(status=LayerStatus.READY)
            for name in ("hazard_layer", "exposure_layer", "population_layer"):
                self.fields[name].queryset = ready  # type: ignore[attr-defined]


@extend_schema(tags=["urban profile"])
class AreaViewSet(mixins.ListModelMixin, CoalitionScopedViewSet):
    """The coalition's areas (city, sub-city, community); shapes are at places/areas.geojson."""

    serializer_class = AreaSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["level"]

    def get_queryset(self) -> QuerySet[Area]:
        if self.is_schema_view:
            return Area.objects.none()
        return areas_for(self.membership).order_by("level", "name", "id")


@extend_schema(tags=["urban profile"])
class LayerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CoalitionScopedViewSet):
    """The coalition's layers; their features are served by the OGC API."""

    serializer_class = LayerSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["kind", "status"]

    def get_queryset(self) -> QuerySet[Layer]:
        if self.is_schema_view:
            return Layer.objects.none()
        return layers_for(self.membership).order_by("kind", "name", "id")


@extend_schema(tags=["urban profile"])
@extend_schema_view(
    list=extend_schema(operation_id="analyses_list", summary="List exposure analyses"),
    retrieve=extend_schema(
        operation_id="analyses_retrieve", summary="Read an analysis with its result"
    ),
    create=extend_schema(
        summary="Start an exposure analysis",
        description="Runs in the background: poll the run until its status is done or failed. "
        "Needs the edit-registry capability.",
    ),
)
class AnalysisRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CoalitionScopedViewSet):
    serializer_class = AnalysisRunSerializer
    write_capability = Can.EDIT_REGISTRY

    def get_queryset(self) -> QuerySet[AnalysisRun]:
        if self.is_schema_view:
            return AnalysisRun.objects.none()
        return runs_for(self.membership).order_by("-created_at", "-id")

    def get_object(self) -> AnalysisRun:
        return get_run_for(self.membership, int(self.kwargs["pk"]))

    def create(self, request: Request, slug: str) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        run = actions.start_exposure_run(self.actor, self.coalition, **serializer.validated_data)
        return Response(self.get_serializer(run).data, status=status.HTTP_201_CREATED)
