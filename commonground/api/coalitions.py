"""Coalitions, their memberships and invitations."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.request import Request
from rest_framework.response import Response

from commonground.coalitions import actions
from commonground.coalitions.access import (
    coalitions_for,
    get_membership_in_coalition,
    members_of,
    pending_invitations_for,
)
from commonground.coalitions.models import Coalition, Invitation, Membership
from commonground.coalitions.roles import Can

from .base import CoalitionScopedViewSet
from .serializers import CoalitionSerializer, InvitationSerializer, MembershipSerializer


@extend_schema(tags=["coalitions"])
@extend_schema_view(
    list=extend_schema(
        summary="List my coalitions", description="Only coalitions you belong to, with your role."
    ),
    retrieve=extend_schema(summary="Read a coalition's profile"),
    partial_update=extend_schema(
        summary="Edit a coalition's profile",
        description="Needs the manage capability (focal point, lead-organisation admin).",
    ),
)
class CoalitionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CoalitionScopedViewSet):
    """The coalitions I belong to. Changing a profile needs the manage capability."""

    serializer_class = CoalitionSerializer
    lookup_field = "slug"
    lookup_value_converter = "slug"
    write_capability = Can.MANAGE

    def get_queryset(self) -> QuerySet[Coalition]:
        if self.is_schema_view:
            return Coalition.objects.none()
        user = self.actor
        role = Membership.objects.filter(coalition=OuterRef("pk"), user=user).values("role")
        return coalitions_for(user).annotate(role=Subquery(role[:1])).order_by("name", "id")

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        if not self.is_schema_view and "slug" in self.kwargs:
            context["coalition"] = self.coalition
        return context

    def partial_update(self, request: Request, slug: str) -> Response:
        serializer = self.get_serializer(self.coalition, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if serializer.validated_data:
            actions.update_coalition_profile(
                self.actor, self.coalition, **serializer.validated_data
            )
        return Response(self.get_serializer(self.get_object()).data)


@extend_schema(tags=["memberships"])
@extend_schema_view(
    list=extend_schema(summary="List the members"),
    retrieve=extend_schema(summary="Read one membership"),
    partial_update=extend_schema(
        summary="Change a member's role",
        description="Needs the manage capability. A coalition always keeps one focal point.",
    ),
    destroy=extend_schema(
        summary="Remove a member",
        description="Needs the manage capability. The last focal point cannot be removed.",
    ),
)
class MembershipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CoalitionScopedViewSet):
    """Who is in the coalition and in which role. Changes need the manage capability."""

    serializer_class = MembershipSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["role"]
    write_capability = Can.MANAGE

    def get_queryset(self) -> QuerySet[Membership]:
        if self.is_schema_view:
            return Membership.objects.none()
        return members_of(self.membership).order_by("role", "user__email", "id")

    def get_object(self) -> Membership:
        return get_membership_in_coalition(self.membership, int(self.kwargs["pk"]))

    def partial_update(self, request: Request, slug: str, pk: str) -> Response:
        target = self.get_object()
        serializer = self.get_serializer(target, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if "role" in serializer.validated_data:
            actions.change_role(self.actor, target, serializer.validated_data["role"])
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(responses={status.HTTP_204_NO_CONTENT: None})
    def destroy(self, request: Request, slug: str, pk: str) -> Response:
        actions.remove_member(self.actor, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["invitations"])
@extend_schema_view(
    list=extend_schema(summary="List pending invitations"),
    create=extend_schema(
        summary="Invite someone by email",
        description="Needs the manage capability. The invitation email is sent in the background.",
    ),
)
class InvitationViewSet(mixins.ListModelMixin, CoalitionScopedViewSet):
    """Pending invitations. Inviting needs the manage capability; the invitee gets an email."""

    serializer_class = InvitationSerializer
    write_capability = Can.MANAGE

    def get_queryset(self) -> QuerySet[Invitation]:
        if self.is_schema_view:
            return Invitation.objects.none()
        return pending_invitations_for(self.membership).order_by("-created_at", "-id")

    def create(self, request: Request, slug: str) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = actions.invite(
            self.actor,
            self.coalition,
            serializer.validated_data["email"],
            serializer.validated_data["role"],
        )
        return Response(self.get_serializer(invitation).data, status=status.HTTP_201_CREATED)
