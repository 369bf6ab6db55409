"""Where the time goes: the import and the exposure analysis, step by step.

Both profiles run the real code (``store_layer_features``, ``exposure_by_area``) with its
building blocks wrapped by ``StepProfiler``; the import profile then times alternatives to its
costly steps on the same frame, the evidence behind the recommendations in the report.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.analysis.measure import StepProfiler, mib, status_kb, timed


def _seconds(fn: Callable[[], Any]) -> float:
    _result, runs = timed(fn, 1)
    return round(runs.median, 4)


def profile_import(layer: Any, path: Path) -> dict[str, Any]:
    import geopandas as gpd
    import numpy as np
    import pandas as pd
    import shapely

    from commonground.analysis import io
    from commonground.places import actions

    profiler = StepProfiler()
    targets: list[tuple[Any, str, Any]] = [
        (actions, "read_layer", "read_layer"),
        (io, "_read_ogr", "pyogrio.read_dataframe (+ list_layers)"),
        (io, "_to_storage_crs", "CRS check (_to_storage_crs)"),
        (actions, "repair_geometries", "repair_geometries"),
        (shapely, "is_valid", "shapely.is_valid"),
        (shapely, "is_missing", "shapely.is_missing"),
        (shapely, "is_empty", "shapely.is_empty"),
        (shapely, "make_valid", "shapely.make_valid"),
        (shapely, "is_valid_reason", "shapely.is_valid_reason"),
        (gpd.GeoDataFrame, "copy", "GeoDataFrame.copy"),
        (gpd.GeoSeries, "hilbert_distance", "GeoSeries.hilbert_distance"),
        (pd.Series, "argsort", "Series.argsort"),
        (gpd.GeoDataFrame, "to_parquet", "GeoDataFrame.to_parquet"),
        (type(layer), "save", "Layer.save"),
    ]
    started = time.perf_counter()
    with profiler.patched(targets):
        actions.store_layer_features(layer, path)
    total = time.perf_counter() - started
    steps = profiler.rows()
    accounted = sum(r["seconds"] for r in steps if r["depth"] == 0)
    steps.append(
        {
            "step": "other",
            "label": "other (iloc after the sort, total_bounds, geom_type, freeing the frames)",
            "depth": 0,
            "calls": 1,
            "seconds": round(total - accounted, 4),
        }
    )

    # Alternatives, on the same frame (repaired, in file order) and its Hilbert order.
    frame, _repairs = io.repair_geometries(io.read_layer(path))
    order = frame.geometry.hilbert_distance().to_numpy().argsort(kind="stable")
    geoms = np.asarray(frame.geometry.array, dtype=object)
    shuffled = geoms[order]
    sorted_frame = frame.iloc[order]
    wkb = shapely.to_wkb(geoms)
    variants: dict[str, Any] = {
        "shapely.is_valid, file order": _seconds(lambda: shapely.is_valid(geoms)),
        "shapely.is_valid, Hilbert order": _seconds(lambda: shapely.is_valid(shuffled)),
        "shapely.is_valid, file order, 2 threads (_vector.parallel)": _seconds(
            lambda: _parallel(shapely.is_valid, geoms)
        ),
        "shapely.to_wkb, file order": _seconds(lambda: shapely.to_wkb(geoms)),
        "shapely.to_wkb, Hilbert order": _seconds(lambda: shapely.to_wkb(shuffled)),
        "free the geometries, file order": _free_seconds(wkb, None),
        "free the geometries, Hilbert order": _free_seconds(wkb, order),
        "frame.iloc[order]": _seconds(lambda: frame.iloc[order]),
        "hilbert_distance().argsort(), file order": _seconds(
            lambda: frame.geometry.hilbert_distance().to_numpy().argsort(kind="stable")
        ),
        "geometry_type: set(geom_type), Hilbert order": _seconds(
            lambda: sorted(set(sorted_frame.geom_type.dropna()))
        ),
        "geometry_type: np.unique(get_type_id), file order": _seconds(
            lambda: np.unique(shapely.get_type_id(geoms))
        ),
        "total_bounds, Hilbert order": _seconds(lambda: sorted_frame.total_bounds),
        "shapely.bounds, file order": _seconds(lambda: shapely.bounds(geoms)),
    }
    with tempfile.TemporaryDirectory(dir=Path(layer.data_path).parent) as tmp:
        out = Path(tmp) / "v.parquet"
        writes: list[tuple[str, Callable[[], Any]]] = [
            (
                "to_parquet of the sorted frame (as now)",
                lambda: sorted_frame.to_parquet(
                    out, index=False, write_covering_bbox=True, row_group_size=20_000
                ),
            ),
            (
                "to_parquet of the sorted frame, no covering bbox",
                lambda: sorted_frame.to_parquet(out, index=False, row_group_size=20_000),
            ),
            (
                "Arrow table in file order, take(order), pq.write_table (proposed)",
                lambda: write_sorted(frame, order, out),
            ),
        ]
        for label, write in writes:
            variants[label] = _seconds(write)
            variants[label + " → MB"] = round(out.stat().st_size / 1e6, 1)
            variants[label + " → rows in a 1 km box"] = _box_rows(out, frame)
            out.unlink()
    return {
        "total_s": round(total, 4),
        "steps": steps,
        "variants_s": variants,
        "rows": len(frame),
        "columns": [str(c) for c in frame.columns],
        "peak_profile_mib": mib(status_kb("VmHWM")),
    }


def _free_seconds(wkb: Any, order: Any) -> float:
    """Seconds to free a million geometries, as built (file order) or after reordering."""
    import shapely

    holder = [shapely.from_wkb(wkb) if order is None else shapely.from_wkb(wkb)[order]]
    started = time.perf_counter()
    holder.clear()
    return round(time.perf_counter() - started, 4)


def _box_rows(path: Path, frame: Any) -> int | str:
    """Rows a 1 km bounding-box read returns: the same in every file that has a covering bbox."""
    import geopandas as gpd

    x, y = frame.geometry.iloc[0].centroid.coords[0]
    try:
        box = gpd.read_parquet(path, bbox=(x - 0.0045, y - 0.0045, x + 0.0045, y + 0.0045))
    except ValueError:
        return "no bbox read"
    return len(box)


TYPE_NAMES = {
    0: "Point",
    1: "LineString",
    2: "LinearRing",
    3: "Polygon",
    4: "MultiPoint",
    5: "MultiLineString",
    6: "MultiPolygon",
    7: "GeometryCollection",
}


def write_sorted(frame: Any, order: Any, path: Path, row_group_size: int = 20_000) -> None:
    """GeoParquet 1.1 with a covering bbox, rows in ``order``, sorted as Arrow (proposed).

    Encoding WKB and bounds in file order, then reordering the Arrow table, keeps every pass
    over the Shapely geometries in the order they were built (the cache-friendly one).
    """
    import json

    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq
    import shapely

    geoms = np.asarray(frame.geometry.array, dtype=object)
    bounds = shapely.bounds(geoms)
    types = np.unique(shapely.get_type_id(geoms))
    name = frame.geometry.name
    table = pa.table(frame.to_arrow(index=False, geometry_encoding="WKB"))
    bbox = pa.StructArray.from_arrays(
        [pa.array(bounds[:, i]) for i in range(4)], names=["xmin", "ymin", "xmax", "ymax"]
    )
    table = table.append_column("bbox", bbox)
    total = [
        float(np.nanmin(bounds[:, 0])),
        float(np.nanmin(bounds[:, 1])),
        float(np.nanmax(bounds[:, 2])),
        float(np.nanmax(bounds[:, 3])),
    ]
    geo = {
        "version": "1.1.0",
        "primary_column": name,
        "columns": {
            name: {
                "encoding": "WKB",
                "crs": frame.crs.to_json_dict(),
                "geometry_types": sorted(TYPE_NAMES[int(t)] for t in types if t >= 0),
                "bbox": total,
                "covering": {"bbox": {k: ["bbox", k] for k in ("xmin", "ymin", "xmax", "ymax")}},
            }
        },
    }
    metadata = {**(table.schema.metadata or {}), b"geo": json.dumps(geo).encode()}
    table = table.replace_schema_metadata(metadata).take(order)
    pq.write_table(table, path, row_group_size=row_group_size, compression="snappy")


def _parallel(fn: Callable[..., Any], *arrays: Any) -> Any:
    from commonground.analysis._vector import parallel

    return parallel(fn, *arrays)


def profile_analysis(
    run: Callable[[], Any], frames: dict[str, Any], spec: dict[str, Any]
) -> dict[str, Any]:
    import shapely

    from commonground.analysis import _inputs, _vector, exposure

    profiler = StepProfiler()

    def parallel_label(fn: Any, *_args: Any, **_kwargs: Any) -> str:
        return f"parallel({getattr(fn, '__name__', 'fn')})"

    targets: list[tuple[Any, str, Any]] = [
        (exposure, "_hazard_zones", "hazard zones (_hazard_zones)"),
        (exposure, "_table", "result table (_table)"),
        (exposure._Analysis, "classify", "classify"),
        (exposure._Analysis, "_majority", "_majority"),
        (exposure._Analysis, "_majority_of", "_majority_of"),
        (_inputs, "area_set", "area_set"),
        (_inputs, "polygons", "_inputs.polygons"),
        (_inputs, "geometries", "_inputs.geometries"),
        (_inputs, "assign_points", "assign_points (area of each building)"),
        (_vector, "representative_xy", "representative_xy"),
        (_vector, "worst_rank", "worst_rank"),
        (_vector, "pairs_covering_points", "pairs_covering_points"),
        (_vector, "pairs_intersecting", "pairs_intersecting"),
        (_vector, "exclusive_pieces", "exclusive_pieces"),
        (_vector, "make_exclusive", "make_exclusive"),
        (_vector, "subdivide", "subdivide"),
        (_vector, "project", "project"),
        (_vector, "valid", "valid"),
        (_vector, "parallel", parallel_label),
        (shapely.STRtree, "__init__", "STRtree build"),
        (shapely.STRtree, "query", "STRtree.query"),
        (shapely, "prepare", "shapely.prepare"),
        (shapely, "make_valid", "shapely.make_valid"),
        (shapely, "get_type_id", "shapely.get_type_id"),
        (shapely, "is_empty", "shapely.is_empty"),
        (shapely, "is_missing", "shapely.is_missing"),
        (shapely, "bounds", "shapely.bounds"),
        (shapely, "get_coordinates", "shapely.get_coordinates"),
        (shapely, "union_all", "shapely.union_all"),
        (shapely, "relate_pattern", "shapely.relate_pattern"),
        (shapely, "difference", "shapely.difference"),
    ]
    started = time.perf_counter()
    with profiler.patched([(exposure, "exposure_by_area", "exposure_by_area"), *targets]):
        run()
    total = time.perf_counter() - started
    out: dict[str, Any] = {
        "rule": spec["rule"],
        "total_s": round(total, 4),
        "steps": profiler.rows(),
        "peak_profile_mib": mib(status_kb("VmHWM")),
    }
    if spec["rule"] == "majority":
        out["majority_pairs"] = majority_pairs(frames)
    return out


def majority_pairs(frames: dict[str, Any]) -> dict[str, Any]:
    """How many (exclusive zone, building) pairs each test of the majority rule sees.

    Follows ``_Analysis._majority_of`` with single-threaded GEOS calls, and counts what an
    ordering that settles contained buildings first would skip. Seconds are one thread's.
    """
    import numpy as np
    import shapely

    from commonground.analysis import _inputs, _vector, exposure

    crs = _inputs.crs_of(frames["buildings"], "exposure layer")
    zones = exposure._hazard_zones(frames["hazard"], "class", ["high", "medium", "low"], crs)
    geoms = _inputs.geometries(frames["buildings"], crs)
    x, y = _vector.representative_xy(geoms)
    tree = shapely.STRtree(geoms)
    pieces, _rank = _vector.exclusive_pieces(zones.geoms, zones.rank)
    pi, fi = tree.query(pieces)
    shapely.prepare(pieces)
    out: dict[str, Any] = {"zones": len(zones.geoms), "exclusive_pieces": len(pieces)}
    out["candidate_pairs"] = len(pi)
    started = time.perf_counter()
    point_in = shapely.contains_xy(pieces[pi], x[fi], y[fi])
    out["contains_xy_s"] = round(time.perf_counter() - started, 3)
    out["point_inside_pairs"] = int(point_in.sum())
    # As now: intersects on every pair whose point is outside, contains_properly on every hit.
    outside = np.flatnonzero(~point_in)
    started = time.perf_counter()
    hit_out = shapely.intersects(pieces[pi[outside]], geoms[fi[outside]])
    out["now_intersects_pairs"] = len(outside)
    out["now_intersects_s"] = round(time.perf_counter() - started, 3)
    hits = np.concatenate([np.flatnonzero(point_in), outside[hit_out]])
    started = time.perf_counter()
    shapely.contains_properly(pieces[pi[hits]], geoms[fi[hits]])
    out["now_contains_properly_pairs"] = len(hits)
    out["now_contains_properly_s"] = round(time.perf_counter() - started, 3)
    # Settling first: contains_properly only where the point is inside; then only the pairs
    # of unsettled buildings need intersects.
    inside_idx = np.flatnonzero(point_in)
    started = time.perf_counter()
    contained = shapely.contains_properly(pieces[pi[inside_idx]], geoms[fi[inside_idx]])
    out["first_contains_properly_s"] = round(time.perf_counter() - started, 3)
    settled = np.zeros(len(geoms), dtype=bool)
    settled[fi[inside_idx[contained]]] = True
    rest = outside[~settled[fi[outside]]]
    started = time.perf_counter()
    hit_rest = shapely.intersects(pieces[pi[rest]], geoms[fi[rest]])
    out["first_intersects_pairs"] = len(rest)
    out["first_intersects_s"] = round(time.perf_counter() - started, 3)
    straddle = np.concatenate([inside_idx[~contained], rest[hit_rest]])
    out["straddling_pairs"] = len(straddle)
    out["straddling_buildings"] = len(np.unique(fi[straddle]))
    started = time.perf_counter()
    shapely.intersection(geoms[fi[straddle]], pieces[pi[straddle]])
    seconds = time.perf_counter() - started
    out["intersection_s"] = round(seconds, 3)
    out["intersection_us_per_pair"] = round(seconds / max(1, len(straddle)) * 1e6, 1)
    return out
