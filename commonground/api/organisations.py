"""The shared organisation registry as seen from one coalition, and the coalition's contacts."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from commonground.coalitions.roles import Can
from commonground.organisations import actions
from commonground.organisations.access import (
    contacts_for,
    get_contact_for,
    get_organisation_for,
    search_organisations,
)
from commonground.organisations.duplicates import similar_organisations
from commonground.organisations.models import Contact, Organisation

from .base import CoalitionScopedViewSet
from .serializers import (
    ContactSerializer,
    ContactUpdateSerializer,
    OrganisationDetailSerializer,
    OrganisationFilterSerializer,
    OrganisationSerializer,
    OrganisationUpdateSerializer,
)


@extend_schema(tags=["organisations"])
@extend_schema_view(
    retrieve=extend_schema(
        summary="Read an organisation",
        description="With the contacts this coalition keeps there, never other coalitions'.",
    ),
)
class OrganisationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CoalitionScopedViewSet):
    """The shared registry seen from one coalition. Writes need the edit-registry capability."""

    write_capability = Can.EDIT_REGISTRY

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "partial_update":
            return OrganisationUpdateSerializer
        if self.action == "retrieve":
            return OrganisationDetailSerializer
        return OrganisationSerializer

    def get_queryset(self) -> QuerySet[Organisation]:
        if self.is_schema_view:
            return Organisation.objects.none()
        params = OrganisationFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        qs = search_organisations(self.membership, params.validated_data)
        return qs.order_by("name_key", "id")

    def get_object(self) -> Organisation:
        return self.load(int(self.kwargs["pk"]))

    def load(self, pk: int) -> Organisation:
        """One organisation, with only the contacts this coalition keeps there."""
        membership = self.membership
        organisation = get_organisation_for(membership, pk)
        kept = contacts_for(membership).order_by("name", "id")
        prefetch_related_objects(
            [organisation], Prefetch("contacts", queryset=kept, to_attr="coalition_contacts")
        )
        return organisation

    @extend_schema(
        summary="Search the registry",
        description="The whole shared registry; `scope=coalition` keeps this coalition's list.",
        parameters=[OrganisationFilterSerializer],
    )
    def list(self, request: Request, slug: str) -> Response:
        return super().list(request, slug)

    @extend_schema(
        summary="Add an organisation",
        description=(
            "Adds it to the shared registry and to this coalition's list. When the registry "
            "already holds a similar name or the same acronym, the request is refused (400 on "
            "`confirm_not_duplicate`, naming the look-alikes) until it says "
            "`confirm_not_duplicate: true`. Needs the edit-registry capability."
        ),
        request=OrganisationSerializer,
        responses={201: OrganisationDetailSerializer},
    )
    def create(self, request: Request, slug: str) -> Response:
        serializer = OrganisationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        if not values.pop("confirm_not_duplicate", False):
            similar = similar_organisations(values["name"], values.get("acronym", ""))
            if similar:
                names = ", ".join(f"{org} (id {org.pk})" for org in similar)
                message = _(
                    "Some organisations in the registry look similar: %(names)s. Use one of them, "
                    "or send confirm_not_duplicate: true if this is a different organisation."
                ) % {"names": names}
                raise serializers.ValidationError({"confirm_not_duplicate": [message]})
        organisation = actions.create_organisation(self.actor, self.coalition, **values)
        data = OrganisationDetailSerializer(self.load(organisation.pk)).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit an organisation",
        description=(
            "Edits the shared registry entry; `in_coalition` adds it to or takes it off this "
            "coalition's list. Needs the edit-registry capability."
        ),
        request=OrganisationUpdateSerializer,
        responses=OrganisationDetailSerializer,
    )
    def partial_update(self, request: Request, slug: str, pk: str) -> Response:
        organisation = get_organisation_for(self.membership, int(pk))
        serializer = OrganisationUpdateSerializer(organisation, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        in_coalition = values.pop("in_coalition", None)
        user, coalition = self.actor, self.coalition
        with transaction.atomic():
            if values:
                actions.update_organisation(user, coalition, organisation, **values)
            if in_coalition is True:
                actions.add_to_coalition(user, coalition, organisation)
            elif in_coalition is False:
                actions.remove_from_coalition(user, coalition, organisation)
        return Response(OrganisationDetailSerializer(self.load(organisation.pk)).data)


class ContactFilter(filters.FilterSet):
    organisation = filters.NumberFilter(
        field_name="organisation", help_text="Only contacts at this organisation (id)."
    )

    class Meta:
        model = Contact
        fields = ["organisation"]


@extend_schema(tags=["contacts"])
@extend_schema_view(
    list=extend_schema(summary="List this coalition's contacts"),
    retrieve=extend_schema(summary="Read a contact"),
    create=extend_schema(
        summary="Add a contact",
        description="At any organisation in the registry. Needs the edit-registry capability.",
    ),
    partial_update=extend_schema(
        summary="Edit a contact",
        description="A contact stays with its organisation. Needs the edit-registry capability.",
    ),
    destroy=extend_schema(
        summary="Delete a contact", description="Needs the edit-registry capability."
    ),
)
class ContactViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CoalitionScopedViewSet):
    """The contacts this coalition keeps. Contacts are personal data: other coalitions' contacts,
    even at the same organisation, are never shown. Changes need the edit-registry capability."""

    write_capability = Can.EDIT_REGISTRY
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = ContactFilter

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "partial_update":
            return ContactUpdateSerializer
        return ContactSerializer

    def get_queryset(self) -> QuerySet[Contact]:
        if self.is_schema_view:
            return Contact.objects.none()
        return contacts_for(self.membership).select_related("organisation").order_by("name", "id")

    def get_object(self) -> Contact:
        return get_contact_for(self.membership, int(self.kwargs["pk"]))

    def create(self, request: Request, slug: str) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        organisation = values.pop("organisation")
        contact = actions.create_contact(self.actor, self.coalition, organisation, **values)
        return Response(self.get_serializer(contact).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, slug: str, pk: str) -> Response:
        contact = self.get_object()
        serializer = self.get_serializer(contact, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if serializer.validated_data:
            contact = actions.update_contact(self.actor, contact, **serializer.validated_data)
        return Response(self.get_serializer(contact).data)

    @extend_schema(responses={status.HTTP_204_NO_CONTENT: None})
    def destroy(self, request: Request, slug: str, pk: str) -> Response:
        actions.delete_contact(self.actor, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
