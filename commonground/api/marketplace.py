"""The marketplace through the API: needs, offers, suggested matches and their fulfilment."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from commonground.coalitions.models import Membership
from commonground.coalitions.roles import Can
from commonground.marketplace import actions, fulfilment
from commonground.marketplace.access import (
    can_edit_need,
    can_edit_offer,
    get_match_for,
    get_need_for,
    get_offer_for,
    matches_for,
    needs_for,
    offers_for,
)
from commonground.marketplace.models import (
    Match,
    MatchStatus,
    Message,
    Need,
    Offer,
)
from commonground.marketplace.taxonomy import CATEGORY_LABELS
from commonground.places.models import Area

from .base import CoalitionScopedViewSet


class NeedSerializer(serializers.ModelSerializer):
    outstanding = serializers.SerializerMethodField()

    class Meta:
        model = Need
        fields = [
            "id",
            "title",
            "description",
            "category",
            "subcategory",
            "quantity",
            "unit",
            "people",
            "households",
            "area",
            "latitude",
            "longitude",
            "urgency",
            "needed_by",
            "status",
            "outstanding",
            "created_at",
            "updated_at",
            "matched_at",
        ]
        read_only_fields = ["created_at", "updated_at", "matched_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        view = self.context.get("view")
        if view is not None and not getattr(view, "is_schema_view", False):
            self.fields["area"].queryset = Area.objects.filter(  # type: ignore[attr-defined]
                coalition_id=view.membership.coalition_id
            )

    def get_outstanding(self, need: Need) -> float | None:
        left = fulfilment.outstanding(need)
        return None if left is None else float(left)


class OfferSerializer(serializers.ModelSerializer):
    class Meta:
        model = Offer
        fields = [
            "id",
            "title",
            "description",
            "category",
            "subcategory",
            "organisation",
            "quantity",
            "unit",
            "latitude",
            "longitude",
            "radius_km",
            "areas",
            "available_from",
            "available_until",
            "conditions",
            "status",
            "review_note",
            "created_at",
            "updated_at",
            "matched_at",
        ]
        read_only_fields = ["review_note", "created_at", "updated_at", "matched_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        view = self.context.get("view")
        if view is not None and not getattr(view, "is_schema_view", False):
            coalition_id = view.membership.coalition_id
            self.fields["areas"].child_relation.queryset = Area.objects.filter(  # type: ignore[attr-defined]
                coalition_id=coalition_id
            )
            self.fields["organisation"].queryset = (  # type: ignore[attr-defined]
                self.fields["organisation"].queryset.filter(  # type: ignore[attr-defined]
                    participations__coalition_id=coalition_id
                )
            )


class MatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = Match
        fields = [
            "id",
            "need",
            "offer",
            "status",
            "score",
            "parts",
            "facts",
            "committed",
            "in_transit",
            "delivered",
            "people_reached",
            "thank_you",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class StepSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=MatchStatus.choices)
    quantity = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
    people_reached = serializers.IntegerField(required=False, allow_null=True, min_value=0)


class MessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Message
        fields = ["id", "author", "body", "created_at"]
        read_only_fields = ["id", "author", "created_at"]


class ProposeSerializer(serializers.Serializer):
    offer = serializers.IntegerField()


class ReviewSerializer(serializers.Serializer):
    suitable = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ListingFilter(serializers.Serializer):
    category = serializers.ChoiceField(choices=list(CATEGORY_LABELS), required=False)
    status = serializers.CharField(required=False)
    area = serializers.IntegerField(required=False)


def _filtered(queryset: QuerySet[Any], params: Any, area_field: str) -> QuerySet[Any]:
    found = ListingFilter(data=params)
    found.is_valid(raise_exception=True)
    data = found.validated_data
    if data.get("category"):
        queryset = queryset.filter(category=data["category"])
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    if data.get("area"):
        queryset = queryset.filter(**{area_field: data["area"]})
    return queryset


@extend_schema(tags=["marketplace"])
@extend_schema_view(
    list=extend_schema(summary="List needs", parameters=[ListingFilter]),
    create=extend_schema(
        summary="Post a need",
        description="Needs the post-needs capability "
        "(community representatives, members, focal points).",
    ),
)
class ListingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CoalitionScopedViewSet):
    """Posting and editing needs or offers: the subclass names its actions and edit rule."""

    create_listing: Callable[..., Any]
    update_listing: Callable[..., Any]
    can_edit: Callable[[Membership, Any], bool]

    def create(self, request: Request, slug: str) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        listing = self.create_listing(self.actor, self.coalition, **serializer.validated_data)
        return Response(self.get_serializer(listing).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, slug: str, pk: int) -> Response:
        listing = self.get_object()
        if not self.can_edit(self.membership, listing):
            return Response(status=status.HTTP_403_FORBIDDEN)
        serializer = self.get_serializer(listing, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        listing = self.update_listing(self.actor, listing, **serializer.validated_data)
        return Response(self.get_serializer(listing).data)


class NeedViewSet(ListingViewSet):
    serializer_class = NeedSerializer
    write_capability = Can.POST_NEEDS

    def get_queryset(self) -> QuerySet[Need]:
        if self.is_schema_view:
            return Need.objects.none()
        return _filtered(needs_for(self.membership), self.request.query_params, "area")

    def get_object(self) -> Need:
        return get_need_for(self.membership, int(self.kwargs["pk"]))

    create_listing = staticmethod(actions.create_need)
    update_listing = staticmethod(actions.update_need)
    can_edit = staticmethod(can_edit_need)

    @extend_schema(
        summary="Suggested and active matches of a need", responses=MatchSerializer(many=True)
    )
    @action(detail=True, methods=["get"])
    def matches(self, request: Request, slug: str, pk: int) -> Response:
        need = self.get_object()
        rows = need.matches.order_by("-score", "id")
        return Response(MatchSerializer(rows, many=True).data)

    @extend_schema(
        summary="Offer one of your offers to this need",
        request=ProposeSerializer,
        responses=MatchSerializer,
    )
    @action(detail=True, methods=["post"])
    def propose(self, request: Request, slug: str, pk: int) -> Response:
        need = self.get_object()
        body = ProposeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        offer = get_offer_for(self.membership, body.validated_data["offer"])
        match = fulfilment.propose(self.actor, self.membership, need, offer)
        return Response(MatchSerializer(match).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["marketplace"])
@extend_schema_view(
    list=extend_schema(summary="List offers", parameters=[ListingFilter]),
    create=extend_schema(
        summary="Post an offer",
        description="Needs the edit-registry "
        "capability. With review on, it waits for a focal point.",
    ),
)
class OfferViewSet(ListingViewSet):
    serializer_class = OfferSerializer
    write_capability = Can.EDIT_REGISTRY

    def get_queryset(self) -> QuerySet[Offer]:
        if self.is_schema_view:
            return Offer.objects.none()
        offers = _filtered(offers_for(self.membership), self.request.query_params, "areas")
        return offers.prefetch_related("areas")

    def get_object(self) -> Offer:
        return get_offer_for(self.membership, int(self.kwargs["pk"]))

    create_listing = staticmethod(actions.create_offer)
    update_listing = staticmethod(actions.update_offer)
    can_edit = staticmethod(can_edit_offer)

    @extend_schema(summary="Needs an offer could serve", responses=MatchSerializer(many=True))
    @action(detail=True, methods=["get"])
    def matches(self, request: Request, slug: str, pk: int) -> Response:
        offer = self.get_object()
        return Response(MatchSerializer(offer.matches.order_by("-score", "id"), many=True).data)

    @extend_schema(
        summary="List an offer in review, or find it not suitable",
        request=ReviewSerializer,
        responses=OfferSerializer,
    )
    @action(detail=True, methods=["post"])
    def review(self, request: Request, slug: str, pk: int) -> Response:
        if not self.membership.can(Can.MANAGE):
            return Response(status=status.HTTP_403_FORBIDDEN)
        body = ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        offer = actions.review_offer(self.actor, self.get_object(), **body.validated_data)
        return Response(self.get_serializer(offer).data)


@extend_schema(tags=["marketplace"])
@extend_schema_view(list=extend_schema(summary="Matches you take part in (all for focal points)"))
class MatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CoalitionScopedViewSet):
    serializer_class = MatchSerializer
    write_capability = Can.VIEW  # the sides are checked by the fulfilment rules

    def get_queryset(self) -> QuerySet[Match]:
        if self.is_schema_view:
            return Match.objects.none()
        return matches_for(self.membership).order_by("-updated_at", "id")

    def get_object(self) -> Match:
        return get_match_for(self.membership, int(self.kwargs["pk"]))

    @extend_schema(
        summary="Take the next step (offer, accept, dispatch, deliver, confirm, decline, cancel)",
        request=StepSerializer,
        responses=MatchSerializer,
    )
    @action(detail=True, methods=["post"])
    def step(self, request: Request, slug: str, pk: int) -> Response:
        body = StepSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        match = fulfilment.step(
            self.actor,
            self.membership,
            self.get_object(),
            data["status"],
            quantity=data.get("quantity"),
            note=data.get("note", ""),
            people_reached=data.get("people_reached"),
        )
        return Response(MatchSerializer(match).data)

    @extend_schema(
        summary="The match's messages, or write one",
        request=MessageSerializer,
        responses=MessageSerializer(many=True),
    )
    @action(detail=True, methods=["get", "post"])
    def messages(self, request: Request, slug: str, pk: int) -> Response:
        match = self.get_object()
        if request.method == "POST":
            body = MessageSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            message = fulfilment.post_message(
                self.actor, self.membership, match, body.validated_data["body"]
            )
            return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)
        return Response(MessageSerializer(match.messages.all(), many=True).data)
