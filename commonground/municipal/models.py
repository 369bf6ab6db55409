"""The session with the municipal authorities: one guided checklist per coalition.

The session row holds the proposed goal, the formal endorsement and its document; five kinds
of ordered items hang off it (participants, objective points, tasks, milestones, agenda).
Every item carries its coalition too, so access helpers filter on the tenant directly.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Side(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    LEAD = "lead", _("Lead organisation")
    OBSERVER = "observer", _("Observers")


class ParticipantRole(models.TextChoices):
    MAYOR = "mayor", _("Mayor or representative")
    RESILIENCE_OFFICER = "resilience_officer", _("Chief resilience officer")
    MUNICIPAL_STAFF = "municipal_staff", _("Other municipal staff")
    DIRECTOR = "director", _("President or director")
    CITY_REPRESENTATIVE = "city_representative", _("City representative")
    LEAD_STAFF = "lead_staff", _("Other lead-organisation staff")
    OBSERVER = "observer", _("Observer")


# Which side of the table each role sits on; the side is never chosen separately.
ROLE_SIDE: dict[str, str] = {
    ParticipantRole.MAYOR: Side.MUNICIPALITY,
    ParticipantRole.RESILIENCE_OFFICER: Side.MUNICIPALITY,
    ParticipantRole.MUNICIPAL_STAFF: Side.MUNICIPALITY,
    ParticipantRole.DIRECTOR: Side.LEAD,
    ParticipantRole.CITY_REPRESENTATIVE: Side.LEAD,
    ParticipantRole.LEAD_STAFF: Side.LEAD,
    ParticipantRole.OBSERVER: Side.OBSERVER,
}
SIDE_ORDER = {side: index for index, side in enumerate(Side.values)}


class EndorsementStatus(models.TextChoices):
    NOT_REQUESTED = "not_requested", _("Not requested")
    REQUESTED = "requested", _("Requested")
    UNDER_REVIEW = "under_review", _("Under review")
    ENDORSED = "endorsed", _("Endorsed")
    DECLINED = "declined", _("Declined")


class Responsible(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    LEAD = "lead", _("Lead organisation")
    BOTH = "both", _("Both")


class MilestoneKind(models.TextChoices):
    WORKSHOP = "workshop", _("Risk-assessment workshop")
    LAUNCH = "launch", _("Coalition launch")
    OTHER = "other", _("Other milestone")


class MunicipalSession(models.Model):
    coalition = models.OneToOneField(
        "coalitions.Coalition", on_delete=models.CASCADE, related_name="municipal_session"
    )
    goal = models.TextField(_("proposed coalition goal"), blank=True)
    held_on = models.DateField(_("session date"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    endorsement_status = models.CharField(
        _("endorsement status"),
        max_length=20,
        choices=EndorsementStatus.choices,
        default=EndorsementStatus.NOT_REQUESTED,
    )
    endorsement_date = models.DateField(_("endorsement date"), null=True, blank=True)
    endorsement_notes = models.TextField(_("endorsement notes"), blank=True)
    # The endorsement document, stored under DATA_DIR (never under a public URL).
    document_path = models.CharField(max_length=300, blank=True, editable=False)
    document_name = models.CharField(_("document"), max_length=200, blank=True, editable=False)
    document_size = models.PositiveBigIntegerField(default=0, editable=False)
    document_uploaded_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Kept up to date by every action, so the dashboard reads progress in one query.
    progress_done = models.PositiveIntegerField(default=0, editable=False)
    progress_total = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("session with the municipal authorities")
        verbose_name_plural = _("sessions with the municipal authorities")

    def __str__(self) -> str:
        return str(_("Session with the municipal authorities"))

    @property
    def document_file(self) -> Path | None:
        if not self.document_path:
            return None
        return Path(settings.DATA_DIR) / self.document_path

    @property
    def percent_done(self) -> int:
        return round(100 * self.progress_done / self.progress_total) if self.progress_total else 0


class SessionItem(models.Model):
    """An ordered entry in one of the session's sections."""

    coalition = models.ForeignKey(
        "coalitions.Coalition", on_delete=models.CASCADE, related_name="+"
    )
    session = models.ForeignKey(MunicipalSession, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    # The field that marks the item as done, for the section's progress.
    flag_field = ""

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    @property
    def is_done(self) -> bool:
        return bool(getattr(self, self.flag_field))


class Participant(SessionItem):
    role = models.CharField(_("role"), max_length=30, choices=ParticipantRole.choices)
    side = models.CharField(_("side"), max_length=20, choices=Side.choices, editable=False)
    name = models.CharField(_("name"), max_length=200, blank=True)
    title = models.CharField(_("title or position"), max_length=200, blank=True)
    contact = models.ForeignKey(
        "organisations.Contact",
        verbose_name=_("registry contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed = models.BooleanField(_("confirmed"), default=False)

    flag_field = "confirmed"

    class Meta(SessionItem.Meta):
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return self.name or str(self.get_role_display())

    def clean(self) -> None:
        self.side = ROLE_SIDE.get(self.role, Side.OBSERVER)
        contact = self.contact if self.contact_id is not None else None
        if contact is not None and contact.coalition_id != self.coalition_id:
            raise ValidationError({"contact": _("Choose a contact this coalition keeps.")})
        if self.confirmed and not self.name.strip():
            raise ValidationError({"name": _("Name the participant before confirming them.")})

    @property
    def is_done(self) -> bool:
        return self.confirmed and bool(self.name.strip())


class Objective(SessionItem):
    text = models.CharField(_("point"), max_length=300)
    agreed = models.BooleanField(_("agreed"), default=False)

    flag_field = "agreed"

    class Meta(SessionItem.Meta):
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self) -> str:
        return self.text


class Task(SessionItem):
    title = models.CharField(_("task"), max_length=300)
    responsible = models.CharField(
        _("responsible"), max_length=20, choices=Responsible.choices, default=Responsible.BOTH
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)

    flag_field = "done"

    class Meta(SessionItem.Meta):
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return self.title


class Milestone(SessionItem):
    kind = models.CharField(
        _("kind"), max_length=20, choices=MilestoneKind.choices, default=MilestoneKind.OTHER
    )
    title = models.CharField(_("milestone"), max_length=200)
    date = models.DateField(_("date"), null=True, blank=True)
    confirmed = models.BooleanField(_("date confirmed"), default=False)

    flag_field = "confirmed"

    class Meta(SessionItem.Meta):
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.confirmed and self.date is None:
            raise ValidationError({"date": _("Set a date before confirming it.")})


class AgendaItem(SessionItem):
    title = models.CharField(_("agenda item"), max_length=200)
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    presenter = models.CharField(_("presenter"), max_length=200, blank=True)
    confirmed = models.BooleanField(_("presenter confirmed"), default=False)

    flag_field = "confirmed"

    class Meta(SessionItem.Meta):
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.confirmed and not self.presenter.strip():
            raise ValidationError({"presenter": _("Name the presenter before confirming.")})
