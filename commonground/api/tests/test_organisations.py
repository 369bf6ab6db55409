from __future__ import annotations

from typing import Any

import pytest

from commonground.coalitions.models import AuditEntry
from commonground.organisations import actions
from commonground.organisations.models import CoalitionOrganisation, Organisation
from conftest import World

from .conftest import ApiFor

ORGS = "/api/v1/coalitions/alpha/organisations/"

NEW_ORG: dict[str, Any] = {
    "name": "Kampung Melayu Youth Rescue",
    "acronym": "KMYR",
    "type": "community",
    "level": "community",
    "sectors": ["shl", "wsh"],
    "latitude": -6.2251,
    "longitude": 106.8656,
    "capacities": ["search and rescue", "first aid"],
    "resources": ["boats"],
    "expertise": [],
}


def names(response: Any) -> list[str]:
    return [row["name"] for row in response.json()["results"]]


def test_every_reader_can_list_the_shared_registry(world: World, api_for: ApiFor) -> None:
    for user in world.readers:
        response = api_for(user).get(ORGS)
        assert response.status_code == 200, user
        rows = {row["name"]: row["in_coalition"] for row in response.json()["results"]}
        assert rows == {"Alpha Red Cross": True, "Beta Flood Volunteers": False}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"scope": "coalition"}, ["Alpha Red Cross"]),
        ({"q": "arc"}, ["Alpha Red Cross"]),
        ({"q": "flood"}, ["Beta Flood Volunteers"]),
        ({"type": "community"}, ["Beta Flood Volunteers"]),
        ({"sector": "hea"}, ["Alpha Red Cross"]),
        ({"sector": "wsh"}, []),
        ({"level": "city"}, ["Alpha Red Cross", "Beta Flood Volunteers"]),
    ],
)
def test_it_filters_the_registry_like_the_list_page(
    world: World, api_for: ApiFor, params: dict[str, str], expected: list[str]
) -> None:
    assert names(api_for(world.observer).get(ORGS, params)) == expected


def test_it_rejects_unknown_filter_values(world: World, api_for: ApiFor) -> None:
    response = api_for(world.observer).get(ORGS, {"sector": "xyz", "type": "alien"})
    assert response.status_code == 400
    assert set(response.json()) == {"sector", "type"}


def test_the_detail_shows_the_profile_and_only_this_coalitions_contacts(
    world: World, api_for: ApiFor
) -> None:
    response = api_for(world.community).get(f"{ORGS}{world.org.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["sectors"] == ["hea"]
    assert body["in_coalition"] is True
    assert {"latitude", "longitude", "capacities", "resources", "expertise"} <= set(body)
    assert [c["name"] for c in body["contacts"]] == ["Ana Alpha"]
    assert "Bruno" not in response.content.decode()


def test_beta_sees_the_same_organisation_with_only_its_own_contacts(
    world: World, api_for: ApiFor
) -> None:
    response = api_for(world.outsider).get(f"/api/v1/coalitions/beta/organisations/{world.org.pk}/")
    assert response.status_code == 200
    assert response.json()["in_coalition"] is False
    assert [c["name"] for c in response.json()["contacts"]] == ["Bruno Beta Secret"]
    assert "Ana" not in response.content.decode()


def test_it_hides_alpha_from_outsiders(world: World, api_for: ApiFor) -> None:
    outsider = api_for(world.outsider)
    assert outsider.get(ORGS).status_code == 404
    assert outsider.get(f"{ORGS}{world.org.pk}/").status_code == 404
    assert outsider.post(ORGS, NEW_ORG).status_code == 404
    assert outsider.patch(f"{ORGS}{world.org.pk}/", {"name": "Taken"}).status_code == 404
    world.org.refresh_from_db()
    assert world.org.name == "Alpha Red Cross"
    assert not Organisation.objects.filter(name=NEW_ORG["name"]).exists()


def test_a_missing_organisation_is_not_found(world: World, api_for: ApiFor) -> None:
    assert api_for(world.owner).get(f"{ORGS}999999/").status_code == 404


@pytest.mark.parametrize("who", ["owner", "lead", "member"])
def test_editors_can_create_an_organisation_which_joins_the_coalition(
    world: World, api_for: ApiFor, who: str
) -> None:
    response = api_for(getattr(world, who)).post(ORGS, NEW_ORG)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["in_coalition"] is True
    assert body["sectors"] == ["shl", "wsh"]
    assert body["capacities"] == ["search and rescue", "first aid"]
    assert body["contacts"] == []
    organisation = Organisation.objects.get(pk=body["id"])
    assert organisation.latitude == pytest.approx(-6.2251)
    assert CoalitionOrganisation.objects.filter(
        coalition=world.coalition, organisation=organisation
    ).exists()
    entry = AuditEntry.objects.get(action="organisation.create", target_id=str(organisation.pk))
    assert (entry.actor, entry.coalition) == (getattr(world, who), world.coalition)


@pytest.mark.parametrize("who", ["community", "observer"])
def test_community_reps_and_observers_cannot_change_the_registry(
    world: World, api_for: ApiFor, who: str
) -> None:
    client = api_for(getattr(world, who))
    assert client.post(ORGS, NEW_ORG).status_code == 403
    assert client.patch(f"{ORGS}{world.org.pk}/", {"name": "Renamed"}).status_code == 403
    assert not Organisation.objects.filter(name=NEW_ORG["name"]).exists()
    world.org.refresh_from_db()
    assert world.org.name == "Alpha Red Cross"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"sectors": ["hea", "xyz"]}, "sectors"),
        ({"latitude": 123.0}, "latitude"),
        ({"longitude": "east"}, "longitude"),
        ({"type": "alien"}, "type"),
        ({"website": "not a url"}, "website"),
        ({"name": ""}, "name"),
    ],
)
def test_it_rejects_bad_input_with_field_errors_and_writes_nothing(
    world: World, api_for: ApiFor, change: dict[str, Any], field: str
) -> None:
    client = api_for(world.member)
    before = AuditEntry.objects.count()
    response = client.post(ORGS, {**NEW_ORG, **change})
    assert response.status_code == 400
    assert field in response.json()
    response = client.patch(f"{ORGS}{world.org.pk}/", change)
    assert response.status_code == 400
    assert field in response.json()
    assert not Organisation.objects.filter(name=NEW_ORG["name"]).exists()
    org = Organisation.objects.get(pk=world.org.pk)
    assert (org.name, org.sectors, org.latitude) == ("Alpha Red Cross", ["hea"], None)
    assert AuditEntry.objects.count() == before


def test_it_asks_before_creating_a_likely_duplicate(world: World, api_for: ApiFor) -> None:
    client = api_for(world.member)
    response = client.post(ORGS, {"name": "Alpha Red-Cross", "type": "red_cross"})
    assert response.status_code == 400
    assert f"id {world.org.pk}" in response.json()["confirm_not_duplicate"][0]
    assert Organisation.objects.count() == 2

    confirmed = {"name": "Alpha Red-Cross", "type": "red_cross", "confirm_not_duplicate": True}
    assert client.post(ORGS, confirmed).status_code == 201
    assert Organisation.objects.count() == 3


def test_a_member_can_edit_an_organisation_and_it_is_audited(world: World, api_for: ApiFor) -> None:
    response = api_for(world.member).patch(
        f"{ORGS}{world.org.pk}/", {"acronym": "ARCS", "sectors": ["hea", "shl"], "latitude": -6.2}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["acronym"] == "ARCS"
    org = Organisation.objects.get(pk=world.org.pk)
    assert (org.acronym, org.sectors, org.latitude) == ("ARCS", ["hea", "shl"], -6.2)
    entry = AuditEntry.objects.get(action="organisation.update")
    assert entry.actor == world.member
    assert entry.before == {"acronym": "ARC", "sectors": ["hea"], "latitude": None}


def test_an_editor_can_add_a_registry_organisation_to_the_coalition_and_take_it_off(
    world: World, api_for: ApiFor
) -> None:
    client = api_for(world.member)
    detail = f"{ORGS}{world.other_org.pk}/"
    response = client.patch(detail, {"in_coalition": True})
    assert response.status_code == 200
    assert response.json()["in_coalition"] is True
    entry = AuditEntry.objects.get(action="organisation.join")
    assert (entry.actor, entry.coalition) == (world.member, world.coalition)

    response = client.patch(detail, {"in_coalition": False})
    assert response.json()["in_coalition"] is False
    entry = AuditEntry.objects.get(action="organisation.leave")
    assert (entry.actor, entry.coalition) == (world.member, world.coalition)
    # Beta's own list is untouched.
    assert CoalitionOrganisation.objects.filter(
        coalition=world.other, organisation=world.other_org
    ).exists()


def test_the_list_keeps_a_bounded_query_count(
    world: World, api_for: ApiFor, django_assert_max_num_queries
) -> None:
    for n in range(60):
        actions.create_organisation(
            world.owner, world.coalition if n % 2 else None, name=f"Org {n:02}", sectors=["hea"]
        )
    client = api_for(world.observer)
    with django_assert_max_num_queries(3):
        response = client.get(ORGS, {"sector": "hea"})
    body = response.json()
    assert body["count"] == 61
    assert len(body["results"]) == 50
    assert body["results"][0]["name"] == "Alpha Red Cross"
    assert (
        client.get(ORGS, {"sector": "hea", "page": "2"}).json()["results"][-1]["name"] == "Org 59"
    )
