"""The weekly digest: each plan owner's overdue and coming contacts, by email.

``commonground send-digests`` (run weekly, e.g. from cron on Monday morning) queues one
job per owner; the job renders the text and HTML email in the owner's language.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Exists, OuterRef, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from commonground.accounts.models import User
from commonground.coalitions.models import Coalition, Membership
from commonground.stakeholders.access import open_plans
from commonground.stakeholders.models import EngagementPlan

DIGEST_DAYS = 7  # "coming up" in a weekly digest: the week ahead


@dataclass
class CoalitionDigest:
    coalition: Coalition
    overdue: list[EngagementPlan] = field(default_factory=list)
    upcoming: list[EngagementPlan] = field(default_factory=list)


def _due(today: datetime.date, coalition_id: int | None = None) -> QuerySet[EngagementPlan]:
    """Open plans due before the end of the coming week, whose owner is still a member."""
    still_member = Membership.objects.filter(
        user_id=OuterRef("owner_id"), coalition_id=OuterRef("stakeholder__coalition_id")
    )
    return (
        open_plans(coalition_id)
        .filter(owner__isnull=False, owner__is_active=True)
        .filter(next_contact__lte=today + datetime.timedelta(days=DIGEST_DAYS))
        .filter(Exists(still_member))
    )


def owners_due(today: datetime.date, coalition_id: int | None = None) -> list[int]:
    """The users who have something in this week's digest."""
    owners = _due(today, coalition_id).values_list("owner_id", flat=True).distinct()
    return sorted({pk for pk in owners if pk is not None})


def digest_for(
    user: User, today: datetime.date, coalition_id: int | None = None
) -> list[CoalitionDigest]:
    """What one owner must do, coalition by coalition: overdue first, then the week ahead."""
    plans = (
        _due(today, coalition_id)
        .filter(owner=user)
        .order_by("stakeholder__coalition__name", "next_contact", "id")
    )
    by_coalition: dict[int, CoalitionDigest] = {}
    for plan in plans:
        coalition = plan.stakeholder.coalition
        entry = by_coalition.setdefault(coalition.pk, CoalitionDigest(coalition))
        plan.url = settings.SITE_URL + reverse(  # type: ignore[attr-defined]
            "stakeholders:detail", args=[coalition.slug, plan.stakeholder_id]
        )
        assert plan.next_contact is not None
        if plan.next_contact < today:
            plan.days_late = (today - plan.next_contact).days  # type: ignore[attr-defined]
            entry.overdue.append(plan)
        else:
            entry.upcoming.append(plan)
    return list(by_coalition.values())


def send_digest(
    user: User, today: datetime.date, coalition_id: int | None = None
) -> dict[str, int]:
    """Email ``user`` their digest; nothing is sent when there is nothing to do."""
    sections = digest_for(user, today, coalition_id)
    overdue = sum(len(s.overdue) for s in sections)
    upcoming = sum(len(s.upcoming) for s in sections)
    if not sections:
        return {"sent": 0, "overdue": 0, "upcoming": 0}
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "sections": sections,
            "overdue": overdue,
            "upcoming": upcoming,
            "today": today,
            "days": DIGEST_DAYS,
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("stakeholders/email/digest_subject.txt", context).strip()
        text = render_to_string("stakeholders/email/digest.txt", context)
        html = render_to_string("stakeholders/email/digest.html", context)
    message = EmailMultiAlternatives(subject, text, None, [user.email])
    message.attach_alternative(html, "text/html")
    message.send()
    return {"sent": 1, "overdue": overdue, "upcoming": upcoming}
