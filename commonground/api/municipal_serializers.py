"""Serializers of the municipal session checklist. They validate and shape; actions write."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commonground.municipal.actions import SESSION_FIELDS
from commonground.municipal.models import (
    AgendaItem,
    EndorsementStatus,
    Milestone,
    MunicipalSession,
    Objective,
    Participant,
    Task,
)
from commonground.municipal.sections import Checklist
from commonground.organisations.models import Contact

ITEM_META = ["id", "position", "created_at", "updated_at"]
POSITION_HELP = _("Its place (from 0) in the section; PATCH it to move the item.")


class ItemSerializer(serializers.ModelSerializer):
    position = serializers.IntegerField(min_value=0, required=False, help_text=POSITION_HELP)


class ParticipantSerializer(ItemSerializer):
    contact = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.none(),
        allow_null=True,
        required=False,
        help_text=_("A contact this coalition keeps (id), or null."),
    )
    contact_name = serializers.CharField(source="contact.name", read_only=True, default=None)
    done = serializers.BooleanField(
        source="is_done", read_only=True, help_text=_("Named and confirmed.")
    )

    class Meta:
        model = Participant
        fields = [
            *ITEM_META[:2],
            "role",
            "side",
            "name",
            "title",
            "contact",
            "contact_name",
            "confirmed",
            "done",
            *ITEM_META[2:],
        ]
        read_only_fields = ["id", "side", "created_at", "updated_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        view = self.context.get("view")
        if view is not None and not getattr(view, "is_schema_view", False):
            # Only this coalition's own contacts can be linked.
            self.fields["contact"].queryset = Contact.objects.filter(  # type: ignore[attr-defined]
                coalition_id=view.membership.coalition_id
            )


class ObjectiveSerializer(ItemSerializer):
    class Meta:
        model = Objective
        fields = [*ITEM_META[:2], "text", "agreed", *ITEM_META[2:]]
        read_only_fields = ["id", "created_at", "updated_at"]


class TaskSerializer(ItemSerializer):
    class Meta:
        model = Task
        fields = [*ITEM_META[:2], "title", "responsible", "due_on", "done", *ITEM_META[2:]]
        read_only_fields = ["id", "created_at", "updated_at"]


class MilestoneSerializer(ItemSerializer):
    class Meta:
        model = Milestone
        fields = [*ITEM_META[:2], "kind", "title", "date", "confirmed", *ITEM_META[2:]]
        read_only_fields = ["id", "created_at", "updated_at"]


class AgendaItemSerializer(ItemSerializer):
    class Meta:
        model = AgendaItem
        fields = [
            *ITEM_META[:2],
            "title",
            "duration_minutes",
            "presenter",
            "confirmed",
            *ITEM_META[2:],
        ]
        read_only_fields = ["id", "created_at", "updated_at"]


class ProgressSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("The section, or `overall`."))
    label = serializers.CharField()  # type: ignore[assignment]  # (a field, not Field.label)
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField()


class ChecklistProgressSerializer(serializers.Serializer):
    overall = ProgressSerializer()
    sections = ProgressSerializer(many=True)


class DocumentSerializer(serializers.Serializer):
    name = serializers.CharField()
    size = serializers.IntegerField(help_text=_("In bytes."))
    uploaded_at = serializers.DateTimeField()
    url = serializers.CharField(help_text=_("Download it here (members only)."))


class ChecklistSerializer(serializers.Serializer):
    """The whole checklist: the session's fields, its progress and every item."""

    goal = serializers.CharField(source="session.goal", help_text=_("The proposed coalition goal."))
    held_on = serializers.DateField(source="session.held_on", allow_null=True)
    venue = serializers.CharField(source="session.venue")
    endorsement_status = serializers.ChoiceField(
        source="session.endorsement_status", choices=EndorsementStatus.choices
    )
    endorsement_date = serializers.DateField(source="session.endorsement_date", allow_null=True)
    endorsement_notes = serializers.CharField(source="session.endorsement_notes")
    document = serializers.SerializerMethodField()
    progress = ChecklistProgressSerializer(source="*")
    participants = ParticipantSerializer(many=True)
    objectives = ObjectiveSerializer(many=True)
    tasks = TaskSerializer(many=True)
    milestones = MilestoneSerializer(many=True)
    agenda = AgendaItemSerializer(many=True)
    created_at = serializers.DateTimeField(source="session.created_at")
    updated_at = serializers.DateTimeField(source="session.updated_at")

    @extend_schema_field(DocumentSerializer(allow_null=True))
    def get_document(self, checklist: Checklist) -> dict[str, Any] | None:
        session = checklist.session
        if not session.document_path:
            return None
        url = reverse("api:municipal-document", kwargs={"slug": session.coalition.slug})
        request = self.context.get("request")
        return {
            "name": session.document_name,
            "size": session.document_size,
            "uploaded_at": session.document_uploaded_at,
            "url": request.build_absolute_uri(url) if request is not None else url,
        }


class SessionUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = MunicipalSession
        fields = SESSION_FIELDS


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("The signed endorsement or decision."))
