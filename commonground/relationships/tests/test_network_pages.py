"""The network map page, its JSON, the introductions and the metrics table."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from commonground.organisations import actions as org_actions
from commonground.relationships import actions
from commonground.relationships import network as network_module
from commonground.relationships.network import network_for
from conftest import World

from .conftest import SmallNetwork

MAP = reverse("network:map", args=["alpha"])
GRAPH = reverse("network:graph", args=["alpha"])
PATH = reverse("network:path", args=["alpha"])
METRICS = reverse("network:metrics", args=["alpha"])


def graph(world: World, **params: Any) -> dict[str, Any]:
    response = world.client(world.observer).get(GRAPH, params)
    assert response.status_code == 200
    data: dict[str, Any] = response.json()
    return data


def test_the_map_page_names_the_single_points_of_failure_and_the_isolated(
    world: World, network: SmallNetwork
) -> None:
    for user in world.readers:
        response = world.client(user).get(MAP)
        assert response.status_code == 200, user
    body = response.content.decode()
    spof = body[body.index('id="single-points"') : body.index('id="isolated"')]
    assert "Cee Council" in spof and "Dee Kampung Forum" in spof and "Bee Foundation" not in spof
    assert "Cee Council — Dee Kampung Forum" in spof  # the bridge
    isolated = body[body.index('id="isolated"') :]
    assert "Hach Radio" in isolated.split("</section>")[0]
    assert "js/network.js" in body


def test_outsiders_get_404_from_the_map_its_json_and_the_metrics(
    world: World, network: SmallNetwork
) -> None:
    client = world.client(world.outsider)
    for url in (MAP, GRAPH, PATH, METRICS):
        assert client.get(url).status_code == 404, url
    # Their own coalition's map is empty of alpha's organisations.
    theirs = client.get(reverse("network:graph", args=["beta"]), {"options": "1"}).json()
    assert [n["name"] for n in theirs["nodes"]] == ["Beta Flood Volunteers"]


def test_the_graph_json_has_every_node_laid_out_with_its_metrics(
    world: World, network: SmallNetwork
) -> None:
    data = graph(world, options="1")
    nodes = {n["name"]: n for n in data["nodes"]}
    assert len(nodes) == 7 and len(data["links"]) == 7 and data["notes"] == []
    cee = nodes["Cee Council"]
    assert cee["articulation"] is True and cee["degree"] == 3 and cee["betweenness"] == 0.4
    assert 0 <= cee["x"] <= 1000 and 0 <= cee["y"] <= 1000
    assert nodes["Hach Radio"]["degree"] == 0 and nodes["Hach Radio"]["community"] is None
    assert nodes["Alpha Red Cross"]["community"] != nodes["Gee Youth Group"]["community"]
    bridges = [link for link in data["links"] if link["bridge"]]
    assert [(b["source"], b["target"]) for b in bridges] in (
        [(network["Cee"].pk, network["Dee"].pk)],
        [(network["Dee"].pk, network["Cee"].pk)],
    )
    funds = next(
        link
        for link in data["links"]
        if {link["source"], link["target"]} == {network["ARC"].pk, network["Cee"].pk}
    )
    assert funds["heads"] == [network["Cee"].pk] and funds["kinds"] == ["funds"]
    assert [name for _id, name in data["options"]][:2] == ["Alpha Red Cross", "Bee Foundation"]


def test_beyond_the_limit_the_map_shows_the_best_connected_and_says_what_is_hidden(
    world: World, network: SmallNetwork
) -> None:
    data = graph(world, limit="3")
    assert data["shown"] == 3 and data["total"] == 7
    # Most neighbours first; among equals the most between, then the oldest.
    assert {n["name"] for n in data["nodes"]} == {
        "Cee Council",
        "Dee Kampung Forum",
        "Alpha Red Cross",
    }
    assert "4 are hidden" in data["notes"][0]
    # A path's organisations can be asked for even when hidden.
    data = graph(world, limit="3", include=str(network["Hach"].pk))
    assert "Hach Radio" in {n["name"] for n in data["nodes"]}


def test_the_map_filters_by_community_and_by_relationship_type(
    world: World, network: SmallNetwork
) -> None:
    community = network_for(world.coalition).metrics.nodes[network["Gee"].pk].community
    data = graph(world, community=str(community))
    assert {n["name"] for n in data["nodes"]} == {
        "Dee Kampung Forum",
        "Eff Mosque Team",
        "Gee Youth Group",
    }
    data = graph(world, type="funds")
    assert {n["name"] for n in data["nodes"]} == {
        "Alpha Red Cross",
        "Cee Council",
        "Dee Kampung Forum",
    }
    assert all(link["kinds"] == ["funds"] for link in data["links"])


def test_the_introduction_path_crosses_the_bridge(world: World, network: SmallNetwork) -> None:
    client = world.client(world.community)
    data = client.get(PATH, {"source": network["ARC"].pk, "target": network["Gee"].pk}).json()
    assert data["found"] is True
    assert [n["name"] for n in data["nodes"]] == [
        "Alpha Red Cross",
        "Cee Council",
        "Dee Kampung Forum",
        "Gee Youth Group",
    ]
    assert data["steps"][1]["kinds"] == ["funds"] and data["steps"][1]["strength"] == 2
    alone = client.get(PATH, {"source": network["ARC"].pk, "target": network["Hach"].pk}).json()
    assert alone["found"] is False and "No chain" in alone["message"]
    assert client.get(PATH, {"source": "x"}).json()["found"] is False
    other = client.get(PATH, {"source": network["ARC"].pk, "target": world.other_org.pk}).json()
    assert other["found"] is False


def test_the_network_is_recomputed_when_relationships_change_and_only_then(
    world: World, network: SmallNetwork
) -> None:
    first = network_for(world.coalition)
    assert network_for(world.coalition) is first
    assert first.metrics.isolated == [network["Hach"].pk]
    actions.create_relationship(
        world.owner, world.coalition, network["Hach"], network["Bee"], "shares_information"
    )
    second = network_for(world.coalition)
    assert second is not first and second.metrics.isolated == []
    # A new organisation on the list is a new (isolated) node.
    newcomer = org_actions.create_organisation(world.owner, world.coalition, name="Newcomer")
    assert network_for(world.coalition).metrics.isolated == [newcomer.pk]
    # Deleting a relationship counts too: without Cee–Dee there is no bridge between them.
    actions.delete_relationship(world.owner, network.relationships[3])
    cut = (min(network["Cee"].pk, network["Dee"].pk), max(network["Cee"].pk, network["Dee"].pk))
    assert cut not in network_for(world.coalition).metrics.bridges


def test_the_map_and_its_json_keep_bounded_query_counts(
    world: World, network: SmallNetwork, django_assert_max_num_queries: Any
) -> None:
    client = world.client(world.observer)
    client.get(MAP)
    # Whatever the network's size: 7 small aggregates check the cached network is current.
    with django_assert_max_num_queries(14):
        client.get(MAP)
    with django_assert_max_num_queries(13):
        client.get(GRAPH, {"options": "1"})
    with django_assert_max_num_queries(13):
        client.get(PATH, {"source": network["ARC"].pk, "target": network["Gee"].pk})
    with django_assert_max_num_queries(13):
        client.get(METRICS)


@pytest.mark.parametrize(
    ("sort", "first"),
    [
        ({}, {"Cee Council", "Dee Kampung Forum"}),
        ({"sort": "name"}, {"Alpha Red Cross"}),
        ({"sort": "name", "dir": "desc"}, {"Hach Radio"}),
        ({"sort": "degree"}, {"Cee Council", "Dee Kampung Forum"}),
        (
            {"sort": "community"},
            {
                "Alpha Red Cross",
                "Bee Foundation",
                "Cee Council",
                "Dee Kampung Forum",
                "Eff Mosque Team",
                "Gee Youth Group",
            },
        ),
    ],
)
def test_the_metrics_table_sorts(
    world: World, network: SmallNetwork, sort: dict[str, str], first: set[str]
) -> None:
    body = world.client(world.member).get(METRICS, sort).content.decode()
    rows = body.split("<tbody>")[1].split("</tr>")
    top = rows[0]
    assert any(name in top for name in first), top
    assert "Single point of failure" in body


def test_the_metrics_table_lists_everyone_with_isolated_ones_marked(
    world: World, network: SmallNetwork, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = (
        world.client(world.observer).get(METRICS, {"sort": "name", "dir": "desc"}).content.decode()
    )
    top = body.split("<tbody>")[1].split("</tr>")[0]
    assert "Hach Radio" in top and "isolated" in top


def test_stakeholders_are_nodes_with_their_stage(world: World, network: SmallNetwork) -> None:
    if network_module.stakeholder_model() is None:
        pytest.skip("the stakeholders app is not installed")
    from commonground.stakeholders.actions import create_stakeholder

    outside = org_actions.create_organisation(world.owner, None, name="Stakeholder Only NGO")
    create_stakeholder(world.owner, world.coalition, stage="engaged", organisation=outside)
    create_stakeholder(world.owner, world.coalition, stage="committed", organisation=network["Bee"])
    nodes = {n["name"]: n for n in graph(world)["nodes"]}
    assert nodes["Stakeholder Only NGO"]["degree"] == 0
    assert nodes["Stakeholder Only NGO"]["stage"] == "Engaged"
    assert nodes["Bee Foundation"]["stage"] == "Committed"
    assert nodes["Alpha Red Cross"]["stage"] is None
