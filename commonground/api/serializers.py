"""Serializers validate input and shape output; they never save. Views pass
`validated_data` to the actions, which do the writing and the auditing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from commonground.accounts.models import User
from commonground.coalitions.actions import PROFILE_FIELDS
from commonground.coalitions.models import (
    Coalition,
    Invitation,
    InvitationStatus,
    Level,
    Membership,
)
from commonground.coalitions.roles import Role
from commonground.organisations.actions import ORGANISATION_FIELDS
from commonground.organisations.models import Contact, Organisation
from commonground.organisations.vocabularies import SECTOR_CHOICES, OrgLevel, OrgType

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

TAG_MAX_LENGTH = 100


class CoalitionSerializer(serializers.ModelSerializer):
    """A coalition's profile, with the requesting user's `role` in it."""

    role = serializers.ChoiceField(
        choices=Role.choices, read_only=True, help_text=_("Your role in this coalition.")
    )
    country = serializers.CharField(
        min_length=2, max_length=2, help_text=_("Two-letter ISO 3166 code, e.g. ID or ES.")
    )
    levels_engaged = serializers.ListField(
        child=serializers.ChoiceField(choices=Level.choices), required=False
    )
    lead_organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.none(),
        allow_null=True,
        required=False,
        help_text=_("An organisation in this coalition."),
    )
    focal_point = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(),
        allow_null=True,
        required=False,
        help_text=_("A user who is a member of this coalition."),
    )

    class Meta:
        model = Coalition
        fields = ["slug", *PROFILE_FIELDS, "role", "created_at", "updated_at"]
        read_only_fields = ["slug", "created_at", "updated_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        coalition = self.context.get("coalition")
        if coalition is not None:
            # Only this coalition's organisations and members can be chosen, as on the page.
            self.fields["lead_organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
                participations__coalition=coalition
            )
            self.fields["focal_point"].queryset = User.objects.filter(  # type: ignore[attr-defined]
                memberships__coalition=coalition
            )

    def validate_country(self, value: str) -> str:
        return value.upper()


class UserBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "full_name"]
        read_only_fields = fields


class MembershipSerializer(serializers.ModelSerializer):
    """A member of the coalition. Only `role` can be changed."""

    user = UserBriefSerializer(read_only=True)
    role = serializers.ChoiceField(choices=Role.choices)

    class Meta:
        model = Membership
        fields = ["id", "user", "role", "organisation", "joined_at"]
        read_only_fields = ["id", "organisation", "joined_at"]


class InvitationSerializer(serializers.ModelSerializer):
    """An invitation to join the coalition. The acceptance token is never exposed."""

    role = serializers.ChoiceField(choices=Role.choices, default=Role.MEMBER)
    status = serializers.ChoiceField(choices=InvitationStatus.choices, read_only=True)

    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "status", "created_at", "expires_at"]
        read_only_fields = ["id", "created_at", "expires_at"]


def tag_list(label: StrOrPromise) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=TAG_MAX_LENGTH),
        required=False,
        help_text=label,
    )


class OrganisationSerializer(serializers.ModelSerializer):
    """An organisation in the shared registry, as seen from one coalition.

    `in_coalition` says whether it is on this coalition's list. Creating an organisation
    always puts it on the list.
    """

    sectors = serializers.ListField(
        child=serializers.ChoiceField(choices=SECTOR_CHOICES),
        required=False,
        help_text=_("HDX/HXL sector codes, e.g. hea, wsh, shl."),
    )
    capacities = tag_list(_("What it can do, e.g. first aid, search and rescue."))
    resources = tag_list(_("What it has, e.g. boats, warehouse, vehicles."))
    expertise = tag_list(_("What it knows, e.g. hydrology, GIS."))
    country = serializers.CharField(
        max_length=2,
        allow_blank=True,
        required=False,
        help_text=_("Two-letter ISO 3166 code."),
    )
    in_coalition = serializers.BooleanField(read_only=True)
    confirm_not_duplicate = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text=_("Create even though similar organisations are already in the registry."),
    )

    class Meta:
        model = Organisation
        fields = [
            "id",
            *ORGANISATION_FIELDS,
            "in_coalition",
            "confirm_not_duplicate",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]


class ContactBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "name", "role", "email", "phone", "preferred_channel", "language"]
        read_only_fields = fields


class OrganisationDetailSerializer(OrganisationSerializer):
    """One organisation with the contacts this coalition keeps there (never other coalitions')."""

    contacts = ContactBriefSerializer(many=True, read_only=True, source="coalition_contacts")

    class Meta(OrganisationSerializer.Meta):
        fields = [*OrganisationSerializer.Meta.fields, "contacts"]


class OrganisationUpdateSerializer(OrganisationSerializer):
    """Changes to a registry entry; `in_coalition` adds it to or takes it off the list."""

    in_coalition = serializers.BooleanField(required=False)

    class Meta(OrganisationSerializer.Meta):
        fields = [f for f in OrganisationSerializer.Meta.fields if f != "confirm_not_duplicate"]


class OrganisationFilterSerializer(serializers.Serializer):
    """Query parameters of the organisation list (the same filters as the list page)."""

    q = serializers.CharField(
        required=False, allow_blank=True, help_text=_("Name (accents ignored) or exact acronym.")
    )
    type = serializers.ChoiceField(choices=OrgType.choices, required=False, allow_blank=True)
    level = serializers.ChoiceField(choices=OrgLevel.choices, required=False, allow_blank=True)
    sector = serializers.ChoiceField(choices=SECTOR_CHOICES, required=False, allow_blank=True)
    scope = serializers.ChoiceField(
        choices=[("coalition", _("Only organisations in this coalition"))],
        required=False,
        allow_blank=True,
        help_text=_("Leave out for the whole shared registry."),
    )


class ContactSerializer(serializers.ModelSerializer):
    """A person at an organisation, kept by this coalition only."""

    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), help_text=_("An organisation id from the registry.")
    )
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Contact
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "name",
            "role",
            "email",
            "phone",
            "preferred_channel",
            "language",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]


class ContactUpdateSerializer(ContactSerializer):
    """Changes to a contact; a contact stays with its organisation."""

    organisation = serializers.PrimaryKeyRelatedField(read_only=True)
