"""What every endpoint shares: tenancy through the access helpers, capabilities, action errors.

A coalition-scoped endpoint resolves the ``slug`` in its URL with ``get_membership`` (404 alike
for "missing" and "not yours"), then checks the role's capability: ``Can.VIEW`` for reads and
the view's ``write_capability`` for anything else (403). Writes call actions, which raise
Django's ``ValidationError``; those become DRF 400 responses keyed by field.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, cast

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from commonground.accounts.models import User
from commonground.coalitions.access import get_membership
from commonground.coalitions.models import Coalition, Membership
from commonground.coalitions.roles import Can


def as_drf_error(error: DjangoValidationError) -> serializers.ValidationError:
    """An action's ValidationError as a DRF one: field errors by field, the rest as non-field."""
    non_field = api_settings.NON_FIELD_ERRORS_KEY
    if hasattr(error, "error_dict"):
        detail = {
            (non_field if field == NON_FIELD_ERRORS else field): messages
            for field, messages in error.message_dict.items()
        }
    else:
        detail = {non_field: error.messages}
    return serializers.ValidationError(detail)


class HasCoalitionCapability(permissions.BasePermission):
    """Reads need ``Can.VIEW``; other methods need the view's ``write_capability``.

    Resolving the membership raises 404 before any capability is checked, so an outsider
    cannot tell a coalition they are not in from one that does not exist.
    """

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not isinstance(view, CoalitionScopedViewSet) or "slug" not in view.kwargs:
            return True
        if request.method in permissions.SAFE_METHODS:
            capability = Can.VIEW
        else:
            capability = view.write_capability
        return view.membership.can(capability)


class ApiViewSet(viewsets.GenericViewSet):
    """Base for every endpoint: no implicit search or ordering, action errors as 400."""

    filter_backends: list[type[Any]] = []

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, DjangoValidationError):
            exc = as_drf_error(exc)
        return super().handle_exception(exc)

    @property
    def is_schema_view(self) -> bool:
        """True while drf-spectacular inspects the view (no user, no URL arguments)."""
        return bool(getattr(self, "swagger_fake_view", False))


class CoalitionScopedViewSet(ApiViewSet):
    """An endpoint under ``/coalitions/{slug}/``, seen by the requesting user's membership."""

    permission_classes = [permissions.IsAuthenticated, HasCoalitionCapability]
    write_capability: Can = Can.MANAGE

    @cached_property
    def membership(self) -> Membership:
        return get_membership(self.request.user, self.kwargs["slug"])

    @property
    def coalition(self) -> Coalition:
        return self.membership.coalition

    @property
    def actor(self) -> User:
        """The signed-in user, who performs the actions (``IsAuthenticated`` ran first)."""
        return cast(User, self.request.user)
