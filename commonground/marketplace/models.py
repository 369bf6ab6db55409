"""The marketplace: communities' needs, providers' offers, and the matches between them.

A match carries its fulfilment: the provider commits a quantity, the need's owner accepts,
the goods or services travel and arrive, and the owner confirms with a thank-you note and the
number of people reached. Quantities live on the match; a need's outstanding quantity is its
quantity less what active matches have committed, and never goes below zero (see
``fulfilment.commit``).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.marketplace.taxonomy import CATEGORY_CHOICES


class Urgency(models.IntegerChoices):
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")
    CRITICAL = 4, _("Critical")


class NeedStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    PARTLY_MET = "partly_met", _("Partly met")
    MET = "met", _("Met")
    CLOSED = "closed", _("Closed")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class OfferStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("Waiting for review")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DECLINED = "declined", _("Not suitable")


class MatchStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested")
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    IN_DELIVERY = "in_delivery", _("In delivery")
    DELIVERED = "delivered", _("Delivered")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


# Matches whose committed quantity counts against the need's outstanding quantity.
COMMITTING = (
    MatchStatus.OFFERED,
    MatchStatus.ACCEPTED,
    MatchStatus.IN_DELIVERY,
    MatchStatus.DELIVERED,
    MatchStatus.CONFIRMED,
)


class MarketSettings(models.Model):
    coalition = models.OneToOneField(
        "coalitions.Coalition", on_delete=models.CASCADE, related_name="market_settings"
    )
    review_offers = models.BooleanField(
        _("review offers before they are public"),
        default=False,
        help_text=_("A focal point checks each new offer for suitability before it is listed."),
    )
    public = models.BooleanField(
        _("show open needs and offers to everyone"),
        default=False,
        help_text=_("Without signing in; contact details and threads stay private."),
    )

    def __str__(self) -> str:
        return f"marketplace settings of {self.coalition_id}"


class Listing(models.Model):
    """What needs and offers share: what, how much, where, who posted it."""

    coalition = models.ForeignKey(
        "coalitions.Coalition", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=40, choices=CATEGORY_CHOICES)
    subcategory = models.CharField(_("subcategory"), max_length=40, blank=True)
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(
        _("unit"), max_length=40, blank=True, help_text=_("e.g. filters, kits, hours")
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    matched_at = models.DateTimeField(null=True, blank=True)  # last time suggestions were made
    # Title and description folded (no case, no accents) for search in any language.
    search_key = models.TextField(blank=True, editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title


class Need(Listing):
    area = models.ForeignKey(
        "places.Area",
        verbose_name=_("community or area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="needs",
    )
    people = models.PositiveIntegerField(_("people to benefit"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households to benefit"), null=True, blank=True)
    urgency = models.PositiveSmallIntegerField(
        _("urgency"), choices=Urgency.choices, default=Urgency.MEDIUM
    )
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=NeedStatus.choices, default=NeedStatus.OPEN
    )

    class Meta:
        ordering = ["-urgency", "needed_by", "-created_at", "-id"]
        indexes = [
            models.Index(fields=["coalition", "status", "category"], name="need_browse"),
            models.Index(fields=["coalition", "-created_at"], name="need_recent"),
        ]


class Offer(Listing):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("offered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="offers",
    )
    radius_km = models.FloatField(
        _("serves within (km)"),
        null=True,
        blank=True,
        help_text=_("Of the location above. Or choose the areas served."),
    )
    areas = models.ManyToManyField(
        "places.Area", verbose_name=_("areas served"), blank=True, related_name="offers"
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=OfferStatus.choices, default=OfferStatus.OPEN
    )
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["coalition", "status", "category"], name="offer_browse"),
            models.Index(fields=["coalition", "-created_at"], name="offer_recent"),
        ]


class Match(models.Model):
    coalition = models.ForeignKey(
        "coalitions.Coalition", on_delete=models.CASCADE, related_name="marketplace_matches"
    )
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="matches")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="matches")
    status = models.CharField(
        max_length=12, choices=MatchStatus.choices, default=MatchStatus.SUGGESTED
    )
    score = models.FloatField(default=0)
    parts = models.JSONField(default=dict, blank=True)
    facts = models.JSONField(default=dict, blank=True)
    committed = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    in_transit = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    delivered = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    people_reached = models.PositiveIntegerField(null=True, blank=True)
    thank_you = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["need", "offer"], name="one_match_per_pair"),
        ]
        indexes = [models.Index(fields=["coalition", "status"], name="match_by_status")]
        verbose_name_plural = "matches"

    def __str__(self) -> str:
        return f"{self.need} ← {self.offer}"


class MatchEvent(models.Model):
    """A step of the fulfilment: who moved the match from what to what, when, and why."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, choices=MatchStatus.choices)
    to_status = models.CharField(max_length=12, choices=MatchStatus.choices)
    quantity = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class Message(models.Model):
    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class Attachment(models.Model):
    """A photo or document on a need, kept under the data folder, served to members only."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.filename

    @property
    def path(self) -> Path:
        return Path(settings.DATA_DIR) / "marketplace" / str(self.need.coalition_id) / str(self.pk)

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
