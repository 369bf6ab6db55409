"""The network level through the API: cities' requests on themes and partners' offers."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commonground.network import actions
from commonground.network.access import managed_coalitions, require_network_member
from commonground.network.models import CityRequest, PartnerOffer, Theme
from commonground.network.suggest import offers_for_request

from .base import ApiViewSet


class InNetwork(permissions.BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        require_network_member(request.user)
        return True


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["id", "slug", "name"]


class CityRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = CityRequest
        fields = [
            "id",
            "coalition",
            "theme",
            "kind",
            "title",
            "description",
            "amount",
            "unit",
            "needed_by",
            "status",
            "partner_offer",
            "created_at",
        ]
        read_only_fields = ["status", "partner_offer", "created_at"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        request = self.context.get("request")
        if request is not None and getattr(request.user, "is_authenticated", False):
            self.fields["coalition"].queryset = managed_coalitions(request.user)  # type: ignore[attr-defined]


class PartnerOfferSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartnerOffer
        fields = [
            "id",
            "organisation",
            "themes",
            "kind",
            "title",
            "description",
            "amount",
            "unit",
            "available_until",
            "status",
            "created_at",
        ]
        read_only_fields = ["status", "created_at"]


@extend_schema(tags=["network"])
class ThemeViewSet(mixins.ListModelMixin, ApiViewSet):
    permission_classes = [permissions.IsAuthenticated, InNetwork]
    serializer_class = ThemeSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Theme]:
        actions.ensure_themes()
        return Theme.objects.order_by("name")


@extend_schema(tags=["network"])
@extend_schema_view(
    list=extend_schema(summary="Open requests from cities"),
    create=extend_schema(summary="Ask the network (focal points and lead admins, for their city)"),
)
class CityRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    permission_classes = [permissions.IsAuthenticated, InNetwork]
    serializer_class = CityRequestSerializer

    def get_queryset(self) -> QuerySet[CityRequest]:
        return CityRequest.objects.order_by("-created_at", "id")

    def create(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        found = actions.create_request(request.user, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(self.get_serializer(found).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Partners' offers on the request's theme, best first",
        responses=inline_serializer(
            "PartnerSuggestion",
            {
                "offer": PartnerOfferSerializer(),
                "score": serializers.FloatField(),
                "parts": serializers.DictField(child=serializers.FloatField()),
            },
            many=True,
        ),
    )
    @action(detail=True, methods=["get"])
    def offers(self, request: Request, pk: int) -> Response:
        found = self.get_object()
        return Response(
            [
                {
                    "offer": PartnerOfferSerializer(offer).data,
                    "score": match.score,
                    "parts": match.parts,
                }
                for offer, match in offers_for_request(found)
            ]
        )


@extend_schema(tags=["network"])
@extend_schema_view(
    list=extend_schema(summary="Open offers from network partners"),
    create=extend_schema(summary="Offer as a partner"),
)
class PartnerOfferViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    permission_classes = [permissions.IsAuthenticated, InNetwork]
    serializer_class = PartnerOfferSerializer

    def get_queryset(self) -> QuerySet[PartnerOffer]:
        return PartnerOffer.objects.prefetch_related("themes").order_by("-created_at", "id")

    def create(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        themes = list(values.pop("themes"))
        offer = actions.create_offer(request.user, themes, **values)  # type: ignore[arg-type]
        return Response(self.get_serializer(offer).data, status=status.HTTP_201_CREATED)
