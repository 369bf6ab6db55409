"""A coalition's network, computed once and kept until its relationships or members change.

The metrics and layouts come from the Django-free ``commonground.analysis.network``; this
module reads the rows, keeps the results in memory per process (``_CACHE``) under a key made
of the relationships' count, latest change and highest id and the same for the coalition's
list of organisations and its stakeholders (``version_of``), and shapes what the map and
the API send. Each web process keeps its own copy (``CACHED_NETWORKS`` coalitions).

Nodes are the organisations on the coalition's list, every organisation in one of its
relationships and, once the stakeholders app is installed, every stakeholder's organisation
(so a stakeholder with no relationship shows as isolated). Names and stakeholder stages are
read fresh on every request: renaming an organisation needs no new layout.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Max

from commonground.analysis.network import (
    NetworkMetrics,
    NodeId,
    Tie,
    analyse_graph,
    build_graph,
    layout,
    ranked,
)
from commonground.coalitions.models import Coalition
from commonground.organisations.models import CoalitionOrganisation, Organisation
from commonground.relationships.models import Relationship

MAP_NODE_LIMIT = 400  # nodes drawn at once; the force layout compares every pair
MAP_EDGE_LIMIT = 3000  # links drawn at once, the strongest first
CACHED_NETWORKS = 8  # coalitions kept per process
CACHED_LAYOUTS = 16  # views (filters) kept per network
SEED = 42

_CACHE: OrderedDict[int, Network] = OrderedDict()
_LOCK = threading.Lock()


def stakeholder_model() -> type[models.Model] | None:
    """The stakeholders app's ``Stakeholder`` (FK ``organisation``, ``stage``), if installed.

    TODO(lead): written against the agreed fields (``coalition``, ``organisation``,
    ``stage``) before the app landed; check them when it does.
    """
    if not apps.is_installed("commonground.stakeholders"):
        return None
    try:
        model = apps.get_model("stakeholders", "Stakeholder")
        for name in ("coalition", "organisation", "stage"):
            model._meta.get_field(name)
    except (LookupError, FieldDoesNotExist):
        return None
    return model


def stakeholders_of(coalition_id: int) -> models.QuerySet[Any] | None:
    model = stakeholder_model()
    if model is None:
        return None
    return model._default_manager.filter(coalition_id=coalition_id, organisation__isnull=False)


def version_of(coalition_id: int) -> str:
    """What the cached network depends on: counts and latest changes.

    One aggregate per query: SQLite answers a lone MAX from an index in microseconds, but
    scans every row when it is combined with a COUNT.
    """
    rels = Relationship.objects.filter(coalition_id=coalition_id)
    listed = CoalitionOrganisation.objects.filter(coalition_id=coalition_id)
    parts = [
        rels.count(),
        rels.aggregate(last=Max("updated_at"))["last"],
        rels.aggregate(top=Max("id"))["top"],
        listed.count(),
        listed.aggregate(top=Max("id"))["top"],
    ]
    stakeholders = stakeholders_of(coalition_id)
    if stakeholders is not None:
        parts += [stakeholders.count(), stakeholders.aggregate(top=Max("pk"))["top"]]
    return "|".join(str(p) for p in parts)


@dataclass
class Network:
    coalition_id: int
    version: str
    graph: nx.Graph
    metrics: NetworkMetrics
    layouts: OrderedDict[tuple[Any, ...], dict[NodeId, tuple[float, float]]] = field(
        default_factory=OrderedDict
    )

    @property
    def community_of(self) -> dict[NodeId, int | None]:
        return {node: m.community for node, m in self.metrics.nodes.items()}

    def layout_for(self, nodes: Collection[NodeId]) -> dict[NodeId, tuple[float, float]]:
        key = tuple(sorted(nodes))
        with _LOCK:
            found = self.layouts.get(key)
            if found is not None:
                self.layouts.move_to_end(key)
                return found
        positions = layout(self.graph, key, community_of=self.community_of, seed=SEED)
        with _LOCK:
            self.layouts[key] = positions
            while len(self.layouts) > CACHED_LAYOUTS:
                self.layouts.popitem(last=False)
        return positions


def load_ties(coalition_id: int) -> Iterable[Tie]:
    rows = Relationship.objects.filter(coalition_id=coalition_id).values_list(
        "id", "source_id", "target_id", "type", "strength", "directed"
    )
    for pk, source, target, kind, strength, directed in rows.iterator(chunk_size=5000):
        yield Tie(source, target, kind, strength, directed, key=pk)


def node_ids(coalition_id: int) -> set[NodeId]:
    """The organisations on the coalition's list and its stakeholders' organisations."""
    nodes = set(
        CoalitionOrganisation.objects.filter(coalition_id=coalition_id).values_list(
            "organisation_id", flat=True
        )
    )
    stakeholders = stakeholders_of(coalition_id)
    if stakeholders is not None:
        nodes.update(stakeholders.values_list("organisation_id", flat=True))
    return nodes


def compute(coalition_id: int, version: str) -> Network:
    graph = build_graph(node_ids(coalition_id), load_ties(coalition_id))
    return Network(coalition_id, version, graph, analyse_graph(graph, seed=SEED))


def network_for(coalition: Coalition | int) -> Network:
    """The coalition's network, from the cache while nothing it depends on has changed."""
    coalition_id = coalition if isinstance(coalition, int) else coalition.pk
    version = version_of(coalition_id)
    with _LOCK:
        cached = _CACHE.get(coalition_id)
        if cached is not None and cached.version == version:
            _CACHE.move_to_end(coalition_id)
            return cached
    network = compute(coalition_id, version)
    with _LOCK:
        _CACHE[coalition_id] = network
        _CACHE.move_to_end(coalition_id)
        while len(_CACHE) > CACHED_NETWORKS:
            _CACHE.popitem(last=False)
    return network


def forget(coalition_id: int | None = None) -> None:
    """Drop cached networks (tests; the benchmark's cold runs)."""
    with _LOCK:
        if coalition_id is None:
            _CACHE.clear()
        else:
            _CACHE.pop(coalition_id, None)


@dataclass
class NodeInfo:
    name: str
    acronym: str
    type: str
    stage: str | None = None

    @property
    def label(self) -> str:
        return self.acronym or self.name


def node_info(coalition_id: int, ids: Collection[NodeId]) -> dict[NodeId, NodeInfo]:
    """Names, types and stakeholder stages of ``ids``, read fresh (one or two queries)."""
    orgs = Organisation.objects.filter(pk__in=list(ids)).values_list(
        "id", "name", "acronym", "type"
    )
    info = {pk: NodeInfo(name, acronym, kind) for pk, name, acronym, kind in orgs}
    stakeholders = stakeholders_of(coalition_id)
    if stakeholders is not None:
        labels = dict(stakeholders.model._meta.get_field("stage").choices or [])
        rows = stakeholders.filter(organisation_id__in=list(info)).values_list(
            "organisation_id", "stage"
        )
        for org_id, stage in rows:
            info[org_id].stage = str(labels.get(stage, stage))
    return info


@dataclass
class View:
    """What the map draws: the chosen nodes and links, and what it leaves out."""

    nodes: list[NodeId]
    links: list[tuple[NodeId, NodeId]]
    candidates: int  # nodes passing the filters
    total: int  # nodes in the network
    links_total: int  # links among the chosen nodes before the cap


def choose_view(
    network: Network,
    *,
    community: int | None = None,
    kind: str = "",
    include: Iterable[NodeId] = (),
    limit: int = MAP_NODE_LIMIT,
) -> View:
    """The top ``limit`` nodes by centrality among those the filters keep, plus ``include``."""
    graph, metrics = network.graph, network.metrics
    pool: Collection[NodeId] = metrics.nodes.keys()
    if community is not None:
        pool = [n for n in pool if metrics.nodes[n].community == community]
    if kind:
        pool = [n for n in pool if any(kind in d["kinds"] for d in graph.adj[n].values())]
    chosen = ranked(metrics, pool)[:limit]
    extra = [n for n in include if n in metrics.nodes and n not in set(chosen)]
    chosen += extra
    keep = set(chosen)
    links = [
        (a, b)
        for a, b, data in graph.subgraph(keep).edges(data=True)
        if not kind or kind in data["kinds"]
    ]
    links_total = len(links)
    if links_total > MAP_EDGE_LIMIT:
        links.sort(key=lambda e: (-graph.edges[e]["strength"], e))
        links = links[:MAP_EDGE_LIMIT]
    return View(chosen, links, len(pool), len(metrics.nodes), links_total)
