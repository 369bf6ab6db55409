from __future__ import annotations

import pytest

from commonground.accounts.models import User
from commonground.coalitions import actions
from commonground.coalitions.models import AuditEntry, Coalition
from commonground.coalitions.roles import Role
from conftest import World, make_user

from .conftest import ApiFor

ALPHA = "/api/v1/coalitions/alpha/"


def test_it_lists_only_my_coalitions_with_my_role(world: World, api_for: ApiFor) -> None:
    response = api_for(world.observer).get("/api/v1/coalitions/")
    assert response.status_code == 200
    assert [(c["slug"], c["role"]) for c in response.json()["results"]] == [("alpha", "observer")]

    response = api_for(world.outsider).get("/api/v1/coalitions/")
    assert [c["slug"] for c in response.json()["results"]] == ["beta"]


def test_every_reader_can_read_the_profile(world: World, api_for: ApiFor) -> None:
    for user in world.readers:
        response = api_for(user).get(ALPHA)
        assert response.status_code == 200, user
        assert response.json()["name"] == "Alpha City Coalition"


def test_it_hides_other_coalitions_profiles(world: World, api_for: ApiFor) -> None:
    client = api_for(world.outsider)
    assert client.get(ALPHA).status_code == 404
    assert client.patch(ALPHA, {"vision": "Mine now"}).status_code == 404
    # "Missing" looks exactly like "not yours".
    assert client.get("/api/v1/coalitions/nowhere/").json() == client.get(ALPHA).json()
    world.coalition.refresh_from_db()
    assert world.coalition.vision == ""


@pytest.mark.parametrize("who", ["owner", "lead"])
def test_focal_points_and_lead_admins_can_edit_the_profile(
    world: World, api_for: ApiFor, who: str
) -> None:
    user: User = getattr(world, who)
    response = api_for(user).patch(
        ALPHA,
        {
            "vision": "A city that floods less",
            "country": "id",
            "levels_engaged": ["city", "community"],
            "lead_organisation": world.org.pk,
            "focal_point": world.lead.pk,
        },
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["vision"] == "A city that floods less"
    assert body["country"] == "ID"
    assert (body["lead_organisation"], body["focal_point"]) == (world.org.pk, world.lead.pk)
    entry = AuditEntry.objects.get(action="coalition.update", actor=user)
    assert entry.after["vision"] == "A city that floods less"


@pytest.mark.parametrize("who", ["member", "community", "observer"])
def test_members_community_reps_and_observers_cannot_edit_the_profile(
    world: World, api_for: ApiFor, who: str
) -> None:
    before = AuditEntry.objects.count()
    response = api_for(getattr(world, who)).patch(ALPHA, {"vision": "Ours"})
    assert response.status_code == 403
    assert AuditEntry.objects.count() == before


def test_it_rejects_a_bad_country_with_a_field_error_and_writes_nothing(
    world: World, api_for: ApiFor
) -> None:
    before = AuditEntry.objects.count()
    response = api_for(world.owner).patch(ALPHA, {"country": "1x", "vision": "Changed"})
    assert response.status_code == 400
    assert "country" in response.json()
    world.coalition.refresh_from_db()
    assert (world.coalition.country, world.coalition.vision) == ("ID", "")
    assert AuditEntry.objects.count() == before


def test_it_only_accepts_a_lead_organisation_and_focal_point_from_this_coalition(
    world: World, api_for: ApiFor
) -> None:
    response = api_for(world.owner).patch(
        ALPHA, {"lead_organisation": world.other_org.pk, "focal_point": world.outsider.pk}
    )
    assert response.status_code == 400
    assert set(response.json()) == {"lead_organisation", "focal_point"}


def test_the_list_keeps_a_bounded_query_count(
    world: World, api_for: ApiFor, django_assert_max_num_queries
) -> None:
    for n in range(10):
        coalition: Coalition = actions.create_coalition(
            None, name=f"Town {n}", city=f"Town {n}", country="ES"
        )
        actions.add_member(None, coalition, world.member, Role.OBSERVER)
        actions.add_member(None, coalition, make_user(f"someone{n}@c.test"), Role.FOCAL_POINT)
    client = api_for(world.member)
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/coalitions/")
    assert response.json()["count"] == 11
    assert [c["name"] for c in response.json()["results"]][:2] == ["Alpha City Coalition", "Town 0"]
