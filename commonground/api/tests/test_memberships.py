from __future__ import annotations

import pytest

from commonground.coalitions import actions
from commonground.coalitions.models import AuditEntry, Membership
from commonground.coalitions.roles import Role
from conftest import World, make_user

from .conftest import ApiFor

MEMBERS = "/api/v1/coalitions/alpha/memberships/"


def membership_of(world: World, who: str) -> Membership:
    return Membership.objects.get(coalition=world.coalition, user=getattr(world, who))


def test_every_reader_can_list_the_members(world: World, api_for: ApiFor) -> None:
    for user in world.readers:
        response = api_for(user).get(MEMBERS)
        assert response.status_code == 200, user
        emails = {row["user"]["email"] for row in response.json()["results"]}
        assert emails == {u.email for u in world.readers}


def test_it_filters_members_by_role(world: World, api_for: ApiFor) -> None:
    response = api_for(world.observer).get(MEMBERS, {"role": "focal_point"})
    assert [row["user"]["email"] for row in response.json()["results"]] == ["owner@a.test"]


def test_it_rejects_an_unknown_role_filter(world: World, api_for: ApiFor) -> None:
    response = api_for(world.observer).get(MEMBERS, {"role": "king"})
    assert response.status_code == 400
    assert "role" in response.json()


def test_every_reader_can_read_one_membership(world: World, api_for: ApiFor) -> None:
    pk = membership_of(world, "member").pk
    response = api_for(world.community).get(f"{MEMBERS}{pk}/")
    assert response.status_code == 200
    assert response.json()["role"] == "member"


def test_it_hides_other_coalitions_members(world: World, api_for: ApiFor) -> None:
    outsider = api_for(world.outsider)
    pk = membership_of(world, "member").pk
    assert outsider.get(MEMBERS).status_code == 404
    assert outsider.get(f"{MEMBERS}{pk}/").status_code == 404
    assert outsider.patch(f"{MEMBERS}{pk}/", {"role": "observer"}).status_code == 404
    assert outsider.delete(f"{MEMBERS}{pk}/").status_code == 404
    # Beta's membership cannot be reached through alpha, even by alpha's focal point.
    beta_pk = Membership.objects.get(coalition=world.other).pk
    owner = api_for(world.owner)
    assert owner.get(f"{MEMBERS}{beta_pk}/").status_code == 404
    assert owner.delete(f"{MEMBERS}{beta_pk}/").status_code == 404
    assert Membership.objects.filter(pk=beta_pk).exists()
    assert membership_of(world, "member").role == Role.MEMBER


@pytest.mark.parametrize("who", ["owner", "lead"])
def test_focal_points_and_lead_admins_can_change_a_role(
    world: World, api_for: ApiFor, who: str
) -> None:
    pk = membership_of(world, "observer").pk
    response = api_for(getattr(world, who)).patch(f"{MEMBERS}{pk}/", {"role": "member"})
    assert response.status_code == 200
    assert response.json()["role"] == "member"
    assert membership_of(world, "observer").role == Role.MEMBER
    entry = AuditEntry.objects.get(action="membership.change_role", actor=getattr(world, who))
    assert (entry.before, entry.after) == ({"role": "observer"}, {"role": "member"})


@pytest.mark.parametrize("who", ["member", "community", "observer"])
def test_members_community_reps_and_observers_cannot_change_members(
    world: World, api_for: ApiFor, who: str
) -> None:
    pk = membership_of(world, "observer").pk
    client = api_for(getattr(world, who))
    assert client.patch(f"{MEMBERS}{pk}/", {"role": "focal_point"}).status_code == 403
    assert client.delete(f"{MEMBERS}{pk}/").status_code == 403
    assert membership_of(world, "observer").role == Role.OBSERVER


def test_it_rejects_an_unknown_role_with_a_field_error(world: World, api_for: ApiFor) -> None:
    pk = membership_of(world, "observer").pk
    response = api_for(world.owner).patch(f"{MEMBERS}{pk}/", {"role": "king"})
    assert response.status_code == 400
    assert "role" in response.json()


def test_it_keeps_the_last_focal_point(world: World, api_for: ApiFor) -> None:
    pk = membership_of(world, "owner").pk
    client = api_for(world.lead)
    response = client.patch(f"{MEMBERS}{pk}/", {"role": "member"})
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["A coalition needs at least one focal point."]}
    assert client.delete(f"{MEMBERS}{pk}/").status_code == 400
    assert membership_of(world, "owner").role == Role.FOCAL_POINT
    assert not AuditEntry.objects.filter(action="membership.change_role").exists()
    assert not AuditEntry.objects.filter(action="membership.remove").exists()


def test_a_focal_point_can_remove_a_member(world: World, api_for: ApiFor) -> None:
    pk = membership_of(world, "community").pk
    response = api_for(world.owner).delete(f"{MEMBERS}{pk}/")
    assert response.status_code == 204
    assert not Membership.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.get(action="membership.remove")
    assert entry.actor == world.owner
    assert entry.before == {"user": "community@a.test", "role": "community_rep"}


def test_the_list_keeps_a_bounded_query_count(
    world: World, api_for: ApiFor, django_assert_max_num_queries
) -> None:
    for n in range(30):
        actions.add_member(None, world.coalition, make_user(f"m{n}@a.test"), Role.MEMBER)
    client = api_for(world.observer)
    with django_assert_max_num_queries(3):
        response = client.get(MEMBERS)
    assert response.json()["count"] == 35
