"""Helpers for the municipal session tests, on top of the shared ``world`` fixture."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from commonground.accounts.models import User
from commonground.municipal.actions import start_session
from commonground.municipal.models import MunicipalSession
from conftest import World

ApiFor = Callable[[User | None], APIClient]


@pytest.fixture
def session(world: World) -> MunicipalSession:
    """Alpha's checklist, started by its focal point with the default items."""
    return start_session(world.owner, world.coalition)


@pytest.fixture
def api_for(world: World) -> ApiFor:
    def make(user: User | None) -> APIClient:
        client = APIClient()
        client.default_format = "json"
        if user is not None:
            client.force_authenticate(user)
        return client

    return make
