"""Network metrics on small graphs whose answers can be checked by hand.

The main graph: two triangles joined by one link, and an organisation with no relationship.

    1 ─ 2         5 ─ 6
     \\ /           \\ /
      3 ────────── 4          7 (alone)

n = 7. Nodes 3 and 4 have three neighbours each (degree centrality 3/6 = 0.5), the others two
(1/3) and 7 none. Every shortest path between {1, 2, 3} and {4, 5, 6} that does not start or
end at 3 or 4 passes through both: 2 × 3 = 6 of the 15 pairs that exclude the node itself, so
the betweenness of 3 (and of 4) is 6 / 15 = 0.4, and 0 elsewhere. The link 3–4 is the only
bridge, 3 and 4 the articulation points, the triangles the communities and 7 is isolated.
"""

from __future__ import annotations

import io
import random
from typing import Any

import networkx as nx
import pytest

from commonground.analysis.network import (
    NetworkMetrics,
    Tie,
    analyse,
    betweenness,
    build_graph,
    export_graph,
    introduction_path,
    layout,
    ranked,
    write_gexf,
    write_graphml,
)

NODES = [1, 2, 3, 4, 5, 6, 7]
TIES = [
    Tie(1, 2, "partners_with", 4, directed=False),
    Tie(2, 3, "shares_information", 3, directed=False),
    Tie(1, 3, "funds", 5),
    Tie(3, 4, "reports_to", 2),
    Tie(4, 5, "partners_with", 4, directed=False),
    Tie(5, 6, "member_of", 3),
    Tie(4, 6, "funds", 5),
]


@pytest.fixture(scope="module")
def metrics() -> NetworkMetrics:
    return analyse(NODES, TIES, seed=7)


def test_degree_centrality_counts_distinct_neighbours_over_n_minus_one(
    metrics: NetworkMetrics,
) -> None:
    values = {n: round(m.degree_centrality, 6) for n, m in metrics.nodes.items()}
    assert values == {1: 0.333333, 2: 0.333333, 3: 0.5, 4: 0.5, 5: 0.333333, 6: 0.333333, 7: 0}
    assert metrics.nodes[3].degree == 3 and metrics.nodes[7].degree == 0


def test_betweenness_names_the_two_ends_of_the_bridge(metrics: NetworkMetrics) -> None:
    values = {n: round(m.betweenness, 6) for n, m in metrics.nodes.items()}
    assert values == {1: 0, 2: 0, 3: 0.4, 4: 0.4, 5: 0, 6: 0, 7: 0}
    assert metrics.betweenness_sources is None  # small networks are exact


def test_the_bridge_and_the_articulation_points_are_the_single_points_of_failure(
    metrics: NetworkMetrics,
) -> None:
    assert metrics.bridges == [(3, 4)]
    assert sorted(metrics.articulation_points) == [3, 4]
    assert metrics.nodes[3].articulation and not metrics.nodes[1].articulation


def test_the_communities_are_the_two_triangles_and_the_isolated_node_has_none(
    metrics: NetworkMetrics,
) -> None:
    assert metrics.communities == [[1, 2, 3], [4, 5, 6]]
    assert [metrics.nodes[n].community for n in NODES] == [1, 1, 1, 2, 2, 2, None]
    assert metrics.isolated == [7]


def test_the_same_network_always_gives_the_same_communities() -> None:
    graph_ties = [Tie(a, b, "partners_with") for a, b in nx.karate_club_graph().edges]
    first = analyse(range(34), graph_ties, seed=3).communities
    assert all(analyse(range(34), graph_ties, seed=3).communities == first for _ in range(3))
    assert 2 <= len(first) <= 6


def test_directions_count_in_in_and_out_degrees(metrics: NetworkMetrics) -> None:
    one = metrics.nodes[1]
    # 1 ─ 2 (both ways), 1 → 3
    assert (one.in_degree, one.out_degree) == (1, 2)
    three = metrics.nodes[3]
    # 2 ─ 3 (both ways), 1 → 3, 3 → 4
    assert (three.in_degree, three.out_degree) == (2, 2)
    assert metrics.tie_count == 7 and metrics.link_count == 7


def test_several_relationships_between_a_pair_make_one_link_with_the_strongest_tie() -> None:
    graph = build_graph(
        [1, 2], [Tie(1, 2, "funds", 2), Tie(2, 1, "reports_to", 4), Tie(1, 1, "funds", 5)]
    )
    assert graph.number_of_edges() == 1
    assert graph.edges[1, 2]["strength"] == 4
    assert graph.edges[1, 2]["kinds"] == {"funds", "reports_to"}
    assert graph.graph["tie_count"] == 2  # the self-loop is ignored


def test_the_introduction_crosses_the_bridge() -> None:
    graph = build_graph(NODES, TIES)
    path = introduction_path(graph, 1, 6)
    assert path is not None
    assert path.nodes == [1, 3, 4, 6]
    assert path.intermediaries == [3, 4]
    assert [(s.source, s.target, s.strength) for s in path.steps] == [
        (1, 3, 5),
        (3, 4, 2),
        (4, 6, 5),
    ]
    # 1 + 1/5, 1 + 1/2, 1 + 1/5
    assert path.cost == pytest.approx(3.9)


def test_introductions_prefer_strong_ties_but_fewer_hops_first() -> None:
    # A=1, B=2, C=3, D=4: A–B–D strong, A–C–D weak.
    square = [Tie(1, 2, "partners_with", 5), Tie(2, 4, "partners_with", 5)]
    square += [Tie(1, 3, "partners_with", 1), Tie(3, 4, "partners_with", 1)]
    path = introduction_path(build_graph([1, 2, 3, 4], square), 1, 4)
    assert path is not None and path.nodes == [1, 2, 4]
    # A direct tie, even a weak one (cost 2), beats two strong hops (cost 2.4).
    direct = introduction_path(build_graph([], [*square, Tie(4, 1, "funds", 1)]), 1, 4)
    assert direct is not None and direct.nodes == [1, 4] and direct.intermediaries == []


def test_no_introduction_reaches_an_isolated_node_or_an_unknown_one() -> None:
    graph = build_graph(NODES, TIES)
    assert introduction_path(graph, 1, 7) is None
    assert introduction_path(graph, 1, 99) is None
    itself = introduction_path(graph, 2, 2)
    assert itself is not None and itself.nodes == [2]


def test_the_vectorised_betweenness_matches_networkx_exactly() -> None:
    for seed in range(4):
        graph = nx.gnm_random_graph(40, 70, seed=seed)
        graph.add_node(40)
        mine, sampled = betweenness(graph)
        expected = nx.betweenness_centrality(graph)
        assert sampled is None
        assert mine == pytest.approx(expected, abs=1e-12)


def test_sampled_betweenness_estimates_and_still_finds_the_bridge() -> None:
    rng = random.Random(1)
    # Two dense groups of 60 joined through node 0 only.
    ties = [Tie(a, b, "x") for a in range(1, 61) for b in range(a + 1, 61) if rng.random() < 0.2]
    ties += [
        Tie(a, b, "x") for a in range(61, 121) for b in range(a + 1, 121) if rng.random() < 0.2
    ]
    ties += [Tie(0, 1, "x"), Tie(0, 61, "x")]
    graph = build_graph(range(121), ties)
    exact, _ = betweenness(graph)
    estimate, sampled = betweenness(graph, max_sources=30, seed=2)
    assert sampled == 30
    assert max(estimate, key=lambda n: estimate[n]) == max(exact, key=lambda n: exact[n])
    assert estimate[0] == pytest.approx(exact[0], rel=0.25)
    assert betweenness(graph, max_sources=30, seed=2)[0] == estimate  # seeded: repeatable


def test_ranking_puts_the_best_connected_first(metrics: NetworkMetrics) -> None:
    assert ranked(metrics)[:2] == [3, 4]
    assert ranked(metrics)[-1] == 7
    assert ranked(metrics, among=[5, 1, 99]) == [1, 5]


def test_the_layout_places_every_node_and_sets_isolated_ones_apart(metrics: NetworkMetrics) -> None:
    graph = build_graph(NODES, TIES)
    community = {n: m.community for n, m in metrics.nodes.items()}
    positions = layout(graph, community_of=community, seed=1)
    assert set(positions) == set(NODES)
    assert all(0 <= x <= 1000 and 0 <= y <= 620 for x, y in positions.values())
    # The isolated node sits below all the others, in the bottom tenth.
    assert positions[7][1] >= 550 > max(y for n, (_x, y) in positions.items() if n != 7)
    assert layout(graph, community_of=community, seed=1) == positions
    assert set(layout(graph, [1, 2, 99], seed=1)) == {1, 2}


def exported() -> nx.MultiDiGraph:
    nodes = {n: {"label": f"Org {n}", "community": 1 if n < 4 else None} for n in NODES}
    ties = [
        Tie(t.source, t.target, t.kind, t.strength, t.directed, key=i) for i, t in enumerate(TIES)
    ]
    return export_graph(nodes, ties, {"funds": "funds", "partners_with": "partners with"})


def edge(graph: nx.Graph, a: int, b: int) -> dict[str, Any]:
    """The attributes of the (first) edge a → b, whether the file read back as a multigraph."""
    data: dict[str, Any] = graph.get_edge_data(a, b)
    return next(iter(data.values())) if graph.is_multigraph() else data


def test_graphml_reads_back_with_every_relationship_and_its_attributes() -> None:
    handle = io.BytesIO()
    write_graphml(exported(), handle)
    graph = nx.read_graphml(io.BytesIO(handle.getvalue()), node_type=int)
    assert set(graph.nodes) == set(NODES)
    assert graph.nodes[1]["label"] == "Org 1" and "community" not in graph.nodes[7]
    assert graph.number_of_edges() == 7
    funds = edge(graph, 1, 3)
    assert funds["relationship"] == "funds" and funds["strength"] == 5 and funds["directed"] is True
    undirected = edge(graph, 1, 2)
    assert undirected["directed"] is False and undirected["label"] == "partners with"


def test_gexf_reads_back_with_undirected_relationships_as_mutual_edges() -> None:
    handle = io.BytesIO()
    write_gexf(exported(), handle)
    text = handle.getvalue().decode()
    assert 'type="mutual"' in text
    graph = nx.read_gexf(io.BytesIO(handle.getvalue()), node_type=int)
    assert set(graph.nodes) == set(NODES)
    # Three relationships are not directed: "mutual" reads back as an edge each way.
    assert graph.number_of_edges() == 7 + 3
    assert graph.has_edge(2, 1) and not graph.has_edge(3, 1)
    assert edge(graph, 3, 4)["relationship"] == "reports_to"
