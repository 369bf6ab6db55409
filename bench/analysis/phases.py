"""One phase of the benchmark, run in its own process so that its peak memory is its own.

    python -m bench.analysis.phases PHASE --spec SPEC.json --out RESULT.json

``run.py`` starts these; SPEC.json carries the options (file paths, repeats, rule). Each phase
writes a JSON result with its timings, its peak RSS (VmHWM) and its RSS before any work
(``baseline_mib``: the interpreter and imported libraries).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.analysis.measure import Repeats, mib, status_kb, timed

Result = dict[str, Any]


def phase_generate(spec: dict[str, Any]) -> Result:
    from bench.analysis.city import CitySpec, generate

    city = CitySpec(**spec["city"])
    started = time.perf_counter()
    manifest = generate(city, Path(spec["city_dir"]))
    return {"seconds": round(time.perf_counter() - started, 2), "manifest": manifest}


def phase_raw_read(spec: dict[str, Any]) -> Result:
    """The baseline of the import: pyogrio reading the GeoPackage into a GeoDataFrame."""
    import pyogrio

    path = spec["buildings_gpkg"]
    frame, reads = timed(lambda: pyogrio.read_dataframe(path, use_arrow=True), spec["repeats"])
    rows = len(frame)
    del frame
    peak_after_dataframe = status_kb("VmHWM")
    # For reference: the Arrow table alone (WKB, no Shapely geometries built).
    _table, arrow = timed(lambda: pyogrio.read_arrow(path)[1], spec["repeats"])
    return {
        "rows": rows,
        "read_dataframe": reads.as_dict(),
        "read_arrow": arrow.as_dict(),
        "peak_read_dataframe_mib": mib(peak_after_dataframe),
    }


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
    import django

    django.setup()


def _coalition() -> Any:
    from commonground.coalitions.actions import create_coalition
    from commonground.coalitions.models import Coalition

    return Coalition.objects.filter(slug="bench-city").first() or create_coalition(
        None, name="Bench City", city="Jakarta", country="ID", slug="bench-city"
    )


def _layer(name: str, kind: str, class_field: str = "") -> Any:
    from commonground.places.models import Layer

    layer, _created = Layer.objects.get_or_create(
        coalition=_coalition(),
        name=name,
        defaults={"kind": kind, "class_field": class_field, "original_filename": f"{name}.gpkg"},
    )
    return layer


def _store(layer: Any, path: Path, repeats: int) -> tuple[Any, Repeats]:
    from commonground.places.actions import store_layer_features

    return timed(lambda: store_layer_features(layer, path), repeats)


def phase_import(spec: dict[str, Any]) -> Result:
    """``store_layer_features`` for real: read, repair, Hilbert sort, GeoParquet with bbox."""
    _django()
    layer = _layer("buildings", "buildings")
    layer, runs = _store(layer, Path(spec["buildings_gpkg"]), spec["repeats"])
    return {
        "store_layer_features": runs.as_dict(),
        "layer_id": layer.pk,
        "features": layer.feature_count,
        "repairs_recorded": len(layer.repairs),
        "parquet": str(layer.data_path),
        "parquet_bytes": layer.data_path.stat().st_size,
    }


def phase_import_inputs(spec: dict[str, Any]) -> Result:
    """The analysis's other inputs, stored as the app stores them.

    Hazard zones become a layer (GeoParquet, like the buildings); areas become rows of the
    database (``import_areas``), which is where saved analyses read them from.
    """
    _django()
    from commonground.places.actions import import_areas
    from commonground.places.models import Area, AreaLevel

    coalition = _coalition()
    layer, runs = _store(_layer("hazard", "hazard", "class"), Path(spec["hazard_gpkg"]), 1)
    Area.objects.filter(coalition=coalition, level=AreaLevel.COMMUNITY).delete()
    areas, area_runs = timed(
        lambda: import_areas(
            None,
            coalition,
            Path(spec["areas_gpkg"]),
            level=AreaLevel.COMMUNITY,
            name_field="name",
            pcode_field="pcode",
        ),
        1,
    )
    return {
        "coalition_id": coalition.pk,
        "hazard": {
            "store_layer_features": runs.as_dict(),
            "layer_id": layer.pk,
            "features": layer.feature_count,
            "parquet": str(layer.data_path),
        },
        "areas": {"import_areas": area_runs.as_dict(), "areas": len(areas)},
    }


def phase_import_profile(spec: dict[str, Any]) -> Result:
    from bench.analysis.profiles import profile_import

    _django()
    return profile_import(_layer("buildings-profile", "buildings"), Path(spec["buildings_gpkg"]))


def _read_inputs(spec: dict[str, Any]) -> tuple[dict[str, Any], dict[str, float]]:
    """What a saved run reads (``places.runs``): two GeoParquet layers and the areas' rows."""
    from commonground.places.models import Layer
    from commonground.places.runs import areas_frame, layer_frame

    frames: dict[str, Any] = {}
    seconds: dict[str, float] = {}
    for name in ("buildings", "hazard"):
        started = time.perf_counter()
        frames[name] = layer_frame(Layer.objects.get(pk=spec["layers"][name]))
        seconds[name] = time.perf_counter() - started
    started = time.perf_counter()
    frames["areas"] = areas_frame(spec["coalition_id"], "community")
    seconds["areas"] = time.perf_counter() - started
    return frames, seconds


def _run_exposure(frames: dict[str, Any], rule: str) -> Any:
    """The call ``places.runs.compute`` makes for a run on these layers."""
    from commonground.analysis.exposure import exposure_by_area

    return exposure_by_area(
        frames["hazard"],
        "class",
        frames["buildings"],
        hazard_classes=["high", "medium", "low"],
        areas=frames["areas"],
        area_field="name",
        area_code_field="pcode",
        rule=rule,  # type: ignore[arg-type]
    )


def phase_analysis(spec: dict[str, Any]) -> Result:
    """Read the stored inputs (timed), then the exposure analysis on them (timed)."""
    _django()
    rule = spec["rule"]
    reads = Repeats()
    per_file: dict[str, list[float]] = {"buildings": [], "hazard": [], "areas": []}
    frames: dict[str, Any] = {}
    for _ in range(spec["repeats"]):
        frames = {}
        gc.collect()
        started = time.perf_counter()
        frames, seconds = _read_inputs(spec)
        reads.seconds.append(time.perf_counter() - started)
        for name, value in seconds.items():
            per_file[name].append(round(value, 4))
    peak_after_read = status_kb("VmHWM")
    table, runs = timed(lambda: _run_exposure(frames, rule), spec["repeats"])
    totals = table.groupby("hazard_class", sort=False)["count"].sum()
    return {
        "rule": rule,
        "read_inputs": reads.as_dict(),
        "read_per_file_s": per_file,
        "rows_read": {name: len(frame) for name, frame in frames.items()},
        "columns_read": {name: [str(c) for c in frame.columns] for name, frame in frames.items()},
        "analysis": runs.as_dict(),
        "peak_after_read_mib": mib(peak_after_read),
        "result_rows": len(table),
        "count_by_class": {str(k): int(v) for k, v in totals.items()},
        "warnings": list(table.attrs.get("warnings", [])),
    }


def phase_analysis_profile(spec: dict[str, Any]) -> Result:
    from bench.analysis.profiles import profile_analysis

    _django()
    frames, _seconds = _read_inputs(spec)
    return profile_analysis(lambda: _run_exposure(frames, spec["rule"]), frames, spec)


def phase_execute(spec: dict[str, Any]) -> Result:
    """A saved run end to end, as the worker runs it: read, analyse, rank, store the rows."""
    _django()
    from commonground.places.models import AnalysisRun, AreaLevel, Layer
    from commonground.places.runs import execute

    run = AnalysisRun.objects.create(
        coalition_id=spec["coalition_id"],
        name=f"bench {spec['rule']}",
        hazard_layer=Layer.objects.get(pk=spec["layers"]["hazard"]),
        hazard_classes=["high", "medium", "low"],
        exposure_layer=Layer.objects.get(pk=spec["layers"]["buildings"]),
        area_level=AreaLevel.COMMUNITY,
        rule=spec["rule"],
    )
    run, runs = timed(lambda: execute(run), 1)
    return {
        "rule": spec["rule"],
        "execute": runs.as_dict(),
        "status": run.status,
        "error": run.error,
        "result_rows": len(run.result),
    }


PHASES: dict[str, Callable[[dict[str, Any]], Result]] = {
    "generate": phase_generate,
    "raw-read": phase_raw_read,
    "import": phase_import,
    "import-inputs": phase_import_inputs,
    "import-profile": phase_import_profile,
    "analysis": phase_analysis,
    "analysis-profile": phase_analysis_profile,
    "execute": phase_execute,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("phase", choices=sorted(PHASES))
    parser.add_argument("--spec", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    spec = json.loads(args.spec.read_text())
    # Import the heavy libraries first, so that the baseline RSS includes them.
    import geopandas  # noqa: F401
    import pyogrio  # noqa: F401

    baseline = status_kb("VmRSS")
    started = time.perf_counter()
    result = PHASES[args.phase](spec)
    result.update(
        phase=args.phase,
        wall_s=round(time.perf_counter() - started, 3),
        baseline_mib=mib(baseline),
        peak_mib=mib(status_kb("VmHWM")),
    )
    args.out.write_text(json.dumps(result, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
