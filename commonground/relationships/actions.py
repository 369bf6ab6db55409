"""Writes to a coalition's relationships: each in a transaction, each in the audit log."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.accounts.models import User
from commonground.coalitions.audit import record, snapshot
from commonground.coalitions.models import Coalition
from commonground.organisations.models import CoalitionOrganisation, Organisation
from commonground.relationships.models import (
    Relationship,
    RelationshipType,
    directed_by_default,
)

RELATIONSHIP_FIELDS = ["source", "target", "type", "directed", "strength", "notes"]


def duplicate_of(relationship: Relationship) -> Relationship | None:
    """An existing relationship that this one would repeat.

    The same organisations, type and direction; or, when either relationship runs both ways,
    the same pair the other way round ("A partners with B" is "B partners with A").
    """
    same = Q(source_id=relationship.source_id, target_id=relationship.target_id)
    reverse = Q(source_id=relationship.target_id, target_id=relationship.source_id)
    if relationship.directed:
        reverse &= Q(directed=False)
    qs = Relationship.objects.filter(
        same | reverse, coalition_id=relationship.coalition_id, type=relationship.type
    )
    if relationship.pk:
        qs = qs.exclude(pk=relationship.pk)
    return qs.select_related("source", "target").first()


def validate_relationship(relationship: Relationship) -> None:
    """Field checks, then the coalition's rules; raises ValidationError keyed by field."""
    relationship.full_clean(validate_constraints=False)
    errors: dict[str, list[str]] = {}
    if relationship.source_id == relationship.target_id:
        errors.setdefault("target", []).append(
            _("An organisation cannot have a relationship with itself.")
        )
    listed = set(
        CoalitionOrganisation.objects.filter(
            coalition_id=relationship.coalition_id,
            organisation_id__in=[relationship.source_id, relationship.target_id],
        ).values_list("organisation_id", flat=True)
    )
    for field in ("source", "target"):
        if getattr(relationship, f"{field}_id") not in listed:
            errors.setdefault(field, []).append(
                _("Add this organisation to the coalition's list first.")
            )
    if not errors:
        existing = duplicate_of(relationship)
        if existing is not None:
            errors["__all__"] = [
                _("This relationship is already recorded: %(existing)s.")
                % {"existing": str(existing)}
            ]
    if errors:
        raise ValidationError(errors)


def _clean_values(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(RELATIONSHIP_FIELDS)
    if unknown:
        raise ValidationError({field: _("Unknown field.") for field in sorted(unknown)})
    return values


@transaction.atomic
def create_relationship(
    actor: User | None,
    coalition: Coalition,
    source: Organisation,
    target: Organisation,
    type: str,
    *,
    directed: bool | None = None,
    strength: int = 3,
    notes: str = "",
) -> Relationship:
    """``directed`` defaults to what the type usually means (partnerships run both ways)."""
    now = timezone.now()
    relationship = Relationship(
        coalition=coalition,
        source=source,
        target=target,
        type=type,
        directed=directed_by_default(type) if directed is None else directed,
        strength=strength,
        notes=notes or "",
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    validate_relationship(relationship)
    relationship.save()
    record(
        actor,
        coalition,
        "relationship.create",
        relationship,
        after=snapshot(relationship, RELATIONSHIP_FIELDS),
    )
    return relationship


@transaction.atomic
def update_relationship(actor: User, relationship: Relationship, **values: Any) -> Relationship:
    cleaned = _clean_values(values)
    before = snapshot(relationship, RELATIONSHIP_FIELDS)
    for field, value in cleaned.items():
        setattr(relationship, field, value)
    relationship.updated_at = timezone.now()
    validate_relationship(relationship)
    relationship.save(update_fields=[*cleaned.keys(), "updated_at"])
    record(
        actor,
        relationship.coalition,
        "relationship.update",
        relationship,
        before,
        snapshot(relationship, RELATIONSHIP_FIELDS),
    )
    return relationship


@transaction.atomic
def delete_relationship(actor: User, relationship: Relationship) -> None:
    record(
        actor,
        relationship.coalition,
        "relationship.delete",
        relationship,
        before=snapshot(relationship, RELATIONSHIP_FIELDS),
    )
    relationship.delete()


def type_label(kind: str) -> str:
    return str(dict(RelationshipType.choices).get(kind, kind))
