"""The relationships API: the same rules and permissions as the pages."""

from __future__ import annotations

from django.test import Client

from commonground.coalitions.models import AuditEntry
from commonground.relationships.models import Relationship
from conftest import World

from .conftest import ApiFor, SmallNetwork

RELS = "/api/v1/coalitions/alpha/relationships/"


def test_every_reader_lists_the_relationships(
    world: World, network: SmallNetwork, api_for: ApiFor
) -> None:
    for user in world.readers:
        response = api_for(user).get(RELS)
        assert response.status_code == 200, user
        assert response.json()["count"] == 7
    row = api_for(world.observer).get(RELS, {"type": "funds", "strength": "5"}).json()["results"]
    assert [(r["source_name"], r["type"], r["target_name"]) for r in row] == [
        ("Alpha Red Cross", "funds", "Cee Council")
    ]
    assert api_for(world.observer).get(RELS, {"type": "hugs"}).status_code == 400


def test_outsiders_get_404_everywhere(world: World, network: SmallNetwork, api_for: ApiFor) -> None:
    client = api_for(world.outsider)
    pk = network.relationships[0].pk
    for url in (RELS, f"{RELS}{pk}/", f"{RELS}metrics/", f"{RELS}path/?source=1&target=2"):
        assert client.get(url).status_code == 404, url
    assert client.delete(f"{RELS}{pk}/").status_code == 404
    assert client.get("/api/v1/coalitions/beta/relationships/").json()["count"] == 0
    assert client.get(f"/api/v1/coalitions/beta/relationships/{pk}/").status_code == 404
    assert api_for(None).get(RELS).status_code in {401, 403}


def test_a_member_creates_edits_and_deletes_a_relationship(
    world: World, network: SmallNetwork, api_for: ApiFor
) -> None:
    client = api_for(world.member)
    response = client.post(
        RELS,
        {"source": network["Hach"].pk, "target": network["Bee"].pk, "type": "partners_with"},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["directed"] is False and body["strength"] == 3
    pk = body["id"]
    response = client.patch(f"{RELS}{pk}/", {"strength": 5, "notes": "Radio partnership"})
    assert response.status_code == 200 and response.json()["strength"] == 5
    assert client.delete(f"{RELS}{pk}/").status_code == 204
    actions = list(
        AuditEntry.objects.filter(target_id=str(pk), action__startswith="relationship.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["relationship.create", "relationship.update", "relationship.delete"]


def test_the_api_refuses_what_the_pages_refuse(
    world: World, network: SmallNetwork, api_for: ApiFor
) -> None:
    client = api_for(world.member)
    same = {"source": network["ARC"].pk, "target": network["Cee"].pk, "type": "funds"}
    response = client.post(RELS, same)
    assert response.status_code == 400 and "already recorded" in str(response.json())
    itself = {"source": network["Bee"].pk, "target": network["Bee"].pk, "type": "funds"}
    assert "target" in client.post(RELS, itself).json()
    foreign = {"source": network["Bee"].pk, "target": world.other_org.pk, "type": "funds"}
    assert "target" in client.post(RELS, foreign).json()
    weak = {
        "source": network["Bee"].pk,
        "target": network["Hach"].pk,
        "type": "funds",
        "strength": 9,
    }
    assert "strength" in client.post(RELS, weak).json()
    assert Relationship.objects.count() == 7


def test_observers_and_community_representatives_only_read(
    world: World, network: SmallNetwork, api_for: ApiFor
) -> None:
    pk = network.relationships[0].pk
    new = {"source": network["Hach"].pk, "target": network["Bee"].pk, "type": "funds"}
    for user in (world.observer, world.community):
        client = api_for(user)
        assert client.post(RELS, new).status_code == 403
        assert client.patch(f"{RELS}{pk}/", {"strength": 1}).status_code == 403
        assert client.delete(f"{RELS}{pk}/").status_code == 403
        assert client.get(f"{RELS}{pk}/").status_code == 200


def test_the_metrics_name_bridges_communities_and_the_isolated(
    world: World, network: SmallNetwork, api_for: ApiFor
) -> None:
    data = api_for(world.community).get(f"{RELS}metrics/").json()
    assert data["summary"]["nodes"] == 7 and data["summary"]["ties"] == 7
    assert data["summary"]["betweenness_sources"] is None
    cee, dee = network["Cee"].pk, network["Dee"].pk
    assert data["bridges"] == [[min(cee, dee), max(cee, dee)]]
    assert set(data["articulation_points"]) == {cee, dee}
    assert data["isolated"] == [network["Hach"].pk]
    assert len(data["communities"]) == 2
    assert {n["name"] for n in data["nodes"][:2]} == {"Cee Council", "Dee Kampung Forum"}
    assert data["nodes"][0]["betweenness"] == 0.4
    assert len(api_for(world.community).get(f"{RELS}metrics/", {"limit": 3}).json()["nodes"]) == 3


def test_the_path_endpoint_says_who_could_introduce_whom(
    world: World, network: SmallNetwork, api_for: ApiFor
) -> None:
    client = api_for(world.observer)
    params = {"source": network["Bee"].pk, "target": network["Eff"].pk}
    data = client.get(f"{RELS}path/", params).json()
    assert data["found"] is True
    assert data["names"] == [
        "Bee Foundation",
        "Cee Council",
        "Dee Kampung Forum",
        "Eff Mosque Team",
    ]
    assert data["steps"][0]["types"] == ["shares_information"]
    params = {"source": network["Bee"].pk, "target": network["Hach"].pk}
    assert client.get(f"{RELS}path/", params).json()["found"] is False
    params = {"source": network["Bee"].pk, "target": world.other_org.pk}
    assert "target" in client.get(f"{RELS}path/", params).json()
    assert client.get(f"{RELS}path/").status_code == 400


def test_the_schema_describes_the_relationship_endpoints(db: None) -> None:
    schema = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    base = "/api/v1/coalitions/{slug}/relationships/"
    assert set(paths[base]) == {"get", "post"}
    assert set(paths[base + "{id}/"]) == {"get", "patch", "delete"}
    assert "get" in paths[base + "metrics/"] and "get" in paths[base + "path/"]
