"""The network level: cities' requests on priority themes, and network partners' offers.

Unlike a coalition's own data, these are shared on purpose with every coalition on the
instance: a city asks the network for expertise or funding, partners (international, private,
non-profit) answer. Only the posting coalition's managers change a request; only whoever
posted an offer (or instance staff) changes it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_THEMES = [
    ("community-economic-resilience", _("Community and economic resilience")),
    ("waste-circular-economy", _("Waste management and circular economy")),
    ("urban-finance-local-economy", _("Urban finance and local economy")),
    ("climate-resilience", _("Climate resilience")),
]


class Kind(models.TextChoices):
    EXPERTISE = "expertise", _("Expertise")
    FUNDING = "funding", _("Funding")
    TRAINING = "training_skills", _("Training")
    EQUIPMENT = "preparedness_equipment", _("Equipment")
    OTHER = "other", _("Other")


class Theme(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    AGREED = "agreed", _("Agreed with a partner")
    CLOSED = "closed", _("Closed")


class CityRequest(models.Model):
    coalition = models.ForeignKey(
        "coalitions.Coalition", on_delete=models.CASCADE, related_name="city_requests"
    )
    theme = models.ForeignKey(Theme, verbose_name=_("theme"), on_delete=models.PROTECT)
    kind = models.CharField(_("what is asked"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=40, blank=True, help_text=_("e.g. USD, days"))
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    partner_offer = models.ForeignKey(
        "PartnerOffer", null=True, blank=True, on_delete=models.SET_NULL, related_name="agreed"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "theme"], name="request_by_theme")]

    def __str__(self) -> str:
        return self.title


class PartnerOffer(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="partner_offers",
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), related_name="offers")
    kind = models.CharField(_("what is offered"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title
