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
    import pyarrow.parquet as pq
    import shapely

    from commonground.analysis import io, store
    from commonground.places import actions

    profiler = StepProfiler()
    targets: list[tuple[Any, str, Any]] = [
        (actions, "store_layer", "store_layer"),
        (io, "open_source", "checks before reading (open_source)"),
        (io, "read_ogr_arrow", "pyogrio.read_arrow (+ list_layers)"),
        (store, "_examine", "examine the WKB (_examine, 2 threads)"),
        (io, "check_degrees", "CRS range check (check_degrees)"),
        (store, "repair", "repair the invalid features (_repair.repair)"),
        (store, "hilbert_order", "Hilbert order of the boxes"),
        (store, "_bbox_column", "bbox column"),
        (pq, "write_table", "pyarrow.parquet.write_table"),
        (io, "read_layer", "read_layer (the long way round)"),
        (store, "repair_geometries", "repair_geometries (the long way round)"),
        (store, "write_geoparquet", "write_geoparquet (the long way round)"),
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
            "label": "other (taking the rows in Hilbert order, freeing the table)",
            "depth": 0,
            "calls": 1,
            "seconds": round(total - accounted, 4),
        }
    )
    # For comparison, on the same file: the way every layer was stored before (a GeoDataFrame
    # read, repaired and written back), and its building blocks.
    frame = io.read_layer(path)
    geoms = frame.geometry.to_numpy()
    variants: dict[str, Any] = {
        "pyogrio.read_arrow": _seconds(lambda: io.read_ogr_arrow(io.open_source(path))),
        "read_layer (GeoDataFrame)": _seconds(lambda: io.read_layer(path)),
        "shapely.is_valid, every feature": _seconds(lambda: shapely.is_valid(geoms)),
        "shapely.to_wkb, every feature": _seconds(lambda: shapely.to_wkb(geoms)),
    }
    with tempfile.TemporaryDirectory(dir=Path(layer.data_path).parent) as tmp:
        out = Path(tmp) / "v.parquet"
        repaired, _repairs = io.repair_geometries(frame)
        variants["write_geoparquet of the repaired frame"] = _seconds(
            lambda: store.write_geoparquet(repaired, out)
        )
        variants["the long way: read_layer + repair_geometries + write_geoparquet"] = _seconds(
            lambda: _long_way(path, out)
        )
        variants["store_layer (as now)"] = _seconds(lambda: store.store_layer(path, out))
        variants["store_layer (as now) → MB"] = round(out.stat().st_size / 1e6, 1)
        variants["store_layer (as now) → rows in a 1 km box"] = _box_rows(out, frame)
    return {
        "total_s": round(total, 4),
        "steps": steps,
        "variants_s": variants,
        "rows": len(frame),
        "columns": [str(c) for c in frame.columns],
        "peak_profile_mib": mib(status_kb("VmHWM")),
    }


def _long_way(path: Path, out: Path) -> None:
    from commonground.analysis import io, store

    frame, _repairs = io.repair_geometries(io.read_layer(path))
    store.write_geoparquet(frame, out)


def _box_rows(path: Path, frame: Any) -> int | str:
    """Rows a 1 km bounding-box read returns: the same in every file that has a covering bbox."""
    import geopandas as gpd

    x, y = frame.geometry.iloc[0].centroid.coords[0]
    try:
        box = gpd.read_parquet(path, bbox=(x - 0.0045, y - 0.0045, x + 0.0045, y + 0.0045))
    except ValueError:
        return "no bbox read"
    return len(box)


def profile_analysis(
    run: Callable[[], Any], frames: dict[str, Any], spec: dict[str, Any]
) -> dict[str, Any]:
    import shapely

    from commonground.analysis import _inputs, _majority, _overlap, _vector, exposure

    profiler = StepProfiler()

    def parallel_label(fn: Any, *_args: Any, **_kwargs: Any) -> str:
        return f"parallel({getattr(fn, '__name__', 'fn')})"

    targets: list[tuple[Any, str, Any]] = [
        (exposure, "_hazard_zones", "hazard zones (_hazard_zones)"),
        (exposure, "_table", "result table (_table)"),
        (exposure._Analysis, "classify", "classify"),
        (exposure._Analysis, "_majority", "_majority"),
        (_majority, "majority_rank", "majority_rank (polygons)"),
        (_majority, "areas_inside", "areas_inside (Green's theorem)"),
        (_majority, "_exact", "_exact (GEOS, the features the brackets leave open)"),
        (_overlap, "_candidates", "_candidates (zone edges near each feature)"),
        (_inputs, "area_set", "area_set"),
        (_inputs, "polygons", "_inputs.polygons"),
        (_inputs, "geometries", "_inputs.geometries"),
        (_inputs, "assign_points", "assign_points (area of each building)"),
        (_vector, "representative_xy", "representative_xy"),
        (_vector, "worst_rank", "worst_rank"),
        (_vector, "pairs_covering_points", "pairs_covering_points"),
        (_vector, "make_exclusive", "make_exclusive"),
        (_vector, "parallel", parallel_label),
        (shapely.STRtree, "__init__", "STRtree build"),
        (shapely.STRtree, "query", "STRtree.query"),
        (shapely, "prepare", "shapely.prepare"),
        (shapely, "make_valid", "shapely.make_valid"),
        (shapely, "get_type_id", "shapely.get_type_id"),
        (shapely, "is_empty", "shapely.is_empty"),
        (shapely, "bounds", "shapely.bounds"),
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
        out["majority_counts"] = majority_counts(frames)
    return out


def majority_counts(frames: dict[str, Any]) -> dict[str, Any]:
    """How much work the majority rule has: buildings near a zone edge, and how each is settled."""
    import numpy as np
    import shapely

    from commonground.analysis import _inputs, _majority, _overlap, _vector, exposure

    crs = _inputs.crs_of(frames["buildings"], "exposure layer")
    zones = exposure._hazard_zones(frames["hazard"], "class", ["high", "medium", "low"], crs)
    geoms = _inputs.geometries(frames["buildings"], crs)
    bounds = shapely.bounds(geoms)
    tree = shapely.STRtree(geoms)
    x, y = _vector.representative_xy(geoms, bounds)
    near = _overlap.areas_inside(geoms, tree, zones.geoms, bounds)
    counted: dict[str, Any] = {
        "zones": len(zones.geoms),
        "zone edges": len(_overlap.edges(zones.geoms)),
        "buildings near a zone edge": len(near.features),
        "(building, zone) pairs measured": len(near.area),
    }
    exact = {"n": 0}
    original = _majority._exact

    def count_exact(*args: Any, **kwargs: Any) -> Any:
        exact["n"] += len(args[2])
        return original(*args, **kwargs)

    _majority._exact = count_exact
    try:
        rank = _majority.majority_rank(
            geoms, tree, x, y, zones.geoms, zones.rank, len(zones.labels), bounds=bounds
        )
    finally:
        _majority._exact = original
    counted["buildings measured exactly (GEOS)"] = exact["n"]
    counted["buildings exposed"] = int((rank < len(zones.labels)).sum())
    counted["buildings"] = int(np.size(rank))
    return counted
