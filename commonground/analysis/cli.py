"""``commonground analyse``: the analyses on plain files, without a server or a database.

    commonground analyse exposure --hazard flood.shp --hazard-field FLOODPRONE \\
        --hazard-classes YES,NO --exposure buildings.shp --areas grid.geojson --area-field name

prints one row per area × hazard class (× exposure class) and totals. Notes (guessed class
order, ignored zones, repaired geometries) go to stderr so that csv and json output can be
piped. A problem with the input is one line on stderr and exit status 2, never a traceback.
Runs as ``python -m commonground.analysis.cli`` too, without Django.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from . import export, io, summary
from .errors import LayerError
from .exposure import RULES, exposure_by_area

OUTPUT_FORMATS = ("table", "csv", "json", "hxl")
HEADERS = {
    "area": "Area",
    "area_code": "Code",
    "hazard_class": "Hazard class",
    "exposure_class": "Exposure class",
    "count": "Count",
    "length_m": "Length (m)",
    "area_m2": "Area (m²)",
    "population": "Population",
}
POPULATION_ROW = "(population)"
NUMERIC = ("count", "length_m", "area_m2", "population")


def build_parser(prog: str = "commonground analyse") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog, description="Run an urban-profile analysis on plain files."
    )
    commands = parser.add_subparsers(dest="analysis", required=True, metavar="ANALYSIS")
    exposure = commands.add_parser(
        "exposure",
        help="features and people per area × hazard class",
        description="Count exposed features (metres of lines, people) per area and hazard class.",
    )
    exposure.add_argument("--hazard", required=True, metavar="FILE", help="hazard zones")
    exposure.add_argument("--hazard-field", required=True, metavar="NAME", help="class field")
    exposure.add_argument(
        "--hazard-classes",
        metavar="A,B,...",
        help="classes from most to least severe (case ignored); unlisted classes are ignored",
    )
    exposure.add_argument("--exposure", metavar="FILE", help="buildings, points or roads")
    exposure.add_argument("--exposure-field", metavar="NAME", help="break down by this field")
    exposure.add_argument("--areas", metavar="FILE", help="areas to aggregate to")
    exposure.add_argument("--area-field", metavar="NAME", help="the areas' name field")
    exposure.add_argument("--area-code-field", metavar="NAME", help="the areas' P-code field")
    exposure.add_argument("--population", metavar="FILE", help="polygons with a population count")
    exposure.add_argument("--population-field", metavar="NAME", default="population")
    exposure.add_argument("--rule", choices=RULES, default="intersects")
    exposure.add_argument(
        "--polygon-area", action="store_true", help="also report m² of polygon features"
    )
    exposure.add_argument("--format", choices=OUTPUT_FORMATS, default="table")
    exposure.add_argument(
        "--output",
        metavar="FILE",
        help="write here instead of the terminal (.gpkg or .geojson: with area geometry)",
    )
    return parser


def main(argv: Sequence[str] | None = None, prog: str = "commonground analyse") -> int:
    """Run the command line; returns the exit status (0 done, 2 bad input)."""
    parser = build_parser(prog)
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    try:
        return _exposure(args, sys.stdout, sys.stderr)
    except LayerError as error:
        print(f"{prog}: error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"{prog}: error: {error.strerror or error}: {error.filename}", file=sys.stderr)
        return 2


def _read(path: str, role: str, notes: list[str]) -> Any:
    layer = io.read_layer(path)
    layer, report = io.repair_geometries(layer)
    notes.extend(f"{role} {Path(path).name}: {entry['message']}" for entry in report[:20])
    if len(report) > 20:
        notes.append(f"{role} {Path(path).name}: … and {len(report) - 20} more repairs.")
    if len(layer) == 0:
        raise LayerError(f"{Path(path).name} has no usable geometries.")
    return layer


def _exposure(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if not args.exposure and not args.population:
        raise LayerError("Give --exposure FILE, --population FILE, or both.")
    if args.area_field and not args.areas:
        raise LayerError("--area-field needs --areas FILE.")
    notes: list[str] = []
    hazard = _read(args.hazard, "hazard", notes)
    exposure = _read(args.exposure, "exposure", notes) if args.exposure else None
    areas = _read(args.areas, "areas", notes) if args.areas else None
    population = _read(args.population, "population", notes) if args.population else None
    classes = None
    if args.hazard_classes:
        classes = [c.strip() for c in args.hazard_classes.split(",") if c.strip()]
    result = exposure_by_area(
        hazard,
        args.hazard_field,
        exposure,
        hazard_classes=classes,
        exposure_field=args.exposure_field,
        areas=areas,
        area_field=args.area_field,
        area_code_field=args.area_code_field,
        rule=args.rule,
        population=population,
        population_field=args.population_field if population is not None else None,
        polygon_area=args.polygon_area,
    )
    notes.extend(result.attrs.get("warnings", []))
    for note in notes:
        print(f"note: {note}", file=err)

    if args.output and Path(args.output).suffix.lower() in (".gpkg", ".geojson"):
        table: pd.DataFrame = result
        if areas is not None and "area" in result:
            field = args.area_field or _recognised_name(areas)
            table = export.with_area_geometry(result, areas, field)
        export.write_table(table, args.output)
        print(f"Wrote {len(result)} rows to {args.output}", file=err)
        return 0
    text = render(result, args.format, args.rule)
    if args.output:
        _write_text(Path(args.output), text)
        print(f"Wrote {args.output}", file=err)
    else:
        out.write(text)
    return 0


def _recognised_name(areas: pd.DataFrame) -> str:
    fields = io.recognise_area_fields(list(areas.columns))
    best = max(fields.values(), key=lambda f: f.level)
    assert best.name is not None
    return best.name


def _write_text(path: Path, text: str) -> None:
    fd, temporary = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}-")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temporary, path)


def render(result: pd.DataFrame, output: str, rule: str) -> str:
    """The result with totals as a terminal table, CSV, HXL CSV or JSON text."""
    table = summary.with_totals(result)
    if output == "csv":
        return export.csv_text(table)
    if output == "hxl":
        return export.csv_text(table, hxl=True)
    if output == "json":
        records = json.loads(result.to_json(orient="records", force_ascii=False))
        totals = json.loads(table.iloc[len(result) :].to_json(orient="records", force_ascii=False))
        document = {"rule": rule, "rows": records, "totals": totals}
        document["warnings"] = result.attrs.get("warnings", [])
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    return format_table(table) + f"\nRule: {rule}.\n"


def format_table(table: pd.DataFrame) -> str:
    """Aligned columns with thousands separators, and a rule above the grand totals."""
    columns = list(table.columns)
    cells = [[_cell(c, v) for c, v in zip(columns, row, strict=True)] for row in table.to_numpy()]
    headers = [HEADERS.get(c, c) for c in columns]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    right = [c in NUMERIC for c in columns]

    def line(values: Sequence[str]) -> str:
        parts = [
            v.rjust(w) if r else v.ljust(w) for v, w, r in zip(values, widths, right, strict=True)
        ]
        return "  ".join(parts).rstrip()

    rule = line(["-" * w for w in widths])
    if "area" in table:
        grand = table["area"] == summary.ALL_AREAS
    else:
        grand = table["hazard_class"] == summary.TOTAL
    first_grand = int(grand.to_numpy().argmax()) if grand.any() else len(cells)
    body = [line(v) for v in cells]
    return "\n".join([line(headers), rule, *body[:first_grand], rule, *body[first_grand:]])


def _cell(column: str, value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return POPULATION_ROW if column == "exposure_class" else ""
    if column == "count":
        return f"{int(value):,}"
    if column == "length_m":
        return f"{float(value):,.1f}"
    if column in ("area_m2", "population"):
        return f"{float(value):,.0f}"
    return str(value)


if __name__ == "__main__":
    sys.exit(main(prog="python -m commonground.analysis.cli"))
