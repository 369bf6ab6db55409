"""The network map, its JSON (layout and shortest paths) and the metrics table."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commonground.analysis.network import introduction_path
from commonground.coalitions.access import CoalitionRequest, coalition_view
from commonground.relationships.actions import type_label
from commonground.relationships.models import RelationshipType
from commonground.relationships.network import (
    MAP_EDGE_LIMIT,
    MAP_NODE_LIMIT,
    Network,
    NodeInfo,
    choose_view,
    network_for,
    node_info,
    stakeholder_model,
)

LIST_LENGTH = 25  # names shown in the isolated / single-point-of-failure lists
METRICS_PAGE_SIZE = 50
SORTS = {
    "name": lambda m, info: info.name.lower() if info else "",
    "degree": lambda m, info: m.degree,
    "betweenness": lambda m, info: m.betweenness,
    "community": lambda m, info: (m.community is None, m.community or 0),
}


def _int(value: str | None) -> int | None:
    return int(value) if value and value.strip().lstrip("-").isdigit() else None


def summary(network: Network) -> dict[str, Any]:
    metrics = network.metrics
    return {
        "nodes": metrics.node_count,
        "ties": metrics.tie_count,
        "links": metrics.link_count,
        "communities": len(metrics.communities),
        "isolated": len(metrics.isolated),
        "articulation_points": len(metrics.articulation_points),
        "bridges": len(metrics.bridges),
        "betweenness_sources": metrics.betweenness_sources,
    }


@coalition_view()
def network_map(request: CoalitionRequest) -> HttpResponse:
    coalition = request.coalition
    network = network_for(coalition)
    metrics = network.metrics
    spof = metrics.articulation_points[:LIST_LENGTH]
    bridges = metrics.bridges[:LIST_LENGTH]
    isolated = metrics.isolated[:LIST_LENGTH]
    named = {n for pair in bridges for n in pair} | set(spof) | set(isolated)
    info = node_info(coalition.pk, named)
    base = reverse("network:map", args=[coalition.slug])
    config = {
        "graphUrl": base + "graph.json",
        "pathUrl": base + "path.json",
        "organisationUrl": reverse("organisations:list", args=[coalition.slug]),
        "relationshipsUrl": reverse("relationships:list", args=[coalition.slug]),
        "lead": coalition.lead_organisation_id,
        "limit": MAP_NODE_LIMIT,
        "types": [{"value": v, "label": str(lbl)} for v, lbl in RelationshipType.choices],
        "hasStages": stakeholder_model() is not None,
    }
    strings = {
        "degree": _("Neighbours"),
        "degreeCentrality": _("Degree centrality"),
        "betweenness": _("Betweenness"),
        "community": _("Community"),
        "noCommunity": _("none"),
        "stage": _("Stage"),
        "noStage": _("not a stakeholder"),
        "inOut": _("Relationships in / out"),
        "articulation": _("Single point of failure: without it the network splits."),
        "isolated": _("No relationship recorded."),
        "open": _("Open the organisation"),
        "relationships": _("Its relationships"),
        "pathFound": _("Introduction path"),
        "pathNone": _("No chain of relationships links these two organisations."),
        "pathSame": _("Pick two different organisations."),
        "strength": _("strength"),
        "empty": _("No organisations yet: add organisations and relationships first."),
        "choose": _("Choose…"),
        "hiddenOnMap": _("not on the map at the moment"),
    }
    context = {
        "summary": summary(network),
        "spof": [(info.get(n), n, metrics.nodes[n]) for n in spof],
        "bridges": [(info.get(a), info.get(b)) for a, b in bridges],
        "isolated": [(info.get(n), n) for n in isolated],
        "more_isolated": len(metrics.isolated) - len(isolated),
        "more_spof": len(metrics.articulation_points) - len(spof),
        "more_bridges": len(metrics.bridges) - len(bridges),
        "communities": [(i, len(group)) for i, group in enumerate(metrics.communities, 1)],
        "types": RelationshipType.choices,
        "config": config,
        "strings": strings,
        "limit": MAP_NODE_LIMIT,
    }
    return render(request, "relationships/network.html", context)


def node_json(
    node: int, network: Network, info: NodeInfo | None, position: tuple[float, float] | None
) -> dict[str, Any]:
    m = network.metrics.nodes[node]
    return {
        "id": node,
        "label": info.label if info else str(node),
        "name": info.name if info else str(node),
        "type": info.type if info else "",
        "stage": info.stage if info else None,
        "x": position[0] if position else None,
        "y": position[1] if position else None,
        "degree": m.degree,
        "in": m.in_degree,
        "out": m.out_degree,
        "degree_centrality": round(m.degree_centrality, 4),
        "betweenness": round(m.betweenness, 4),
        "community": m.community,
        "articulation": m.articulation,
    }


@coalition_view()
def network_graph(request: CoalitionRequest) -> JsonResponse:
    """The nodes and links to draw, laid out, with a note of what the view leaves out."""
    coalition = request.coalition
    network = network_for(coalition)
    kind = request.GET.get("type", "")
    if kind not in RelationshipType.values:
        kind = ""
    include = [n for n in (_int(v) for v in request.GET.get("include", "").split(",")) if n]
    limit = max(1, min(MAP_NODE_LIMIT, _int(request.GET.get("limit")) or MAP_NODE_LIMIT))
    view = choose_view(
        network,
        community=_int(request.GET.get("community")),
        kind=kind,
        include=include[:50],
        limit=limit,
    )
    positions = network.layout_for(view.nodes)
    want_options = request.GET.get("options") == "1"
    ids = network.metrics.nodes.keys() if want_options else view.nodes
    info = node_info(coalition.pk, ids)
    graph = network.graph
    bridges = set(network.metrics.bridges)
    notes = []
    hidden = view.candidates - min(view.candidates, limit)
    if hidden > 0:
        notes.append(
            ngettext(
                "Showing the %(shown)s best-connected of %(total)s organisations: "
                "%(hidden)s is hidden. Filter by community or relationship to see others.",
                "Showing the %(shown)s best-connected of %(total)s organisations: "
                "%(hidden)s are hidden. Filter by community or relationship to see others.",
                hidden,
            )
            % {"shown": limit, "total": view.candidates, "hidden": hidden}
        )
    if view.candidates < view.total:
        notes.append(
            _("Filtered: %(kept)s of the network's %(total)s organisations match.")
            % {"kept": view.candidates, "total": view.total}
        )
    if view.links_total > len(view.links):
        notes.append(
            _("Only the %(shown)s strongest of %(total)s links among them are drawn.")
            % {"shown": MAP_EDGE_LIMIT, "total": view.links_total}
        )
    payload: dict[str, Any] = {
        "nodes": [node_json(n, network, info.get(n), positions.get(n)) for n in view.nodes],
        "links": [
            {
                "source": a,
                "target": b,
                "strength": graph.edges[a, b]["strength"],
                "kinds": sorted(graph.edges[a, b]["kinds"]),
                "heads": sorted(graph.edges[a, b]["heads"]),
                "bridge": (min(a, b), max(a, b)) in bridges,
            }
            for a, b in view.links
        ],
        "summary": summary(network),
        "shown": len(view.nodes),
        "total": view.total,
        "notes": notes,
        "typeLabels": {code: str(label) for code, label in RelationshipType.choices},
    }
    if want_options:
        payload["options"] = sorted(
            ([n, i.name] for n, i in info.items()), key=lambda o: (str(o[1]).lower(), o[0])
        )
    return JsonResponse(payload)


@coalition_view()
def network_path(request: CoalitionRequest) -> JsonResponse:
    """Who could introduce ``source`` to ``target``: the cheapest chain of relationships."""
    coalition = request.coalition
    network = network_for(coalition)
    source, target = _int(request.GET.get("source")), _int(request.GET.get("target"))
    nodes = network.metrics.nodes
    if source not in nodes or target not in nodes:
        # The page's own JSON: an answer the map shows as it is, not an error.
        return JsonResponse(
            {"found": False, "message": _("Pick two organisations of this network.")}
        )
    assert source is not None and target is not None  # for the type checker
    path = introduction_path(network.graph, source, target)
    if path is None:
        return JsonResponse(
            {
                "found": False,
                "message": _("No chain of relationships links these two organisations."),
            }
        )
    info = node_info(coalition.pk, path.nodes)
    return JsonResponse(
        {
            "found": True,
            "nodes": [{"id": n, "name": info[n].name if n in info else str(n)} for n in path.nodes],
            "steps": [
                {
                    "source": s.source,
                    "target": s.target,
                    "strength": s.strength,
                    "kinds": [type_label(k) for k in s.kinds],
                }
                for s in path.steps
            ],
            "intermediaries": path.intermediaries,
            "cost": path.cost,
        }
    )


@coalition_view()
def network_metrics(request: CoalitionRequest) -> HttpResponse:
    coalition = request.coalition
    network = network_for(coalition)
    metrics = network.metrics
    sort = request.GET.get("sort", "betweenness")
    if sort not in SORTS:
        sort = "betweenness"
    descending = (
        request.GET.get("dir", "desc" if sort in {"degree", "betweenness"} else "") == "desc"
    )
    needs_names = sort == "name"
    names = node_info(coalition.pk, metrics.nodes.keys()) if needs_names else {}
    order = sorted(
        metrics.nodes,
        key=lambda n: (SORTS[sort](metrics.nodes[n], names.get(n)), -n if descending else n),
        reverse=descending,
    )
    page = Paginator(order, METRICS_PAGE_SIZE).get_page(request.GET.get("page"))
    info = names or node_info(coalition.pk, list(page.object_list))
    rows = [(n, info.get(n), metrics.nodes[n]) for n in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    columns = [
        ("name", _("Organisation")),
        ("degree", _("Neighbours")),
        ("betweenness", _("Betweenness")),
        ("community", _("Community")),
    ]
    return render(
        request,
        "relationships/metrics.html",
        {
            "rows": rows,
            "page": page,
            "query": query.urlencode(),
            "columns": columns,
            "sort": sort,
            "descending": descending,
            "summary": summary(network),
        },
    )
