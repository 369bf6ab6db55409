from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from commonground.coalitions.models import AuditEntry, Invitation, Membership
from commonground.coalitions.roles import Role
from commonground.jobs.queue import run_pending
from conftest import World

MEMBERS = reverse("coalitions:members", args=["alpha"])


def test_every_reader_sees_the_member_list(world: World) -> None:
    for user in world.readers:
        response = world.client(user).get(MEMBERS)
        assert response.status_code == 200
        assert "mia member" in response.content.decode().lower()


def test_it_hides_other_coalitions_members(world: World) -> None:
    assert world.client(world.outsider).get(MEMBERS).status_code == 404


def test_the_member_list_keeps_a_bounded_query_count(
    world: World, django_assert_max_num_queries
) -> None:
    client = world.client(world.owner)
    with django_assert_max_num_queries(10):
        client.get(MEMBERS)


def test_a_focal_point_invites_by_email_and_the_worker_sends_it(world: World) -> None:
    response = world.client(world.owner).post(
        MEMBERS, {"email": "New.Person@Example.org", "role": Role.MEMBER}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(coalition=world.coalition)
    assert invitation.email == "new.person@example.org"
    assert run_pending() == 1
    assert len(mail.outbox) == 1
    assert invitation.token in mail.outbox[0].body
    assert "Alpha City Coalition" in mail.outbox[0].subject


@pytest.mark.parametrize("role", ["member", "community", "observer"])
def test_people_who_do_not_manage_cannot_invite(world: World, role: str) -> None:
    user = getattr(world, role)
    response = world.client(user).post(MEMBERS, {"email": "x@example.org", "role": "member"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_inviting_an_existing_member_is_refused_with_a_message(world: World) -> None:
    response = world.client(world.owner).post(MEMBERS, {"email": "member@a.test", "role": "member"})
    assert response.status_code == 200
    assert "already a member" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_focal_point_changes_a_role_and_it_is_audited(world: World) -> None:
    membership = Membership.objects.get(coalition=world.coalition, user=world.member)
    url = reverse("coalitions:member_role", args=["alpha", membership.pk])
    world.client(world.owner).post(url, {"role": Role.OBSERVER})
    membership.refresh_from_db()
    assert membership.role == Role.OBSERVER
    entry = AuditEntry.objects.filter(action="membership.change_role").latest("id")
    assert entry.before == {"role": "member"} and entry.after == {"role": "observer"}
    assert entry.actor == world.owner


def test_the_last_focal_point_cannot_step_down(world: World) -> None:
    membership = Membership.objects.get(coalition=world.coalition, user=world.owner)
    url = reverse("coalitions:member_role", args=["alpha", membership.pk])
    response = world.client(world.owner).post(url, {"role": Role.MEMBER}, follow=True)
    membership.refresh_from_db()
    assert membership.role == Role.FOCAL_POINT
    assert "at least one focal point" in response.content.decode()


def test_a_member_cannot_change_roles(world: World) -> None:
    membership = Membership.objects.get(coalition=world.coalition, user=world.observer)
    url = reverse("coalitions:member_role", args=["alpha", membership.pk])
    assert world.client(world.member).post(url, {"role": "focal_point"}).status_code == 403
    membership.refresh_from_db()
    assert membership.role == Role.OBSERVER


def test_an_outsider_cannot_touch_another_coalitions_memberships(world: World) -> None:
    membership = Membership.objects.get(coalition=world.coalition, user=world.member)
    # Through their own coalition's address, with a membership id from alpha:
    url = reverse("coalitions:member_remove", args=["beta", membership.pk])
    assert world.client(world.outsider).post(url).status_code == 404
    url = reverse("coalitions:member_remove", args=["alpha", membership.pk])
    assert world.client(world.outsider).post(url).status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_focal_point_removes_a_member(world: World) -> None:
    membership = Membership.objects.get(coalition=world.coalition, user=world.member)
    url = reverse("coalitions:member_remove", args=["alpha", membership.pk])
    world.client(world.owner).post(url)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEntry.objects.filter(action="membership.remove").exists()


def test_a_focal_point_revokes_a_pending_invitation(world: World) -> None:
    world.client(world.owner).post(MEMBERS, {"email": "late@example.org", "role": "member"})
    invitation = Invitation.objects.get()
    url = reverse("coalitions:invitation_revoke", args=["alpha", invitation.pk])
    assert world.client(world.outsider).post(url).status_code == 404
    world.client(world.owner).post(url)
    invitation.refresh_from_db()
    assert invitation.status == "revoked"
