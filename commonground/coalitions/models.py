from __future__ import annotations

import secrets
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.coalitions.roles import Can, Role, role_can


class CoalitionModel(models.TextChoices):
    HUB_AND_SPOKE = "hub_and_spoke", _("Hub and spoke")
    NETWORKED = "networked", _("Networked")
    LEAD_PARTNER = "lead_partner", _("Lead partner")
    SIMPLE_AFFILIATION = "simple_affiliation", _("Simple affiliation")


class Level(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    COMMUNITY = "community", _("Community")
    CITY = "city", _("City")
    NATIONAL = "national", _("National")
    GLOBAL = "global", _("Global")


class CoalitionStatus(models.TextChoices):
    FORMING = "forming", _("Forming")
    ACTIVE = "active", _("Active")
    DORMANT = "dormant", _("Dormant")
    CLOSED = "closed", _("Closed")


country_code_validator = RegexValidator(
    r"^[A-Z]{2}$", _("Use the two-letter ISO 3166 country code, e.g. ID or ES.")
)


class Coalition(models.Model):
    """The tenant: a city coalition for community resilience."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    city = models.CharField(_("city"), max_length=120)
    country = models.CharField(_("country"), max_length=2, validators=[country_code_validator])
    model = models.CharField(
        _("coalition model"),
        max_length=30,
        choices=CoalitionModel.choices,
        default=CoalitionModel.HUB_AND_SPOKE,
    )
    lead_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("lead organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_coalitions",
    )
    focal_point = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("focal point"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    levels_engaged = models.JSONField(_("levels engaged"), default=list, blank=True)
    mission_what = models.TextField(_("what we want to achieve"), blank=True)
    mission_why = models.TextField(_("why it matters"), blank=True)
    mission_measure = models.TextField(_("how success will be measured"), blank=True)
    vision = models.TextField(_("shared vision"), blank=True)
    power_sharing = models.TextField(_("power sharing and roles"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CoalitionStatus.choices, default=CoalitionStatus.FORMING
    )
    founded_on = models.DateField(_("founding date"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("coalition")
        verbose_name_plural = _("coalitions")

    def __str__(self) -> str:
        return self.name

    def get_levels_display(self) -> list[str]:
        labels = dict(Level.choices)
        return [str(labels.get(level, level)) for level in self.levels_engaged]


class Membership(models.Model):
    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation represented"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["coalition", "user"], name="one_membership_per_user")
        ]
        ordering = ["coalition", "role", "user__email"]

    def __str__(self) -> str:
        return str(self.user)

    def can(self, capability: Can) -> bool:
        return role_can(self.role, capability)


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


def default_invitation_expiry() -> object:
    return timezone.now() + timedelta(days=settings.INVITATION_DAYS)


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class Invitation(models.Model):
    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=default_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["coalition", "email"])]

    def __str__(self) -> str:
        return f"{self.email} → {self.coalition}"

    @property
    def status(self) -> InvitationStatus:
        if self.accepted_at:
            return InvitationStatus.ACCEPTED
        if self.revoked_at:
            return InvitationStatus.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING


ACTION_LABELS = {
    "coalition.create": _("created the coalition"),
    "coalition.update": _("updated the coalition profile"),
    "membership.add": _("added a member"),
    "membership.change_role": _("changed a role"),
    "membership.remove": _("removed a member"),
    "invitation.create": _("sent an invitation"),
    "invitation.revoke": _("revoked an invitation"),
    "invitation.accept": _("accepted an invitation"),
    "organisation.create": _("added an organisation"),
    "organisation.update": _("edited an organisation"),
    "organisation.join": _("listed an organisation in the coalition"),
    "organisation.leave": _("took an organisation off the coalition's list"),
    "organisation.import": _("imported organisations"),
    "contact.create": _("added a contact"),
    "contact.update": _("edited a contact"),
    "contact.delete": _("deleted a contact"),
    "area.import": _("imported areas"),
    "area.indicators": _("imported area indicators"),
    "layer.create": _("added a layer"),
    "layer.delete": _("deleted a layer"),
    "analysis.start": _("started an exposure analysis"),
    "risk.start": _("started a risk profile"),
    "risk.indicators": _("changed a risk profile's indicators"),
    "risk.refresh": _("refreshed a risk profile"),
    "risk.delete": _("deleted a risk profile"),
    "need.create": _("posted a need"),
    "need.update": _("edited a need"),
    "need.attach": _("attached a file to a need"),
    "need.import": _("imported needs"),
    "offer.create": _("posted an offer"),
    "offer.update": _("edited an offer"),
    "offer.review": _("reviewed an offer"),
    "offer.import": _("imported offers"),
    "market.settings": _("changed the marketplace settings"),
    "match.offered": _("committed to a need"),
    "match.accepted": _("accepted an offer"),
    "match.in_delivery": _("dispatched a delivery"),
    "match.delivered": _("delivered"),
    "match.confirmed": _("confirmed a delivery"),
    "match.declined": _("declined a match"),
    "match.cancelled": _("cancelled a match"),
    "network.request": _("asked the network"),
    "network.agree": _("agreed with a network partner"),
}


class AuditEntry(models.Model):
    """One change made through an action: who, when, what, before and after."""

    coalition = models.ForeignKey(
        Coalition, null=True, blank=True, on_delete=models.CASCADE, related_name="audit_entries"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=80)
    target_type = models.CharField(max_length=60)
    target_id = models.CharField(max_length=40, blank=True)
    target_repr = models.CharField(max_length=200, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["coalition", "-created_at"], name="audit_by_coalition")]
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.action} {self.target_repr}"

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))

    @property
    def changed_fields(self) -> list[tuple[str, object, object]]:
        """(field label, before, after) for what changed, in the reader's language."""
        try:
            model = apps.get_model(self.target_type)
        except (LookupError, ValueError):
            model = None
        rows = []
        for key in sorted(set(self.before) | set(self.after)):
            old, new = self.before.get(key), self.after.get(key)
            if old == new:
                continue
            label: object = key
            if model is not None:
                try:
                    field = model._meta.get_field(key)
                except FieldDoesNotExist:
                    field = None
                if field is not None:
                    label = getattr(field, "verbose_name", key)
                    choices = dict(getattr(field, "flatchoices", None) or [])
                    if choices:
                        old, new = choices.get(old, old), choices.get(new, new)
            rows.append((str(label), old, new))
        return rows
