"""Writes at the network level: validated and audited (in the posting coalition's log)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from commonground.accounts.models import User
from commonground.coalitions.audit import record
from commonground.network.access import can_post_offers, managed_coalitions
from commonground.network.models import (
    DEFAULT_THEMES,
    CityRequest,
    PartnerOffer,
    Status,
    Theme,
)


def ensure_themes() -> None:
    for slug, name in DEFAULT_THEMES:
        Theme.objects.get_or_create(slug=slug, defaults={"name": str(name)})


@transaction.atomic
def add_theme(actor: User, name: str) -> Theme:
    if not (actor.is_staff or managed_coalitions(actor).exists()):
        raise PermissionDenied
    name = name.strip()
    slug = slugify(name)[:50]
    if not slug:
        raise ValidationError({"name": _("Name the theme.")})
    if Theme.objects.filter(slug=slug).exists():
        raise ValidationError({"name": _("The network already has this theme.")})
    theme = Theme.objects.create(slug=slug, name=name[:120], created_by=actor)
    record(actor, None, "network.theme", theme, after={"name": theme.name})
    return theme


def _check_amount(values: dict[str, Any]) -> None:
    amount = values.get("amount")
    if amount is not None and amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than 0.")})


@transaction.atomic
def create_request(actor: User, **values: Any) -> CityRequest:
    coalition = values.get("coalition")
    if coalition is None or not managed_coalitions(actor).filter(pk=coalition.pk).exists():
        raise PermissionDenied(_("Only a coalition's focal point or lead admin asks the network."))
    _check_amount(values)
    found = CityRequest(created_by=actor, **values)
    found.full_clean(exclude=["created_by", "partner_offer"])
    found.save()
    record(actor, coalition, "network.request", found, after={"title": found.title})
    return found


@transaction.atomic
def create_offer(actor: User, themes: list[Theme], **values: Any) -> PartnerOffer:
    if not can_post_offers(actor):
        raise PermissionDenied
    if not themes:
        raise ValidationError({"themes": _("Choose at least one theme.")})
    _check_amount(values)
    offer = PartnerOffer(created_by=actor, **values)
    offer.full_clean(exclude=["created_by"])
    offer.save()
    offer.themes.set(themes)
    record(actor, None, "network.offer", offer, after={"title": offer.title})
    return offer


@transaction.atomic
def agree(actor: User, request: CityRequest, offer: PartnerOffer | None) -> CityRequest:
    """The city agreed with a partner (or, with None, reopens the request)."""
    if not managed_coalitions(actor).filter(pk=request.coalition_id).exists():
        raise PermissionDenied
    if offer is not None and not offer.themes.filter(pk=request.theme_id).exists():
        raise ValidationError(_("This offer is not on the request's theme."))
    request.partner_offer = offer
    request.status = Status.AGREED if offer else Status.OPEN
    request.save(update_fields=["partner_offer", "status"])
    record(
        actor,
        request.coalition,
        "network.agree",
        request,
        after={"partner_offer": offer.title if offer else None},
    )
    return request
