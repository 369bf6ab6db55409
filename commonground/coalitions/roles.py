"""Membership roles and what each may do. One table, so views, API and actions agree."""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    FOCAL_POINT = "focal_point", _("Focal point")
    LEAD_ADMIN = "lead_admin", _("Lead-organisation admin")
    MEMBER = "member", _("Member")
    COMMUNITY_REP = "community_rep", _("Community representative")
    OBSERVER = "observer", _("Observer")


class Can(StrEnum):
    VIEW = "view"
    EDIT_REGISTRY = "edit_registry"  # organisations and contacts
    MANAGE = "manage"  # profile, members, roles, invitations, audit log
    POST_NEEDS = "post_needs"  # a community's needs in the marketplace


CAPABILITIES: dict[str, frozenset[Can]] = {
    Role.FOCAL_POINT: frozenset(Can),
    Role.LEAD_ADMIN: frozenset(Can),
    Role.MEMBER: frozenset({Can.VIEW, Can.EDIT_REGISTRY, Can.POST_NEEDS}),
    Role.COMMUNITY_REP: frozenset({Can.VIEW, Can.POST_NEEDS}),
    Role.OBSERVER: frozenset({Can.VIEW}),
}


def role_can(role: str, capability: Can) -> bool:
    return capability in CAPABILITIES.get(role, frozenset())
