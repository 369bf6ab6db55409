from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from commonground.accounts.actions import regenerate_token
from conftest import World

from .conftest import ApiFor

EVERY_ENDPOINT = [
    ("get", "/api/v1/coalitions/"),
    ("get", "/api/v1/coalitions/alpha/"),
    ("patch", "/api/v1/coalitions/alpha/"),
    ("get", "/api/v1/coalitions/alpha/memberships/"),
    ("patch", "/api/v1/coalitions/alpha/memberships/1/"),
    ("delete", "/api/v1/coalitions/alpha/memberships/1/"),
    ("get", "/api/v1/coalitions/alpha/invitations/"),
    ("post", "/api/v1/coalitions/alpha/invitations/"),
    ("get", "/api/v1/coalitions/alpha/organisations/"),
    ("post", "/api/v1/coalitions/alpha/organisations/"),
    ("get", "/api/v1/coalitions/alpha/organisations/1/"),
    ("patch", "/api/v1/coalitions/alpha/organisations/1/"),
    ("get", "/api/v1/coalitions/alpha/contacts/"),
    ("post", "/api/v1/coalitions/alpha/contacts/"),
    ("get", "/api/v1/coalitions/alpha/contacts/1/"),
    ("patch", "/api/v1/coalitions/alpha/contacts/1/"),
    ("delete", "/api/v1/coalitions/alpha/contacts/1/"),
]


@pytest.mark.parametrize(("method", "path"), EVERY_ENDPOINT)
def test_it_asks_anonymous_callers_to_authenticate(
    world: World, api_for: ApiFor, method: str, path: str
) -> None:
    response = getattr(api_for(None), method)(path, {})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_it_accepts_a_real_token_in_the_authorization_header(world: World) -> None:
    token: Token = regenerate_token(world.member)  # what the account page does
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get("/api/v1/coalitions/")
    assert response.status_code == 200
    assert [c["slug"] for c in response.json()["results"]] == ["alpha"]
    response = client.get(f"/api/v1/coalitions/alpha/contacts/{world.contact.pk}/")
    assert response.status_code == 200
    response = client.get("/api/v1/coalitions/beta/")
    assert response.status_code == 404


def test_a_regenerated_token_replaces_the_old_one(world: World) -> None:
    old = regenerate_token(world.member).key
    new = regenerate_token(world.member).key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    assert client.get("/api/v1/coalitions/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Token {new}")
    assert client.get("/api/v1/coalitions/").status_code == 200


def test_it_refuses_a_wrong_token(world: World) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")
    assert client.get("/api/v1/coalitions/").status_code == 401


def test_a_signed_in_browser_session_also_works(world: World) -> None:
    response = world.client(world.observer).get("/api/v1/coalitions/alpha/organisations/")
    assert response.status_code == 200
    assert response.json()["count"] == 2
