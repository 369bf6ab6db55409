"""The printed tables: what was measured, the targets with PASS/FAIL, and the profiles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bench.analysis.procs import PhaseRun

IMPORT_RATIO = 2.0  # import ≤ 2 × pyogrio's raw read of the same GeoPackage
ANALYSIS_SECONDS = 5.0
ANALYSIS_RATIO = 1.5  # analysis ≤ 1.5 × reading its stored inputs
PEAK_MIB = 2048.0  # 2 GB, counted as GiB


@dataclass
class Check:
    target: str
    measured: str
    limit: str
    passed: bool | None  # None: could not be measured

    @property
    def result(self) -> str:
        return {True: "PASS", False: "FAIL", None: "n/a"}[self.passed]


def _median(run: PhaseRun | None, *keys: str) -> float | None:
    if run is None or not run.ok:
        return None
    value: Any = run.result
    for key in keys:
        value = value[key]
    return float(value["median_s"])


def _fastest(run: PhaseRun | None, *keys: str) -> float | None:
    if run is None or not run.ok:
        return None
    value: Any = run.result
    for key in keys:
        value = value[key]
    return float(value["min_s"])


def checks(runs: dict[str, PhaseRun], rules: list[str]) -> list[Check]:
    out: list[Check] = []
    raw = _median(runs.get("raw-read"), "read_dataframe")
    imp = _median(runs.get("import"), "store_layer_features")
    ratio = imp / raw if imp is not None and raw else None
    out.append(
        Check(
            "(a) import ÷ pyogrio raw read",
            f"{ratio:.2f}×" if ratio is not None else "-",
            f"≤ {IMPORT_RATIO:g}×",
            None if ratio is None else ratio <= IMPORT_RATIO,
        )
    )
    out.append(_peak("(a) import peak memory", runs.get("import")))
    for rule in rules:
        run = runs.get(f"analysis-{rule}")
        seconds = _median(run, "analysis")
        read = _median(run, "read_inputs")
        out.append(
            Check(
                f"(b) analysis {rule}: time",
                f"{seconds:.2f} s" if seconds is not None else "-",
                f"≤ {ANALYSIS_SECONDS:g} s",
                None if seconds is None else seconds <= ANALYSIS_SECONDS,
            )
        )
        ratio = seconds / read if seconds is not None and read else None
        out.append(
            Check(
                f"(b) analysis {rule} ÷ read of inputs",
                f"{ratio:.2f}×" if ratio is not None else "-",
                f"≤ {ANALYSIS_RATIO:g}×",
                None if ratio is None else ratio <= ANALYSIS_RATIO,
            )
        )
        out.append(_peak(f"(b) analysis {rule}: peak memory", run))
    return out


def _peak(label: str, run: PhaseRun | None) -> Check:
    if run is None or not run.ok:
        return Check(label, "-", f"≤ {PEAK_MIB:,.0f} MiB", None)
    return Check(
        label, f"{run.maxrss_mib:,.0f} MiB", f"≤ {PEAK_MIB:,.0f} MiB", run.maxrss_mib <= PEAK_MIB
    )


def _table(headers: list[str], rows: list[list[str]], right: set[int]) -> str:
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            str(c).rjust(w) if i in right else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def measurements(runs: dict[str, PhaseRun], rules: list[str]) -> str:
    """One row per timed thing: median (and fastest) seconds, its baseline, peak memory."""
    rows: list[list[str]] = []

    def add(
        label: str,
        run: PhaseRun | None,
        keys: tuple[str, ...],
        base: str = "",
        base_s: float | None = None,
    ) -> None:
        seconds = _median(run, *keys)
        fastest = _fastest(run, *keys)
        ratio = f"{seconds / base_s:.2f}×" if seconds is not None and base_s else ""
        rows.append(
            [
                label,
                f"{seconds:.2f}"
                if seconds is not None
                else ("not run" if run is None else "failed"),
                f"{fastest:.2f}" if fastest is not None else "",
                base,
                f"{base_s:.2f}" if base_s is not None else "",
                ratio,
                f"{run.maxrss_mib:,.0f}" if run is not None else "",
                f"{run.result.get('baseline_mib', 0):,.0f}" if run is not None and run.ok else "",
            ]
        )

    raw_run = runs.get("raw-read")
    raw = _median(raw_run, "read_dataframe")
    add("pyogrio.read_dataframe(gpkg, use_arrow=True)", raw_run, ("read_dataframe",))
    if raw_run is not None and raw_run.ok:
        arrow, fastest = _median(raw_run, "read_arrow"), _fastest(raw_run, "read_arrow")
        rows.append(
            ["  (pyogrio.read_arrow: WKB, no geometries)", f"{arrow:.2f}", f"{fastest:.2f}"]
        )
        rows[-1] += [""] * 5
    add(
        "store_layer_features(buildings.gpkg)",
        runs.get("import"),
        ("store_layer_features",),
        "raw read",
        raw,
    )
    for rule in rules:
        run = runs.get(f"analysis-{rule}")
        read = _median(run, "read_inputs")
        add(f"read inputs for {rule}", run, ("read_inputs",))
        add(f"exposure_by_area rule={rule}", run, ("analysis",), "read inputs", read)
    for rule in rules:
        run = runs.get(f"execute-{rule}")
        if run is not None:
            add(f"saved run end to end, {rule}", run, ("execute",))
    headers = ["measured", "median s", "min s", "vs", "s", "ratio", "peak MiB", "idle MiB"]
    return _table(headers, rows, {1, 2, 4, 5, 6, 7})


def targets(found: list[Check]) -> str:
    rows = [[c.target, c.measured, c.limit, c.result] for c in found]
    return _table(["target", "measured", "limit", "result"], rows, {1})


def profile(title: str, result: dict[str, Any]) -> str:
    lines = [f"{title} (one run, {result['total_s']:.2f} s; inclusive wall time per step)"]
    for row in result["steps"]:
        calls = f" ×{row['calls']}" if row["calls"] > 1 else ""
        lines.append(f"  {'  ' * row['depth']}{row['label']}{calls}: {row['seconds']:.3f} s")
    counts = result.get("majority_counts")
    if counts:
        lines.append("  majority rule, the work it has:")
        lines.extend(f"    {k}: {v:,}" for k, v in counts.items())
    variants = result.get("variants_s")
    if variants:
        lines.append("  alternatives on the same frame (s, or MB):")
        lines.extend(f"    {k}: {v}" for k, v in variants.items())
    return "\n".join(lines)
