"""Capacity: how many resources an area has for its people, and how far people are from them.

Resources are any features (points, or polygons such as a hospital's buildings), optionally of
one class of ``resource_field`` (matched like hazard classes: case and spaces ignored).

Population per area
    From population polygons, area-weighted: each polygon's people are shared among areas in
    proportion to the part of its area inside each (Lambert azimuthal equal-area projection
    centred on the data). Or, without population polygons, from a field of the areas layer.

Distances
    In metres in the WGS 84 UTM zone at the centre of the data, from each origin's
    representative point (see ``exposure``: always on the feature) to the nearest point of the
    nearest resource; 0 when the point is inside a resource polygon.

Origins in areas
    Resources, and origins without a population field, count wholly in the area holding their
    representative point (the first such polygon of the areas layer), or under "Outside
    areas". Polygon origins with a population field share their people among areas by area,
    each part keeping the polygon's distance.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer

from . import _inputs, _labels, _vector
from ._vector import Floats, Index
from .errors import LayerError
from .io import resolve_field

OUTSIDE_AREAS = "Outside areas"


def resources_per_1000(
    resources: gpd.GeoDataFrame,
    areas: gpd.GeoDataFrame,
    area_field: str | None = None,
    *,
    population: gpd.GeoDataFrame | None = None,
    population_field: str = "population",
    resource_field: str | None = None,
    area_code_field: str | None = None,
) -> pd.DataFrame:
    """Resources, people and resources per 1,000 people for every area (× resource class).

    Columns: ``area`` (``area_code``), ``resource_class`` when ``resource_field`` is given,
    ``resources``, ``population``, ``per_1000`` (missing where an area has no people). A
    resource counts in the area holding its representative point. People come from
    ``population`` polygons (area-weighted) or, without them, from ``population_field`` of
    the areas layer.
    """
    crs = _inputs.crs_of(areas, "areas layer")
    area_set = _inputs.area_set(areas, area_field, area_code_field, crs)
    n_areas = len(area_set.names)
    people = _people_per_area(areas, area_set, crs, population, population_field)

    geoms = _inputs.geometries(resources, crs)
    x, y = _vector.representative_xy(geoms)
    area = _inputs.assign_points(area_set, shapely.STRtree(geoms), x, y, n_areas)
    labels: list[str | None] = [None]
    codes = np.zeros(len(geoms), dtype=np.intp)
    if resource_field:
        coded = _labels.encode(resources[resolve_field(resources, resource_field, "resources")])
        order = sorted(range(len(coded.keys)), key=lambda i: _labels.natural_key(coded.labels[i]))
        labels = [coded.labels[i] for i in order]
        position = np.full(len(order) + 1, -1, dtype=np.intp)
        position[order] = np.arange(len(order))
        codes = position[coded.codes]
    kinds = len(labels)
    counted = codes >= 0  # resources without a class are left out of a per-class table
    counts = np.bincount(
        area[counted] * kinds + codes[counted], minlength=(n_areas + 1) * kinds
    ).reshape(n_areas + 1, kinds)

    rows = []
    for a, name in enumerate(area_set.names):
        for k, label in enumerate(labels):
            rows.append(_area_row(area_set, a, name) | _class(label, counts[a, k], people[a]))
    if counts[n_areas].any():
        for k, label in enumerate(labels):
            outside = _area_row(area_set, None, OUTSIDE_AREAS)
            rows.append(outside | _class(label, counts[-1, k], people[-1]))
    return pd.DataFrame(rows)


def population_by_area(
    areas: gpd.GeoDataFrame,
    area_field: str | None = None,
    *,
    population: gpd.GeoDataFrame,
    population_field: str = "population",
    area_code_field: str | None = None,
) -> pd.DataFrame:
    """People per area from population polygons, area-weighted (see the module docstring).

    Columns: ``area`` (``area_code``), ``population``; a last row "Outside areas" holds the
    people of the polygons' parts outside every area, when there are any.
    """
    crs = _inputs.crs_of(areas, "areas layer")
    area_set = _inputs.area_set(areas, area_field, area_code_field, crs)
    people = _people_per_area(areas, area_set, crs, population, population_field)
    rows = [
        _area_row(area_set, a, name) | {"population": float(people[a])}
        for a, name in enumerate(area_set.names)
    ]
    if people[-1] > 0:
        rows.append(_area_row(area_set, None, OUTSIDE_AREAS) | {"population": float(people[-1])})
    return pd.DataFrame(rows)


def _class(label: str | None, count: int, people: float) -> dict[str, object]:
    row: dict[str, object] = {} if label is None else {"resource_class": label}
    per = count / people * 1000 if people > 0 else np.nan
    return row | {"resources": int(count), "population": float(people), "per_1000": per}


def _area_row(area_set: _inputs.AreaSet, a: int | None, name: str) -> dict[str, object]:
    row: dict[str, object] = {"area": name}
    if area_set.codes is not None:
        row["area_code"] = area_set.codes[a] if a is not None else ""
    return row


def _people_per_area(
    areas: gpd.GeoDataFrame,
    area_set: _inputs.AreaSet,
    crs: CRS,
    population: gpd.GeoDataFrame | None,
    population_field: str,
) -> Floats:
    """People per area (last slot: outside every area), area-weighted from polygons."""
    n_areas = len(area_set.names)
    if population is None:
        column = resolve_field(areas, population_field, "areas layer")
        people = _inputs.people(areas, column, [])
        return np.bincount(area_set.group, weights=people, minlength=n_areas + 1).astype(float)
    column = resolve_field(population, population_field, "population layer")
    people = _inputs.people(population, column, [])
    geoms = _inputs.polygons(population, crs, "population layer")
    fi, group, share = _area_shares(geoms, crs, area_set)
    return np.bincount(group, weights=people[fi] * share, minlength=n_areas + 1).astype(float)


def _area_shares(
    geoms: _vector.Geoms, crs: CRS, area_set: _inputs.AreaSet
) -> tuple[Index, Index, Floats]:
    """(polygon, area, share of the polygon's area in it); area ``len(names)`` is outside."""
    bounds = np.asarray(shapely.total_bounds(geoms))
    target = _vector.equal_area_crs(_vector.bounds_lonlat(bounds, crs))
    projected = _vector.valid(_vector.project(geoms, crs, target))
    order = np.arange(len(area_set.geoms))
    exclusive = _vector.project(_vector.make_exclusive(area_set.geoms, order), crs, target)
    fi, ai, parts = _vector.split_by_areas(projected, exclusive, _vector.area)
    whole = _vector.area(projected)
    share = np.divide(_vector.area(parts), whole[fi], out=np.zeros(len(fi)), where=whole[fi] > 0)
    return fi, np.append(area_set.group, len(area_set.names))[ai], share


def distance_to_nearest(
    origins: gpd.GeoDataFrame,
    resources: gpd.GeoDataFrame,
    *,
    resource_field: str | None = None,
    resource_class: str | None = None,
) -> pd.Series:
    """Metres from each origin's representative point to the nearest resource (of a class).

    Returns a float Series aligned with ``origins`` (named ``distance_m``), NaN for origins
    without geometry. Uses one STRtree nearest-neighbour query in the UTM zone of the data.
    """
    crs = _inputs.crs_of(origins, "origins layer")
    geoms = _inputs.geometries(origins, crs)
    targets = _inputs.geometries(resources, crs)
    if resource_field or resource_class:
        if not (resource_field and resource_class):
            raise LayerError("Give both the resource field and the class of resource to use.")
        coded = _labels.encode(resources[resolve_field(resources, resource_field, "resources")])
        wanted = _labels.normalise(resource_class)
        if wanted not in coded.keys:
            found = ", ".join(coded.labels) or "none"
            raise LayerError(
                f"No resource has the class '{resource_class}' in '{resource_field}'; the "
                f"classes found are: {found}."
            )
        targets = targets[coded.codes == coded.keys.index(wanted)]
    targets = targets[~shapely.is_empty(targets) & ~shapely.is_missing(targets)]
    if len(targets) == 0:
        raise LayerError("There are no resources to measure distances to.")

    x, y = _vector.representative_xy(geoms)
    valid = np.isfinite(x)
    bounds = np.asarray(shapely.total_bounds(np.concatenate([geoms[valid], targets])))
    metric = _vector.utm_crs(_vector.bounds_lonlat(bounds, crs))
    to_metric = Transformer.from_crs(crs, metric, always_xy=True)
    mx, my = to_metric.transform(x[valid], y[valid])
    tree = shapely.STRtree(_vector.project(targets, crs, metric))
    points = shapely.points(np.asarray(mx), np.asarray(my))
    (origin, _), distance = tree.query_nearest(points, return_distance=True, all_matches=False)
    result = np.full(len(geoms), np.nan)
    result[np.flatnonzero(valid)[origin]] = distance
    return pd.Series(result, index=origins.index, name="distance_m")


def population_beyond(
    origins: gpd.GeoDataFrame,
    resources: gpd.GeoDataFrame,
    max_distance_m: float,
    *,
    areas: gpd.GeoDataFrame | None = None,
    area_field: str | None = None,
    population_field: str | None = None,
    resource_field: str | None = None,
    resource_class: str | None = None,
    area_code_field: str | None = None,
) -> pd.DataFrame:
    """People farther than ``max_distance_m`` from the nearest resource, per area.

    Origins are buildings (each counts as one, or as ``population_field`` people) or population
    polygons (with ``population_field``). Columns: ``area`` (``area_code``) when ``areas`` is
    given, ``population``, ``population_beyond``, ``share_beyond`` (0-1), ``mean_distance_m``
    (people-weighted).
    """
    if max_distance_m <= 0:
        raise LayerError("The distance must be more than 0 metres.")
    distance = distance_to_nearest(
        origins, resources, resource_field=resource_field, resource_class=resource_class
    ).to_numpy()
    if population_field:
        column = resolve_field(origins, population_field, "origins layer")
        people = _inputs.people(origins, column, [])
    else:
        people = np.ones(len(origins))
    crs = _inputs.crs_of(origins, "origins layer")
    area_set = (
        _inputs.area_set(areas, area_field, area_code_field, crs) if areas is not None else None
    )
    n_areas = len(area_set.names) if area_set else 1
    geoms = _inputs.geometries(origins, crs)
    polygonal = np.isin(shapely.get_type_id(geoms), _vector.POLYGON_TYPES)
    if area_set is not None and population_field and polygonal.all():
        # People in polygons are shared among areas by area, like everywhere else.
        fi, area, share = _area_shares(geoms, crs, area_set)
    else:
        x, y = _vector.representative_xy(geoms)
        fi = np.arange(len(geoms))
        area = _inputs.assign_points(area_set, shapely.STRtree(geoms), x, y, n_areas)
        share = np.ones(len(geoms))
    weight, dist = people[fi] * share, distance[fi]
    known = np.isfinite(dist)
    size = n_areas + 1
    total = np.bincount(area, weights=weight, minlength=size)
    far = np.bincount(
        area, weights=np.where(known & (dist > max_distance_m), weight, 0), minlength=size
    )
    weighted = np.bincount(
        area, weights=np.where(known, weight * np.nan_to_num(dist), 0), minlength=size
    )
    measured = np.bincount(area, weights=np.where(known, weight, 0), minlength=size)
    names: Sequence[str] = area_set.names if area_set else ["All"]
    rows = []
    for a in range(n_areas + 1):
        if a == n_areas and total[a] == 0:
            continue
        row: dict[str, object] = {}
        if area_set:
            row = _area_row(
                area_set, a if a < n_areas else None, names[a] if a < n_areas else OUTSIDE_AREAS
            )
        row |= {
            "population": float(total[a]),
            "population_beyond": float(far[a]),
            "share_beyond": float(far[a] / total[a]) if total[a] > 0 else np.nan,
            "mean_distance_m": float(weighted[a] / measured[a]) if measured[a] > 0 else np.nan,
        }
        rows.append(row)
    return pd.DataFrame(rows)
