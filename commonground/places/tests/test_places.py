"""Areas and layers: imports through pages, CLI and worker; the map's feature endpoint."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from commonground.jobs.queue import run_pending
from commonground.places.models import Area, Layer, LayerStatus
from conftest import World

JAKARTA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "jakarta"


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, settings: Any) -> None:
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes())


def zipped_shapefile(stem: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for suffix in (".shp", ".shx", ".dbf", ".prj"):
            archive.write(JAKARTA / f"{stem}{suffix}", f"{stem}{suffix}")
    return SimpleUploadedFile(f"{stem}.zip", buffer.getvalue())


def add_layer(world: World, **fields: str) -> Layer:
    data = {
        "name": "Flood-prone",
        "kind": "hazard",
        "class_field": "FLOODPRONE",
        "visibility": "members",
        **fields,
    }
    response = world.client(world.member).post(
        reverse("places:layer_create", args=["alpha"]),
        {"file": zipped_shapefile("flood_multipart_polygons"), **data},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    run_pending()
    return Layer.objects.get(name=data["name"])


def test_a_member_uploads_a_zipped_shapefile_and_the_worker_imports_it(world: World) -> None:
    layer = add_layer(world)
    assert layer.status == LayerStatus.READY
    assert layer.feature_count == 31 and "FLOODPRONE" in layer.fields
    assert layer.data_path.exists()
    page = world.client(world.observer).get(reverse("places:layer", args=["alpha", layer.pk]))
    assert "31" in page.content.decode()


def test_a_layer_page_shows_progress_until_the_worker_is_done(world: World) -> None:
    client = world.client(world.member)
    response = client.post(
        reverse("places:layer_create", args=["alpha"]),
        {
            "file": upload(JAKARTA / "census.geojson"),
            "name": "Census",
            "kind": "population",
            "visibility": "members",
        },
    )
    assert "Importing in the background" in client.get(response["Location"]).content.decode()
    run_pending()
    assert "Importing" not in client.get(response["Location"]).content.decode()


def test_a_missing_class_field_fails_the_import_with_the_fields_listed(world: World) -> None:
    layer = add_layer(world, name="Wrong field", class_field="DEPTH")
    assert layer.status == LayerStatus.FAILED
    assert "DEPTH" in layer.error and "FLOODPRONE" in layer.error
    assert not layer.data_path.exists()


def test_unknown_formats_are_refused_at_upload(world: World) -> None:
    response = world.client(world.member).post(
        reverse("places:layer_create", args=["alpha"]),
        {
            "file": SimpleUploadedFile("notes.docx", b"PK\x03\x04"),
            "name": "X",
            "kind": "other",
            "visibility": "members",
        },
    )
    assert response.status_code == 200
    assert "zipped Shapefile" in response.content.decode()
    assert not Layer.objects.exists()


@override_settings(MAX_LAYER_UPLOAD_SIZE=1000)
def test_files_over_the_limit_are_refused_at_upload(world: World) -> None:
    response = world.client(world.member).post(
        reverse("places:layer_create", args=["alpha"]),
        {
            "file": upload(JAKARTA / "census.geojson"),
            "name": "Big",
            "kind": "population",
            "visibility": "members",
        },
    )
    assert "the limit is" in response.content.decode()
    assert not Layer.objects.exists()


@pytest.mark.parametrize("role", ["community", "observer"])
def test_read_only_roles_cannot_add_or_delete_layers(world: World, role: str) -> None:
    layer = add_layer(world)
    client = world.client(getattr(world, role))
    assert client.get(reverse("places:layer_create", args=["alpha"])).status_code == 403
    assert client.post(reverse("places:layer_delete", args=["alpha", layer.pk])).status_code == 403
    assert Layer.objects.filter(pk=layer.pk).exists()


def test_deleting_a_layer_removes_its_file(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    layer = add_layer(world)
    path = layer.data_path
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client(world.member).post(
            reverse("places:layer_delete", args=["alpha", layer.pk])
        )
    assert response.status_code == 302
    assert not Layer.objects.filter(pk=layer.pk).exists()
    assert not path.exists()


def test_the_map_gets_only_the_features_in_view(world: World) -> None:
    layer = add_layer(world)
    url = reverse("places:layer_features", args=["alpha", layer.pk])
    client = world.client(world.observer)
    everything = client.get(url).json()
    assert everything["numberMatched"] == 31 and len(everything["features"]) == 31
    west, south, east, north = 106.81, -6.185, 106.815, -6.178
    part = client.get(url, {"bbox": f"{west},{south},{east},{north}", "zoom": "15"}).json()
    assert 0 < part["numberMatched"] < 31
    assert client.get(url, {"bbox": "1,2,3"}).status_code == 400
    assert client.get(url, {"bbox": "10,0,5,1"}).status_code == 400


def test_the_map_caps_what_one_request_returns(world: World, monkeypatch: Any) -> None:
    from commonground.places import features

    monkeypatch.setattr(features, "MAX_FEATURES", 10)
    layer = add_layer(world)
    body = (
        world.client(world.member)
        .get(reverse("places:layer_features", args=["alpha", layer.pk]))
        .json()
    )
    assert len(body["features"]) == 10 and body["truncated"] is True


def test_the_map_page_lists_the_coalitions_ready_layers_only(world: World) -> None:
    add_layer(world)
    add_layer(world, name="Broken", class_field="NOPE")
    response = world.client(world.observer).get(reverse("places:map", args=["alpha"]))
    config = json.loads(response.context["config"] and json.dumps(response.context["config"]))
    assert [layer["name"] for layer in config["layers"]] == ["Flood-prone"]
    assert config["tiles"] == ""  # no basemap unless configured


def test_areas_import_by_named_field_and_link_to_their_parents(world: World) -> None:
    client = world.client(world.owner)
    url = reverse("places:area_import", args=["alpha"])
    response = client.post(
        url,
        {
            "file": upload(JAKARTA / "district_osm_jakarta.geojson"),
            "level": "subcity",
            "name_field": "KAB_NAME",
        },
    )
    assert response.status_code == 302
    assert Area.objects.filter(coalition=world.coalition, level="subcity").count() == 5
    geojson = client.get(reverse("places:area_features", args=["alpha"]), {"level": "subcity"})
    assert len(geojson.json()["features"]) == 5


def test_an_unrecognised_name_field_asks_which_field_to_use(world: World) -> None:
    response = world.client(world.owner).post(
        reverse("places:area_import", args=["alpha"]),
        {"file": upload(JAKARTA / "district_osm_jakarta.geojson"), "level": "subcity"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "KAB_NAME" in body
    assert not Area.objects.exists()


def test_cod_ab_fields_are_recognised(world: World, tmp_path: Path) -> None:
    import geopandas as gpd
    from shapely.geometry import box

    frame = gpd.GeoDataFrame(
        {"ADM2_EN": ["North", "South"], "ADM2_PCODE": ["XX01", "XX02"]},
        geometry=[box(0, 0, 1, 1), box(0, -1, 1, 0)],
        crs="EPSG:4326",
    )
    path = tmp_path / "adm2.geojson"
    frame.to_file(path, driver="GeoJSON")
    call_command(
        "import_areas", str(path), coalition="alpha", level="subcity", stdout=io.StringIO()
    )
    assert sorted(Area.objects.values_list("name", "pcode")) == [
        ("North", "XX01"),
        ("South", "XX02"),
    ]


def test_duplicate_area_names_write_nothing(world: World) -> None:
    with pytest.raises(CommandError, match="already exists"):
        call_command(
            "import_areas",
            str(JAKARTA / "flood_multipart_polygons.shp"),
            coalition="alpha",
            level="community",
            name_field="KEL_NAME",
        )
    assert not Area.objects.exists()


def test_the_cli_imports_a_layer_and_refuses_a_bad_one(world: World, tmp_path: Path) -> None:
    out = io.StringIO()
    call_command(
        "import_layer",
        str(JAKARTA / "roads.shp"),
        coalition="alpha",
        kind="roads",
        stdout=out,
        stderr=io.StringIO(),
    )
    assert "185 features" in out.getvalue()
    empty = tmp_path / "empty.geojson"
    empty.write_text("")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "import_layer", str(empty), coalition="alpha", kind="roads", stderr=io.StringIO()
        )
    assert Layer.objects.count() == 1


def test_outsiders_see_no_layers_or_areas(world: World) -> None:
    layer = add_layer(world)
    client = world.client(world.outsider)
    for url in (
        reverse("places:layer_features", args=["alpha", layer.pk]),
        reverse("places:layer_features", args=["beta", layer.pk]),
        reverse("places:layer", args=["beta", layer.pk]),
        reverse("places:area_features", args=["alpha"]),
        reverse("places:map", args=["alpha"]),
    ):
        assert client.get(url).status_code == 404, url
    beta_map = client.get(reverse("places:map", args=["beta"]))
    assert beta_map.context["config"]["layers"] == []


def test_a_name_pattern_combines_fields_into_unique_names(world: World) -> None:
    call_command(
        "import_areas",
        str(JAKARTA / "district_osm_jakarta.geojson"),
        coalition="alpha",
        level="subcity",
        name_field="KAB_NAME",
        stdout=io.StringIO(),
    )
    # The sample data really has two units called KEBON KACANG RW 07: refused, by feature.
    with pytest.raises(CommandError, match="Feature 23: an area named KEBON KACANG RW 07"):
        call_command(
            "import_areas",
            str(JAKARTA / "flood_multipart_polygons.shp"),
            coalition="alpha",
            level="community",
            name_field="{KEL_NAME} {RW}",
        )
    out = io.StringIO()
    call_command(
        "import_areas",
        str(JAKARTA / "flood_multipart_polygons.shp"),
        coalition="alpha",
        level="community",
        name_field="{KEL_NAME} {RW} ({OBJECTID})",
        stdout=out,
    )
    communities = Area.objects.filter(level="community")
    assert communities.count() == 31
    assert communities.filter(name__startswith="CIDENG RW 10 (").exists()
    # Each neighbourhood is linked to the district that contains it.
    assert communities.filter(parent__isnull=False).count() == 31
    assert "31 linked" in out.getvalue()


def test_a_field_named_bbox_is_refused_with_a_reason(world: World, tmp_path: Path) -> None:
    import geopandas as gpd
    from shapely.geometry import Point

    path = tmp_path / "points.geojson"
    gpd.GeoDataFrame({"bbox": ["x"]}, geometry=[Point(106.8, -6.2)], crs="EPSG:4326").to_file(
        path, driver="GeoJSON"
    )
    with pytest.raises(CommandError, match="named 'bbox'"):
        call_command(
            "import_layer", str(path), coalition="alpha", kind="resources", stderr=io.StringIO()
        )
    assert not Layer.objects.exists()
