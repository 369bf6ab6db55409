from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.lib.text import name_key
from commonground.organisations.vocabularies import (
    Channel,
    OrgLevel,
    OrgType,
    labels,
)


class Organisation(models.Model):
    """An entry in the instance-wide registry, shared by every coalition."""

    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(max_length=200, db_index=True, editable=False)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True, db_index=True)
    type = models.CharField(
        _("type"), max_length=20, choices=OrgType.choices, default=OrgType.OTHER, db_index=True
    )
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    # "|hea|wsh|": lets every database filter by one sector with an indexed-free LIKE.
    sector_codes = models.CharField(max_length=300, blank=True, editable=False, db_index=True)
    level = models.CharField(
        _("level"), max_length=20, choices=OrgLevel.choices, default=OrgLevel.CITY, db_index=True
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    capacities = models.JSONField(_("capacities"), default=list, blank=True)
    resources = models.JSONField(_("resources"), default=list, blank=True)
    expertise = models.JSONField(_("expertise"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name_key", "id"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_key = name_key(self.name)
        self.sector_codes = "|" + "|".join(self.sectors) + "|" if self.sectors else ""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = {"name_key", "sector_codes"}
            kwargs["update_fields"] = set(update_fields) | extra  # type: ignore[call-overload]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def sector_labels(self) -> list[str]:
        names = labels("sector")
        return [names.get(code, code) for code in self.sectors]

    def type_label(self) -> str:
        return labels("type").get(self.type, self.type)

    def level_label(self) -> str:
        return labels("level").get(self.level, self.level)

    @property
    def brings(self) -> list[str]:
        return [*self.capacities, *self.resources, *self.expertise]


class Contact(models.Model):
    """A person at an organisation. Contacts are personal data: each coalition keeps its own."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts"
    )
    coalition = models.ForeignKey(
        "coalitions.Coalition", on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    preferred_channel = models.CharField(
        _("preferred channel"), max_length=20, choices=Channel.choices, default=Channel.EMAIL
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["coalition", "organisation"], name="contact_by_coalition"),
            # The contact list: one coalition's contacts in name order, a page at a time.
            models.Index(fields=["coalition", "name", "id"], name="contact_list_order"),
        ]

    def __str__(self) -> str:
        return self.name


class CoalitionOrganisation(models.Model):
    """An organisation taking part in a coalition: the coalition's own list from the registry."""

    coalition = models.ForeignKey(
        "coalitions.Coalition", on_delete=models.CASCADE, related_name="participations"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="participations"
    )
    notes = models.TextField(_("notes"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "organisation"], name="one_participation_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.coalition}"
