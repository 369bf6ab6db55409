"""Lookups every management command shares: a coalition by short name, a user by email."""

from __future__ import annotations

from django.core.management.base import CommandError

from commonground.accounts.models import User
from commonground.coalitions.models import Coalition


def coalition_named(slug: str) -> Coalition:
    coalition = Coalition.objects.filter(slug=slug).first()
    if coalition is None:
        raise CommandError(f"No coalition with short name {slug!r}")
    return coalition


def user_by_email(email: str, *, required: bool = False) -> User | None:
    """The user with this email (any case); None when no email is given."""
    if not email:
        return None
    user = User.objects.filter(email__iexact=email).first()
    if user is None and required:
        raise CommandError(f"No user with email {email!r}")
    return user
