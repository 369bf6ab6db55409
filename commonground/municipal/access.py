"""Reads of the municipal session checklist, always through the reader's membership."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from commonground.coalitions.models import Membership
from commonground.municipal.models import MunicipalSession, SessionItem
from commonground.municipal.sections import ITEM_SECTIONS
from commonground.organisations.models import Contact


def session_for(membership: Membership) -> MunicipalSession | None:
    """The coalition's session, or None while nobody who may manage has opened it."""
    return (
        MunicipalSession.objects.filter(coalition_id=membership.coalition_id)
        .select_related("coalition")
        .first()
    )


def get_session_for(membership: Membership) -> MunicipalSession:
    session = session_for(membership)
    if session is None:
        raise Http404("The checklist has not been started")
    return session


def items_for(membership: Membership, section: str) -> QuerySet[SessionItem]:
    if section not in ITEM_SECTIONS:
        raise Http404("No such section")
    model = ITEM_SECTIONS[section].model
    return model._default_manager.filter(coalition_id=membership.coalition_id).select_related(
        "session__coalition"
    )


def get_item_for(membership: Membership, section: str, pk: int) -> SessionItem:
    try:
        return items_for(membership, section).get(pk=pk)
    except ITEM_SECTIONS[section].model.DoesNotExist:
        raise Http404 from None


def contact_choices_for(membership: Membership) -> QuerySet[Contact]:
    """The coalition's own contacts, which a participant may be linked to."""
    return (
        Contact.objects.filter(coalition_id=membership.coalition_id)
        .select_related("organisation")
        .order_by("name", "id")
    )
