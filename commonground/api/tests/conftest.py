"""API test helpers on top of the shared ``world`` fixture (see the project's conftest.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from commonground.accounts.models import User
from conftest import World

ApiFor = Callable[[User | None], APIClient]


@pytest.fixture
def api_for(world: World) -> ApiFor:
    """A JSON API client authenticated as ``user``, or anonymous for None."""

    def make(user: User | None) -> APIClient:
        client = APIClient()
        client.default_format = "json"
        if user is not None:
            client.force_authenticate(user)
        return client

    return make
