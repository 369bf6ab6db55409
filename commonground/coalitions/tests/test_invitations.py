from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from commonground.accounts.models import User
from commonground.coalitions import actions
from commonground.coalitions.models import Invitation, Membership
from commonground.coalitions.roles import Role
from conftest import World


def _invite(world: World, email: str, role: str = Role.MEMBER) -> Invitation:
    return actions.invite(world.owner, world.coalition, email, role)


def test_a_new_person_signs_up_from_the_link_and_joins(world: World) -> None:
    invitation = _invite(world, "newcomer@example.org", Role.COMMUNITY_REP)
    url = reverse("accounts:accept", args=[invitation.token])
    client = world.client(None)
    assert "Join Alpha City Coalition" in client.get(url).content.decode()
    response = client.post(url, {"full_name": "Nia Newcomer", "password": "a-long-passphrase-42"})
    assert response.status_code == 302
    assert response["Location"] == reverse("coalitions:dashboard", args=["alpha"])
    user = User.objects.get(email="newcomer@example.org")
    membership = Membership.objects.get(user=user)
    assert membership.coalition == world.coalition and membership.role == Role.COMMUNITY_REP
    assert client.get(response["Location"]).status_code == 200


def test_a_weak_password_is_refused_and_no_account_is_made(world: World) -> None:
    invitation = _invite(world, "weak@example.org")
    url = reverse("accounts:accept", args=[invitation.token])
    response = world.client(None).post(url, {"full_name": "W", "password": "123"})
    assert response.status_code == 200
    assert not User.objects.filter(email="weak@example.org").exists()


def test_someone_with_an_account_signs_in_first_then_joins(world: World) -> None:
    invitation = _invite(world, "outsider@b.test", Role.OBSERVER)
    url = reverse("accounts:accept", args=[invitation.token])
    response = world.client(None).get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client = world.client(world.outsider)
    client.post(url)
    assert Membership.objects.get(user=world.outsider, coalition=world.coalition).role == "observer"


def test_revoked_expired_and_used_links_stop_working(world: World) -> None:
    revoked = _invite(world, "r@example.org")
    actions.revoke_invitation(world.owner, revoked)
    expired = _invite(world, "e@example.org")
    expired.expires_at = timezone.now() - timedelta(minutes=1)
    expired.save(update_fields=["expires_at"])
    for invitation in (revoked, expired):
        url = reverse("accounts:accept", args=[invitation.token])
        response = world.client(None).post(url, {"full_name": "X", "password": "long-enough-pw-9"})
        assert response.status_code == 410
    assert not User.objects.filter(email__in=["r@example.org", "e@example.org"]).exists()


def test_an_unknown_token_is_not_found(world: World) -> None:
    url = reverse("accounts:accept", args=["no-such-token"])
    assert world.client(None).get(url).status_code == 404
