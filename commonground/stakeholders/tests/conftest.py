"""Stakeholder test helpers on top of the shared ``world`` (see the project's conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from commonground.accounts.models import User
from commonground.organisations import actions as org_actions
from commonground.organisations.models import Organisation
from commonground.stakeholders import actions
from commonground.stakeholders.models import Stakeholder
from conftest import World

ApiFor = Callable[[User | None], APIClient]


@dataclass
class Map:
    """Alpha's stakeholder map: the Red Cross (engaged), a university, a person; Beta's own."""

    red_cross: Stakeholder
    university: Stakeholder
    person: Stakeholder
    other: Stakeholder  # on Beta's map: no one in Alpha may see it
    campus: Organisation


@pytest.fixture
def stakes(world: World) -> Map:
    campus = org_actions.create_organisation(
        world.owner, None, name="Universitas Alpha", acronym="UA", type="academia", level="city"
    )
    red_cross = actions.create_stakeholder(
        world.owner,
        world.coalition,
        stage="engaged",
        organisation=world.org,
        role="core_partner",
        engagement_model="partnership",
        power=4,
        interest=5,
    )
    university = actions.create_stakeholder(
        world.owner, world.coalition, organisation=campus, power=1, interest=4
    )
    person = actions.create_stakeholder(
        world.member,
        world.coalition,
        person_name="Ibu Siti Rahayu",
        lived_experience=True,
        brings="Knows every family on the riverbank",
    )
    other = actions.create_stakeholder(
        world.outsider, world.other, organisation=world.other_org, person_name=""
    )
    return Map(red_cross, university, person, other, campus)


@pytest.fixture
def api_for(world: World) -> ApiFor:
    def make(user: User | None) -> APIClient:
        client = APIClient()
        client.default_format = "json"
        if user is not None:
            client.force_authenticate(user)
        return client

    return make
