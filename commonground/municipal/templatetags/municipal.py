"""The dashboard's panel for the municipal session: overall progress in one query."""

from __future__ import annotations

from typing import Any

from django import template

from commonground.coalitions.models import Coalition
from commonground.municipal.models import MunicipalSession

register = template.Library()


@register.inclusion_tag("municipal/_dashboard_panel.html")
def municipal_panel(coalition: Coalition) -> dict[str, Any]:
    session = (
        MunicipalSession.objects.filter(coalition=coalition)
        .only("progress_done", "progress_total", "endorsement_status", "held_on")
        .first()
    )
    return {"coalition": coalition, "session": session}
