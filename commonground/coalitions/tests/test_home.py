from __future__ import annotations

from django.urls import reverse

from commonground.coalitions import actions
from commonground.coalitions.roles import Role
from conftest import World, make_user


def test_home_takes_a_member_to_their_coalition(world: World) -> None:
    response = world.client(world.member).get(reverse("home"))
    assert response["Location"] == reverse("coalitions:dashboard", args=["alpha"])


def test_home_remembers_the_coalition_last_switched_to(world: World) -> None:
    actions.add_member(None, world.other, world.member, Role.OBSERVER)
    client = world.client(world.member)
    client.get(reverse("coalitions:dashboard", args=["beta"]))
    assert client.get(reverse("home"))["Location"] == reverse("coalitions:dashboard", args=["beta"])


def test_the_switcher_lists_only_my_coalitions(world: World) -> None:
    actions.add_member(None, world.other, world.member, Role.OBSERVER)
    body = world.client(world.member).get(reverse("coalitions:dashboard", args=["alpha"]))
    assert "Beta Town Coalition" in body.content.decode()
    body = world.client(world.observer).get(reverse("coalitions:dashboard", args=["alpha"]))
    assert "Beta Town Coalition" not in body.content.decode()


def test_someone_without_a_coalition_gets_a_clear_empty_state(world: World) -> None:
    lonely = make_user("lonely@example.org")
    response = world.client(lonely).get(reverse("home"))
    assert response.status_code == 200
    assert "not in a coalition yet" in response.content.decode()


def test_site_staff_create_a_coalition_and_invite_its_focal_point(world: World) -> None:
    staff = make_user("staff@example.org")
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    response = world.client(staff).post(
        reverse("coalitions:create"),
        {"name": "Gamma", "city": "Gamma", "country": "fr", "focal_point_email": "g@example.org"},
    )
    assert response.status_code == 302
    coalition = world.coalition.__class__.objects.get(name="Gamma")
    assert coalition.country == "FR"
    assert coalition.invitations.get().role == Role.FOCAL_POINT


def test_people_who_are_not_staff_cannot_create_coalitions(world: World) -> None:
    response = world.client(world.owner).get(reverse("coalitions:create"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
