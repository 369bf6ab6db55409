"""Exposure analysis on a coalition's stored layers: the bridge to ``commonground.analysis``.

Layers are read from their GeoParquet files, areas from the database; the analysis itself
is the same function the CLI runs on plain files.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from commonground.places.models import AnalysisRun, Area, Layer, RunStatus

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd


def layer_frame(layer: Layer) -> gpd.GeoDataFrame:
    import geopandas as gpd

    return gpd.read_parquet(layer.data_path)


def areas_frame(coalition_id: int, level: str) -> gpd.GeoDataFrame:
    import geopandas as gpd
    import shapely

    rows = list(
        Area.objects.filter(coalition_id=coalition_id, level=level, geometry__isnull=False)
        .order_by("name")
        .values_list("name", "pcode", "geometry")
    )
    return gpd.GeoDataFrame(
        {"name": [r[0] for r in rows], "pcode": [r[1] for r in rows]},
        geometry=[shapely.from_wkb(bytes(r[2] or b"")) for r in rows],
        crs="EPSG:4326",
    )


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts: NaN becomes None, numpy numbers plain numbers."""
    out = []
    for row in frame.to_dict("records"):
        clean: dict[str, Any] = {}
        for key, value in row.items():
            if hasattr(value, "item"):
                value = value.item()
            if isinstance(value, float) and math.isnan(value):
                value = None
            clean[str(key)] = value
        out.append(clean)
    return out


def compute(run: AnalysisRun) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The exposure table (area × class) and the per-area shares, ranked most exposed first."""
    from commonground.analysis.exposure import exposure_by_area
    from commonground.analysis.summary import exposed_shares

    areas = areas_frame(run.coalition_id, run.area_level)
    result = exposure_by_area(
        layer_frame(run.hazard_layer),
        run.hazard_layer.class_field,
        layer_frame(run.exposure_layer) if run.exposure_layer else None,
        hazard_classes=run.hazard_classes or None,
        exposure_field=run.exposure_field or None,
        areas=areas if len(areas) else None,
        area_field="name" if len(areas) else None,
        area_code_field="pcode" if len(areas) else None,
        rule=run.rule,  # type: ignore[arg-type]
        population=layer_frame(run.population_layer) if run.population_layer else None,
        population_field=run.population_field or None,
    )
    shares = exposed_shares(result)
    key = "exposed_population_share" if "exposed_population_share" in shares else "exposed_share"
    if key in shares:
        shares = shares.sort_values(key, ascending=False, na_position="last", kind="stable")
        shares.insert(0, "rank", range(1, len(shares) + 1))
    return result, shares


def execute(run: AnalysisRun) -> AnalysisRun:
    """Run a saved analysis now and store its result (or why it failed) on the run."""
    from django.utils import timezone

    from commonground.analysis import LayerError

    run.status = RunStatus.RUNNING
    run.save(update_fields=["status"])
    try:
        result, shares = compute(run)
    except (LayerError, ValueError, KeyError) as error:
        run.status, run.error = RunStatus.FAILED, str(error)[:2000]
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        return run
    run.result, run.shares = records(result), records(shares)
    run.warnings = [str(w) for w in result.attrs.get("warnings", [])]
    run.status, run.error, run.finished_at = RunStatus.DONE, "", timezone.now()
    run.save(update_fields=["result", "shares", "warnings", "status", "error", "finished_at"])
    return run
