from __future__ import annotations

from django.urls import reverse

from conftest import World


def test_it_shows_profile_members_and_organisations_by_type(world: World) -> None:
    response = world.client(world.observer).get(reverse("coalitions:dashboard", args=["alpha"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Alpha City Coalition" in body
    assert "Red Cross / Red Crescent" in body
    assert "Observer" in body
    assert "Olga Owner" in body  # the first focal point is named on the profile
    assert "added an organisation: Alpha Red Cross" in body  # recent activity, in words


def test_it_hides_other_coalitions_dashboards(world: World) -> None:
    response = world.client(world.outsider).get(reverse("coalitions:dashboard", args=["alpha"]))
    assert response.status_code == 404


def test_it_asks_anonymous_visitors_to_sign_in(world: World) -> None:
    response = world.client(None).get(reverse("coalitions:dashboard", args=["alpha"]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_keeps_a_bounded_query_count(world: World, django_assert_max_num_queries) -> None:
    client = world.client(world.owner)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("coalitions:dashboard", args=["alpha"])).status_code == 200
