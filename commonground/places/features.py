"""Features for the map: bounding-box reads of GeoParquet, simplified to the zoom, capped.

The browser never receives a whole large layer: a request names the part of the map in view,
and the answer holds at most ``MAX_FEATURES`` features (with ``truncated`` set when there are
more, so the map can ask the user to zoom in).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from commonground.places.models import Area, Layer, LayerStatus

MAX_FEATURES = 5000
MAX_PROPERTIES = 25
BBox = tuple[float, float, float, float]


class BBoxError(ValueError):
    pass


def parse_bbox(value: str | None) -> BBox | None:
    """'minlon,minlat,maxlon,maxlat' in degrees, or None for the whole layer."""
    if not value:
        return None
    parts = value.split(",")
    if len(parts) != 4:
        raise BBoxError(_("bbox needs four numbers: west,south,east,north"))
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise BBoxError(_("bbox needs four numbers: west,south,east,north")) from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise BBoxError(_("bbox values must be finite numbers"))
    west, east = max(west, -180.0), min(east, 180.0)
    south, north = max(south, -90.0), min(north, 90.0)
    if west > east or south > north:
        raise BBoxError(_("bbox must be west,south,east,north with west ≤ east and south ≤ north"))
    return west, south, east, north


def tolerance_for_zoom(zoom: int) -> float:
    """Half a screen pixel at this zoom, in degrees: simplifying below it changes nothing seen."""
    return 360.0 / (256 * 2**zoom) / 2


def layer_geojson(layer: Layer, bbox: BBox | None, *, zoom: int = 14) -> dict[str, Any]:
    import geopandas as gpd
    import shapely

    if layer.status != LayerStatus.READY or not layer.data_path.exists():
        return {"type": "FeatureCollection", "features": [], "numberMatched": 0}
    frame = (
        gpd.read_parquet(layer.data_path, bbox=bbox) if bbox else gpd.read_parquet(layer.data_path)
    )
    if bbox is not None and len(frame):
        # Row groups overlap the box; keep the features that really do.
        frame = frame[frame.intersects(shapely.box(*bbox))]
    matched = len(frame)
    frame = frame.iloc[:MAX_FEATURES]
    keep = [c for c in frame.columns if c not in {frame.geometry.name, "bbox"}][:MAX_PROPERTIES]
    frame = frame[[*keep, frame.geometry.name]]
    frame = frame.set_geometry(
        frame.geometry.simplify(tolerance_for_zoom(zoom), preserve_topology=True)
    )
    collection = json.loads(frame.to_json(na="null", drop_id=True, default=str))
    collection["numberMatched"] = matched
    collection["truncated"] = matched > MAX_FEATURES
    return collection


def areas_geojson(areas: Iterable[Area]) -> dict[str, Any]:
    import shapely

    features = []
    for area in areas:
        if area.geometry is None:
            continue
        shape = shapely.from_wkb(bytes(area.geometry))  # checked above
        features.append(
            {
                "type": "Feature",
                "id": area.pk,
                "geometry": json.loads(shapely.to_geojson(shape)),
                "properties": {"name": area.name, "pcode": area.pcode, "level": area.level},
            }
        )
    return {"type": "FeatureCollection", "features": features}
