"""Reads of organisations and contacts as seen from one coalition."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from commonground.coalitions.models import Membership
from commonground.jobs.models import Job
from commonground.lib.text import name_key
from commonground.organisations.models import CoalitionOrganisation, Contact, Organisation


def organisations_for(membership: Membership) -> QuerySet[Organisation]:
    """The shared registry, annotated with whether each organisation is in this coalition."""
    in_coalition = CoalitionOrganisation.objects.filter(
        coalition_id=membership.coalition_id, organisation=OuterRef("pk")
    )
    return Organisation.objects.annotate(in_coalition=Exists(in_coalition))


def get_organisation_for(membership: Membership, pk: int) -> Organisation:
    try:
        return organisations_for(membership).get(pk=pk)
    except Organisation.DoesNotExist:
        raise Http404 from None


def get_import_job_for(membership: Membership, pk: int) -> Job:
    """An organisation import started in this coalition."""
    try:
        return Job.objects.get(
            pk=pk,
            coalition_id=membership.coalition_id,
            name__endswith=".import_organisations_file",
        )
    except Job.DoesNotExist:
        raise Http404 from None


def contacts_for(membership: Membership) -> QuerySet[Contact]:
    """Only the contacts this coalition keeps; other coalitions' contacts stay private."""
    return Contact.objects.filter(coalition_id=membership.coalition_id)


def get_contact_for(membership: Membership, pk: int) -> Contact:
    try:
        return contacts_for(membership).select_related("organisation").get(pk=pk)
    except Contact.DoesNotExist:
        raise Http404 from None


def search_organisations(
    membership: Membership, params: Mapping[str, Any]
) -> QuerySet[Organisation]:
    """The registry as this coalition sees it, searched and filtered.

    Shared by the list page, its export and the API.
    """
    qs = organisations_for(membership)
    q = (params.get("q") or "").strip()
    if q:
        key = name_key(q)
        condition = Q(acronym__iexact=q)
        if key:
            condition |= Q(name_key__contains=key)
        qs = qs.filter(condition)
    if params.get("type"):
        qs = qs.filter(type=params["type"])
    if params.get("level"):
        qs = qs.filter(level=params["level"])
    if params.get("sector"):
        qs = qs.filter(sector_codes__contains=f"|{params['sector']}|")
    if params.get("scope") == "coalition":
        # A plain IN subquery: SQLite would evaluate the EXISTS annotation row by row.
        listed = CoalitionOrganisation.objects.filter(coalition_id=membership.coalition_id)
        qs = qs.filter(pk__in=listed.values("organisation_id"))
    return qs
