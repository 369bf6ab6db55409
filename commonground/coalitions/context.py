from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from commonground.coalitions.access import memberships_for
from commonground.coalitions.roles import Can


def coalition_nav(request: HttpRequest) -> dict[str, Any]:
    """The coalition switcher's entries and the current membership, for the base template."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    membership = getattr(request, "membership", None)
    return {
        "my_memberships": lambda: list(memberships_for(user).order_by("coalition__name")),
        "membership": membership,
        "current_coalition": getattr(request, "coalition", None),
        "can_manage": bool(membership and membership.can(Can.MANAGE)),
        "can_edit_registry": bool(membership and membership.can(Can.EDIT_REGISTRY)),
        "can_post_needs": bool(membership and membership.can(Can.POST_NEEDS)),
    }
