"""Writes to the engagement and communication plan: plans and the interaction log."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.accounts.models import User
from commonground.coalitions.audit import record, snapshot
from commonground.coalitions.models import Membership
from commonground.stakeholders.choices import FREQUENCY_DAYS, Channel
from commonground.stakeholders.models import EngagementPlan, Interaction, Stakeholder

PLAN_FIELDS = ["channels", "frequency", "owner", "next_contact", "notes"]
INTERACTION_FIELDS = ["date", "channel", "summary", "outcome", "next_step"]


def _clean_plan(stakeholder: Stakeholder, values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(PLAN_FIELDS)
    if unknown:
        raise ValidationError({field: _("Unknown field.") for field in sorted(unknown)})
    cleaned = dict(values)
    if "channels" in cleaned:
        channels = list(dict.fromkeys(cleaned["channels"] or []))
        bad = [c for c in channels if c not in Channel.values]
        if bad:
            raise ValidationError(
                {"channels": _("Unknown channel(s): %(codes)s") % {"codes": ", ".join(bad)}}
            )
        cleaned["channels"] = channels
    owner = cleaned.get("owner")
    if (
        owner is not None
        and not Membership.objects.filter(
            coalition_id=stakeholder.coalition_id, user_id=owner.pk
        ).exists()
    ):
        raise ValidationError({"owner": _("The owner must be a member of this coalition.")})
    return cleaned


@transaction.atomic
def save_plan(actor: User | None, stakeholder: Stakeholder, **values: Any) -> EngagementPlan:
    """Create the stakeholder's plan or change the fields given."""
    cleaned = _clean_plan(stakeholder, values)
    plan = EngagementPlan.objects.filter(stakeholder=stakeholder).first()
    created = plan is None
    if plan is None:
        plan = EngagementPlan(stakeholder=stakeholder)
    before = {} if created else snapshot(plan, PLAN_FIELDS)
    for name, value in cleaned.items():
        setattr(plan, name, value)
    plan.updated_at = timezone.now()
    plan.full_clean(exclude=["stakeholder", "owner"])
    if created:
        plan.save()
    else:
        plan.save(update_fields=[*cleaned, "updated_at"])
    record(
        actor,
        stakeholder.coalition,
        "stakeholder.plan",
        stakeholder,
        before,
        snapshot(plan, PLAN_FIELDS),
    )
    return plan


@transaction.atomic
def log_interaction(actor: User | None, stakeholder: Stakeholder, **values: Any) -> Interaction:
    """Log a contact; the plan's next contact moves to the latest contact plus its frequency."""
    unknown = set(values) - set(INTERACTION_FIELDS)
    if unknown:
        raise ValidationError({field: _("Unknown field.") for field in sorted(unknown)})
    values.setdefault("date", timezone.localdate())
    interaction = Interaction(stakeholder=stakeholder, logged_by=actor, **values)
    interaction.summary = (interaction.summary or "").strip()
    interaction.full_clean(exclude=["stakeholder", "logged_by"])
    if interaction.date > timezone.localdate():
        raise ValidationError({"date": _("An interaction cannot be logged in the future.")})
    interaction.save()
    record(
        actor,
        stakeholder.coalition,
        "stakeholder.interaction",
        stakeholder,
        after=snapshot(interaction, INTERACTION_FIELDS),
    )
    plan = EngagementPlan.objects.select_for_update().filter(stakeholder=stakeholder).first()
    if plan is not None:
        latest: datetime.date = stakeholder.interactions.aggregate(d=Max("date"))["d"]
        following = latest + datetime.timedelta(days=FREQUENCY_DAYS[plan.frequency])
        if plan.next_contact != following:
            plan.next_contact = following
            plan.updated_at = timezone.now()
            plan.save(update_fields=["next_contact", "updated_at"])
    return interaction
