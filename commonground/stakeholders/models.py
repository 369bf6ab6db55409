"""The stakeholder map of a coalition: who, at which stage, scored how, engaged how."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.lib.text import name_key
from commonground.stakeholders.choices import (
    DEFAULT_CRITERIA,
    Channel,
    CoalitionRole,
    EngagementModel,
    Frequency,
    Stage,
)

ZERO_TO_FIVE = [MinValueValidator(0), MaxValueValidator(5)]


class Stakeholder(models.Model):
    """An organisation from the registry, or a person, on one coalition's map."""

    coalition = models.ForeignKey(
        "coalitions.Coalition", on_delete=models.CASCADE, related_name="stakeholders"
    )
    # Other apps (relationships, the network map) read stages and flags through this link.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="stakeholder_entries",
    )
    person_name = models.CharField(_("person's name"), max_length=200, blank=True)
    person_key = models.CharField(max_length=200, blank=True, editable=False)
    contact = models.ForeignKey(
        "organisations.Contact",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stakeholder_entries",
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.IDENTIFIED
    )
    role = models.CharField(
        _("role in the coalition"), max_length=20, choices=CoalitionRole.choices, blank=True
    )
    engagement_model = models.CharField(
        _("engagement model"), max_length=20, choices=EngagementModel.choices, blank=True
    )
    lived_experience = models.BooleanField(
        _("lived experience / under-represented voice"), default=False
    )
    brings = models.TextField(_("what they bring"), blank=True)
    wants = models.TextField(_("what they want"), blank=True)
    power = models.PositiveSmallIntegerField(
        _("power"), null=True, blank=True, validators=ZERO_TO_FIVE
    )
    interest = models.PositiveSmallIntegerField(
        _("interest"), null=True, blank=True, validators=ZERO_TO_FIVE
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    stage_changed_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "organisation"],
                condition=Q(organisation__isnull=False),
                name="one_stakeholder_per_organisation",
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(person_name=""),
                name="stakeholder_is_organisation_or_person",
                violation_error_message=_(
                    "Choose an organisation from the registry, or name a person."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["coalition", "stage"], name="stakeholder_by_stage"),
            models.Index(fields=["coalition", "person_key"], name="stakeholder_by_person"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.person_key = name_key(self.person_name)
        update_fields = kwargs.get("update_fields")
        if isinstance(update_fields, list | tuple | set) and "person_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "person_key"}
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def name(self) -> str:
        if self.organisation_id is not None:
            return str(self.organisation)
        return self.person_name

    @property
    def is_person(self) -> bool:
        return self.organisation_id is None


class StageChange(models.Model):
    """One move in a stakeholder's dated history; the first row has no ``from_stage``."""

    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_stage or '∅'} → {self.to_stage}"


class Criterion(models.Model):
    """A weighted criterion a coalition scores its stakeholders on, from 0 to 5."""

    coalition = models.ForeignKey(
        "coalitions.Coalition", on_delete=models.CASCADE, related_name="stakeholder_criteria"
    )
    # The default criteria keep their key, so their names are translated and analyses
    # (salience, the grid) find influence, legitimacy, urgency and interest by it.
    key = models.SlugField(_("key"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    description = models.CharField(_("question"), max_length=300, blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("1.0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10"))],
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "key"], condition=~Q(key=""), name="one_criterion_per_key"
            )
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        return str(DEFAULT_LABELS.get(self.key, (self.key, ""))[0])

    @property
    def question(self) -> str:
        if self.description:
            return self.description
        return str(DEFAULT_LABELS.get(self.key, ("", ""))[1])


DEFAULT_LABELS = {key: (label, question) for key, label, question in DEFAULT_CRITERIA}


class Score(models.Model):
    """One member's score of one stakeholder on one criterion. A member's scores form a set."""

    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    scorer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField(_("score"), validators=ZERO_TO_FIVE)
    scored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["stakeholder", "criterion", "scorer"], name="one_score_per_scorer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}={self.value}"


class StakeholderSettings(models.Model):
    """A coalition's choices for its stakeholder map: the shortlist cut-off."""

    coalition = models.OneToOneField(
        "coalitions.Coalition", on_delete=models.CASCADE, related_name="stakeholder_settings"
    )
    shortlist_cutoff = models.DecimalField(
        _("shortlist cut-off"),
        max_digits=3,
        decimal_places=1,
        default=Decimal("3.0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("5"))],
        help_text=_("Stakeholders whose weighted score reaches this value are shortlisted."),
    )

    def __str__(self) -> str:
        return f"settings of {self.coalition_id}"


class EngagementPlan(models.Model):
    """How and how often the coalition keeps in touch with one stakeholder, and who does it."""

    stakeholder = models.OneToOneField(Stakeholder, on_delete=models.CASCADE, related_name="plan")
    channels = models.JSONField(_("channels"), default=list, blank=True)
    frequency = models.CharField(
        _("frequency"), max_length=20, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stakeholder_plans",
    )
    next_contact = models.DateField(_("next contact"), null=True, blank=True, db_index=True)
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["next_contact", "id"]

    def __str__(self) -> str:
        return f"plan for {self.stakeholder_id}"

    def channel_labels(self) -> list[str]:
        names = dict(Channel.choices)
        return [str(names.get(code, code)) for code in self.channels]


class Interaction(models.Model):
    """One contact with a stakeholder: a meeting, a call, a message."""

    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="interactions"
    )
    date = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    summary = models.TextField(_("summary"))
    outcome = models.TextField(_("outcome"), blank=True)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.channel}"


class DiversitySnapshot(models.Model):
    """The make-up of a coalition's active stakeholders on one day, for the trend."""

    coalition = models.ForeignKey(
        "coalitions.Coalition", on_delete=models.CASCADE, related_name="diversity_snapshots"
    )
    date = models.DateField()
    stakeholders = models.PositiveIntegerField(default=0)
    shannon = models.FloatField(default=0.0)
    simpson = models.FloatField(default=0.0)
    by_type = models.JSONField(default=dict)
    by_level = models.JSONField(default=dict)
    by_sector = models.JSONField(default=dict)
    gaps = models.JSONField(default=list)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["coalition", "date"], name="one_snapshot_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.coalition_id} {self.date}"
