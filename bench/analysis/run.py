"""Analysis benchmark: import a million buildings and run the exposure analysis on them.

    python -m bench.analysis.run                 # 1,000,000 buildings (make bench-analysis)
    python -m bench.analysis.run --quick         # 100,000 buildings
    python -m bench.analysis.run --keep /tmp/cg  # reuse the generated city across runs

Generates a synthetic city (bench/analysis/city.py), then runs each phase in its own process,
so each has its own peak memory: pyogrio's raw read of the buildings GeoPackage;
``store_layer_features`` on it for real (a temporary SQLite database, a coalition and a layer
row); the hazard zones stored the same way and the areas imported into the database; then, per
rule, reading the stored inputs as a saved run does (``places.runs``: two GeoParquet files and
the areas' rows) and ``exposure_by_area`` on them; finally each rule as a saved run end to end
(``places.runs.execute``, no target). Prints the measurements, the targets of issue 3 with
PASS/FAIL and a step profile of whatever failed; writes bench/results/analysis-<time>.json.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.analysis import report
from bench.analysis.city import CityFiles, CitySpec, cached
from bench.analysis.procs import ROOT, Deadline, PhaseRun, run_phase

RESULTS_DIR = ROOT / "bench" / "results"
RULES = ["intersects", "centroid", "majority"]
PHASE_TIMEOUT = 900.0  # no single phase may take longer than this (seconds)
DEFAULT_UPLOAD_MB = 500  # CG_MAX_LAYER_MB's default; raised only if the file is bigger


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.analysis.run",
        description="Time the import of a million buildings and the exposure analysis.",
    )
    parser.add_argument("--buildings", type=int, default=1_000_000, help="default 1,000,000")
    parser.add_argument("--quick", action="store_true", help="100,000 buildings")
    parser.add_argument("--hazard-zones", type=int, default=5_000)
    parser.add_argument("--areas", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per step (median)")
    parser.add_argument("--rules", default=",".join(RULES), help="comma-separated")
    parser.add_argument(
        "--profile",
        choices=["auto", "always", "never"],
        default="auto",
        help="step profiles: of failing targets (auto), of everything, or none",
    )
    parser.add_argument(
        "--no-execute",
        dest="execute",
        action="store_false",
        help="skip the end-to-end saved runs (places.runs.execute), which have no target",
    )
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="work in DIR and keep it (reuses the city)"
    )
    parser.add_argument(
        "--time-limit", type=float, default=3600, help="stop the whole run after S seconds"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.buildings = 100_000
    args.rules = [r.strip() for r in args.rules.split(",") if r.strip()]
    unknown = set(args.rules) - set(RULES)
    if unknown:
        parser.error(f"unknown rule(s): {', '.join(sorted(unknown))}")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def child_env(work: Path) -> dict[str, str]:
    data = work / "django"
    data.mkdir(parents=True, exist_ok=True)
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("CG_", "DATABASE_URL"))},
        "DJANGO_SETTINGS_MODULE": "commonground.settings",
        "CG_DATA_DIR": str(data),
        "DATABASE_URL": f"sqlite:///{data / 'b.sqlite3'}",
        "CG_LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def migrate(env: dict[str, str], deadline: Deadline) -> None:
    cmd = [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"]
    try:
        done = subprocess.run(
            cmd,
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=min(300, deadline.left()),
        )
    except subprocess.TimeoutExpired:
        raise SystemExit("migrate did not finish in time") from None
    if done.returncode:
        raise SystemExit(f"migrate failed:\n{done.stderr[-3000:]}")


def machine() -> dict[str, Any]:
    versions: dict[str, str | None] = {}
    for package in ("geopandas", "shapely", "pyogrio", "pyarrow", "numpy", "pandas", "django"):
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = None
    import pyogrio
    import shapely

    versions["geos"] = ".".join(map(str, shapely.geos_version))
    versions["gdal"] = pyogrio.__gdal_version_string__
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(mem_kb / 1024**2, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "commit": commit,
        "versions": versions,
    }


def say(message: str) -> None:
    print(message, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="cg-bench-analysis-"))
    try:
        return bench(args, work)
    finally:
        if args.keep is None:  # also after a failure or Ctrl-C: the city takes ~400 MB
            shutil.rmtree(work, ignore_errors=True)


def bench(args: argparse.Namespace, work: Path) -> int:
    deadline = Deadline(args.time_limit)
    work.mkdir(parents=True, exist_ok=True)
    logs = work / "logs"
    logs.mkdir(exist_ok=True)
    started = datetime.datetime.now(datetime.UTC)
    info = machine()
    say(
        f"Analysis benchmark: {args.buildings:,} buildings, {args.hazard_zones:,} hazard zones, "
        f"{args.areas:,} areas; {info['cpus']} CPUs, {info['memory_gib']} GiB; work dir {work}"
    )
    if info["load_average"][0] > 0.5 * (info["cpus"] or 1):
        say(f"  warning: the machine is busy (load average {info['load_average'][0]})")
    env = child_env(work)
    city = CitySpec(args.buildings, args.hazard_zones, args.areas, args.seed)
    city_dir = work / city.name
    files = CityFiles.in_dir(city_dir)
    runs: dict[str, PhaseRun] = {}

    def phase(name: str, kind: str, spec: dict[str, Any]) -> PhaseRun:
        left = deadline.left()
        if left < 5:
            run = PhaseRun(name, False, 0.0, 0.0, error="skipped: the run's time limit is spent")
        else:
            run = run_phase(
                kind,
                spec,
                env=env,
                timeout=min(PHASE_TIMEOUT, left),
                label=name,
                log=logs / f"{name}.log",
            )
        runs[name] = run
        if run.seconds == 0:
            say(f"  {name}: {run.error}")
        else:
            status = "ok" if run.ok else f"FAILED ({run.error})"
            say(
                f"  {name}: {run.seconds:.1f} s, peak {run.maxrss_mib:,.0f} MiB, "
                f"load {run.load_before:.1f}, {status}"
            )
        return run

    if cached(city, city_dir):
        say(f"  generate: reusing {city_dir}")
        manifest = json.loads(files.manifest.read_text())
    else:
        gen = phase("generate", "generate", {"city": asdict(city), "city_dir": str(city_dir)})
        if not gen.ok:
            return finish(args, info, started, work, runs, {}, 1)
        manifest = gen.result["manifest"]
    size_mb = files.buildings.stat().st_size / 1024**2
    if size_mb > DEFAULT_UPLOAD_MB:
        env["CG_MAX_LAYER_MB"] = str(int(size_mb) + 1)
        say(f"  note: buildings.gpkg is {size_mb:.0f} MB; CG_MAX_LAYER_MB raised to allow it")
    migrate(env, deadline)

    base = {
        "repeats": args.repeat,
        "buildings_gpkg": str(files.buildings),
        "hazard_gpkg": str(files.hazard),
        "areas_gpkg": str(files.areas),
    }
    phase("raw-read", "raw-read", base)
    imported = phase("import", "import", base)
    inputs = phase("import-inputs", "import-inputs", base)
    inputs_spec: dict[str, Any] = {}
    if imported.ok and inputs.ok:
        inputs_spec = {
            "coalition_id": inputs.result["coalition_id"],
            "layers": {
                "buildings": imported.result["layer_id"],
                "hazard": inputs.result["hazard"]["layer_id"],
            },
        }
        for rule in args.rules:
            phase(f"analysis-{rule}", "analysis", {**base, **inputs_spec, "rule": rule})
        if args.execute:
            for rule in args.rules:
                phase(f"execute-{rule}", "execute", {**base, **inputs_spec, "rule": rule})

    found = report.checks(runs, args.rules)
    failed = {c.target for c in found if c.passed is False}
    profiles: dict[str, Any] = {}
    if args.profile != "never":
        if args.profile == "always" or any(t.startswith("(a)") for t in failed):
            run = phase("profile-import", "import-profile", base)
            if run.ok:
                profiles["import"] = run.result
        for rule in args.rules if inputs_spec else []:
            if args.profile == "always" or any(
                t.startswith(f"(b) analysis {rule}") for t in failed
            ):
                run = phase(
                    f"profile-{rule}",
                    "analysis-profile",
                    {**base, **inputs_spec, "rule": rule},
                )
                if run.ok:
                    profiles[rule] = run.result

    say("")
    b = manifest["buildings"]
    say(
        f"Synthetic city: {b['features']:,} buildings ({b['invalid']:,} invalid, {b['null']:,} "
        f"without geometry, {b['vertices']:,} vertices; buildings.gpkg "
        f"{manifest['bytes']['buildings'] / 1e6:,.0f} MB), {manifest['hazard']['features']:,} "
        f"hazard zones {manifest['hazard']['classes']}, {manifest['areas']['features']:,} areas"
    )
    if imported.ok:
        say(
            f"Stored buildings: {imported.result['features']:,} features "
            f"({b['features'] - imported.result['features']:,} dropped), "
            f"{imported.result['repairs_recorded']:,} repairs listed on the layer, "
            f"{imported.result['parquet_bytes'] / 1e6:,.0f} MB GeoParquet"
        )
    loads = [r.load_before for r in runs.values() if r.seconds > 0]
    busy = max(loads, default=0.0) > 0.5 * (info["cpus"] or 1)
    say(
        f"Load average when the phases started: {min(loads, default=0):.1f}-"
        f"{max(loads, default=0):.1f} on {info['cpus']} CPUs"
        + (" (busy: other work competed for the CPUs; expect noisier times)" if busy else "")
    )
    say("")
    say(report.measurements(runs, args.rules))
    say("")
    say(report.targets(found))
    for name, result in profiles.items():
        say("")
        title = "Import profile" if name == "import" else f"Analysis profile, rule={name}"
        say(report.profile(title, result))
    code = 0 if all(c.passed for c in found) else 1
    return finish(
        args, info, started, work, runs, {"manifest": manifest, "profiles": profiles}, code, found
    )


def finish(
    args: argparse.Namespace,
    info: dict[str, Any],
    started: datetime.datetime,
    work: Path,
    runs: dict[str, PhaseRun],
    extra: dict[str, Any],
    code: int,
    found: list[report.Check] | None = None,
) -> int:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS_DIR / f"analysis-{stamp}.json"
    payload = {
        "started": started.isoformat(),
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "machine": info,
        "phases": {name: asdict(run) for name, run in runs.items()},
        "targets": [asdict(c) | {"result": c.result} for c in found or []],
        **extra,
    }
    out.write_text(json.dumps(payload, indent=2, default=str))
    say(f"\nResults: {out.relative_to(ROOT)}")
    if args.keep is not None:
        say(f"Work dir kept: {work}")
    return code


if __name__ == "__main__":
    t0 = time.perf_counter()
    status = main()
    print(f"({time.perf_counter() - t0:.0f} s)", flush=True)
    sys.exit(status)
