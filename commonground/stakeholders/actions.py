"""Writes to the stakeholder map: stakeholders, their stages and the diversity trend.

Criteria and scores are in ``criteria_actions``; plans and interactions in
``engagement_actions``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.accounts.models import User
from commonground.coalitions.audit import record, snapshot
from commonground.coalitions.models import Coalition
from commonground.organisations import actions as org_actions
from commonground.stakeholders.analysis import diversity_of
from commonground.stakeholders.choices import Stage
from commonground.stakeholders.models import DiversitySnapshot, StageChange, Stakeholder

STAKEHOLDER_FIELDS = [
    "organisation",
    "person_name",
    "contact",
    "role",
    "engagement_model",
    "lived_experience",
    "brings",
    "wants",
    "power",
    "interest",
    "notes",
]
AUDITED = [*STAKEHOLDER_FIELDS, "stage"]


def _check_values(values: dict[str, Any]) -> None:
    unknown = set(values) - set(STAKEHOLDER_FIELDS)
    if unknown:
        raise ValidationError({field: _("Unknown field.") for field in sorted(unknown)})


def _validate(stakeholder: Stakeholder) -> None:
    """The rules a model cannot state alone: one of organisation or person, tenancy, no twin."""
    stakeholder.person_name = (stakeholder.person_name or "").strip()
    if stakeholder.organisation_id is None and not stakeholder.person_name:
        raise ValidationError(
            {"organisation": _("Choose an organisation from the registry, or name a person.")}
        )
    if stakeholder.organisation_id is not None and stakeholder.person_name:
        raise ValidationError(
            {"person_name": _("A stakeholder is an organisation or a person, not both.")}
        )
    contact = stakeholder.contact
    if contact is not None and contact.coalition_id != stakeholder.coalition_id:
        raise ValidationError({"contact": _("Choose one of this coalition's contacts.")})
    if stakeholder.organisation_id is not None:
        twin = Stakeholder.objects.filter(
            coalition_id=stakeholder.coalition_id, organisation_id=stakeholder.organisation_id
        ).exclude(pk=stakeholder.pk)
        if twin.exists():
            raise ValidationError(
                {"organisation": _("This organisation is already on the stakeholder map.")}
            )
    stakeholder.full_clean(exclude=["coalition", "person_key", "organisation", "contact"])


def build_stakeholder(
    actor: User | None, coalition: Coalition, stage: str = Stage.IDENTIFIED, **values: Any
) -> Stakeholder:
    """A validated, unsaved stakeholder (imports check every row before writing any)."""
    _check_values(values)
    if stage not in Stage.values:
        raise ValidationError({"stage": _("Unknown stage.")})
    stakeholder = Stakeholder(coalition=coalition, created_by=actor, stage=stage, **values)
    _validate(stakeholder)
    return stakeholder


@transaction.atomic
def create_stakeholder(
    actor: User | None,
    coalition: Coalition,
    stage: str = Stage.IDENTIFIED,
    note: str = "",
    **values: Any,
) -> Stakeholder:
    stakeholder = build_stakeholder(actor, coalition, stage, **values)
    stakeholder.save()
    StageChange.objects.create(
        stakeholder=stakeholder, to_stage=stakeholder.stage, changed_by=actor, note=note[:500]
    )
    record(
        actor, coalition, "stakeholder.create", stakeholder, after=snapshot(stakeholder, AUDITED)
    )
    _joined(actor, stakeholder)
    record_diversity_snapshot(coalition)
    return stakeholder


@transaction.atomic
def update_stakeholder(actor: User | None, stakeholder: Stakeholder, **values: Any) -> Stakeholder:
    _check_values(values)
    before = snapshot(stakeholder, AUDITED)
    for field, value in values.items():
        setattr(stakeholder, field, value)
    _validate(stakeholder)
    stakeholder.updated_at = timezone.now()
    stakeholder.save(update_fields=[*values.keys(), "updated_at"])
    record(
        actor,
        stakeholder.coalition,
        "stakeholder.update",
        stakeholder,
        before,
        snapshot(stakeholder, AUDITED),
    )
    if {"organisation", "person_name", "lived_experience"} & set(values):
        record_diversity_snapshot(stakeholder.coalition)
    return stakeholder


@transaction.atomic
def move_stage(
    actor: User | None, stakeholder: Stakeholder, stage: str, note: str = ""
) -> StageChange | None:
    """Move a stakeholder to ``stage``, dated in its history. Moving to where it is is a no-op."""
    if stage not in Stage.values:
        raise ValidationError(
            {
                "stage": _("'%(value)s' is not one of: %(allowed)s")
                % {"value": stage, "allowed": ", ".join(Stage.values)}
            }
        )
    # Read the stage afresh under a lock, so two people moving one card record two real moves.
    current = Stakeholder.objects.select_for_update().get(pk=stakeholder.pk)
    if current.stage == stage:
        stakeholder.stage = stage
        return None
    now = timezone.now()
    change = StageChange.objects.create(
        stakeholder=stakeholder,
        from_stage=current.stage,
        to_stage=stage,
        changed_by=actor,
        changed_at=now,
        note=note.strip()[:500],
    )
    stakeholder.stage, stakeholder.stage_changed_at, stakeholder.updated_at = stage, now, now
    stakeholder.save(update_fields=["stage", "stage_changed_at", "updated_at"])
    record(
        actor,
        stakeholder.coalition,
        "stakeholder.stage",
        stakeholder,
        {"stage": current.stage},
        {"stage": stage, **({"note": change.note} if change.note else {})},
    )
    _joined(actor, stakeholder)
    record_diversity_snapshot(stakeholder.coalition)
    return change


def _joined(actor: User | None, stakeholder: Stakeholder) -> None:
    """A stakeholder organisation that becomes a member joins the coalition's list."""
    if stakeholder.stage == Stage.MEMBER and stakeholder.organisation is not None:
        org_actions.add_to_coalition(actor, stakeholder.coalition, stakeholder.organisation)


@transaction.atomic
def delete_stakeholder(actor: User | None, stakeholder: Stakeholder) -> None:
    coalition = stakeholder.coalition
    record(
        actor, coalition, "stakeholder.delete", stakeholder, before=snapshot(stakeholder, AUDITED)
    )
    stakeholder.delete()
    record_diversity_snapshot(coalition)


def record_diversity_snapshot(coalition: Coalition) -> DiversitySnapshot:
    """Today's make-up of the map, replacing any earlier snapshot of the same day."""
    found = diversity_of(coalition.pk)
    snap, _created = DiversitySnapshot.objects.update_or_create(
        coalition=coalition,
        date=timezone.localdate(),
        defaults={
            "stakeholders": found.total,
            "shannon": round(found.shannon, 4),
            "simpson": round(found.simpson, 4),
            "by_type": found.by_type,
            "by_level": found.by_level,
            "by_sector": found.by_sector,
            "gaps": [str(g) for g in found.gaps],
        },
    )
    return snap
