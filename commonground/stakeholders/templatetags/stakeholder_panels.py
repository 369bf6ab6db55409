"""The stakeholder map's panel on the coalition dashboard."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from commonground.stakeholders.access import open_plans

register = template.Library()

PANEL_ROWS = 5


@register.inclusion_tag("stakeholders/_dashboard_panel.html", takes_context=True)
def overdue_contacts_panel(context: template.Context) -> dict[str, Any]:
    """The oldest overdue contacts of the coalition on the page, and how many there are."""
    coalition = context["coalition"]
    today = timezone.localdate()
    late = list(
        open_plans(coalition.pk)
        .filter(next_contact__lt=today)
        .order_by("next_contact", "id")[: PANEL_ROWS + 1]
    )
    for plan in late:
        plan.days_late = (today - plan.next_contact).days  # type: ignore[attr-defined,operator]
    return {
        "coalition": coalition,
        "plans": late[:PANEL_ROWS],
        "more": len(late) > PANEL_ROWS,
    }
