"""OGC API – Features (Part 1: Core and GeoJSON), read-only, one service per coalition.

``/ogc/<slug>/`` lets QGIS, GDAL's OAPIF driver and other clients read a coalition's layers
and analysis results without downloading files. Plain Django views, JSON only.

Who sees what:
- a coalition that does not exist gives 404;
- public READY layers are readable by anyone, without signing in;
- members-only layers and DONE analysis runs (``analysis-<pk>``, the per-area shares with each
  area's shape) need a member of *that* coalition: a session, or ``Authorization: Token <key>``
  (the API token from the account page). For anyone else they are absent from
  ``/collections`` and give 404, exactly like a collection that does not exist. A wrong or
  revoked token gives 401. (GDAL sends its own headers to OAPIF servers and ignores
  ``GDAL_HTTP_HEADERS``: use ``GDAL_HTTP_HEADER_FILE`` naming a file that holds the line
  ``Authorization: Token <key>``.)

Feature ids are row positions in the layer's GeoParquet file (0-based). The file is written in
Hilbert order once, at import, so an id is stable for as long as the layer is not imported
again. Analysis features are numbered by their row in the run's shares (a run never changes).

A request reads as little of the file as it can: without ``bbox`` only the row groups holding
the page; with ``bbox`` the covering bbox column of the row groups whose statistics overlap it,
and the geometries of only those features whose box crosses the edge of the requested one.
Layers carry no time, so ``datetime`` is checked and then selects every feature.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlencode

from django.db.models import Max, Min
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.http import require_safe

from commonground.accounts.models import User
from commonground.coalitions.access import get_membership
from commonground.coalitions.models import Coalition, Membership
from commonground.coalitions.roles import Can
from commonground.places.access import layers_for, public_layers, runs_for
from commonground.places.features import BBox, BBoxError, parse_bbox
from commonground.places.geoparquet import StoredFeatures, dumps, feature
from commonground.places.models import AnalysisRun, Area, Layer, LayerStatus, RunStatus

if TYPE_CHECKING:
    from django.db.models import QuerySet

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
]
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
JSON = "application/json"
GEOJSON = "application/geo+json"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
ITEMS_PARAMETERS = {"bbox", "limit", "offset", "datetime", "f", "crs", "bbox-crs"}
MAX_ID = 2**31 - 1
Collection = Layer | AnalysisRun


class OgcError(Exception):
    """An answer other than 200, as OGC's exception JSON: ``{"code", "description"}``."""

    def __init__(self, status: int, code: str, description: str) -> None:
        super().__init__(description)
        self.status, self.code, self.description = status, code, description

    def response(self) -> JsonResponse:
        response = JsonResponse(
            {"code": self.code, "description": self.description}, status=self.status
        )
        if self.status == 401:
            response["WWW-Authenticate"] = "Token"
        return response


def not_found(what: str = "Not found.") -> OgcError:
    return OgcError(404, "NotFound", what)


def bad_parameter(description: str) -> OgcError:
    return OgcError(400, "InvalidParameterValue", description)


def as_id(text: str) -> int | None:
    """A database-sized whole number written in ASCII digits, or None."""
    return int(text) if re.fullmatch(r"[0-9]{1,10}", text) and int(text) <= MAX_ID else None


# Who is asking ----------------------------------------------------------------------------


def token_user(request: HttpRequest) -> User | None:
    """The user of an ``Authorization: Token <key>`` header; None without one; 401 if wrong."""
    from rest_framework.authtoken.models import Token

    header = request.headers.get("Authorization", "").split()
    if not header or header[0].lower() != "token":
        return None
    if len(header) != 2:
        raise OgcError(401, "InvalidToken", "Send the header as: Authorization: Token <key>")
    token = Token.objects.select_related("user").filter(key=header[1]).first()
    if token is None or not token.user.is_active:
        raise OgcError(401, "InvalidToken", "This token is not valid (it may have been renewed).")
    return token.user


@dataclass
class Service:
    """One coalition's OGC API, as seen by the person asking."""

    request: HttpRequest
    coalition: Coalition
    membership: Membership | None

    def url(self, name: str, *args: Any, query: dict[str, Any] | None = None) -> str:
        path = reverse(f"ogc:{name}", args=[self.coalition.slug, *args])
        return self.request.build_absolute_uri(path + (f"?{urlencode(query)}" if query else ""))

    def layers(self) -> QuerySet[Layer]:
        if self.membership is not None:
            visible = layers_for(self.membership)
        else:
            visible = public_layers().filter(coalition=self.coalition)
        return visible.filter(status=LayerStatus.READY).order_by("name", "pk")

    def runs(self) -> QuerySet[AnalysisRun]:
        if self.membership is None:
            return AnalysisRun.objects.none()
        return runs_for(self.membership).filter(status=RunStatus.DONE).order_by("-pk")

    def collection(self, collection_id: str) -> Collection:
        """The layer or run behind ``layer-<pk>`` / ``analysis-<pk>``; 404 for missing or hidden."""
        kind, _, text = collection_id.partition("-")
        pk = as_id(text)
        found: Collection | None = None
        if pk is not None and kind == "layer":
            found = self.layers().filter(pk=pk).first()
        elif pk is not None and kind == "analysis":
            found = self.runs().filter(pk=pk).first()
        if found is None:
            raise not_found(f"No collection {collection_id!r}.")
        return found


def resolve(request: HttpRequest, slug: str) -> Service:
    coalition = Coalition.objects.filter(slug=slug).first()
    if coalition is None:
        raise not_found("No such coalition.")
    user = request.user if request.user.is_authenticated else token_user(request)
    try:
        membership: Membership | None = get_membership(user, slug)
    except Http404:
        membership = None
    if membership is not None and not membership.can(Can.VIEW):
        membership = None
    return Service(request, coalition, membership)


def ogc_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """GET/HEAD only; resolve the coalition and the asker; errors as OGC exception JSON."""

    @require_safe
    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = view(resolve(request, slug), *args, **kwargs)
        except OgcError as error:
            response = error.response()
        # What a response holds depends on who asks: shared caches must not mix them up.
        patch_vary_headers(response, ["Authorization", "Cookie"])
        return response

    return wrapper


# Documents --------------------------------------------------------------------------------


def link(href: str, rel: str, type: str = JSON, title: str = "") -> dict[str, str]:
    return {"href": href, "rel": rel, "type": type, **({"title": title} if title else {})}


@ogc_view
def landing(service: Service) -> JsonResponse:
    coalition = service.coalition
    return JsonResponse(
        {
            "title": coalition.name,
            "description": f"Layers and analysis results of {coalition.name} ({coalition.city}).",
            "links": [
                link(service.url("landing"), "self", title="This document"),
                link(service.url("api"), "service-desc", OPENAPI, "The API definition"),
                link(service.url("conformance"), "conformance", title="Conformance classes"),
                link(service.url("collections"), "data", title="The collections"),
            ],
        }
    )


@ogc_view
def conformance(service: Service) -> JsonResponse:
    return JsonResponse({"conformsTo": CONFORMANCE})


@ogc_view
def collections(service: Service) -> JsonResponse:
    extents = area_extents(service.coalition)
    described = [describe_layer(service, layer) for layer in service.layers()]
    described += [describe_run(service, run, extents.get(run.area_level)) for run in service.runs()]
    return JsonResponse(
        {
            "links": [link(service.url("collections"), "self")],
            "collections": described,
        }
    )


@ogc_view
def collection(service: Service, collection_id: str) -> JsonResponse:
    found = service.collection(collection_id)
    if isinstance(found, Layer):
        return JsonResponse(describe_layer(service, found))
    return JsonResponse(
        describe_run(service, found, area_extents(service.coalition).get(found.area_level))
    )


def describe(
    service: Service, collection_id: str, title: str, description: str, bounds: BBox | None
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": collection_id,
        "title": title,
        "description": description,
        "itemType": "feature",
        "crs": [CRS84],
        "links": [
            link(service.url("collection", collection_id), "self"),
            link(service.url("items", collection_id), "items", GEOJSON, "The features"),
        ],
    }
    if bounds is not None:
        document["extent"] = {"spatial": {"bbox": [list(bounds)], "crs": CRS84}}
    return document


def describe_layer(service: Service, layer: Layer) -> dict[str, Any]:
    parts = [str(layer.get_kind_display()), f"{layer.feature_count} features"]
    parts += [f"Source: {layer.source}"] * bool(layer.source)
    parts += [f"Licence: {layer.licence}"] * bool(layer.licence)
    bounds = (layer.min_x, layer.min_y, layer.max_x, layer.max_y)
    known = None if None in bounds else cast(BBox, bounds)
    return describe(service, f"layer-{layer.pk}", layer.name, ". ".join(parts) + ".", known)


def describe_run(service: Service, run: AnalysisRun, bounds: BBox | None) -> dict[str, Any]:
    description = (
        f"Exposure analysis per {run.get_area_level_display().lower()}: what is exposed to "
        f"{run.hazard_layer.name} ({run.get_rule_display().lower()}), one feature per area."
    )
    return describe(service, f"analysis-{run.pk}", run.name, description, bounds)


def area_extents(coalition: Coalition) -> dict[str, BBox]:
    rows = (
        Area.objects.filter(coalition=coalition, geometry__isnull=False)
        .values("level")
        .annotate(a=Min("min_x"), b=Min("min_y"), c=Max("max_x"), d=Max("max_y"))
    )
    return {row["level"]: (row["a"], row["b"], row["c"], row["d"]) for row in rows}


# Items ------------------------------------------------------------------------------------


@dataclass
class Page:
    bbox: BBox | None
    limit: int
    offset: int
    query: dict[str, str]  # the parameters to repeat in next/prev links


def page_parameters(request: HttpRequest) -> Page:
    unknown = sorted(set(request.GET) - ITEMS_PARAMETERS)
    if unknown:
        raise bad_parameter(
            f"Unknown parameter {unknown[0]!r}; use {', '.join(sorted(ITEMS_PARAMETERS))}."
        )
    check_format(request)
    raw = request.GET.get("bbox", "")
    if raw.count(",") == 5:  # a 3-D box: the heights do not matter for 2-D features
        lo_x, lo_y, _lo_z, hi_x, hi_y, _hi_z = raw.split(",")
        raw = ",".join([lo_x, lo_y, hi_x, hi_y])
    try:
        bbox = parse_bbox(raw)
    except BBoxError as error:
        raise bad_parameter(str(error)) from None
    limit = integer(request, "limit", DEFAULT_LIMIT, lowest=1)
    offset = integer(request, "offset", 0, lowest=0)
    check_datetime(request.GET.get("datetime"))
    query = {k: request.GET[k] for k in ("bbox", "datetime") if request.GET.get(k)}
    # Beyond the maximum the page is capped rather than refused, as the standard allows.
    return Page(bbox, min(limit, MAX_LIMIT), offset, query)


def integer(request: HttpRequest, name: str, default: int, *, lowest: int) -> int:
    value = request.GET.get(name)
    if value is None:
        return default
    if not re.fullmatch(r"[0-9]{1,9}", value) or int(value) < lowest:
        raise bad_parameter(f"{name} must be a whole number, at least {lowest}.")
    return int(value)


def check_format(request: HttpRequest) -> None:
    """``f`` names JSON or is absent; ``crs``, if given, is CRS84 (the only one offered)."""
    if request.GET.get("f", "json").lower() not in {"json", "geojson"}:
        raise bad_parameter("Only JSON is offered: leave out f, or use f=json.")
    for name in ("crs", "bbox-crs"):
        if request.GET.get(name, CRS84) != CRS84:
            raise bad_parameter(f"{name}: only {CRS84} is offered.")


def check_datetime(value: str | None) -> None:
    """RFC 3339 instant or interval (``a/b``, ``../b``, ``a/..``), else 400."""
    if value is None:
        return
    ends = value.split("/")
    valid = len(ends) in (1, 2) and all(
        (len(ends) == 2 and end in ("", "..")) or parse_datetime(end) or parse_date(end)
        for end in ends
    )
    if not valid or value in ("/", "../..", "../", "/.."):
        raise bad_parameter("datetime must be an RFC 3339 date-time or an interval a/b.")


@ogc_view
def items(service: Service, collection_id: str) -> HttpResponse:
    found = service.collection(collection_id)
    page = page_parameters(service.request)
    if isinstance(found, Layer):
        matched, features = layer_page(found, page)
    else:
        matched, features = run_page(found, page)
    links = [
        link(service.url("items", collection_id, query=query), rel, GEOJSON)
        for rel, query in page_links(page, matched, len(features))
    ]
    links.append(link(service.url("collection", collection_id), "collection"))
    head = {
        "type": "FeatureCollection",
        "numberMatched": matched,
        "numberReturned": len(features),
        "timeStamp": timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "links": links,
    }
    # The features are already JSON text: splice them in rather than parse them again.
    return HttpResponse(
        f'{dumps(head)[:-1]},"features":[{",".join(features)}]}}', content_type=GEOJSON
    )


def page_links(page: Page, matched: int, returned: int) -> list[tuple[str, dict[str, Any]]]:
    def at(offset: int) -> dict[str, Any]:
        return {**page.query, "limit": page.limit, "offset": offset}

    links = [("self", at(page.offset))]
    if page.offset + returned < matched:
        links.append(("next", at(page.offset + page.limit)))
    if page.offset > 0:
        links.append(("prev", at(max(page.offset - page.limit, 0))))
    return links


@ogc_view
def item(service: Service, collection_id: str, fid: str) -> HttpResponse:
    found = service.collection(collection_id)
    if set(service.request.GET) - {"f", "crs"}:
        raise bad_parameter("A single feature takes no parameters other than f and crs.")
    check_format(service.request)
    number = as_id(fid)
    if number is None:
        features = []
    elif isinstance(found, Layer):
        stored = StoredFeatures.open(found)
        features = stored.features([number]) if stored and number < stored.count else []
    else:
        features = run_features(found, None)[number : number + 1]
    if not features:
        raise not_found(f"No feature {fid!r}.")
    links = [link(service.url("item", collection_id, fid), "self", GEOJSON)]
    return HttpResponse(f'{features[0][:-1]},"links":{dumps(links)}}}', content_type=GEOJSON)


# Layers: GeoParquet ------------------------------------------------------------------------


def layer_page(layer: Layer, page: Page) -> tuple[int, list[str]]:
    import numpy as np

    stored = StoredFeatures.open(layer)
    if stored is None:
        return 0, []
    if page.bbox is None:
        end = min(page.offset + page.limit, stored.count)
        return stored.count, stored.features(np.arange(page.offset, max(end, page.offset)))
    rows = stored.matching(page.bbox)
    return len(rows), stored.features(rows[page.offset : page.offset + page.limit])


# Analysis runs: shares per area ------------------------------------------------------------


def run_features(run: AnalysisRun, bbox: BBox | None) -> list[str]:
    """One feature per row of the run's shares, with its area's shape (few: read them all)."""
    import shapely

    from commonground.places.runs import areas_frame

    areas = areas_frame(run.coalition_id, run.area_level)
    shapes = dict(zip(areas["name"], areas.geometry, strict=True))
    box = shapely.box(*bbox) if bbox else None
    out = []
    for fid, share in enumerate(run.shares):
        shape = shapes.get(share.get("area"))
        if box is not None and (shape is None or not shape.intersects(box)):
            continue
        out.append(feature(fid, shapely.to_geojson(shape) if shape else None, share))
    return out


def run_page(run: AnalysisRun, page: Page) -> tuple[int, list[str]]:
    features = run_features(run, page.bbox)
    return len(features), features[page.offset : page.offset + page.limit]


# API definition ----------------------------------------------------------------------------

PATH_PARAMETERS = {
    "collectionId": ("string", "layer-<id> or analysis-<id>"),
    "featureId": ("integer", "the feature's row number"),
}
ITEMS_QUERY = [
    ("bbox", {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 6}),
    ("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}),
    ("offset", {"type": "integer", "minimum": 0, "default": 0}),
    ("datetime", {"type": "string"}),
]


@ogc_view
def api(service: Service) -> JsonResponse:
    """A small OpenAPI 3.0 document: GDAL reads the page size it may ask for from it."""

    def get(path: str, summary: str, kind: str = JSON) -> tuple[str, dict[str, Any]]:
        parameters = [
            {
                "name": name,
                "in": "path",
                "required": True,
                "schema": {"type": type_},
                "description": text,
            }
            for name, (type_, text) in PATH_PARAMETERS.items()
            if f"{{{name}}}" in path
        ]
        if path.endswith("/items"):
            parameters += [{"name": n, "in": "query", "schema": s} for n, s in ITEMS_QUERY]
        responses = {"200": {"description": summary, "content": {kind: {}}}}
        responses |= {"400": {"description": "Bad parameter"}, "404": {"description": "Not found"}}
        return path, {"get": {"summary": summary, "parameters": parameters, "responses": responses}}

    paths = [
        get("/", "Landing page"),
        get("/conformance", "Conformance classes"),
        get("/collections", "Collections"),
        get("/collections/{collectionId}", "A collection"),
        get("/collections/{collectionId}/items", "Features", GEOJSON),
        get("/collections/{collectionId}/items/{featureId}", "A feature", GEOJSON),
    ]
    document = {
        "openapi": "3.0.3",
        "info": {"title": service.coalition.name, "version": "1.0"},
        "servers": [{"url": service.url("landing").rstrip("/")}],
        "paths": dict(paths),
    }
    return JsonResponse(document, content_type=OPENAPI)
