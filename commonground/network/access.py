"""Who takes part in the network: anyone in a coalition on the instance (and staff)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from commonground.coalitions.models import Coalition, Membership
from commonground.coalitions.roles import Can, role_can


def require_network_member(user: Any) -> None:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    if not (user.is_staff or Membership.objects.filter(user=user).exists()):
        raise PermissionDenied


def managed_coalitions(user: Any) -> QuerySet[Coalition]:
    """Coalitions the user may speak for in the network (focal points, lead admins)."""
    roles = [role for role in ("focal_point", "lead_admin") if role_can(role, Can.MANAGE)]
    return Coalition.objects.filter(memberships__user=user, memberships__role__in=roles)


def can_post_offers(user: Any) -> bool:
    if getattr(user, "is_staff", False):
        return True
    roles = [r for r in ("focal_point", "lead_admin", "member") if role_can(r, Can.EDIT_REGISTRY)]
    return Membership.objects.filter(user=user, role__in=roles).exists()
