"""The network level: a city asks on a theme, partners offer, the best fit is suggested."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from commonground.accounts.models import User
from commonground.network import actions
from commonground.network.models import CityRequest, PartnerOffer, Theme
from conftest import World


@pytest.fixture
def themes(db: None) -> dict[str, Theme]:
    actions.ensure_themes()
    return {theme.slug: theme for theme in Theme.objects.all()}


def test_a_citys_request_finds_the_partner_on_its_theme(
    world: World, themes: dict[str, Theme]
) -> None:
    client = world.client(world.owner)
    response = client.post(
        reverse("cities:request_create"),
        {
            "coalition": world.coalition.pk,
            "theme": themes["waste-circular-economy"].pk,
            "kind": "expertise",
            "title": "Design a composting scheme for markets",
            "description": "Organic waste from 12 markets clogs the drains.",
        },
    )
    assert response.status_code == 302
    request = CityRequest.objects.get()
    right = actions.create_offer(
        world.member,
        [themes["waste-circular-economy"]],
        organisation=world.org,
        kind="expertise",
        title="Circular economy advisers: composting and market waste",
    )
    actions.create_offer(
        world.member,
        [themes["urban-finance-local-economy"]],
        organisation=world.org,
        kind="expertise",
        title="Municipal bond advisers",
    )
    actions.create_offer(
        world.member,
        [themes["waste-circular-economy"]],
        organisation=world.org,
        kind="funding",
        title="Grants for recycling start-ups",
        amount=Decimal(50000),
        unit="USD",
    )
    page = world.client(world.outsider).get(reverse("cities:request", args=[request.pk]))
    body = page.content.decode()
    assert body.index("Circular economy advisers") < body.index("Grants for recycling")
    assert "Municipal bond advisers" not in body  # another theme
    # Only the city's own managers settle it.
    agree = reverse("cities:request_agree", args=[request.pk])
    assert world.client(world.outsider).post(agree, {"offer": right.pk}).status_code == 403
    assert client.post(agree, {"offer": right.pk}).status_code == 302
    request.refresh_from_db()
    assert request.status == "agreed" and request.partner_offer == right


def test_only_managers_ask_for_their_own_coalition(world: World, themes: dict[str, Theme]) -> None:
    with pytest.raises(PermissionDenied):
        actions.create_request(
            world.member,
            coalition=world.coalition,
            theme=themes["climate-resilience"],
            kind="funding",
            title="x",
        )
    with pytest.raises(PermissionDenied):
        actions.create_request(
            world.outsider,
            coalition=world.coalition,
            theme=themes["climate-resilience"],
            kind="funding",
            title="x",
        )
    response = world.client(world.owner).post(
        reverse("cities:request_create"),
        {
            "coalition": world.other.pk,
            "theme": themes["climate-resilience"].pk,
            "kind": "funding",
            "title": "Not mine",
        },
    )
    assert response.status_code == 200 and not CityRequest.objects.exists()


def test_the_network_page_is_for_people_in_a_coalition(
    world: World, themes: dict[str, Theme]
) -> None:
    loner = User.objects.create_user("loner@x.test", "correct-horse-battery")
    client = Client()
    assert client.get(reverse("cities:index")).status_code == 302  # to sign in
    client.force_login(loner)
    assert client.get(reverse("cities:index")).status_code == 403
    page = world.client(world.observer).get(reverse("cities:index")).content.decode()
    assert "Climate resilience" in page
    assert world.client(world.observer).get(reverse("cities:offer_create")).status_code == 403


def test_the_network_adds_themes(world: World, themes: dict[str, Theme]) -> None:
    client = world.client(world.owner)
    client.post(reverse("cities:theme_add"), {"name": "Heat and public health"})
    assert Theme.objects.filter(slug="heat-and-public-health").exists()
    client.post(reverse("cities:theme_add"), {"name": "Heat and public health"})
    assert Theme.objects.filter(name="Heat and public health").count() == 1
    world.client(world.observer).post(reverse("cities:theme_add"), {"name": "Observers' theme"})
    assert not Theme.objects.filter(name="Observers' theme").exists()
    assert PartnerOffer.objects.count() == 0


def test_the_api_lists_asks_and_ranks(world: World, themes: dict[str, Theme]) -> None:
    from rest_framework.test import APIClient

    owner = APIClient()
    owner.force_authenticate(world.owner)
    theme = themes["climate-resilience"].pk
    response = owner.post(
        "/api/v1/network/requests/",
        {
            "coalition": world.coalition.pk,
            "theme": theme,
            "kind": "funding",
            "title": "Green roofs for schools",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    denied = owner.post(
        "/api/v1/network/requests/",
        {"coalition": world.other.pk, "theme": theme, "kind": "funding", "title": "x"},
        format="json",
    )
    assert denied.status_code == 400  # not a coalition the owner speaks for
    member = APIClient()
    member.force_authenticate(world.member)
    response = member.post(
        "/api/v1/network/offers/",
        {
            "organisation": world.org.pk,
            "themes": [theme],
            "kind": "funding",
            "title": "Climate adaptation grants for schools",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    request_id = CityRequest.objects.get().pk
    ranked = member.get(f"/api/v1/network/requests/{request_id}/offers/").json()
    assert ranked[0]["offer"]["title"] == "Climate adaptation grants for schools"
    assert ranked[0]["parts"]["category"] >= 0.8
    loner = APIClient()
    loner.force_authenticate(User.objects.create_user("loner@x.test", "correct-horse-battery"))
    assert loner.get("/api/v1/network/requests/").status_code == 403
