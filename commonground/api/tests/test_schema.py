from __future__ import annotations

from django.test import Client

PATHS = [
    "/api/v1/coalitions/",
    "/api/v1/coalitions/{slug}/",
    "/api/v1/coalitions/{slug}/memberships/",
    "/api/v1/coalitions/{slug}/memberships/{id}/",
    "/api/v1/coalitions/{slug}/invitations/",
    "/api/v1/coalitions/{slug}/organisations/",
    "/api/v1/coalitions/{slug}/organisations/{id}/",
    "/api/v1/coalitions/{slug}/contacts/",
    "/api/v1/coalitions/{slug}/contacts/{id}/",
]


def test_the_schema_lists_every_endpoint(db: None) -> None:
    response = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert set(PATHS) <= set(schema["paths"])
    assert set(schema["paths"]["/api/v1/coalitions/{slug}/contacts/{id}/"]) == {
        "get",
        "patch",
        "delete",
    }
    assert "put" not in schema["paths"]["/api/v1/coalitions/{slug}/"]


def test_the_schema_never_describes_the_invitation_token(db: None) -> None:
    response = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert "token" not in response.json()["components"]["schemas"]["Invitation"]["properties"]


def test_the_swagger_page_loads(db: None) -> None:
    assert Client().get("/api/docs/").status_code == 200
