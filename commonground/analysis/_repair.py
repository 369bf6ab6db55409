"""Repairing geometries: make each one valid, drop those without any, and say what was done."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, TypedDict

import geopandas as gpd
import numpy as np
import shapely
from numpy.typing import NDArray

from ._vector import Geoms, parallel


class RepairEntry(TypedDict):
    """One feature that ``repair_geometries`` changed; plain JSON, ready to store or show."""

    index: Any  # the feature's index label (int for a default index)
    action: Literal["repaired", "dropped"]
    reason: str
    message: str  # a sentence for the user: "Feature 12 was repaired (Self-intersection…)."


def repair_geometries(frame: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, list[RepairEntry]]:
    """Make every geometry valid (shapely.make_valid) and drop the null and empty ones.

    Polygons are repaired with the "structure" method without collapsed parts, so a polygon
    layer stays polygons (a bow-tie becomes two triangles). Features that are null, empty, or
    collapse to nothing are dropped. The report lists each changed feature, in input order,
    with its index label, what was done and why (GEOS's validity reason).
    """
    geoms = np.asarray(frame.geometry.array, dtype=object)
    missing = shapely.is_missing(geoms)
    empty = ~missing & shapely.is_empty(geoms)
    invalid = ~missing & ~empty & ~parallel(shapely.is_valid, geoms).astype(bool)
    fixed, dropped, report = repair(geoms, missing, empty, invalid, frame.index)
    out = frame.copy()
    if invalid.any():
        out[out.geometry.name] = gpd.GeoSeries(fixed, index=frame.index, crs=frame.crs)
    return out[~dropped], report


def repair(
    geoms: Geoms,
    missing: NDArray[np.bool_],
    empty: NDArray[np.bool_],
    invalid: NDArray[np.bool_],
    labels: Sequence[Any] | NDArray[Any],
) -> tuple[Geoms, NDArray[np.bool_], list[RepairEntry]]:
    """``repair_geometries`` on arrays: (geometries, which to drop, the report).

    ``missing``, ``empty`` and ``invalid`` say what is wrong with each geometry (as
    ``repair_geometries`` finds it), ``labels`` name the features in the report.
    """
    fixed = geoms.copy()
    collapsed = np.zeros(len(geoms), dtype=bool)
    reasons: dict[int, str] = {int(i): "no geometry" for i in np.flatnonzero(missing)}
    reasons |= {int(i): "empty geometry" for i in np.flatnonzero(empty)}
    if invalid.any():
        idx = np.flatnonzero(invalid)
        polygonal = np.isin(shapely.get_type_id(geoms[idx]), (3, 6))
        repaired = np.empty(len(idx), dtype=object)
        if polygonal.any():
            repaired[polygonal] = shapely.make_valid(
                geoms[idx[polygonal]], method="structure", keep_collapsed=False
            )
        if (~polygonal).any():
            repaired[~polygonal] = shapely.make_valid(geoms[idx[~polygonal]])
        fixed[idx] = repaired
        collapsed[idx] = shapely.is_empty(repaired)
        for spot, reason in zip(idx.tolist(), shapely.is_valid_reason(geoms[idx]), strict=True):
            reasons[spot] = str(reason)
    dropped = missing | empty | collapsed
    report: list[RepairEntry] = []
    for position in sorted(reasons):
        label = _plain(labels[position])
        reason = reasons[position]
        if dropped[position]:
            why = reason if not collapsed[position] else f"{reason}; nothing valid remains"
            entry = RepairEntry(
                index=label,
                action="dropped",
                reason=why,
                message=f"Feature {label} was dropped ({why}).",
            )
        else:
            entry = RepairEntry(
                index=label,
                action="repaired",
                reason=reason,
                message=f"Feature {label} was repaired ({reason}).",
            )
        report.append(entry)
    return fixed, dropped, report


def _plain(label: Any) -> Any:
    """Index labels as JSON-ready Python values (numpy integers become int)."""
    return label.item() if isinstance(label, np.generic) else label
