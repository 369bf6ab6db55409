from __future__ import annotations

import datetime

from commonground.accounts.models import User
from commonground.jobs.queue import job
from commonground.stakeholders.digest import send_digest


@job
def send_owner_digest(user_id: int, day: str, coalition_id: int | None = None) -> dict[str, int]:
    """One owner's weekly digest for ``day`` (ISO date), so a late worker sends the right week."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return {"sent": 0, "overdue": 0, "upcoming": 0}
    return send_digest(user, datetime.date.fromisoformat(day), coalition_id)
