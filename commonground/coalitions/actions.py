"""Every change to coalitions, memberships and invitations goes through these functions.

Each runs in a transaction, writes the audit log and queues its emails in the same
transaction (see commonground.jobs.queue).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from commonground.accounts.models import User
from commonground.coalitions.audit import record, snapshot
from commonground.coalitions.models import Coalition, Invitation, InvitationStatus, Membership
from commonground.coalitions.roles import Role
from commonground.jobs.queue import enqueue

PROFILE_FIELDS = [
    "name",
    "city",
    "country",
    "model",
    "lead_organisation",
    "focal_point",
    "levels_engaged",
    "mission_what",
    "mission_why",
    "mission_measure",
    "vision",
    "power_sharing",
    "status",
    "founded_on",
]


def unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "coalition"
    slug, n = base, 2
    while Coalition.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_coalition(
    actor: User | None, *, name: str, city: str, country: str, slug: str = "", **profile: Any
) -> Coalition:
    if slug and Coalition.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("That short name is already taken.")})
    coalition = Coalition(
        name=name, city=city, country=country.upper(), slug=slug or unique_slug(name)
    )
    for field, value in profile.items():
        if field not in PROFILE_FIELDS:
            raise ValidationError({field: _("Unknown profile field.")})
        setattr(coalition, field, value)
    coalition.full_clean()
    coalition.save()
    record(
        actor, coalition, "coalition.create", coalition, after=snapshot(coalition, PROFILE_FIELDS)
    )
    return coalition


@transaction.atomic
def create_coalition_with_focal_point(
    actor: User | None, *, focal_point_email: str, **fields: Any
) -> tuple[Coalition, bool]:
    """A new coalition and its focal point: an existing user joins at once, anyone else is
    invited by email. Returns the coalition and whether an invitation was sent."""
    coalition = create_coalition(actor, **fields)
    focal = User.objects.filter(email__iexact=focal_point_email.strip()).first()
    if focal is not None:
        add_member(actor, coalition, focal, Role.FOCAL_POINT)
        return coalition, False
    if actor is None:
        raise ValidationError(
            {"focal_point_email": _("No user has this address; an invitation needs a sender.")}
        )
    invite(actor, coalition, focal_point_email, Role.FOCAL_POINT)
    return coalition, True


@transaction.atomic
def update_coalition_profile(actor: User, coalition: Coalition, **changes: Any) -> Coalition:
    before = snapshot(coalition, PROFILE_FIELDS)
    for field, value in changes.items():
        if field not in PROFILE_FIELDS:
            raise ValidationError({field: _("Unknown profile field.")})
        setattr(coalition, field, value)
    coalition.updated_at = timezone.now()
    coalition.full_clean(exclude=["slug"])
    coalition.save(update_fields=[*changes.keys(), "updated_at"])
    record(
        actor, coalition, "coalition.update", coalition, before, snapshot(coalition, PROFILE_FIELDS)
    )
    return coalition


def _name_focal_point_if_missing(actor: User | None, coalition: Coalition, user: User) -> None:
    """The profile names a focal point; the first person given that role fills it."""
    if coalition.focal_point_id is None:
        coalition.focal_point = user
        coalition.save(update_fields=["focal_point"])
        record(
            actor,
            coalition,
            "coalition.update",
            coalition,
            {"focal_point": None},
            {"focal_point": user.pk},
        )


def _focal_points(coalition: Coalition) -> int:
    return coalition.memberships.filter(role=Role.FOCAL_POINT).count()


@transaction.atomic
def add_member(
    actor: User | None, coalition: Coalition, user: User, role: str, organisation: Any = None
) -> Membership:
    membership, created = Membership.objects.get_or_create(
        coalition=coalition, user=user, defaults={"role": role, "organisation": organisation}
    )
    if created:
        record(
            actor, coalition, "membership.add", membership, after={"user": user.email, "role": role}
        )
        if role == Role.FOCAL_POINT:
            _name_focal_point_if_missing(actor, coalition, user)
    return membership


@transaction.atomic
def change_role(actor: User, membership: Membership, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if (
        membership.role == Role.FOCAL_POINT
        and role != Role.FOCAL_POINT
        and _focal_points(membership.coalition) <= 1
    ):
        raise ValidationError(_("A coalition needs at least one focal point."))
    before = {"role": membership.role}
    membership.role = role
    membership.save(update_fields=["role"])
    record(
        actor, membership.coalition, "membership.change_role", membership, before, {"role": role}
    )
    return membership


@transaction.atomic
def remove_member(actor: User, membership: Membership) -> None:
    if membership.role == Role.FOCAL_POINT and _focal_points(membership.coalition) <= 1:
        raise ValidationError(_("A coalition needs at least one focal point."))
    record(
        actor,
        membership.coalition,
        "membership.remove",
        membership,
        before={"user": membership.user.email, "role": membership.role},
    )
    membership.delete()


@transaction.atomic
def invite(actor: User, coalition: Coalition, email: str, role: str) -> Invitation:
    email = email.strip().lower()
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if Membership.objects.filter(coalition=coalition, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member.")})
    pending = [
        inv
        for inv in Invitation.objects.filter(coalition=coalition, email=email)
        if inv.status == InvitationStatus.PENDING
    ]
    if pending:
        raise ValidationError({"email": _("An invitation to this address is already pending.")})
    invitation = Invitation.objects.create(
        coalition=coalition, email=email, role=role, invited_by=actor
    )
    record(actor, coalition, "invitation.create", invitation, after={"email": email, "role": role})
    from commonground.coalitions.tasks import send_invitation_email

    enqueue(send_invitation_email, coalition=coalition, invitation_id=invitation.pk)
    return invitation


@transaction.atomic
def revoke_invitation(actor: User, invitation: Invitation) -> Invitation:
    if invitation.status != InvitationStatus.PENDING:
        raise ValidationError(_("Only pending invitations can be revoked."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record(
        actor,
        invitation.coalition,
        "invitation.revoke",
        invitation,
        {"status": "pending"},
        {"status": "revoked"},
    )
    return invitation


@transaction.atomic
def accept_invitation(user: User, invitation: Invitation) -> Membership:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != InvitationStatus.PENDING:
        raise ValidationError(_("This invitation is no longer valid."))
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    membership = Membership.objects.filter(coalition=invitation.coalition, user=user).first()
    if membership is None:
        membership = Membership.objects.create(
            coalition=invitation.coalition, user=user, role=invitation.role
        )
    if membership.role == Role.FOCAL_POINT:
        _name_focal_point_if_missing(user, invitation.coalition, user)
    record(
        user,
        invitation.coalition,
        "invitation.accept",
        invitation,
        {"status": "pending"},
        {"status": "accepted", "user": user.email, "role": membership.role},
    )
    return membership
