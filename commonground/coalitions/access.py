"""Read access to tenant data. Every view, endpoint and command reaches a coalition here.

"Missing" and "not yours" both give 404, so ids and short names of other coalitions leak
nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone

from commonground.accounts.models import User
from commonground.coalitions.models import Coalition, Invitation, Membership
from commonground.coalitions.roles import Can

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails


class AuthedRequest(HttpRequest):
    """A request from a signed-in user (for type checking views)."""

    user: User
    htmx: HtmxDetails


class CoalitionRequest(AuthedRequest):
    """A request that ``coalition_view`` has resolved to one of the user's coalitions."""

    membership: Membership
    coalition: Coalition


def memberships_for(user: Any) -> QuerySet[Membership]:
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("coalition")


def get_membership(user: Any, slug: str) -> Membership:
    try:
        # The profile's lead organisation and focal point come along: every page shows them.
        return (
            memberships_for(user)
            .select_related("coalition__lead_organisation", "coalition__focal_point")
            .get(coalition__slug=slug)
        )
    except Membership.DoesNotExist:
        raise Http404("No such coalition") from None


def coalitions_for(user: Any) -> QuerySet[Coalition]:
    if not getattr(user, "is_authenticated", False):
        return Coalition.objects.none()
    return Coalition.objects.filter(memberships__user=user)


def require(membership: Membership, capability: Can) -> None:
    if not membership.can(capability):
        raise PermissionDenied


def members_of(membership: Membership) -> QuerySet[Membership]:
    """Everyone in the coalition of ``membership``."""
    return Membership.objects.filter(coalition_id=membership.coalition_id).select_related(
        "user", "organisation"
    )


def pending_invitations_for(membership: Membership) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        coalition_id=membership.coalition_id,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )


def get_membership_in_coalition(membership: Membership, pk: int) -> Membership:
    try:
        return Membership.objects.select_related("user").get(
            coalition_id=membership.coalition_id, pk=pk
        )
    except Membership.DoesNotExist:
        raise Http404 from None


def get_invitation_in_coalition(membership: Membership, pk: int) -> Invitation:
    try:
        return Invitation.objects.get(coalition_id=membership.coalition_id, pk=pk)
    except Invitation.DoesNotExist:
        raise Http404 from None


def coalition_view(
    capability: Can = Can.VIEW,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Resolve ``slug`` to the user's membership, check the capability, remember the choice.

    The view receives ``request.membership`` and ``request.coalition``.
    """

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponseBase:
            membership = get_membership(request.user, slug)
            require(membership, capability)
            request.membership = membership  # type: ignore[attr-defined]
            request.coalition = membership.coalition  # type: ignore[attr-defined]
            # (HttpRequest gains these attributes here; views type them as CoalitionRequest.)
            if request.session.get("coalition") != slug:
                request.session["coalition"] = slug
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
