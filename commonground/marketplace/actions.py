"""Writes to needs, offers and the marketplace's settings: validated, audited, matched after.

A need or offer that is created or edited is matched again in the background once the
transaction commits (``tasks.match_listing``), so its suggestions are ready within seconds.
"""

from __future__ import annotations

import datetime
import mimetypes
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.accounts.models import User
from commonground.analysis.matching import CATEGORIES
from commonground.coalitions.audit import record, snapshot
from commonground.coalitions.models import Coalition
from commonground.jobs.queue import enqueue
from commonground.lib.text import fold
from commonground.marketplace.models import (
    Attachment,
    MarketSettings,
    Need,
    NeedStatus,
    Offer,
    OfferStatus,
)
from commonground.marketplace.taxonomy import CATEGORY_LABELS
from commonground.organisations.models import CoalitionOrganisation
from commonground.places.models import Area

LISTING_FIELDS = [
    "title",
    "description",
    "category",
    "subcategory",
    "quantity",
    "unit",
    "latitude",
    "longitude",
]
NEED_FIELDS = [*LISTING_FIELDS, "area", "people", "households", "urgency", "needed_by", "status"]
OFFER_FIELDS = [
    *LISTING_FIELDS,
    "organisation",
    "radius_km",
    "areas",
    "available_from",
    "available_until",
    "conditions",
    "status",
]
OFFER_AUDIT = [field for field in OFFER_FIELDS if field != "areas"]
ATTACHMENT_TYPES = {
    "image/jpeg",
    "image/png",
    "image/webp",
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def search_key(listing: Need | Offer) -> str:
    return fold(f"{listing.title} {listing.description}")


def settings_for(coalition: Coalition) -> MarketSettings:
    found, _created = MarketSettings.objects.get_or_create(coalition=coalition)
    return found


def _check_common(values: dict[str, Any], coalition: Coalition) -> None:
    if values.get("category") and values["category"] not in CATEGORY_LABELS:
        raise ValidationError({"category": _("Choose a category from the list.")})
    sub = values.get("subcategory")
    if sub and sub not in CATEGORIES.get(values.get("category") or "", ()):
        raise ValidationError({"subcategory": _("This subcategory belongs to another category.")})
    quantity = values.get("quantity")
    if quantity is not None and Decimal(quantity) <= 0:
        raise ValidationError({"quantity": _("The quantity must be more than 0.")})
    lat, lon = values.get("latitude"), values.get("longitude")
    if (lat is None) != (lon is None):
        raise ValidationError({"longitude": _("Give both latitude and longitude, or neither.")})
    if lat is not None and not -90 <= lat <= 90:
        raise ValidationError({"latitude": _("Latitude is between -90 and 90.")})
    if lon is not None and not -180 <= lon <= 180:
        raise ValidationError({"longitude": _("Longitude is between -180 and 180.")})


def _clean(values: dict[str, Any], allowed: list[str]) -> dict[str, Any]:
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValidationError({field: _("Unknown field.") for field in sorted(unknown)})
    return dict(values)


def _merged(listing: Need | Offer, values: dict[str, Any]) -> dict[str, Any]:
    """The listing's values as they will be, for checks that look at several fields."""
    fields = ["category", "subcategory", "latitude", "longitude"]
    if isinstance(listing, Offer):
        fields += ["radius_km", "available_from", "available_until"]
    return {field: getattr(listing, field) for field in fields} | values


def _after_commit_match(kind: str, listing: Need | Offer) -> None:
    from commonground.marketplace.tasks import match_listing

    enqueue(match_listing, coalition=listing.coalition, kind=kind, listing_id=listing.pk)


def _check_need(values: dict[str, Any], coalition: Coalition, need: Need | None) -> None:
    _check_common(values, coalition)
    area = values.get("area")
    if area is not None and area.coalition_id != coalition.pk:
        raise ValidationError({"area": _("Choose one of this coalition's areas.")})
    status = values.get("status")
    allowed: set[str] = {
        NeedStatus.DRAFT,
        NeedStatus.OPEN,
        NeedStatus.CLOSED,
        NeedStatus.WITHDRAWN,
    }
    if need is not None:
        allowed.add(need.status)  # unchanged
    if status is not None and status not in allowed:
        raise ValidationError({"status": _("This status follows from the fulfilment.")})


@transaction.atomic
def create_need(actor: User | None, coalition: Coalition, **values: Any) -> Need:
    values = _clean(values, NEED_FIELDS)
    values.setdefault("status", NeedStatus.OPEN)
    _check_need(values, coalition, None)
    need = Need(coalition=coalition, created_by=actor, **values)
    need.search_key = search_key(need)
    need.full_clean(exclude=["coalition", "created_by"])
    need.save()
    record(actor, coalition, "need.create", need, after=snapshot(need, NEED_FIELDS))
    _after_commit_match("need", need)
    return need


@transaction.atomic
def update_need(actor: User | None, need: Need, **values: Any) -> Need:
    values = _clean(values, NEED_FIELDS)
    _check_need(_merged(need, values), need.coalition, need)
    before = snapshot(need, NEED_FIELDS)
    for field, value in values.items():
        setattr(need, field, value)
    need.updated_at = timezone.now()
    need.search_key = search_key(need)
    need.full_clean(exclude=["coalition", "created_by"])
    need.save()
    record(actor, need.coalition, "need.update", need, before, snapshot(need, NEED_FIELDS))
    _after_commit_match("need", need)
    return need


def _check_offer(values: dict[str, Any], coalition: Coalition) -> None:
    _check_common(values, coalition)
    organisation = values.get("organisation")
    if (
        organisation is not None
        and not CoalitionOrganisation.objects.filter(
            coalition=coalition, organisation=organisation
        ).exists()
    ):
        raise ValidationError(
            {"organisation": _("Choose an organisation on the coalition's list.")}
        )
    areas = values.get("areas") or []
    if any(area.coalition_id != coalition.pk for area in areas):
        raise ValidationError({"areas": _("Choose this coalition's areas.")})
    start, end = values.get("available_from"), values.get("available_until")
    if start and end and end < start:
        raise ValidationError({"available_until": _("The end comes before the start.")})
    if values.get("radius_km") is not None:
        if values["radius_km"] <= 0:
            raise ValidationError({"radius_km": _("The distance must be more than 0.")})
        if values.get("latitude") is None:
            raise ValidationError({"radius_km": _("A distance needs the location it is from.")})


@transaction.atomic
def create_offer(actor: User | None, coalition: Coalition, **values: Any) -> Offer:
    values = _clean(values, OFFER_FIELDS)
    _check_offer(values, coalition)
    areas = values.pop("areas", None) or []
    wanted = values.pop("status", OfferStatus.OPEN)
    if wanted not in (OfferStatus.DRAFT, OfferStatus.OPEN):
        raise ValidationError({"status": _("A new offer is a draft or open.")})
    if wanted == OfferStatus.OPEN and settings_for(coalition).review_offers:
        wanted = OfferStatus.IN_REVIEW
    offer = Offer(coalition=coalition, created_by=actor, status=wanted, **values)
    offer.search_key = search_key(offer)
    offer.full_clean(exclude=["coalition", "created_by"])
    offer.save()
    offer.areas.set(areas)
    record(actor, coalition, "offer.create", offer, after=snapshot(offer, OFFER_AUDIT))
    _after_commit_match("offer", offer)
    return offer


@transaction.atomic
def update_offer(actor: User | None, offer: Offer, **values: Any) -> Offer:
    values = _clean(values, OFFER_FIELDS)
    _check_offer(_merged(offer, values), offer.coalition)
    areas = values.pop("areas", None)
    status = values.pop("status", None)
    if status is not None and status != offer.status:
        allowed = {OfferStatus.DRAFT, OfferStatus.CLOSED, OfferStatus.WITHDRAWN, OfferStatus.OPEN}
        if status not in allowed or offer.status in (OfferStatus.IN_REVIEW, OfferStatus.DECLINED):
            raise ValidationError({"status": _("A focal point decides on offers in review.")})
        if status == OfferStatus.OPEN and offer.status == OfferStatus.DRAFT:
            review = settings_for(offer.coalition).review_offers
            status = OfferStatus.IN_REVIEW if review else OfferStatus.OPEN
        values["status"] = status
    before = snapshot(offer, OFFER_AUDIT)
    for field, value in values.items():
        setattr(offer, field, value)
    offer.updated_at = timezone.now()
    offer.search_key = search_key(offer)
    offer.full_clean(exclude=["coalition", "created_by"])
    offer.save()
    if areas is not None:
        offer.areas.set(areas)
    record(actor, offer.coalition, "offer.update", offer, before, snapshot(offer, OFFER_AUDIT))
    _after_commit_match("offer", offer)
    return offer


@transaction.atomic
def review_offer(actor: User | None, offer: Offer, *, suitable: bool, note: str = "") -> Offer:
    """A focal point lists an offer in review, or explains why it is not suitable."""
    if offer.status != OfferStatus.IN_REVIEW:
        raise ValidationError(_("This offer is not waiting for review."))
    if not suitable and not note.strip():
        raise ValidationError({"review_note": _("Say why, so the provider can adapt the offer.")})
    offer.status = OfferStatus.OPEN if suitable else OfferStatus.DECLINED
    offer.review_note = note.strip()
    offer.updated_at = timezone.now()
    offer.save(update_fields=["status", "review_note", "updated_at"])
    record(actor, offer.coalition, "offer.review", offer, after={"status": offer.status})
    if suitable:
        _after_commit_match("offer", offer)
    return offer


@transaction.atomic
def update_settings(actor: User | None, coalition: Coalition, **values: Any) -> MarketSettings:
    found = settings_for(coalition)
    before = snapshot(found, ["review_offers", "public"])
    for field in ("review_offers", "public"):
        if field in values:
            setattr(found, field, bool(values[field]))
    found.save()
    record(
        actor,
        coalition,
        "market.settings",
        found,
        before,
        snapshot(found, ["review_offers", "public"]),
    )
    return found


def expire_listings(today: datetime.date | None = None) -> tuple[int, int]:
    """Needs past their date and offers past their end become expired (daily, and on match)."""
    today = today or timezone.localdate()
    needs = Need.objects.filter(
        status__in=[NeedStatus.OPEN, NeedStatus.PARTLY_MET], needed_by__lt=today
    ).update(status=NeedStatus.EXPIRED, updated_at=timezone.now())
    offers = Offer.objects.filter(status=OfferStatus.OPEN, available_until__lt=today).update(
        status=OfferStatus.EXPIRED, updated_at=timezone.now()
    )
    return needs, offers


@transaction.atomic
def add_attachment(actor: User | None, need: Need, upload: UploadedFile) -> Attachment:
    limit = settings.MAX_UPLOAD_SIZE
    size = upload.size or 0
    if size > limit:
        raise ValidationError(
            {
                "file": _("The file is %(size).1f MB; the limit is %(limit).0f MB.")
                % {"size": size / 1_048_576, "limit": limit / 1_048_576}
            }
        )
    name = (upload.name or "file").rsplit("/", 1)[-1][:200]
    kind = mimetypes.guess_type(name)[0] or ""
    head = upload.read(8)
    upload.seek(0)
    signatures = {
        "image/jpeg": (b"\xff\xd8\xff",),
        "image/png": (b"\x89PNG",),
        "image/webp": (b"RIFF",),
        "application/pdf": (b"%PDF",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
    }
    if kind not in ATTACHMENT_TYPES or not head.startswith(signatures[kind]):
        raise ValidationError(
            {"file": _("Attach a photo (JPEG, PNG, WebP) or a document (PDF, DOCX).")}
        )
    attachment = Attachment.objects.create(
        need=need, filename=name, content_type=kind, size=size, uploaded_by=actor
    )
    attachment.path.parent.mkdir(parents=True, exist_ok=True)
    with attachment.path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    record(actor, need.coalition, "need.attach", need, after={"file": name})
    return attachment


def area_choices(coalition: Coalition) -> Any:
    return Area.objects.filter(coalition=coalition).order_by("level", "name")
