"""Network analysis of a coalition's relationships: who is central, who bridges, who is alone.

Django-free: plain ids and ``Tie`` records in, plain dataclasses out, so the pages, the API,
the benchmark and tests call the same functions.

How the relationships become one graph
    Metrics are computed on the **undirected view**: two organisations are linked when any
    relationship joins them, in either direction (an introduction, advice or a phone call can
    travel both ways along "funds" or "reports to"). Several relationships between the same
    pair make one link whose ``strength`` is the strongest of them (1–5). Directions still
    count in ``in_degree`` / ``out_degree`` (a relationship that is not directed counts for
    both ends).

Metrics
    * ``degree_centrality``: distinct neighbours / (n − 1), as networkx defines it.
    * ``betweenness``: the share of shortest paths between other pairs that pass through a
      node (normalised as networkx does; unweighted: a hop is a hop). Computed by Brandes'
      algorithm vectorised with numpy (``_brandes``); exact up to ``EXACT_BETWEENNESS_NODES``
      nodes. Beyond that it is **estimated from a seeded sample of source nodes** (as
      networkx's ``k=``), sized so the work stays bounded (``BETWEENNESS_BUDGET`` arcs
      visited): on 5,000 nodes and 50,000 links that is a few hundred sources, enough to
      rank the main bridges; ``NetworkMetrics.betweenness_sources`` says how many were used.
    * Single points of failure on the undirected view: **articulation points** (organisations
      whose removal splits the network) and **bridges** (links whose loss splits it).
    * ``community``: Louvain communities on link strength, with a fixed seed so the same
      network always gives the same communities, numbered 1, 2, … from the largest. A node
      alone (isolated) has no community (None).
    * ``isolated``: nodes with no relationship at all.

Introductions (``introduction_path``)
    "Who could introduce A to B" is the cheapest path on the undirected view where each hop
    costs ``1 + 1 / strength``: every intermediary costs at least one (fewer introductions
    first), and among paths with as many hops the strongest ties win (a tie of strength 1
    costs 2, of strength 5 costs 1.2). So three strong hops (3.6) beat two weak ones (4.0).

Layout (``layout``)
    Fruchterman–Reingold (networkx's spring layout, seeded) on the linked nodes, starting
    from each community around its own point on a circle so communities stay together;
    isolated nodes are set in rows below, where they are easy to see. Coordinates fill a
    1000 × 620 frame (``LAYOUT_WIDTH`` × ``LAYOUT_HEIGHT``), each axis stretched to fit.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import networkx as nx
import numpy as np

NodeId = int

EXACT_BETWEENNESS_NODES = 1000
BETWEENNESS_BUDGET = 30_000_000  # arcs visited (sources × 2 links) before sampling
MIN_BETWEENNESS_SOURCES = 100
LAYOUT_WIDTH = 1000.0  # the map's drawing units; the SVG's viewBox matches
LAYOUT_HEIGHT = 620.0


@dataclass(frozen=True)
class Tie:
    """One relationship: ``source`` → ``target`` (or both ways when not ``directed``)."""

    source: NodeId
    target: NodeId
    kind: str
    strength: int = 3
    directed: bool = True
    key: int | None = None  # the relationship's id, kept by exports


@dataclass
class NodeMetrics:
    degree: int
    in_degree: int
    out_degree: int
    degree_centrality: float
    betweenness: float
    community: int | None
    articulation: bool


@dataclass
class NetworkMetrics:
    nodes: dict[NodeId, NodeMetrics]
    communities: list[list[NodeId]]  # community number i + 1 is communities[i]
    isolated: list[NodeId]
    articulation_points: list[NodeId]  # the most between first
    bridges: list[tuple[NodeId, NodeId]]
    tie_count: int
    link_count: int
    betweenness_sources: int | None = None  # None: exact; else the sampled sources
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def node_count(self) -> int:
        return len(self.nodes)


def build_graph(nodes: Iterable[NodeId], ties: Iterable[Tie]) -> nx.Graph:
    """The undirected view (see the module's docstring), with direction counts on nodes."""
    # (a, b) with a < b → [strongest tie, relationship kinds, ends that directed ties point at]
    links: dict[tuple[NodeId, NodeId], tuple[list[int], set[str], set[NodeId]]] = {}
    ins: dict[NodeId, int] = {}
    outs: dict[NodeId, int] = {}
    count = 0
    for tie in ties:
        a, b = tie.source, tie.target
        if a == b:
            continue
        count += 1
        outs[a] = outs.get(a, 0) + 1
        ins[b] = ins.get(b, 0) + 1
        if not tie.directed:
            outs[b] = outs.get(b, 0) + 1
            ins[a] = ins.get(a, 0) + 1
        pair = (a, b) if a < b else (b, a)
        strength = max(1, min(5, int(tie.strength)))
        known = links.get(pair)
        if known is None:
            known = links[pair] = ([strength], set(), set())
        known[0][0] = max(known[0][0], strength)
        known[1].add(tie.kind)
        if tie.directed:
            known[2].add(b)
    graph = nx.Graph(tie_count=count)
    graph.add_nodes_from(nodes)
    graph.add_edges_from(
        (a, b, {"strength": s[0], "kinds": kinds, "heads": heads, "cost": 1 + 1 / s[0]})
        for (a, b), (s, kinds, heads) in links.items()
    )
    for node, attrs in graph.nodes(data=True):
        attrs["in_degree"] = ins.get(node, 0)
        attrs["out_degree"] = outs.get(node, 0)
    return graph


def _csr(graph: nx.Graph, order: list[NodeId]) -> tuple[np.ndarray, np.ndarray]:
    index = {node: i for i, node in enumerate(order)}
    degrees = np.fromiter((graph.degree(node) for node in order), dtype=np.int64, count=len(order))
    indptr = np.zeros(len(order) + 1, dtype=np.int64)
    np.cumsum(degrees, out=indptr[1:])
    indices = np.empty(int(indptr[-1]), dtype=np.int64)
    for i, node in enumerate(order):
        indices[indptr[i] : indptr[i + 1]] = [index[other] for other in graph.adj[node]]
    return indptr, indices


def _brandes(indptr: np.ndarray, indices: np.ndarray, sources: Iterable[int]) -> np.ndarray:
    """Brandes' accumulation from each source, one BFS level at a time with numpy arrays.

    Returns the raw sums over ordered (source, target) pairs, as networkx computes them
    before rescaling.
    """
    n = len(indptr) - 1
    total = np.zeros(n)
    for source in sources:
        dist = np.full(n, -1, dtype=np.int64)
        sigma = np.zeros(n)
        dist[source] = 0
        sigma[source] = 1.0
        frontier = np.array([source], dtype=np.int64)
        levels: list[tuple[np.ndarray, np.ndarray]] = []
        depth = 0
        while frontier.size:
            starts = indptr[frontier]
            counts = indptr[frontier + 1] - starts
            arcs = int(counts.sum())
            if arcs == 0:
                break
            first = np.repeat(np.cumsum(counts) - counts, counts)
            positions = np.repeat(starts, counts) + (np.arange(arcs) - first)
            heads = indices[positions]
            tails = np.repeat(frontier, counts)
            fresh = heads[dist[heads] == -1]
            dist[fresh] = depth + 1
            on_dag = dist[heads] == depth + 1
            tails, heads = tails[on_dag], heads[on_dag]
            sigma += np.bincount(heads, weights=sigma[tails], minlength=n)
            levels.append((tails, heads))
            reached = np.zeros(n, dtype=bool)
            reached[fresh] = True  # cheaper than np.unique on the (repeating) heads
            frontier = np.flatnonzero(reached)
            depth += 1
        delta = np.zeros(n)
        for tails, heads in reversed(levels):
            share = sigma[tails] / sigma[heads] * (1.0 + delta[heads])
            delta += np.bincount(tails, weights=share, minlength=n)
        delta[source] = 0.0
        total += delta
    return total


def betweenness(
    graph: nx.Graph, *, max_sources: int | None = None, seed: int = 0
) -> tuple[dict[NodeId, float], int | None]:
    """Normalised betweenness on ``graph`` and the number of sampled sources (None: exact).

    Without ``max_sources`` the sample size follows ``EXACT_BETWEENNESS_NODES`` and
    ``BETWEENNESS_BUDGET`` (see the module's docstring).
    """
    order = sorted(graph.nodes)
    n = len(order)
    if n < 3:
        return dict.fromkeys(order, 0.0), None
    if max_sources is None:
        arcs = max(1, 2 * graph.number_of_edges())
        budget = max(MIN_BETWEENNESS_SOURCES, BETWEENNESS_BUDGET // arcs)
        max_sources = n if n <= EXACT_BETWEENNESS_NODES else budget
    indptr, indices = _csr(graph, order)
    if max_sources >= n:
        sources: list[int] = list(range(n))
        sampled = None
    else:
        sources = sorted(random.Random(seed).sample(range(n), max_sources))
        sampled = len(sources)
    raw = _brandes(indptr, indices, sources)
    raw *= n / len(sources)  # an estimate of the sum over every source
    raw /= (n - 1) * (n - 2)
    return {node: float(raw[i]) for i, node in enumerate(order)}, sampled


def communities(graph: nx.Graph, *, seed: int = 0) -> list[list[NodeId]]:
    """Louvain communities of two or more nodes, largest first, each sorted."""
    if graph.number_of_edges() == 0:
        return []
    # Isolated nodes come back as communities of one, dropped below.
    found = nx.community.louvain_communities(graph, weight="strength", seed=seed)
    groups = [sorted(group) for group in found if len(group) > 1]
    return sorted(groups, key=lambda group: (-len(group), group[0]))


def analyse(
    nodes: Iterable[NodeId],
    ties: Iterable[Tie],
    *,
    seed: int = 0,
    max_sources: int | None = None,
) -> NetworkMetrics:
    """Every metric of the module's docstring for one network."""
    graph = build_graph(nodes, ties)
    return analyse_graph(graph, seed=seed, max_sources=max_sources)


def analyse_graph(
    graph: nx.Graph, *, seed: int = 0, max_sources: int | None = None
) -> NetworkMetrics:
    centrality = nx.degree_centrality(graph) if len(graph) > 1 else dict.fromkeys(graph, 0.0)
    between, sampled = betweenness(graph, max_sources=max_sources, seed=seed)
    groups = communities(graph, seed=seed)
    community_of = {node: number for number, group in enumerate(groups, 1) for node in group}
    # One depth-first search gives both: a bridge is a biconnected component of one link, an
    # articulation point a node in more than one component.
    seen: set[NodeId] = set()
    cut_nodes: set[NodeId] = set()
    bridges: list[tuple[NodeId, NodeId]] = []
    for component in nx.biconnected_component_edges(graph):
        if len(component) == 1:
            a, b = component[0]
            bridges.append((min(a, b), max(a, b)))
        members = {node for edge in component for node in edge}
        cut_nodes |= members & seen
        seen |= members
    bridges.sort()
    metrics = {
        node: NodeMetrics(
            degree=graph.degree(node),
            in_degree=graph.nodes[node].get("in_degree", 0),
            out_degree=graph.nodes[node].get("out_degree", 0),
            degree_centrality=float(centrality.get(node, 0.0)),
            betweenness=between.get(node, 0.0),
            community=community_of.get(node),
            articulation=node in cut_nodes,
        )
        for node in sorted(graph.nodes)
    }
    return NetworkMetrics(
        nodes=metrics,
        communities=groups,
        isolated=[node for node in sorted(graph.nodes) if graph.degree(node) == 0],
        articulation_points=sorted(cut_nodes, key=lambda n: (-between.get(n, 0.0), n)),
        bridges=bridges,
        tie_count=int(graph.graph.get("tie_count", graph.number_of_edges())),
        link_count=graph.number_of_edges(),
        betweenness_sources=sampled,
    )


def ranked(metrics: NetworkMetrics, among: Collection[NodeId] | None = None) -> list[NodeId]:
    """Nodes by centrality: most neighbours first, then the most between, then by id."""
    pool = metrics.nodes if among is None else [n for n in among if n in metrics.nodes]
    return sorted(
        pool,
        key=lambda n: (-metrics.nodes[n].degree, -metrics.nodes[n].betweenness, n),
    )


@dataclass
class Step:
    source: NodeId
    target: NodeId
    strength: int
    kinds: list[str]


@dataclass
class Introduction:
    nodes: list[NodeId]
    steps: list[Step]
    cost: float

    @property
    def intermediaries(self) -> list[NodeId]:
        return self.nodes[1:-1]


def introduction_path(graph: nx.Graph, source: NodeId, target: NodeId) -> Introduction | None:
    """The cheapest chain of introductions from ``source`` to ``target``, or None.

    Costs as in the module's docstring. A search from both ends at once (much faster on large
    networks); paths of equal cost are chosen the same way every time for the same network.
    """
    if source not in graph or target not in graph:
        return None
    if source == target:
        return Introduction([source], [], 0.0)
    try:
        _cost, path = nx.bidirectional_dijkstra(graph, source, target, weight="cost")
    except nx.NetworkXNoPath:
        return None
    steps = []
    cost = 0.0
    for a, b in itertools.pairwise(path):
        data = graph.edges[a, b]
        cost += data["cost"]
        steps.append(Step(a, b, data["strength"], sorted(data["kinds"])))
    return Introduction(path, steps, round(cost, 6))


def layout(
    graph: nx.Graph,
    nodes: Collection[NodeId] | None = None,
    *,
    community_of: Mapping[NodeId, int | None] | None = None,
    seed: int = 0,
    iterations: int = 60,
) -> dict[NodeId, tuple[float, float]]:
    """Positions in a 1000 × 620 frame for ``nodes`` (default: all), from the links among them.

    Use up to a few hundred nodes at a time: the force layout compares every pair.
    """
    chosen = sorted(graph.nodes if nodes is None else (n for n in nodes if n in graph))
    sub = graph.subgraph(chosen)
    linked = [n for n in chosen if sub.degree(n) > 0]
    alone = [n for n in chosen if sub.degree(n) == 0]
    community_of = community_of or {}
    rng = random.Random(seed)
    groups = sorted({community_of.get(n) or 0 for n in linked})
    centre = {
        g: (math.cos(2 * math.pi * i / len(groups)), math.sin(2 * math.pi * i / len(groups)))
        for i, g in enumerate(groups)
    }
    start = {
        n: (
            centre[community_of.get(n) or 0][0] + rng.uniform(-0.3, 0.3),
            centre[community_of.get(n) or 0][1] + rng.uniform(-0.3, 0.3),
        )
        for n in linked
    }
    width, height = LAYOUT_WIDTH, LAYOUT_HEIGHT
    bottom = 0.82 * height if alone else 0.95 * height
    positions: dict[NodeId, tuple[float, float]] = {}
    if len(linked) == 1:
        positions[linked[0]] = (width / 2, bottom / 2)
    elif linked:
        spring = nx.spring_layout(
            sub.subgraph(linked), pos=start, seed=seed, iterations=iterations, weight="strength"
        )
        xs = [float(p[0]) for p in spring.values()]
        ys = [float(p[1]) for p in spring.values()]
        # Each axis stretched to the frame: a map reads better filled than true to scale.
        x_span = (max(xs) - min(xs)) or 1.0
        y_span = (max(ys) - min(ys)) or 1.0
        top = 0.05 * height
        for node, (x, y) in spring.items():
            positions[node] = (
                0.04 * width + 0.92 * width * (float(x) - min(xs)) / x_span,
                top + (bottom - top) * (float(y) - min(ys)) / y_span,
            )
    # Isolated nodes in at most three rows along the bottom.
    columns = max(1, min(len(alone), max(30, math.ceil(len(alone) / 3))))
    for i, node in enumerate(alone):
        row, column = divmod(i, columns)
        positions[node] = ((column + 0.5) / columns * width, (0.89 + 0.04 * row) * height)
    return {n: (round(x, 1), round(y, 1)) for n, (x, y) in positions.items()}


def export_graph(
    nodes: Mapping[NodeId, Mapping[str, Any]], ties: Iterable[Tie], kind_labels: Mapping[str, str]
) -> nx.MultiDiGraph:
    """Every relationship as its own edge, for Gephi and friends (GraphML, GEXF).

    A relationship that is not directed is marked ``directed = false`` and, in GEXF, has the
    edge type "mutual". Attribute values that are None are left out (neither format has one).
    """
    graph = nx.MultiDiGraph()
    for node, attrs in nodes.items():
        graph.add_node(node, **{k: v for k, v in attrs.items() if v is not None})
    for tie in ties:
        graph.add_edge(
            tie.source,
            tie.target,
            key=tie.key,
            relationship=tie.kind,
            label=kind_labels.get(tie.kind, tie.kind),
            strength=int(tie.strength),
            weight=float(tie.strength),
            directed=bool(tie.directed),
        )
    return graph


def write_graphml(graph: nx.MultiDiGraph, handle: BinaryIO) -> None:
    nx.write_graphml(graph, handle, encoding="utf-8", prettyprint=True)


def write_gexf(graph: nx.MultiDiGraph, handle: BinaryIO) -> None:
    copy = graph.copy()
    for _a, _b, data in copy.edges(data=True):
        if not data.get("directed", True):
            data["type"] = "mutual"  # GEXF's edge type: both ways
    nx.write_gexf(copy, handle, encoding="utf-8", prettyprint=True, version="1.2draft")
