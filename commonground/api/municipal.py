"""The session with the municipal authorities: its checklist, items and endorsement document.

Every member reads; focal points and lead-organisation admins (the manage capability) write.
Writes go through ``commonground.municipal.actions``, which audit them.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, parsers, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from commonground.coalitions.roles import Can
from commonground.municipal import actions
from commonground.municipal.access import get_item_for, get_session_for, items_for, session_for
from commonground.municipal.models import SIDE_ORDER, MunicipalSession, Participant, SessionItem
from commonground.municipal.sections import ITEM_SECTIONS, load_checklist

from .base import CoalitionScopedViewSet
from .municipal_serializers import (
    AgendaItemSerializer,
    ChecklistSerializer,
    DocumentUploadSerializer,
    MilestoneSerializer,
    ObjectiveSerializer,
    ParticipantSerializer,
    SessionUpdateSerializer,
    TaskSerializer,
)

TAG = "municipal session"


class ManagedSessionMixin:
    """Writers start the checklist if nobody has yet, as the page does on a first visit."""

    def managed_session(self: Any) -> MunicipalSession:
        return session_for(self.membership) or actions.start_session(self.actor, self.coalition)


@extend_schema(tags=[TAG])
class SessionViewSet(ManagedSessionMixin, CoalitionScopedViewSet):
    """The coalition's checklist: goal, date and venue, endorsement, every item and progress."""

    serializer_class = ChecklistSerializer
    write_capability = Can.MANAGE

    def _read(self, session: MunicipalSession) -> dict[str, Any]:
        data: dict[str, Any] = ChecklistSerializer(
            load_checklist(session), context={"request": self.request}
        ).data
        return data

    @extend_schema(
        summary="Read the checklist",
        description="404 until someone who may manage has started it (page visit or POST).",
    )
    def retrieve(self, request: Request, slug: str) -> Response:
        return Response(self._read(get_session_for(self.membership)))

    @extend_schema(
        summary="Start the checklist",
        description="Creates it with the usual participants' seats, points, tasks, milestones "
        "and agenda; answers 200 with the existing one when it was already started. Needs "
        "the manage capability.",
        request=None,
        responses={200: ChecklistSerializer, 201: ChecklistSerializer},
    )
    def create(self, request: Request, slug: str) -> Response:
        existing = session_for(self.membership)
        session = existing or actions.start_session(self.actor, self.coalition)
        code = status.HTTP_200_OK if existing else status.HTTP_201_CREATED
        return Response(self._read(session), status=code)

    @extend_schema(
        summary="Edit the goal, the date and venue, or the endorsement",
        description="Needs the manage capability. The endorsement document has its own "
        "endpoint (`document/`).",
        request=SessionUpdateSerializer,
        responses=ChecklistSerializer,
    )
    def partial_update(self, request: Request, slug: str) -> Response:
        serializer = SessionUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        session = self.managed_session()
        if serializer.validated_data:
            actions.update_session(self.actor, session, **serializer.validated_data)
        return Response(self._read(session))


@extend_schema(tags=[TAG])
class DocumentViewSet(ManagedSessionMixin, CoalitionScopedViewSet):
    """The endorsement document: stored privately, served only to members."""

    write_capability = Can.MANAGE
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]
    serializer_class = DocumentUploadSerializer

    @extend_schema(
        summary="Download the endorsement document",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file as uploaded."
            ),
            404: OpenApiResponse(description="No document, or not your coalition."),
        },
    )
    def retrieve(self, request: Request, slug: str) -> FileResponse:
        session = get_session_for(self.membership)
        path = session.document_file
        if path is None or not path.is_file():
            raise Http404("No endorsement document is attached")
        return FileResponse(path.open("rb"), as_attachment=True, filename=session.document_name)

    @extend_schema(
        summary="Attach the endorsement document",
        description="PDF, DOCX, DOC, ODT, PNG or JPEG (the content must match the name), no "
        "larger than the instance's upload limit (`CG_MAX_UPLOAD_MB`). Replaces any earlier "
        "document. Needs the manage capability.",
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: ChecklistSerializer},
    )
    def create(self, request: Request, slug: str) -> Response:
        serializer = DocumentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = self.managed_session()
        try:
            actions.attach_document(self.actor, session, serializer.validated_data["file"])
        except DjangoValidationError as error:
            # The action names the page's field; here the upload is called `file`.
            raise serializers.ValidationError({"file": error.messages}) from None
        data = ChecklistSerializer(load_checklist(session), context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Remove the endorsement document",
        description="Needs the manage capability.",
        responses={204: None},
    )
    def destroy(self, request: Request, slug: str) -> Response:
        actions.remove_document(self.actor, get_session_for(self.membership))
        return Response(status=status.HTTP_204_NO_CONTENT)


class SessionItemViewSet(
    ManagedSessionMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    CoalitionScopedViewSet,
):
    """One section's items, in their order. Writes need the manage capability.

    PATCH `position` moves an item to that place (from 0) among its section's items;
    participants are ordered within their side of the table.
    """

    section = ""
    write_capability = Can.MANAGE

    def get_queryset(self) -> QuerySet[SessionItem]:
        if self.is_schema_view:
            return ITEM_SECTIONS[self.section].model._default_manager.none()
        return items_for(self.membership, self.section).order_by("position", "id")

    def get_object(self) -> SessionItem:
        return get_item_for(self.membership, self.section, int(self.kwargs["pk"]))

    def create(self, request: Request, slug: str) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        values.pop("position", None)
        item = actions.add_item(self.actor, self.managed_session(), self.section, **values)
        return Response(self.get_serializer(item).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, slug: str, pk: str) -> Response:
        item = self.get_object()
        serializer = self.get_serializer(item, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        position = values.pop("position", None)
        if values:
            item = actions.update_item(self.actor, item, **values)
        if position is not None:
            item = actions.move_item(self.actor, item, position)
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(responses={status.HTTP_204_NO_CONTENT: None})
    def destroy(self, request: Request, slug: str, pk: str) -> Response:
        actions.delete_item(self.actor, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


def _item_docs(noun: str, plural: str) -> dict[str, Any]:
    return {
        "list": extend_schema(summary=f"List the {plural}"),
        "retrieve": extend_schema(summary=f"Read {noun}"),
        "create": extend_schema(summary=f"Add {noun}", description="Needs the manage capability."),
        "partial_update": extend_schema(
            summary=f"Edit or move {noun}",
            description="`position` moves it (from 0). Needs the manage capability.",
        ),
        "destroy": extend_schema(
            summary=f"Remove {noun}", description="Needs the manage capability."
        ),
    }


@extend_schema(tags=[TAG])
@extend_schema_view(**_item_docs("a participant", "participants"))
class ParticipantViewSet(SessionItemViewSet):
    """Who takes part: each role sits on the municipality's side, the lead organisation's or
    with the observers (`side` follows from `role`). A participant may link to a contact this
    coalition keeps, and counts as done once named and confirmed."""

    section = "participants"
    serializer_class = ParticipantSerializer

    def get_queryset(self) -> QuerySet[SessionItem]:
        if self.is_schema_view:
            return Participant.objects.none()
        by_side = Case(
            *[When(side=side, then=Value(index)) for side, index in SIDE_ORDER.items()],
            output_field=IntegerField(),
        )
        people = Participant.objects.filter(coalition_id=self.membership.coalition_id)
        ordered = people.select_related("contact").order_by(by_side, "position", "id")
        return ordered


@extend_schema(tags=[TAG])
@extend_schema_view(**_item_docs("a point", "objective points"))
class ObjectiveViewSet(SessionItemViewSet):
    """The points the session should agree, under the proposed coalition goal."""

    section = "objectives"
    serializer_class = ObjectiveSerializer


@extend_schema(tags=[TAG])
@extend_schema_view(**_item_docs("a task", "tasks"))
class TaskViewSet(SessionItemViewSet):
    """Roles and responsibilities: who does what (the municipality, the lead organisation or
    both) and by when."""

    section = "tasks"
    serializer_class = TaskSerializer


@extend_schema(tags=[TAG])
@extend_schema_view(**_item_docs("a milestone", "milestones"))
class MilestoneViewSet(SessionItemViewSet):
    """The timeline: the risk-assessment workshop, the coalition launch and other dates."""

    section = "milestones"
    serializer_class = MilestoneSerializer


@extend_schema(tags=[TAG])
@extend_schema_view(**_item_docs("an agenda item", "agenda items"))
class AgendaItemViewSet(SessionItemViewSet):
    """The proposed agenda, in order, with durations and presenters."""

    section = "agenda"
    serializer_class = AgendaItemSerializer
