"""Writes to the organisation registry, contacts and a coalition's list of organisations."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.accounts.models import User
from commonground.coalitions.audit import record, snapshot
from commonground.coalitions.models import Coalition
from commonground.lib.text import split_tags
from commonground.organisations.models import CoalitionOrganisation, Contact, Organisation
from commonground.organisations.vocabularies import SECTOR_LABELS

ORGANISATION_FIELDS = [
    "name",
    "acronym",
    "type",
    "sectors",
    "level",
    "website",
    "description",
    "address",
    "city",
    "country",
    "latitude",
    "longitude",
    "capacities",
    "resources",
    "expertise",
]
CONTACT_FIELDS = ["name", "role", "email", "phone", "preferred_channel", "language", "notes"]
TAG_FIELDS = ("capacities", "resources", "expertise")


def _clean_organisation_values(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ValidationError({field: _("Unknown field.") for field in sorted(unknown)})
    cleaned = dict(values)
    if "sectors" in cleaned:
        sectors = split_tags(cleaned["sectors"])
        bad = [code for code in sectors if code not in SECTOR_LABELS]
        if bad:
            raise ValidationError(
                {"sectors": _("Unknown sector code(s): %(codes)s") % {"codes": ", ".join(bad)}}
            )
        cleaned["sectors"] = sectors
    for field in TAG_FIELDS:
        if field in cleaned:
            cleaned[field] = split_tags(cleaned[field])
    if "acronym" in cleaned:
        cleaned["acronym"] = (cleaned["acronym"] or "").strip()
    if "country" in cleaned:
        cleaned["country"] = (cleaned["country"] or "").strip().upper()
    return cleaned


def build_organisation(actor: User | None, **values: Any) -> Organisation:
    """A validated, unsaved organisation (imports validate every row before writing any)."""
    organisation = Organisation(created_by=actor, **_clean_organisation_values(values))
    organisation.full_clean(exclude=["name_key", "sector_codes"])
    return organisation


@transaction.atomic
def create_organisation(
    actor: User | None, coalition: Coalition | None, **values: Any
) -> Organisation:
    organisation = build_organisation(actor, **values)
    organisation.save()
    record(
        actor,
        coalition,
        "organisation.create",
        organisation,
        after=snapshot(organisation, ORGANISATION_FIELDS),
    )
    if coalition is not None:
        CoalitionOrganisation.objects.create(
            coalition=coalition, organisation=organisation, added_by=actor
        )
    return organisation


@transaction.atomic
def update_organisation(
    actor: User, coalition: Coalition | None, organisation: Organisation, **values: Any
) -> Organisation:
    cleaned = _clean_organisation_values(values)
    before = snapshot(organisation, ORGANISATION_FIELDS)
    for field, value in cleaned.items():
        setattr(organisation, field, value)
    organisation.updated_at = timezone.now()
    organisation.full_clean(exclude=["name_key", "sector_codes"])
    organisation.save(update_fields=[*cleaned.keys(), "updated_at"])
    record(
        actor,
        coalition,
        "organisation.update",
        organisation,
        before,
        snapshot(organisation, ORGANISATION_FIELDS),
    )
    return organisation


@transaction.atomic
def add_to_coalition(
    actor: User | None, coalition: Coalition, organisation: Organisation
) -> CoalitionOrganisation:
    link, created = CoalitionOrganisation.objects.get_or_create(
        coalition=coalition, organisation=organisation, defaults={"added_by": actor}
    )
    if created:
        record(actor, coalition, "organisation.join", organisation)
    return link


@transaction.atomic
def remove_from_coalition(actor: User, coalition: Coalition, organisation: Organisation) -> None:
    deleted, _rows = CoalitionOrganisation.objects.filter(
        coalition=coalition, organisation=organisation
    ).delete()
    if deleted:
        record(actor, coalition, "organisation.leave", organisation)


def build_contact(coalition: Coalition, organisation: Organisation, **values: Any) -> Contact:
    unknown = set(values) - set(CONTACT_FIELDS)
    if unknown:
        raise ValidationError({field: _("Unknown field.") for field in sorted(unknown)})
    contact = Contact(coalition=coalition, organisation=organisation, **values)
    contact.full_clean()
    return contact


@transaction.atomic
def create_contact(
    actor: User | None, coalition: Coalition, organisation: Organisation, **values: Any
) -> Contact:
    contact = build_contact(coalition, organisation, **values)
    contact.save()
    record(actor, coalition, "contact.create", contact, after=snapshot(contact, CONTACT_FIELDS))
    return contact


@transaction.atomic
def update_contact(actor: User, contact: Contact, **values: Any) -> Contact:
    unknown = set(values) - set(CONTACT_FIELDS)
    if unknown:
        raise ValidationError({field: _("Unknown field.") for field in sorted(unknown)})
    before = snapshot(contact, CONTACT_FIELDS)
    for field, value in values.items():
        setattr(contact, field, value)
    contact.updated_at = timezone.now()
    contact.full_clean()
    contact.save(update_fields=[*values.keys(), "updated_at"])
    record(
        actor,
        contact.coalition,
        "contact.update",
        contact,
        before,
        snapshot(contact, CONTACT_FIELDS),
    )
    return contact


@transaction.atomic
def delete_contact(actor: User, contact: Contact) -> None:
    record(
        actor,
        contact.coalition,
        "contact.delete",
        contact,
        before=snapshot(contact, CONTACT_FIELDS),
    )
    contact.delete()
