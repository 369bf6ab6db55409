"""``commonground analyse exposure`` on the Jakarta files, as a user runs it."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from commonground.analysis.cli import main

ROOT = Path(__file__).resolve().parents[3]
COMMAND = ROOT / ".venv" / "bin" / "commonground"


def flood_args(jakarta: Path, *extra: str) -> list[str]:
    return [
        "exposure",
        "--hazard", str(jakarta / "flood_multipart_polygons.shp"),
        "--hazard-field", "FLOODPRONE",
        "--hazard-classes", "YES,NO",
        "--exposure", str(jakarta / "buildings.shp"),
        "--areas", str(jakarta / "grid_jakarta.geojson"),
        "--area-field", "name",
        *extra,
    ]  # fmt: skip


def run(*args: str, command: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [*(command or [str(COMMAND), "analyse"]), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("output", ["table", "csv", "json", "hxl"])
def test_the_console_command_prints_every_format(jakarta: Path, output: str) -> None:
    done = run(*flood_args(jakarta, "--format", output))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    text = done.stdout
    if output == "table":
        lines = text.splitlines()
        assert lines[0].split() == ["Area", "Hazard", "class", "Count"]
        assert any(line.split() == ["All", "areas", "Total", "181"] for line in lines)
        assert text.rstrip().endswith("Rule: intersects.")
    elif output == "json":
        document = json.loads(text)
        assert sum(row["count"] for row in document["rows"]) == 181
        assert document["totals"][-1] == {
            "area": "All areas",
            "hazard_class": "Total",
            "count": 181,
        }
    else:
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == ["area", "hazard_class", "count"]
        if output == "hxl":
            assert rows[1] == ["#adm2+name", "#severity+hazard", "#affected"]
        assert rows[-1] == ["All areas", "Total", "181"]


def test_one_row_per_area_and_hazard_class_and_exposure_class(
    jakarta: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(flood_args(jakarta, "--exposure-field", "TYPE", "--format", "csv")) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    detail = [r for r in rows if r["area"] != "All areas" and r["hazard_class"] != "Total"]
    detail = [r for r in detail if r["exposure_class"] != "All"]
    kinds = {r["exposure_class"] for r in detail}
    assert "Residential" in kinds and "residential" not in kinds  # one class whatever the case
    areas = {r["area"] for r in detail}
    assert len(detail) == len(areas) * 3 * len(kinds)
    assert sum(int(r["count"]) for r in detail) == 181


def test_roads_are_measured_in_metres_with_totals(
    jakarta: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "exposure",
        "--hazard", str(jakarta / "flood_multipart_polygons.shp"),
        "--hazard-field", "floodprone",
        "--exposure", str(jakarta / "roads.shp"),
        "--format", "json",
    ]  # fmt: skip
    assert main(args) == 0
    document = json.loads(capsys.readouterr().out)
    total = document["totals"][-1]
    assert total["count"] == 185 and total["length_m"] == pytest.approx(71545, rel=1e-3)


def test_the_output_file_gets_area_geometry_when_it_is_a_geopackage(
    jakarta: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pyogrio

    target = tmp_path / "flood.gpkg"
    assert main(flood_args(jakarta, "--output", str(target))) == 0
    read = pyogrio.read_dataframe(target)
    assert read["count"].sum() == 181 and read.geometry.notna().any()
    assert "Wrote" in capsys.readouterr().err


def test_notes_go_to_stderr_and_the_data_to_stdout(
    jakarta: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "exposure",
        "--hazard", str(jakarta / "flood_multipart_polygons.shp"),
        "--hazard-field", "FLOODPRONE",
        "--hazard-classes", "yes",
        "--population", str(jakarta / "census.geojson"),
        "--format", "csv",
    ]  # fmt: skip
    assert main(args) == 0
    captured = capsys.readouterr()
    assert (
        "note: population census.geojson: Feature 3 was dropped (empty geometry)." in captured.err
    )
    assert "were ignored" in captured.err
    assert captured.out.startswith("hazard_class,population\n")


def test_a_bad_file_is_one_line_and_exit_status_2(jakarta: Path, tmp_path: Path) -> None:
    bad = tmp_path / "hazard.geojson"
    bad.write_text("{ not json")
    done = run(*flood_args(jakarta)[:1], "--hazard", str(bad), *flood_args(jakarta)[3:])
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert lines[0].startswith("commonground analyse: error: hazard.geojson could not be read")


def test_a_missing_field_exits_2_with_a_suggestion(
    jakarta: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = flood_args(jakarta)
    args[args.index("FLOODPRONE")] = "FLOOD"
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "The hazard layer has no field 'FLOOD'. Did you mean 'FLOODPRONE'?" in err


def test_the_analysis_cli_runs_without_django(jakarta: Path) -> None:
    done = run(
        *flood_args(jakarta, "--format", "csv"),
        command=[sys.executable, "-m", "commonground.analysis.cli"],
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "All areas,Total,181"
