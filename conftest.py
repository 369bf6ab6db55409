"""The shared test world: two coalitions, a person in every role, and an outsider.

Every view and endpoint test takes ``world`` and proves both what its users see and that
the outsider (focal point of another coalition) sees nothing.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from commonground.accounts.models import User
from commonground.coalitions import actions as coalition_actions
from commonground.coalitions.models import Coalition
from commonground.coalitions.roles import Role
from commonground.organisations import actions as org_actions
from commonground.organisations.models import Contact, Organisation
from commonground.places.models import Layer


def pytest_configure() -> None:
    from django.conf import settings

    # Fast hashing: tests sign in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    coalition: Coalition
    other: Coalition
    owner: User  # focal point of `coalition`
    lead: User
    member: User
    community: User
    observer: User
    outsider: User  # focal point of `other`, no membership in `coalition`
    org: Organisation  # in `coalition`
    other_org: Organisation  # only in `other`
    contact: Contact  # kept by `coalition`
    other_contact: Contact  # kept by `other`, on the same shared organisation `org`

    def client(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    @property
    def readers(self) -> list[User]:
        return [self.owner, self.lead, self.member, self.community, self.observer]


def make_user(email: str, name: str = "") -> User:
    return User.objects.create_user(email, "correct-horse-battery", full_name=name or email)


@pytest.fixture
def world(db: None) -> World:
    owner = make_user("owner@a.test", "Olga Owner")
    lead = make_user("lead@a.test", "Leo Lead")
    member = make_user("member@a.test", "Mia Member")
    community = make_user("community@a.test", "Cai Community")
    observer = make_user("observer@a.test", "Oscar Observer")
    outsider = make_user("outsider@b.test", "Otto Outsider")
    coalition = coalition_actions.create_coalition(
        None, name="Alpha City Coalition", slug="alpha", city="Alpha", country="ID"
    )
    other = coalition_actions.create_coalition(
        None, name="Beta Town Coalition", slug="beta", city="Beta", country="ES"
    )
    for user, role in [
        (owner, Role.FOCAL_POINT),
        (lead, Role.LEAD_ADMIN),
        (member, Role.MEMBER),
        (community, Role.COMMUNITY_REP),
        (observer, Role.OBSERVER),
    ]:
        coalition_actions.add_member(None, coalition, user, role)
    coalition_actions.add_member(None, other, outsider, Role.FOCAL_POINT)
    org = org_actions.create_organisation(
        owner, coalition, name="Alpha Red Cross", acronym="ARC", type="red_cross", sectors=["hea"]
    )
    other_org = org_actions.create_organisation(
        outsider, other, name="Beta Flood Volunteers", type="community"
    )
    contact = org_actions.create_contact(
        owner, coalition, org, name="Ana Alpha", email="ana@arc.test"
    )
    other_contact = org_actions.create_contact(
        outsider, other, org, name="Bruno Beta Secret", email="bruno@beta.test"
    )
    return World(
        coalition,
        other,
        owner,
        lead,
        member,
        community,
        observer,
        outsider,
        org,
        other_org,
        contact,
        other_contact,
    )


@pytest.fixture
def client_for(world: World) -> Callable[[User | None], Client]:
    return world.client


JAKARTA = Path(__file__).resolve().parent.parent / "shared" / "data" / "jakarta"


@pytest.fixture
def jakarta_layers(world: World, tmp_path: Path, settings: Any) -> dict[str, Layer]:
    """Alpha's urban profile from the Jakarta sample data: districts, flood zones, buildings."""
    settings.DATA_DIR = tmp_path
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command(
        "import_areas",
        str(JAKARTA / "district_osm_jakarta.geojson"),
        coalition="alpha",
        level="subcity",
        name_field="KAB_NAME",
        **quiet,
    )
    call_command(
        "import_layer",
        str(JAKARTA / "flood_multipart_polygons.shp"),
        coalition="alpha",
        kind="hazard",
        name="Flood",
        class_field="FLOODPRONE",
        **quiet,
    )
    call_command(
        "import_layer",
        str(JAKARTA / "buildings.shp"),
        coalition="alpha",
        kind="buildings",
        name="Buildings",
        **quiet,
    )
    return {layer.name: layer for layer in Layer.objects.filter(coalition=world.coalition)}


@pytest.fixture
def profile_inputs(world: World, jakarta_layers: dict[str, Layer]) -> dict[str, Any]:
    """Communities, people and a finished exposure analysis, ready for a risk profile."""
    from commonground.places.tests.risk_setup import make_profile_inputs

    return make_profile_inputs(world)
