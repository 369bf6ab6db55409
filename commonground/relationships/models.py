"""Relationships between organisations, as one coalition knows them (private to it)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RelationshipType(models.TextChoices):
    PARTNERS_WITH = "partners_with", _("partners with")
    FUNDS = "funds", _("funds")
    SHARES_INFORMATION = "shares_information", _("shares information with")
    MEMBER_OF = "member_of", _("is a member of")
    REPORTS_TO = "reports_to", _("reports to")


# Partnerships run both ways; funding, membership, reporting and (by default) sharing
# information have a direction. A user can change it on any relationship.
UNDIRECTED_BY_DEFAULT = frozenset({RelationshipType.PARTNERS_WITH})


def directed_by_default(kind: str) -> bool:
    return kind not in UNDIRECTED_BY_DEFAULT


class Relationship(models.Model):
    """``source`` <type> ``target``, e.g. "BPBD funds Kampung Pulo Community Forum"."""

    coalition = models.ForeignKey(
        "coalitions.Coalition", on_delete=models.CASCADE, related_name="relationships"
    )
    source = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("from"),
        on_delete=models.CASCADE,
        related_name="relationships_from",
    )
    target = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("to"),
        on_delete=models.CASCADE,
        related_name="relationships_to",
    )
    type = models.CharField(_("relationship"), max_length=30, choices=RelationshipType.choices)
    directed = models.BooleanField(
        _("directed"),
        default=True,
        help_text=_("Untick for a relationship that runs both ways, such as a partnership."),
    )
    strength = models.PositiveSmallIntegerField(
        _("strength"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (weak, occasional) to 5 (strong, daily)."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "source", "target", "type"], name="one_relationship_per_type"
            ),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="relationship_not_to_itself"
            ),
            models.CheckConstraint(
                condition=models.Q(strength__gte=1, strength__lte=5),
                name="relationship_strength_1_to_5",
            ),
        ]
        indexes = [
            # The network's cache key: the latest change and the count, per coalition.
            models.Index(fields=["coalition", "updated_at"], name="relationship_changes"),
            models.Index(fields=["coalition", "target"], name="relationship_by_target"),
            models.Index(fields=["coalition", "type"], name="relationship_by_type"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_type_display()} {self.target}"
