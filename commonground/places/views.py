from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.coalitions.access import CoalitionRequest, coalition_view
from commonground.coalitions.roles import Can
from commonground.lib.forms import add_action_errors
from commonground.places import actions
from commonground.places.access import (
    areas_for,
    get_layer_for,
    get_profile_for,
    get_run_for,
    layers_for,
    profiles_for,
    runs_for,
)
from commonground.places.features import BBoxError, areas_geojson, layer_geojson, parse_bbox
from commonground.places.forms import AreaImportForm, LayerForm
from commonground.places.models import AreaLevel, LayerKind
from commonground.places.profiles import DIMENSION_LABELS, indicator_label


def _save_upload(upload: UploadedFile) -> Path:
    """Keep an upload under the data folder for the worker; streamed, never read whole."""
    folder = Path(settings.MEDIA_ROOT) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}{Path(upload.name or '').suffix.lower()}"
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return path


@coalition_view()
def places(request: CoalitionRequest) -> HttpResponse:
    membership = request.membership
    level_labels = dict(AreaLevel.choices)
    area_counts = [
        (level_labels[row["level"]], row["n"])
        for row in areas_for(membership).values("level").annotate(n=Count("id")).order_by("level")
    ]
    return render(
        request,
        "places/places.html",
        {"area_counts": area_counts, "layers": layers_for(membership).order_by("kind", "name")},
    )


@coalition_view(Can.EDIT_REGISTRY)
def area_import(request: CoalitionRequest) -> HttpResponse:
    form = AreaImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        path = _save_upload(form.cleaned_data["file"])
        try:
            created = actions.import_areas(
                request.user,
                request.coalition,
                path,
                level=form.cleaned_data["level"],
                name_field=form.cleaned_data["name_field"].strip(),
                pcode_field=form.cleaned_data["pcode_field"].strip(),
                max_bytes=settings.MAX_LAYER_UPLOAD_SIZE,
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("%(count)s areas imported.") % {"count": len(created)})
            return redirect("places:index", slug=request.coalition.slug)
        finally:
            path.unlink(missing_ok=True)
    return render(request, "places/area_import.html", {"form": form})


@coalition_view(Can.EDIT_REGISTRY)
def layer_create(request: CoalitionRequest) -> HttpResponse:
    form = LayerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        values = {k: v for k, v in form.cleaned_data.items() if k != "file"}
        path = _save_upload(upload)
        try:
            layer = actions.start_layer_import(
                request.user, request.coalition, path, original_filename=upload.name, **values
            )
        except ValidationError as error:
            path.unlink(missing_ok=True)
            add_action_errors(form, error)
        else:
            return redirect("places:layer", slug=request.coalition.slug, pk=layer.pk)
    return render(request, "places/layer_form.html", {"form": form})


@coalition_view()
def layer_detail(request: CoalitionRequest, pk: int) -> HttpResponse:
    layer = get_layer_for(request.membership, pk)
    template = "places/_layer_status.html" if request.htmx else "places/layer.html"
    return render(request, template, {"layer": layer})


@require_POST
@coalition_view(Can.EDIT_REGISTRY)
def layer_delete(request: CoalitionRequest, pk: int) -> HttpResponse:
    layer = get_layer_for(request.membership, pk)
    actions.delete_layer(request.user, layer)
    messages.success(request, _("Layer %(name)s deleted.") % {"name": layer.name})
    return redirect("places:index", slug=request.coalition.slug)


@coalition_view()
def layer_features(request: CoalitionRequest, pk: int) -> HttpResponse:
    """GeoJSON for the map: only what is in view, simplified to the zoom, capped in count."""
    layer = get_layer_for(request.membership, pk)
    try:
        bbox = parse_bbox(request.GET.get("bbox"))
    except BBoxError as error:
        return JsonResponse({"error": str(error)}, status=400)
    zoom = _int(request.GET.get("zoom"), 14, 0, 22)
    return _geojson_response(layer_geojson(layer, bbox, zoom=zoom))


@coalition_view()
def area_features(request: CoalitionRequest) -> HttpResponse:
    """Areas of one level; with ``run`` or ``risk`` each carries the value to colour it by."""
    level = request.GET.get("level", AreaLevel.COMMUNITY)
    if level not in AreaLevel.values:
        return JsonResponse({"error": _("Unknown level.")}, status=400)
    collection = areas_geojson(areas_for(request.membership).filter(level=level))
    values: dict[Any, Any] | None = None
    if request.GET.get("run", "").isdigit():
        # An exposure analysis: each area's exposed share.
        run = get_run_for(request.membership, int(request.GET["run"]))
        key = next(
            (
                k
                for k in ("exposed_population_share", "exposed_share")
                if run.shares and k in run.shares[0]
            ),
            None,
        )
        values = {row.get("area"): row.get(key) for row in run.shares} if key else {}
        collection["legend"] = {"kind": "share"}
    elif request.GET.get("risk", "").isdigit():
        # A risk profile: the risk, a dimension (any level) or an indicator (its own level).
        profile = get_profile_for(request.membership, int(request.GET["risk"]))
        column = request.GET.get("indicator") or "risk"
        rows = [row for row in profile.rollup if row["level"] == level]
        if level == profile.area_level and column not in ("risk", *DIMENSION_LABELS):
            rows = profile.scores if column.startswith("score_") else profile.values
        values = {row.get("area"): row.get(column) for row in rows}
        collection["legend"] = {"kind": legend_kind(column)}
    if values is not None:
        for feature in collection["features"]:
            value = values.get(feature["properties"]["name"])
            feature["properties"]["value"] = value
            feature["properties"]["share"] = value  # the name older clients read
    return _geojson_response(collection)


def legend_kind(column: str) -> str:
    """How the map scales a column: scores 0–10, shares 0–1, anything else min–max."""
    if column in ("risk", *DIMENSION_LABELS) or column.startswith("score_"):
        return "score"
    return "share" if column.endswith("_share") else "value"


@coalition_view()
def map_view(request: CoalitionRequest) -> HttpResponse:
    membership = request.membership
    layers = [
        {
            "id": layer.pk,
            "name": layer.name,
            "kind": layer.kind,
            "kindLabel": str(LayerKind(layer.kind).label),
            "classField": layer.class_field,
            "features": layer.feature_count,
            "url": reverse("places:layer_features", args=[request.coalition.slug, layer.pk]),
        }
        for layer in layers_for(membership).filter(status="ready").order_by("kind", "name")
    ]
    bounds = _bounds(layers_for(membership).filter(status="ready"))
    levels = [
        {"value": value, "label": str(label)}
        for value, label in AreaLevel.choices
        if areas_for(membership).filter(level=value, geometry__isnull=False).exists()
    ]
    runs = [
        {"id": run.pk, "name": run.name, "level": run.area_level}
        for run in runs_for(membership).filter(status="done")[:20]
    ]
    config = {
        "layers": layers,
        "runs": runs,
        "profiles": _profile_options(membership),
        "bounds": bounds,
        "levels": levels,
        "areasUrl": reverse("places:area_features", args=[request.coalition.slug]),
        "tiles": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
    }
    credits = sorted({layer.source for layer in layers_for(membership) if layer.source})
    return render(request, "places/map.html", {"config": config, "attribution": ", ".join(credits)})


def _profile_options(membership: Any) -> list[dict[str, Any]]:
    """Risk profiles the map can colour areas by: risk and dimensions at every level, the
    indicators at the profile's own level."""
    options = []
    for profile in profiles_for(membership).filter(status="done").exclude(rollup=[])[:20]:
        levels = sorted({row["level"] for row in profile.rollup}, key=AreaLevel.values.index)
        columns = [("risk", str(_("Risk index")))] + [
            (key, str(label)) for key, label in DIMENSION_LABELS.items()
        ]
        fields = [{"column": column, "label": label, "levels": levels} for column, label in columns]
        fields += [
            {
                "column": spec["column"],
                "label": indicator_label(spec["column"]),
                "levels": [profile.area_level],
            }
            for spec in profile.indicators
        ]
        options.append({"id": profile.pk, "name": profile.name, "fields": fields})
    return options


def _bounds(layers: Any) -> list[list[float]] | None:
    boxes = [
        (layer.min_x, layer.min_y, layer.max_x, layer.max_y)
        for layer in layers
        if layer.min_x is not None
    ]
    if not boxes:
        return None
    return [
        [min(b[1] for b in boxes), min(b[0] for b in boxes)],
        [max(b[3] for b in boxes), max(b[2] for b in boxes)],
    ]


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        return max(low, min(high, int(value or default)))
    except ValueError:
        return default


def _geojson_response(collection: dict[str, Any]) -> HttpResponse:
    return HttpResponse(
        json.dumps(collection, separators=(",", ":")), content_type="application/geo+json"
    )
