"""Reads of a coalition's stakeholder map. 404 alike for "missing" and "not yours"."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from commonground.accounts.models import User
from commonground.coalitions.models import Membership
from commonground.lib.text import name_key
from commonground.organisations.models import Contact, Organisation
from commonground.stakeholders.choices import CLOSED_STAGES
from commonground.stakeholders.models import (
    Criterion,
    DiversitySnapshot,
    EngagementPlan,
    Interaction,
    Score,
    Stakeholder,
    StakeholderSettings,
)

# Days ahead that count as "coming up" on the overdue page and in the digest.
UPCOMING_DAYS = 14


def stakeholders_for(membership: Membership) -> QuerySet[Stakeholder]:
    return Stakeholder.objects.filter(coalition_id=membership.coalition_id)


def listed(qs: QuerySet[Stakeholder]) -> QuerySet[Stakeholder]:
    """With what a list row shows (organisation, plan and its owner), in name order."""
    return (
        qs.select_related("organisation", "plan__owner")
        .annotate(sort_key=Coalesce(F("organisation__name_key"), F("person_key")))
        .order_by("sort_key", "id")
    )


def get_stakeholder_for(membership: Membership, pk: int) -> Stakeholder:
    try:
        return stakeholders_for(membership).select_related("organisation", "contact").get(pk=pk)
    except Stakeholder.DoesNotExist:
        raise Http404 from None


def search_stakeholders(membership: Membership, params: Mapping[str, Any]) -> QuerySet[Stakeholder]:
    """The coalition's stakeholders, searched and filtered; shared by pages, exports and API."""
    qs = stakeholders_for(membership)
    q = (params.get("q") or "").strip()
    if q:
        key = name_key(q)
        condition = Q(organisation__acronym__iexact=q)
        if key:
            condition |= Q(organisation__name_key__contains=key) | Q(person_key__contains=key)
        qs = qs.filter(condition)
    for field in ("stage", "role", "engagement_model"):
        if params.get(field):
            qs = qs.filter(**{field: params[field]})
    if params.get("lived_experience") in {True, "yes", "true", "1"}:
        qs = qs.filter(lived_experience=True)
    elif params.get("lived_experience") in {False, "no", "false", "0"}:
        qs = qs.filter(lived_experience=False)
    if params.get("kind") == "person":
        qs = qs.filter(organisation__isnull=True)
    elif params.get("kind") == "organisation":
        qs = qs.filter(organisation__isnull=False)
    if params.get("type"):
        qs = qs.filter(organisation__type=params["type"])
    if params.get("level"):
        qs = qs.filter(organisation__level=params["level"])
    if params.get("sector"):
        qs = qs.filter(organisation__sector_codes__contains=f"|{params['sector']}|")
    if params.get("min_power") not in (None, ""):
        qs = qs.filter(power__gte=params["min_power"])
    if params.get("min_interest") not in (None, ""):
        qs = qs.filter(interest__gte=params["min_interest"])
    if params.get("owner"):
        qs = qs.filter(plan__owner_id=params["owner"])
    return qs


def candidate_organisations(membership: Membership) -> QuerySet[Organisation]:
    """Registry organisations not yet on this coalition's map."""
    taken = stakeholders_for(membership).filter(organisation__isnull=False)
    return Organisation.objects.exclude(pk__in=taken.values("organisation_id"))


def coalition_contacts(membership: Membership) -> QuerySet[Contact]:
    return Contact.objects.filter(coalition_id=membership.coalition_id).select_related(
        "organisation"
    )


def criteria_for(membership: Membership) -> QuerySet[Criterion]:
    return Criterion.objects.filter(coalition_id=membership.coalition_id)


def get_criterion_for(membership: Membership, pk: int) -> Criterion:
    try:
        return criteria_for(membership).get(pk=pk)
    except Criterion.DoesNotExist:
        raise Http404 from None


def scores_for(membership: Membership) -> QuerySet[Score]:
    return Score.objects.filter(stakeholder__coalition_id=membership.coalition_id)


def score_sets(scores: QuerySet[Score]) -> dict[int, dict[int, dict[int, float]]]:
    """{stakeholder: {scorer: {criterion: value}}} in one query."""
    sets: dict[int, dict[int, dict[int, float]]] = {}
    rows = scores.values_list("stakeholder_id", "scorer_id", "criterion_id", "value")
    for stakeholder, scorer, criterion, value in rows.iterator(chunk_size=5000):
        sets.setdefault(stakeholder, {}).setdefault(scorer, {})[criterion] = float(value)
    return sets


def settings_for(membership: Membership) -> StakeholderSettings:
    """The coalition's settings, or unsaved defaults when it never changed them."""
    found = StakeholderSettings.objects.filter(coalition_id=membership.coalition_id).first()
    return found or StakeholderSettings(coalition_id=membership.coalition_id)


def stage_history(stakeholder: Stakeholder) -> QuerySet[Any]:
    return stakeholder.stage_changes.select_related("changed_by").order_by("changed_at", "id")


def interactions_for(membership: Membership) -> QuerySet[Interaction]:
    return Interaction.objects.filter(stakeholder__coalition_id=membership.coalition_id)


def get_plan(stakeholder: Stakeholder) -> EngagementPlan | None:
    return EngagementPlan.objects.filter(stakeholder=stakeholder).select_related("owner").first()


def open_plans(coalition_id: int | None = None) -> QuerySet[EngagementPlan]:
    """Plans with a next contact date, for stakeholders still in the pipeline."""
    qs = EngagementPlan.objects.filter(next_contact__isnull=False).exclude(
        stakeholder__stage__in=CLOSED_STAGES
    )
    if coalition_id is not None:
        qs = qs.filter(stakeholder__coalition_id=coalition_id)
    return qs.select_related("stakeholder__organisation", "stakeholder__coalition", "owner")


def overdue_plans(membership: Membership, today: datetime.date | None = None) -> QuerySet[Any]:
    today = today or timezone.localdate()
    return (
        open_plans(membership.coalition_id)
        .filter(next_contact__lt=today)
        .order_by("next_contact", "id")
    )


def upcoming_plans(membership: Membership, today: datetime.date | None = None) -> QuerySet[Any]:
    today = today or timezone.localdate()
    end = today + datetime.timedelta(days=UPCOMING_DAYS)
    return (
        open_plans(membership.coalition_id)
        .filter(next_contact__gte=today, next_contact__lte=end)
        .order_by("next_contact", "id")
    )


def snapshots_for(membership: Membership) -> QuerySet[DiversitySnapshot]:
    return DiversitySnapshot.objects.filter(coalition_id=membership.coalition_id)


def coalition_members(membership: Membership) -> QuerySet[User]:
    """Everyone who may own a plan or score: the coalition's members, by name."""
    return User.objects.filter(memberships__coalition_id=membership.coalition_id).order_by(
        "full_name", "email"
    )


def match_organisations(text: str, limit: int = 5) -> list[Organisation]:
    """Registry organisations that ``text`` names exactly: by acronym, name, or "Name (ACR)".

    Several matches mean the text is ambiguous; the caller says so rather than guessing.
    """
    text = (text or "").strip()
    if not text:
        return []
    acronym = ""
    name = text
    if text.endswith(")") and "(" in text:
        name, _sep, rest = text.rpartition("(")
        acronym = rest[:-1].strip()
        name = name.strip()
    key = name_key(name)
    if acronym:
        found = list(
            Organisation.objects.filter(name_key=key, acronym__iexact=acronym).order_by("id")[
                :limit
            ]
        )
        if found:
            return found
    condition = Q(acronym__iexact=text)
    for candidate in {name_key(text), key}:
        if candidate:
            condition |= Q(name_key=candidate)
    return list(Organisation.objects.filter(condition).order_by("name_key", "id")[:limit])


def suggest_organisations(membership: Membership, q: str, limit: int = 10) -> list[Organisation]:
    """Registry organisations whose name or acronym contains ``q``, not yet on the map."""
    key = name_key(q)
    if not key:
        return []
    condition = Q(name_key__contains=key) | Q(acronym__iexact=q.strip())
    return list(
        candidate_organisations(membership).filter(condition).order_by("name_key", "id")[:limit]
    )
