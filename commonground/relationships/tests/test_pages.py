"""The relationship pages: who sees and changes what, filters, pagination, query counts."""

from __future__ import annotations

import io
from typing import Any

import networkx as nx
from django.urls import reverse

from commonground.coalitions.models import AuditEntry
from commonground.organisations import actions as org_actions
from commonground.relationships import actions
from commonground.relationships.models import Relationship
from conftest import World

from .conftest import SmallNetwork

LIST = reverse("relationships:list", args=["alpha"])
CREATE = reverse("relationships:create", args=["alpha"])


def edit(rel: Relationship) -> str:
    return reverse("relationships:edit", args=["alpha", rel.pk])


def test_every_reader_sees_the_coalitions_relationships(
    world: World, network: SmallNetwork
) -> None:
    for user in world.readers:
        body = world.client(user).get(LIST).content.decode()
        assert "7 relationships" in body, user
        assert "Cee Council" in body and "is a member of" in body


def test_outsiders_see_nothing_and_their_own_list_is_empty(
    world: World, network: SmallNetwork
) -> None:
    assert world.client(world.outsider).get(LIST).status_code == 404
    assert world.client(world.outsider).get(edit(network.relationships[0])).status_code == 404
    body = world.client(world.outsider).get(reverse("relationships:list", args=["beta"]))
    assert "0 relationships" in body.content.decode()
    assert world.client(None).get(LIST).status_code == 302


def test_it_searches_either_end_and_filters_by_type_strength_and_organisation(
    world: World, network: SmallNetwork
) -> None:
    client = world.client(world.observer)
    assert "2 relationships" in client.get(LIST, {"q": "bee"}).content.decode()
    assert "3 relationships" in client.get(LIST, {"q": "DEE"}).content.decode()
    assert "2 relationships" in client.get(LIST, {"type": "funds"}).content.decode()
    assert "2 relationships" in client.get(LIST, {"strength": "5"}).content.decode()
    body = client.get(LIST, {"organisation": network["Gee"].pk}).content.decode()
    assert "2 relationships" in body


def test_it_paginates_and_htmx_gets_only_the_results(world: World, network: SmallNetwork) -> None:
    hub = network["Hach"]
    for i in range(25):
        org = org_actions.create_organisation(world.owner, world.coalition, name=f"Spoke {i:02d}")
        actions.create_relationship(world.owner, world.coalition, hub, org, "funds")
    client = world.client(world.member)
    assert "Page 1 of 2" in client.get(LIST).content.decode()
    fragment = client.get(LIST, {"page": 2}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    body = fragment.content.decode()
    assert "Page 2 of 2" in body and "<html" not in body


def test_the_list_keeps_a_bounded_query_count(
    world: World, network: SmallNetwork, django_assert_max_num_queries: Any
) -> None:
    for i in range(30):
        org = org_actions.create_organisation(world.owner, world.coalition, name=f"Org {i:02d}")
        actions.create_relationship(world.owner, world.coalition, network["Hach"], org, "funds")
    client = world.client(world.member)
    client.get(LIST)
    with django_assert_max_num_queries(6):
        client.get(LIST)
    with django_assert_max_num_queries(6):
        client.get(LIST, {"q": "org", "type": "funds", "strength": "3"})


def test_a_member_adds_a_relationship_from_the_form(world: World, network: SmallNetwork) -> None:
    response = world.client(world.member).post(
        CREATE,
        {
            "source": network["Hach"].pk,
            "type": "shares_information",
            "target": network["Dee"].pk,
            "direction": "mutual",
            "strength": 4,
            "notes": "Flood alerts on air",
        },
    )
    assert response.status_code == 302
    rel = Relationship.objects.get(source=network["Hach"], target=network["Dee"])
    assert rel.directed is False and rel.strength == 4 and rel.coalition == world.coalition
    assert AuditEntry.objects.filter(action="relationship.create", actor=world.member).exists()


def test_the_form_offers_only_the_coalitions_organisations_and_names_mistakes(
    world: World, network: SmallNetwork
) -> None:
    client = world.client(world.member)
    body = client.get(CREATE).content.decode()
    assert "Hach Radio" in body and "Beta Flood Volunteers" not in body
    response = client.post(
        CREATE,
        {"source": network["ARC"].pk, "type": "funds", "target": network["Cee"].pk, "strength": 3},
    )
    assert response.status_code == 200 and "already recorded" in response.content.decode()
    response = client.post(
        CREATE,
        {"source": network["ARC"].pk, "type": "funds", "target": world.other_org.pk, "strength": 3},
    )
    assert response.status_code == 200 and Relationship.objects.count() == 7


def test_observers_and_community_representatives_cannot_change_relationships(
    world: World, network: SmallNetwork
) -> None:
    rel = network.relationships[0]
    for user in (world.observer, world.community):
        client = world.client(user)
        assert client.get(CREATE).status_code == 403
        assert client.post(edit(rel), {"delete": "1"}).status_code == 403
        assert "Add a relationship" not in client.get(LIST).content.decode()
    assert Relationship.objects.filter(pk=rel.pk).exists()


def test_a_member_edits_then_deletes_a_relationship(world: World, network: SmallNetwork) -> None:
    rel = Relationship.objects.get(source=network["Cee"], target=network["Dee"])
    client = world.client(world.member)
    page = client.get(edit(rel)).content.decode()
    assert 'value="directed" selected' in page
    response = client.post(
        edit(rel),
        {
            "source": rel.source_id,
            "type": "funds",
            "target": rel.target_id,
            "direction": "directed",
            "strength": 5,
            "notes": "Bigger grant",
        },
    )
    assert response.status_code == 302
    rel.refresh_from_db()
    assert rel.strength == 5 and rel.notes == "Bigger grant"
    entry = AuditEntry.objects.get(action="relationship.update", target_id=str(rel.pk))
    assert entry.before == {"strength": 2, "notes": ""}
    assert client.post(edit(rel), {"delete": "1"}).status_code == 302
    assert not Relationship.objects.filter(pk=rel.pk).exists()


def export(world: World, fmt: str, **params: str) -> bytes:
    response = world.client(world.observer).get(
        reverse("relationships:export", args=["alpha", fmt]), params
    )
    assert response.status_code == 200
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_the_csv_export_follows_the_filters(world: World, network: SmallNetwork) -> None:
    text = export(world, "csv", type="funds").decode()
    lines = text.strip().splitlines()
    assert lines[0] == "source,target,type,strength,notes,direction"
    assert len(lines) == 3
    assert "Alpha Red Cross,Cee Council,funds,5,,one way" in lines


def test_graphml_and_gexf_exports_read_back_with_every_organisation_and_relationship(
    world: World, network: SmallNetwork
) -> None:
    graphml = nx.read_graphml(io.BytesIO(export(world, "graphml")), node_type=int)
    assert graphml.number_of_nodes() == 7 and graphml.number_of_edges() == 7
    assert graphml.nodes[network["Hach"].pk]["label"] == "Hach Radio"
    assert graphml.nodes[network["Cee"].pk]["articulation_point"] is True
    gexf = nx.read_gexf(io.BytesIO(export(world, "gexf")), node_type=int)
    assert gexf.number_of_nodes() == 7
    # The two partnerships run both ways: each reads back as a pair of edges.
    assert gexf.number_of_edges() == 9
    assert (
        world.client(world.observer)
        .get(reverse("relationships:export", args=["alpha", "pdf"]))
        .status_code
        == 404
    )
