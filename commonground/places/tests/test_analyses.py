"""Exposure analyses on stored layers: started from a page, run by the worker, ranked,
downloaded, run again, and shown on the map."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.urls import reverse

from commonground.jobs.queue import run_pending
from commonground.places.models import AnalysisRun, Layer, RunStatus
from conftest import World


def start(world: World, jakarta_layers: dict[str, Layer], **changes: str) -> AnalysisRun:
    data = {
        "name": "Flooded buildings",
        "hazard_layer": str(jakarta_layers["Flood"].pk),
        "hazard_classes": "YES, NO",
        "exposure_layer": str(jakarta_layers["Buildings"].pk),
        "area_level": "subcity",
        "rule": "intersects",
        **changes,
    }
    response = world.client(world.member).post(reverse("places:analyses", args=["alpha"]), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    run_pending()
    return AnalysisRun.objects.latest("id")


def test_a_member_runs_an_exposure_analysis_and_reads_the_ranking(
    world: World, jakarta_layers: dict[str, Layer]
) -> None:
    run = start(world, jakarta_layers)
    assert run.status == RunStatus.DONE and run.hazard_classes == ["YES", "NO"]
    top = run.shares[0]
    assert top["rank"] == 1 and top["area"] == "JAKARTA PúSAT"
    assert top["exposed"] == 33 + 118  # YES and NO zones are both hazard zones here
    counted = sum(row["count"] for row in run.result)
    assert counted == 181  # every building is counted once, exposed or not
    body = (
        world.client(world.observer)
        .get(reverse("places:analysis", args=["alpha", run.pk]))
        .content.decode()
    )
    assert "Areas ranked by exposure" in body and "JAKARTA PúSAT" in body


def test_the_ranking_sorts_by_any_column(world: World, jakarta_layers: dict[str, Layer]) -> None:
    run = start(world, jakarta_layers)
    url = reverse("places:analysis", args=["alpha", run.pk])
    body = world.client(world.member).get(url, {"sort": "area", "dir": "desc"}).content.decode()
    assert body.index("JAKARTA UTARA") < body.index("JAKARTA BARAT")


@pytest.mark.parametrize("fmt", ["csv", "hxl", "geojson", "gpkg"])
def test_results_download_in_every_format(
    world: World, jakarta_layers: dict[str, Layer], fmt: str, tmp_path: Path
) -> None:
    run = start(world, jakarta_layers)
    response = world.client(world.observer).get(
        reverse("places:analysis_download", args=["alpha", run.pk, fmt])
    )
    assert response.status_code == 200
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    if fmt == "hxl":
        assert b"#adm2+name" in content
    if fmt == "geojson":
        collection = json.loads(content)
        assert len(collection["features"]) == 5
        assert collection["features"][0]["geometry"] is not None
    if fmt == "gpkg":
        import geopandas as gpd

        path = tmp_path / "r.gpkg"
        path.write_bytes(content)
        assert len(gpd.read_file(path)) == 5


def test_running_again_keeps_the_old_run(world: World, jakarta_layers: dict[str, Layer]) -> None:
    run = start(world, jakarta_layers)
    world.client(world.member).post(reverse("places:analysis_rerun", args=["alpha", run.pk]))
    run_pending()
    assert AnalysisRun.objects.count() == 2
    assert AnalysisRun.objects.latest("id").status == RunStatus.DONE


def test_the_map_colours_areas_by_a_runs_exposed_share(
    world: World, jakarta_layers: dict[str, Layer]
) -> None:
    run = start(world, jakarta_layers)
    client = world.client(world.observer)
    config = client.get(reverse("places:map", args=["alpha"])).context["config"]
    assert config["runs"] == [{"id": run.pk, "name": run.name, "level": "subcity"}]
    geojson = client.get(
        reverse("places:area_features", args=["alpha"]), {"level": "subcity", "run": str(run.pk)}
    ).json()
    shares = {f["properties"]["name"]: f["properties"]["share"] for f in geojson["features"]}
    assert shares["JAKARTA PúSAT"] == pytest.approx(151 / 169)


def test_a_hazard_layer_without_a_class_field_cannot_be_chosen(
    world: World, jakarta_layers: dict[str, Layer]
) -> None:
    response = world.client(world.member).post(
        reverse("places:analyses", args=["alpha"]),
        {
            "name": "x",
            "hazard_layer": str(jakarta_layers["Buildings"].pk),
            "area_level": "subcity",
            "rule": "intersects",
            "exposure_layer": str(jakarta_layers["Buildings"].pk),
        },
    )
    assert response.status_code == 200
    assert not AnalysisRun.objects.exists()


@pytest.mark.parametrize("role", ["community", "observer"])
def test_read_only_roles_cannot_start_analyses(
    world: World, jakarta_layers: dict[str, Layer], role: str
) -> None:
    response = world.client(getattr(world, role)).post(
        reverse("places:analyses", args=["alpha"]),
        {
            "name": "x",
            "hazard_layer": str(jakarta_layers["Flood"].pk),
            "area_level": "subcity",
            "rule": "intersects",
            "exposure_layer": str(jakarta_layers["Buildings"].pk),
        },
    )
    assert response.status_code == 403
    assert not AnalysisRun.objects.exists()


def test_outsiders_cannot_see_runs_or_use_other_coalitions_layers(
    world: World, jakarta_layers: dict[str, Layer]
) -> None:
    run = start(world, jakarta_layers)
    outsider = world.client(world.outsider)
    for url in (
        reverse("places:analysis", args=["alpha", run.pk]),
        reverse("places:analysis", args=["beta", run.pk]),
        reverse("places:analysis_download", args=["beta", run.pk, "csv"]),
    ):
        assert outsider.get(url).status_code == 404
    geojson = outsider.get(
        reverse("places:area_features", args=["beta"]), {"level": "subcity", "run": str(run.pk)}
    )
    assert geojson.status_code == 404
    # Beta's form does not accept alpha's layers.
    response = outsider.post(
        reverse("places:analyses", args=["beta"]),
        {
            "name": "x",
            "hazard_layer": str(jakarta_layers["Flood"].pk),
            "area_level": "subcity",
            "rule": "intersects",
            "exposure_layer": str(jakarta_layers["Buildings"].pk),
        },
    )
    assert response.status_code == 200
    assert AnalysisRun.objects.count() == 1
