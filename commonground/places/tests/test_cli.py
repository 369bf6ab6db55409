"""`commonground analyse exposure --coalition ...`: the analysis on a coalition's layers."""

from __future__ import annotations

import io
import json

from commonground.places.cli import main
from commonground.places.models import AnalysisRun, Layer
from conftest import World


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(["exposure", *argv], prog="commonground analyse", out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def test_it_analyses_stored_layers_by_name_or_id(
    world: World, jakarta_layers: dict[str, Layer]
) -> None:
    status, out, _err = run(
        "--coalition",
        "alpha",
        "--hazard-layer",
        "Flood",
        "--hazard-classes",
        "YES",
        "--exposure-layer",
        str(jakarta_layers["Buildings"].pk),
        "--area-level",
        "subcity",
        "--format",
        "json",
    )
    assert status == 0
    rows = json.loads(out)["rows"]
    central = {r["hazard_class"]: r["count"] for r in rows if r["area"] == "JAKARTA PúSAT"}
    assert central["YES"] == 33
    assert not AnalysisRun.objects.exists()  # nothing saved unless asked


def test_save_keeps_it_as_a_run(world: World, jakarta_layers: dict[str, Layer]) -> None:
    status, out, err = run(
        "--coalition",
        "alpha",
        "--hazard-layer",
        "Flood",
        "--exposure-layer",
        "Buildings",
        "--area-level",
        "subcity",
        "--save",
        "From the command line",
        "--by",
        "member@a.test",
    )
    assert status == 0 and "saved as run" in err and "Total" in out
    saved = AnalysisRun.objects.get()
    assert saved.status == "done" and saved.created_by == world.member


def test_unknown_coalitions_and_layers_are_named_in_the_error(
    world: World, jakarta_layers: dict[str, Layer]
) -> None:
    status, _out, err = run("--coalition", "nowhere", "--hazard-layer", "Flood")
    assert status == 2 and "no coalition" in err
    status, _out, err = run("--coalition", "alpha", "--hazard-layer", "Fire")
    assert status == 2 and "its layers:" in err and "Flood" in err
    # Another coalition's layers are not reachable by id either.
    status, _out, err = run(
        "--coalition", "beta", "--hazard-layer", str(jakarta_layers["Flood"].pk)
    )
    assert status == 2 and "no layer" in err
