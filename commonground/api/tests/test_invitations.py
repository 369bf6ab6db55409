from __future__ import annotations

import pytest

from commonground.coalitions import actions
from commonground.coalitions.models import AuditEntry, Invitation
from commonground.coalitions.roles import Role
from commonground.jobs.models import Job
from conftest import World

from .conftest import ApiFor

INVITATIONS = "/api/v1/coalitions/alpha/invitations/"


def test_every_reader_can_see_pending_invitations(world: World, api_for: ApiFor) -> None:
    actions.invite(world.owner, world.coalition, "new@a.test", Role.MEMBER)
    revoked = actions.invite(world.owner, world.coalition, "gone@a.test", Role.MEMBER)
    actions.revoke_invitation(world.owner, revoked)
    for user in world.readers:
        response = api_for(user).get(INVITATIONS)
        assert response.status_code == 200, user
        rows = response.json()["results"]
        assert [(r["email"], r["status"]) for r in rows] == [("new@a.test", "pending")]


def test_it_never_shows_the_invitation_token(world: World, api_for: ApiFor) -> None:
    invitation = actions.invite(world.owner, world.coalition, "new@a.test", Role.MEMBER)
    body = api_for(world.owner).get(INVITATIONS).content.decode()
    assert invitation.token not in body
    assert "token" not in body


@pytest.mark.parametrize("who", ["owner", "lead"])
def test_focal_points_and_lead_admins_can_invite(world: World, api_for: ApiFor, who: str) -> None:
    response = api_for(getattr(world, who)).post(
        INVITATIONS, {"email": " New@A.test ", "role": "community_rep"}
    )
    assert response.status_code == 201, response.json()
    assert response.json()["email"] == "new@a.test"
    assert response.json()["status"] == "pending"
    invitation = Invitation.objects.get(coalition=world.coalition)
    assert invitation.role == Role.COMMUNITY_REP
    assert AuditEntry.objects.filter(action="invitation.create", actor=getattr(world, who)).exists()
    assert Job.objects.filter(name__endswith="send_invitation_email").count() == 1


@pytest.mark.parametrize("who", ["member", "community", "observer"])
def test_members_community_reps_and_observers_cannot_invite(
    world: World, api_for: ApiFor, who: str
) -> None:
    response = api_for(getattr(world, who)).post(INVITATIONS, {"email": "x@a.test"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_it_hides_other_coalitions_invitations(world: World, api_for: ApiFor) -> None:
    actions.invite(world.owner, world.coalition, "new@a.test", Role.MEMBER)
    outsider = api_for(world.outsider)
    assert outsider.get(INVITATIONS).status_code == 404
    assert outsider.post(INVITATIONS, {"email": "spy@b.test"}).status_code == 404
    response = outsider.get("/api/v1/coalitions/beta/invitations/")
    assert response.json()["results"] == []
    assert Invitation.objects.count() == 1


def test_it_rejects_a_bad_email_with_a_field_error(world: World, api_for: ApiFor) -> None:
    response = api_for(world.owner).post(INVITATIONS, {"email": "not-an-email", "role": "boss"})
    assert response.status_code == 400
    assert set(response.json()) == {"email", "role"}
    assert not Invitation.objects.exists()


def test_it_refuses_to_invite_an_existing_member(world: World, api_for: ApiFor) -> None:
    response = api_for(world.owner).post(INVITATIONS, {"email": "member@a.test"})
    assert response.status_code == 400
    assert response.json() == {"email": ["This person is already a member."]}
    assert not Invitation.objects.exists()
    assert not Job.objects.exists()


def test_the_list_keeps_a_bounded_query_count(
    world: World, api_for: ApiFor, django_assert_max_num_queries
) -> None:
    for n in range(20):
        actions.invite(world.owner, world.coalition, f"n{n}@a.test", Role.MEMBER)
    client = api_for(world.observer)
    with django_assert_max_num_queries(3):
        response = client.get(INVITATIONS)
    assert response.json()["count"] == 20
