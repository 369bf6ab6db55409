"""Inputs shared by the analyses: CRS checks, geometry arrays, areas and population counts."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from . import _labels, _vector
from ._vector import Floats, Geoms, Index
from .errors import LayerError
from .io import recognise_area_fields, resolve_field

UNNAMED = "(unnamed)"


@dataclass
class AreaSet:
    geoms: Geoms  # working CRS, valid, in layer order
    group: Index  # area index of each polygon
    names: list[str]
    codes: list[str] | None


def crs_of(layer: gpd.GeoDataFrame, name: str) -> CRS:
    if layer.crs is None:
        raise LayerError(
            f"The {name} has no coordinate reference system. Set one (for a shapefile, supply "
            "its .prj file) and try again."
        )
    return CRS.from_user_input(layer.crs)


def geometries(layer: gpd.GeoDataFrame, crs: CRS) -> Geoms:
    """The layer's geometries in the working CRS, as a plain numpy object array."""
    geoms = np.asarray(layer.geometry.array, dtype=object)
    if layer.geometry.crs is None:
        raise LayerError("A layer has no coordinate reference system; set one and try again.")
    return _vector.project(geoms, CRS.from_user_input(layer.geometry.crs), crs)


def polygons(layer: gpd.GeoDataFrame, crs: CRS, name: str) -> Geoms:
    crs_of(layer, name)
    geoms = geometries(layer, crs)
    types = shapely.get_type_id(geoms)
    bad = ~np.isin(types, _vector.POLYGON_TYPES) & ~shapely.is_empty(geoms) & (types >= 0)
    if bad.any():
        found = shapely.get_type_id(geoms[bad][0])
        kind = {0: "points", 1: "lines", 4: "points", 5: "lines"}.get(int(found), "non-polygons")
        raise LayerError(f"The {name} must hold polygons, but feature {np.argmax(bad)} is {kind}.")
    return np.asarray(shapely.make_valid(geoms), dtype=object)


def area_set(
    areas: gpd.GeoDataFrame, name_field: str | None, code_field: str | None, crs: CRS
) -> AreaSet:
    if not name_field:
        recognised = recognise_area_fields(list(areas.columns))
        best = max(recognised.values(), key=lambda f: f.level, default=None)
        if best is None or best.name is None:
            fields = ", ".join(str(c) for c in areas.columns if c != areas.geometry.name)
            raise LayerError(
                f"Choose the field that names the areas; the areas layer has: {fields}."
            )
        name_field, code_field = best.name, code_field or best.pcode
    name_field = resolve_field(areas, name_field, "areas layer")
    if code_field:
        code_field = resolve_field(areas, code_field, "areas layer")
    geoms = polygons(areas, crs, "areas layer")
    names = areas[name_field].map(
        lambda v: UNNAMED if _labels.normalise(v) is None else str(v).strip()
    )
    unique = sorted(names.unique(), key=_labels.natural_key)
    position = {name: i for i, name in enumerate(unique)}
    group = names.map(position).to_numpy(dtype=np.intp)
    codes = None
    if code_field:
        first = areas[code_field].groupby(names.to_numpy()).first()
        codes = [
            "" if _labels.normalise(first.get(n)) is None else str(first[n]).strip() for n in unique
        ]
    return AreaSet(geoms, group, unique, codes)


def people(layer: gpd.GeoDataFrame, field_name: str, warnings: list[str]) -> Floats:
    raw = layer[field_name]
    people = pd.to_numeric(raw, errors="coerce")
    bad = people.isna() & raw.notna()
    if bad.any():
        row = int(np.argmax(bad.to_numpy()))
        raise LayerError(
            f"The population field '{field_name}' must hold numbers; feature {row} has "
            f"'{raw.iloc[row]}'."
        )
    if (people < 0).any():
        row = int(np.argmax((people < 0).to_numpy()))
        raise LayerError(f"The population field '{field_name}' is negative in feature {row}.")
    if people.isna().any():
        warnings.append(
            f"{int(people.isna().sum())} population polygon(s) have no value in '{field_name}' "
            "and count as 0 people."
        )
    return people.fillna(0).to_numpy(dtype=np.float64)


def assign_points(
    areas: AreaSet | None, tree: shapely.STRtree, x: Floats, y: Floats, outside: int
) -> Index:
    """The area of each point: the first polygon in layer order that covers it, else ``outside``."""
    n = len(x)
    if areas is None:
        return np.zeros(n, dtype=np.intp)
    pi, fi = _vector.pairs_covering_points(tree, x, y, areas.geoms)
    first = _vector.first_per_feature(n, fi, pi, len(areas.geoms))
    return np.append(areas.group, outside)[first]
