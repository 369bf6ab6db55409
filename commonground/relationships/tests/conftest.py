"""Relationship tests share the project's ``world`` and a small network in its coalition.

``network`` (alpha): ARC (the world's Alpha Red Cross) – Bee – Cee in a triangle, Cee – Dee the
only link to Dee – Eff – Gee (another triangle), and Hach with no relationship:

    ARC ─ Bee       Eff ─ Gee
      \\   /          \\   /
       Cee ──────── Dee         Hach
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from commonground.accounts.models import User
from commonground.organisations import actions as org_actions
from commonground.organisations.models import Organisation
from commonground.relationships import actions
from commonground.relationships.models import Relationship
from commonground.relationships.network import forget
from conftest import World

ApiFor = Callable[[User | None], APIClient]


@dataclass
class SmallNetwork:
    orgs: dict[str, Organisation]
    relationships: list[Relationship]

    def __getitem__(self, name: str) -> Organisation:
        return self.orgs[name]


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with no cached network (ids repeat across test databases)."""
    forget()


@pytest.fixture
def network(world: World) -> SmallNetwork:
    orgs = {"ARC": world.org}
    for name, acronym in [
        ("Bee Foundation", "Bee"),
        ("Cee Council", "Cee"),
        ("Dee Kampung Forum", "Dee"),
        ("Eff Mosque Team", "Eff"),
        ("Gee Youth Group", "Gee"),
        ("Hach Radio", "Hach"),
    ]:
        orgs[acronym] = org_actions.create_organisation(
            world.owner, world.coalition, name=name, acronym=acronym
        )
    links = [
        ("ARC", "partners_with", "Bee", 4),
        ("Bee", "shares_information", "Cee", 3),
        ("ARC", "funds", "Cee", 5),
        ("Cee", "funds", "Dee", 2),
        ("Dee", "partners_with", "Eff", 4),
        ("Eff", "member_of", "Gee", 3),
        ("Dee", "reports_to", "Gee", 5),
    ]
    made = [
        actions.create_relationship(
            world.owner, world.coalition, orgs[a], orgs[b], kind, strength=s
        )
        for a, kind, b, s in links
    ]
    return SmallNetwork(orgs, made)


@pytest.fixture
def api_for(world: World) -> ApiFor:
    def make(user: User | None) -> APIClient:
        client = APIClient()
        client.default_format = "json"
        if user is not None:
            client.force_authenticate(user)
        return client

    return make
