"""A coalition's relationships between organisations, its network metrics and introductions.

Reading needs membership (observers and community representatives included); adding,
editing and deleting relationships needs the edit-registry capability (members, focal
points, lead-organisation admins).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import URLPattern, path
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from commonground.analysis.network import introduction_path
from commonground.coalitions.roles import Can
from commonground.organisations.models import Organisation
from commonground.relationships import actions
from commonground.relationships.access import (
    get_relationship_for,
    listed_organisations,
    search_relationships,
)
from commonground.relationships.models import Relationship, RelationshipType
from commonground.relationships.network import network_for, node_info

from .base import CoalitionScopedViewSet


class CoalitionOrganisationField(serializers.PrimaryKeyRelatedField):
    """An organisation on the coalition's list (the serializer's context gives the coalition)."""

    def get_queryset(self) -> QuerySet[Organisation]:
        coalition = self.context.get("coalition")
        if coalition is None:
            return Organisation.objects.none()
        return listed_organisations(coalition)


class RelationshipSerializer(serializers.ModelSerializer):
    """``source`` and ``target``: organisations on this coalition's list (ids)."""

    source_name = serializers.CharField(source="source.name", read_only=True)
    target_name = serializers.CharField(source="target.name", read_only=True)
    type = serializers.ChoiceField(choices=RelationshipType.choices)
    directed = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="False for a relationship that runs both ways; when left out, partnerships "
        "run both ways and the other types one way.",
    )
    strength = serializers.IntegerField(min_value=1, max_value=5, default=3)

    class Meta:
        model = Relationship
        fields = [
            "id",
            "source",
            "source_name",
            "type",
            "target",
            "target_name",
            "directed",
            "strength",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def get_fields(self) -> dict[str, Any]:
        # Declared here: a class attribute named "source" would shadow Field.source.
        fields = dict(super().get_fields())
        for name in ("source", "target"):
            fields[name] = CoalitionOrganisationField(
                help_text="An organisation on this coalition's list (id)."
            )
        return fields


class RelationshipUpdateSerializer(RelationshipSerializer):
    directed = serializers.BooleanField(required=False)
    strength = serializers.IntegerField(min_value=1, max_value=5, required=False)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        for name in ("source", "target", "type"):
            fields[name].required = False
        return fields


class RelationshipFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, help_text="Either organisation's name (part of it) or acronym."
    )
    type = serializers.ChoiceField(choices=RelationshipType.choices, required=False)
    organisation = serializers.IntegerField(
        required=False, help_text="Only relationships of this organisation (id), at either end."
    )
    strength = serializers.IntegerField(
        min_value=1, max_value=5, required=False, help_text="At least this strong."
    )


class NetworkSummarySerializer(serializers.Serializer):
    nodes = serializers.IntegerField()
    ties = serializers.IntegerField(help_text="Relationships.")
    links = serializers.IntegerField(help_text="Pairs of organisations with any relationship.")
    communities = serializers.IntegerField()
    isolated = serializers.IntegerField()
    articulation_points = serializers.IntegerField()
    bridges = serializers.IntegerField()
    betweenness_sources = serializers.IntegerField(
        allow_null=True,
        help_text="Null when betweenness is exact; else the number of sampled source nodes.",
    )


class NodeMetricsSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The organisation's id.")
    name = serializers.CharField()
    degree = serializers.IntegerField(help_text="Distinct organisations it is linked to.")
    in_degree = serializers.IntegerField()
    out_degree = serializers.IntegerField()
    degree_centrality = serializers.FloatField()
    betweenness = serializers.FloatField()
    community = serializers.IntegerField(allow_null=True)
    articulation_point = serializers.BooleanField(
        help_text="Without it, the network splits (a single point of failure)."
    )


class NetworkMetricsSerializer(serializers.Serializer):
    summary = NetworkSummarySerializer()
    nodes = NodeMetricsSerializer(many=True, help_text="The most between first.")
    communities = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField()),
        help_text="Organisation ids per community; community n is item n − 1.",
    )
    isolated = serializers.ListField(child=serializers.IntegerField())
    articulation_points = serializers.ListField(child=serializers.IntegerField())
    bridges = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2)
    )


class PathStepSerializer(serializers.Serializer):
    # Fields named like Field.source: fine for DRF, which collects them before binding.
    source = serializers.IntegerField()  # type: ignore[assignment]
    target = serializers.IntegerField()
    strength = serializers.IntegerField(help_text="The strongest relationship between the two.")
    types = serializers.ListField(child=serializers.ChoiceField(choices=RelationshipType.choices))


class PathSerializer(serializers.Serializer):
    found = serializers.BooleanField()
    nodes = serializers.ListField(
        child=serializers.IntegerField(), help_text="From source to target."
    )
    names = serializers.ListField(child=serializers.CharField())
    steps = PathStepSerializer(many=True)
    cost = serializers.FloatField(allow_null=True)


class PathQuerySerializer(serializers.Serializer):
    source = serializers.IntegerField(  # type: ignore[assignment]
        help_text="Who wants the introduction (organisation id)."
    )
    target = serializers.IntegerField(help_text="Who they want to meet (organisation id).")


@extend_schema(tags=["relationships"])
@extend_schema_view(
    retrieve=extend_schema(summary="Read a relationship"),
    destroy=extend_schema(
        summary="Delete a relationship",
        description="Needs the edit-registry capability.",
        responses={status.HTTP_204_NO_CONTENT: None},
    ),
)
class RelationshipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CoalitionScopedViewSet):
    """Relationships between organisations on this coalition's list, private to it."""

    write_capability = Can.EDIT_REGISTRY

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "partial_update":
            return RelationshipUpdateSerializer
        return RelationshipSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        if not self.is_schema_view:
            context["coalition"] = self.coalition
        return context

    def get_queryset(self) -> QuerySet[Relationship]:
        if self.is_schema_view:
            return Relationship.objects.none()
        params = RelationshipFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        qs = search_relationships(self.membership, params.validated_data)
        return qs.select_related("source", "target").order_by("id")

    def get_object(self) -> Relationship:
        return get_relationship_for(self.membership, int(self.kwargs["pk"]))

    @extend_schema(summary="List relationships", parameters=[RelationshipFilterSerializer])
    def list(self, request: Request, slug: str) -> Response:
        return super().list(request, slug)

    @extend_schema(
        summary="Add a relationship",
        description="Between two organisations on this coalition's list; not to itself; not "
        "twice with the same type. Needs the edit-registry capability.",
    )
    def create(self, request: Request, slug: str) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        relationship = actions.create_relationship(
            self.actor,
            self.coalition,
            values.pop("source"),
            values.pop("target"),
            values.pop("type"),
            **values,
        )
        return Response(self.get_serializer(relationship).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Edit a relationship", description="Needs the edit-registry capability.")
    def partial_update(self, request: Request, slug: str, pk: str) -> Response:
        relationship = self.get_object()
        serializer = self.get_serializer(relationship, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if serializer.validated_data:
            relationship = actions.update_relationship(
                self.actor, relationship, **serializer.validated_data
            )
        return Response(
            RelationshipSerializer(relationship, context=self.get_serializer_context()).data
        )

    def destroy(self, request: Request, slug: str, pk: str) -> Response:
        actions.delete_relationship(self.actor, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Network metrics",
        description=(
            "Degree centrality, betweenness (estimated from a seeded sample of sources on "
            "networks of more than 1,000 organisations), Louvain communities, isolated "
            "organisations, articulation points and bridges (single points of failure), on "
            "the undirected view of the relationships. `limit` keeps the most between nodes."
        ),
        parameters=[
            OpenApiParameter("limit", int, description="At most this many nodes (default all).")
        ],
        responses=NetworkMetricsSerializer,
    )
    def metrics(self, request: Request, slug: str) -> Response:
        network = network_for(self.coalition)
        m = network.metrics
        order = sorted(m.nodes, key=lambda n: (-m.nodes[n].betweenness, n))
        limit = request.query_params.get("limit", "")
        if limit.isdigit():
            order = order[: int(limit)]
        names = node_info(self.coalition.pk, order)
        nodes = [
            {
                "id": n,
                "name": names[n].name if n in names else str(n),
                "degree": m.nodes[n].degree,
                "in_degree": m.nodes[n].in_degree,
                "out_degree": m.nodes[n].out_degree,
                "degree_centrality": m.nodes[n].degree_centrality,
                "betweenness": m.nodes[n].betweenness,
                "community": m.nodes[n].community,
                "articulation_point": m.nodes[n].articulation,
            }
            for n in order
        ]
        data = {
            "summary": {
                "nodes": m.node_count,
                "ties": m.tie_count,
                "links": m.link_count,
                "communities": len(m.communities),
                "isolated": len(m.isolated),
                "articulation_points": len(m.articulation_points),
                "bridges": len(m.bridges),
                "betweenness_sources": m.betweenness_sources,
            },
            "nodes": nodes,
            "communities": m.communities,
            "isolated": m.isolated,
            "articulation_points": m.articulation_points,
            "bridges": [list(pair) for pair in m.bridges],
        }
        return Response(NetworkMetricsSerializer(data).data)

    @extend_schema(
        summary="Who could introduce one organisation to another",
        description=(
            "The cheapest chain of relationships, in either direction, where each hop costs "
            "1 + 1/strength: the fewest intermediaries first, then the strongest ties. "
            "`found` is false when no chain exists; 400 when either id is not in the network."
        ),
        parameters=[PathQuerySerializer],
        responses=PathSerializer,
    )
    def path(self, request: Request, slug: str) -> Response:
        query = PathQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        source, target = query.validated_data["source"], query.validated_data["target"]
        network = network_for(self.coalition)
        unknown = {
            name: ["Not an organisation of this coalition's network."]
            for name, value in (("source", source), ("target", target))
            if value not in network.metrics.nodes
        }
        if unknown:
            raise serializers.ValidationError(unknown)
        found = introduction_path(network.graph, source, target)
        if found is None:
            empty = {"found": False, "nodes": [], "names": [], "steps": [], "cost": None}
            return Response(PathSerializer(empty).data)
        names = node_info(self.coalition.pk, found.nodes)
        data = {
            "found": True,
            "nodes": found.nodes,
            "names": [names[n].name if n in names else str(n) for n in found.nodes],
            "steps": [
                {"source": s.source, "target": s.target, "strength": s.strength, "types": s.kinds}
                for s in found.steps
            ],
            "cost": found.cost,
        }
        return Response(PathSerializer(data).data)


BASE = "coalitions/<slug:slug>/relationships/"
urlpatterns: list[URLPattern] = [
    path(
        BASE,
        RelationshipViewSet.as_view({"get": "list", "post": "create"}),
        name="relationship-list",
    ),
    path(
        f"{BASE}metrics/",
        RelationshipViewSet.as_view({"get": "metrics"}),
        name="relationship-metrics",
    ),
    path(f"{BASE}path/", RelationshipViewSet.as_view({"get": "path"}), name="relationship-path"),
    path(
        f"{BASE}<int:pk>/",
        RelationshipViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="relationship-detail",
    ),
]
