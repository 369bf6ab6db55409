"""A coalition ready for risk profiles, shared by the page, API and browser tests.

Jakarta's flood units as communities inside the districts, the census as people, and a
finished exposure analysis by community (``jakarta_layers`` must have run first).
"""

from __future__ import annotations

import io
from typing import Any

from django.core.management import call_command
from django.urls import reverse

from commonground.jobs.queue import run_pending
from commonground.places.models import AnalysisRun, Area, Layer, RiskProfile, RunStatus
from conftest import JAKARTA, World

QUIET = {"stdout": io.StringIO(), "stderr": io.StringIO()}


def make_profile_inputs(world: World) -> dict[str, Any]:
    """Jakarta's flood units as communities inside the districts, people, and an analysis."""
    call_command(
        "import_areas",
        str(JAKARTA / "flood_multipart_polygons.shp"),
        coalition="alpha",
        level="community",
        name_field="{KEL_NAME} {RW} ({OBJECTID})",
        **QUIET,
    )
    call_command(
        "import_layer",
        str(JAKARTA / "census.geojson"),
        coalition="alpha",
        kind="population",
        name="Census",
        **QUIET,
    )
    layers = {layer.name: layer for layer in Layer.objects.filter(coalition=world.coalition)}
    client = world.client(world.member)
    response = client.post(
        reverse("places:analyses", args=["alpha"]),
        {
            "name": "Flooded buildings by community",
            "hazard_layer": layers["Flood"].pk,
            "hazard_classes": "YES",
            "exposure_layer": layers["Buildings"].pk,
            "area_level": "community",
            "rule": "intersects",
        },
    )
    assert response.status_code == 302
    run_pending()
    run = AnalysisRun.objects.get(name="Flooded buildings by community")
    assert run.status == RunStatus.DONE
    return {"layers": layers, "run": run}


def upload_indicators(world: World, text: str, level: str = "community") -> Any:
    upload = io.BytesIO(text.encode())
    upload.name = "indicators.csv"
    return world.client(world.member).post(
        reverse("places:area_indicators", args=["alpha"]), {"file": upload, "level": level}
    )


def vulnerability_csv() -> str:
    """A poverty rate per community: the community's id (in its name) in per cent."""
    lines = ["area,poverty_rate,share_over_65"]
    for area in Area.objects.filter(coalition__slug="alpha", level="community"):
        number = int(area.name.rsplit("(", 1)[1].rstrip(")"))
        lines.append(f'"{area.name}",{number},{(number % 7) / 10}')
    return "\n".join(lines)


def start_profile(world: World, inputs: dict[str, Any], **changes: Any) -> RiskProfile:
    layers = inputs["layers"]
    data = {
        "name": "Flood risk by community",
        "area_level": "community",
        "exposure_run": inputs["run"].pk,
        "population_layer": layers["Census"].pk,
        "population_field": "population",
        "resources_layer": layers["Buildings"].pk,
        "resource_field": "TYPE",
        "resource_class": "clinic/doctor",
        "distance_m": 500,
        **changes,
    }
    response = world.client(world.member).post(
        reverse("places:risk_profiles", args=["alpha"]), data
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    run_pending()
    return RiskProfile.objects.latest("id")
