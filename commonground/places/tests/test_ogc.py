"""OGC API – Features: the documents, paging, bbox, single features, who sees which collection,
and GDAL's OAPIF driver reading a layer from a real server."""

from __future__ import annotations

import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from commonground.accounts.actions import regenerate_token
from commonground.accounts.models import User
from commonground.jobs.queue import run_pending
from commonground.places import actions, ogc_urls
from commonground.places.models import AnalysisRun, Layer, RunStatus
from conftest import World

JAKARTA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "jakarta"
BASE = "/ogc/alpha"
CORE = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
GEOJSON = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"
QUIET = {"stdout": io.StringIO(), "stderr": io.StringIO()}


@pytest.fixture
def layers(world: World, tmp_path: Path, settings: Any) -> dict[str, Layer]:
    """Public flood zones (31), members-only buildings (181), the five districts as areas."""
    settings.DATA_DIR = tmp_path
    call_command(
        "import_areas",
        str(JAKARTA / "district_osm_jakarta.geojson"),
        coalition="alpha",
        level="subcity",
        name_field="KAB_NAME",
        **QUIET,
    )
    call_command(
        "import_layer",
        str(JAKARTA / "flood_multipart_polygons.shp"),
        coalition="alpha",
        kind="hazard",
        name="Flood",
        class_field="FLOODPRONE",
        public=True,
        **QUIET,
    )
    call_command(
        "import_layer", str(JAKARTA / "buildings.shp"), coalition="alpha", kind="buildings",
        name="Buildings", **QUIET,
    )  # fmt: skip
    return {layer.name: layer for layer in Layer.objects.all()}


@pytest.fixture
def run(world: World, layers: dict[str, Layer]) -> AnalysisRun:
    started = actions.start_exposure_run(
        world.member,
        world.coalition,
        name="Flooded buildings",
        hazard_layer=layers["Flood"],
        hazard_classes=["YES", "NO"],
        exposure_layer=layers["Buildings"],
        area_level="subcity",
        rule="intersects",
    )
    run_pending()
    started.refresh_from_db()
    assert started.status == RunStatus.DONE
    return started


def token_client(user: User) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {regenerate_token(user).key}")


def items_url(layer: Layer) -> str:
    return f"{BASE}/collections/layer-{layer.pk}/items"


def read_all(client: Client, url: str) -> list[dict[str, Any]]:
    """Follow ``next`` links from ``url`` to the end; every page's counts must add up."""
    features: list[dict[str, Any]] = []
    while url:
        page = client.get(url)
        assert page.status_code == 200, page.content[:500]
        body = page.json()
        assert body["numberReturned"] == len(body["features"])
        features += body["features"]
        url = next((ln["href"] for ln in body["links"] if ln["rel"] == "next"), "")
    return features


def test_the_landing_page_links_its_definition_conformance_and_collections(
    world: World,
) -> None:
    body = Client().get(f"{BASE}/").json()
    assert body["title"] == "Alpha City Coalition"
    rels = {ln["rel"]: ln["href"] for ln in body["links"]}
    assert rels["self"] == "http://testserver/ogc/alpha/"
    assert rels["conformance"] == "http://testserver/ogc/alpha/conformance"
    assert rels["data"] == "http://testserver/ogc/alpha/collections"
    definition = Client().get(rels["service-desc"])
    assert definition["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert "/collections/{collectionId}/items" in definition.json()["paths"]


def test_conformance_names_core_and_geojson(world: World) -> None:
    assert Client().get(f"{BASE}/conformance").json() == {"conformsTo": [CORE, GEOJSON]}


def test_members_see_every_ready_layer_and_run_as_a_collection(
    world: World,
    layers: dict[str, Layer],
    run: AnalysisRun,
    django_assert_max_num_queries: Any,
) -> None:
    client = world.client(world.observer)
    # Session and user, coalition, membership, layers, runs, area extents: not one per row.
    with django_assert_max_num_queries(7):
        body = client.get(f"{BASE}/collections").json()
    found = {c["id"]: c for c in body["collections"]}
    flood, buildings = layers["Flood"], layers["Buildings"]
    assert set(found) == {f"layer-{flood.pk}", f"layer-{buildings.pk}", f"analysis-{run.pk}"}
    one = found[f"layer-{buildings.pk}"]
    assert one["title"] == "Buildings" and one["itemType"] == "feature"
    assert one["extent"]["spatial"] == {
        "bbox": [[buildings.min_x, buildings.min_y, buildings.max_x, buildings.max_y]],
        "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
    }
    assert "181 features" in one["description"]
    links = {ln["rel"]: ln for ln in one["links"]}
    assert links["items"]["type"] == "application/geo+json"
    assert links["items"]["href"] == f"http://testserver{items_url(buildings)}"
    assert client.get(links["self"]["href"]).json() == one
    assert found[f"analysis-{run.pk}"]["title"] == "Flooded buildings"
    assert len(found[f"analysis-{run.pk}"]["extent"]["spatial"]["bbox"][0]) == 4


def test_pages_follow_next_links_until_every_feature_is_read(
    world: World, layers: dict[str, Layer]
) -> None:
    buildings = layers["Buildings"]
    client = world.client(world.member)
    first = client.get(items_url(buildings), {"limit": 50})
    assert first["Content-Type"] == "application/geo+json"
    body = first.json()
    assert body["type"] == "FeatureCollection" and body["numberMatched"] == 181
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", body["timeStamp"])
    features = read_all(client, f"{items_url(buildings)}?limit=50")
    assert len(features) == buildings.feature_count == 181
    assert [f["id"] for f in features] == list(range(181))
    assert {"TYPE", "LEVELS"} <= set(features[0]["properties"])
    assert "bbox" not in features[0]["properties"]  # the covering column stays inside
    last = client.get(items_url(buildings), {"limit": 50, "offset": 150}).json()
    rels = {ln["rel"]: ln["href"] for ln in last["links"]}
    assert "next" not in rels and rels["prev"].endswith("limit=50&offset=100")
    assert last["numberReturned"] == 31
    beyond = client.get(items_url(buildings), {"offset": 500}).json()
    assert beyond["numberReturned"] == 0 and beyond["numberMatched"] == 181


def test_ids_and_pages_hold_across_row_groups(world: World, layers: dict[str, Layer]) -> None:
    import geopandas as gpd
    import pandas as pd

    buildings = layers["Buildings"]
    stored = gpd.read_parquet(buildings.data_path)
    # Same rows in the same order, in row groups of 40 (imports write 20,000 a group).
    stored.to_parquet(buildings.data_path, index=False, write_covering_bbox=True, row_group_size=40)
    features = read_all(world.client(world.member), f"{items_url(buildings)}?limit=30")
    assert [f["id"] for f in features] == list(range(181))
    assert [f["properties"]["NAME"] for f in features] == [
        None if pd.isna(v) else v for v in stored["NAME"]
    ]
    west, south, east, north = stored.iloc[100:110].total_bounds
    inside = read_all(
        world.client(world.member),
        f"{items_url(buildings)}?limit=7&bbox={west},{south},{east},{north}",
    )
    expected = stored.index[stored.intersects(box(west, south, east, north))]
    assert [f["id"] for f in inside] == list(expected)
    # Files written before covering boxes existed give the same answer, reading every shape.
    stored.to_parquet(buildings.data_path, index=False, row_group_size=40)
    again = read_all(
        world.client(world.member),
        f"{items_url(buildings)}?limit=7&bbox={west},{south},{east},{north}",
    )
    assert again == inside


def box(west: float, south: float, east: float, north: float) -> Any:
    import shapely

    return shapely.box(west, south, east, north)


def test_bbox_returns_the_features_that_intersect_it(
    world: World, layers: dict[str, Layer]
) -> None:
    import geopandas as gpd

    flood = layers["Flood"]
    stored = gpd.read_parquet(flood.data_path)
    bbox = (106.81, -6.185, 106.815, -6.18)
    expected = sorted(stored.index[stored.intersects(box(*bbox))])
    assert 0 < len(expected) < 31
    client = Client()
    query = ",".join(map(str, bbox))
    body = client.get(items_url(flood), {"bbox": query, "limit": "2"}).json()
    assert body["numberMatched"] == len(expected)
    next_link = next(ln["href"] for ln in body["links"] if ln["rel"] == "next")
    assert "bbox=106.81" in next_link
    features = read_all(client, f"{items_url(flood)}?bbox={query}&limit=2")
    assert [f["id"] for f in features] == expected
    nowhere = client.get(items_url(flood), {"bbox": "0,0,1,1"}).json()
    assert nowhere["numberMatched"] == 0 and nowhere["features"] == []


def test_a_single_feature_is_read_by_its_id(world: World, layers: dict[str, Layer]) -> None:
    flood = layers["Flood"]
    client = Client()
    listed = client.get(items_url(flood), {"offset": 7, "limit": 1}).json()["features"][0]
    response = client.get(f"{items_url(flood)}/7")
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    one = response.json()
    assert one["id"] == 7 and one["type"] == "Feature"
    assert {k: one[k] for k in ("geometry", "properties")} == {
        k: listed[k] for k in ("geometry", "properties")
    }
    assert one["links"][0]["rel"] == "self"
    for missing in ("31", "x", "-1", "²", "99999999999999999999"):
        gone = client.get(f"{items_url(flood)}/{missing}")
        assert gone.status_code == 404 and gone.json()["code"] == "NotFound"


def test_anonymous_visitors_see_only_public_layers(
    world: World, layers: dict[str, Layer], run: AnalysisRun
) -> None:
    client = Client()
    listed = client.get(f"{BASE}/collections").json()["collections"]
    assert [c["id"] for c in listed] == [f"layer-{layers['Flood'].pk}"]
    assert client.get(items_url(layers["Flood"])).json()["numberMatched"] == 31
    hidden = [
        f"{BASE}/collections/layer-{layers['Buildings'].pk}",
        items_url(layers["Buildings"]),
        f"{items_url(layers['Buildings'])}/0",
        f"{BASE}/collections/analysis-{run.pk}",
        f"{BASE}/collections/analysis-{run.pk}/items",
    ]
    for url in hidden:
        response = client.get(url)
        assert response.status_code == 404 and response.json()["code"] == "NotFound", url


OGC_ROUTES = [
    (str(route.name), tuple(re.findall(r"<(?:\w+:)?(\w+)>", str(route.pattern))))
    for route in ogc_urls.urlpatterns
]


@pytest.mark.parametrize(("name", "params"), OGC_ROUTES, ids=[n for n, _p in OGC_ROUTES])
def test_every_route_hides_members_only_layers_from_outsiders(
    world: World, layers: dict[str, Layer], name: str, params: tuple[str, ...]
) -> None:
    """Walks the URL list (so a route added later is covered), like tests/test_isolation.py."""
    hidden = f"layer-{layers['Buildings'].pk}"
    values = {"slug": "alpha", "collection_id": hidden, "fid": "0"}
    url = reverse(f"ogc:{name}", kwargs={p: values[p] for p in ("slug", *params)})
    assert world.client(world.member).get(url).status_code == 200, url
    seen = world.client(world.outsider).get(url)
    if "collection_id" in params:
        assert seen.status_code == 404, url
    else:  # the service itself is public: it just does not mention the hidden layer
        assert seen.status_code == 200 and hidden not in seen.content.decode(), url


def test_a_members_token_opens_members_only_layers_and_runs(
    world: World, layers: dict[str, Layer], run: AnalysisRun
) -> None:
    client = token_client(world.community)
    listed = client.get(f"{BASE}/collections").json()["collections"]
    assert len(listed) == 3
    assert client.get(items_url(layers["Buildings"])).json()["numberMatched"] == 181
    assert client.get(f"{BASE}/collections/analysis-{run.pk}/items").status_code == 200


def test_an_outsiders_token_opens_only_the_public_layers(
    world: World, layers: dict[str, Layer], run: AnalysisRun
) -> None:
    client = token_client(world.outsider)
    listed = client.get(f"{BASE}/collections").json()["collections"]
    assert [c["id"] for c in listed] == [f"layer-{layers['Flood'].pk}"]
    assert client.get(items_url(layers["Buildings"])).status_code == 404
    assert client.get(f"{BASE}/collections/analysis-{run.pk}/items").status_code == 404
    # Nor does their own coalition's service show alpha's layers.
    assert client.get(f"/ogc/beta/collections/layer-{layers['Flood'].pk}").status_code == 404


def test_a_wrong_token_is_refused(world: World) -> None:
    response = Client(HTTP_AUTHORIZATION="Token not-a-real-key").get(f"{BASE}/collections")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "InvalidToken"


@pytest.mark.parametrize(
    "path",
    [
        "/ogc/gamma/",
        "/ogc/gamma/collections",
        f"{BASE}/collections/layer-9999",
        f"{BASE}/collections/layer-9999/items",
        f"{BASE}/collections/layer-²",
        f"{BASE}/collections/roads-1",
        f"{BASE}/collections/analysis-99999999999999999999",
    ],
)
def test_unknown_coalitions_and_collections_are_404_json(world: World, path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 404 and response.json()["code"] == "NotFound"


def test_an_analysis_collection_has_one_feature_per_area_with_its_shares(
    world: World, layers: dict[str, Layer], run: AnalysisRun
) -> None:
    client = world.client(world.member)
    url = f"{BASE}/collections/analysis-{run.pk}/items"
    body = client.get(url).json()
    assert body["numberMatched"] == len(run.shares) == body["numberReturned"]
    top = body["features"][0]
    assert top["properties"]["rank"] == 1 and top["properties"]["area"] == "JAKARTA PúSAT"
    assert top["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert client.get(f"{url}/0").json()["properties"] == top["properties"]
    # West Jakarta lies west of 106.80; central Jakarta reaches past 106.82.
    east = client.get(url, {"bbox": "106.83,-6.2,106.84,-6.17"}).json()
    assert 0 < east["numberMatched"] < len(run.shares)


@pytest.mark.parametrize(
    "query",
    [
        {"bbox": "1,2,3"},
        {"bbox": "a,b,c,d"},
        {"bbox": "10,0,5,1"},
        {"limit": "0"},
        {"limit": "ten"},
        {"offset": "-1"},
        {"datetime": "yesterday"},
        {"f": "html"},
        {"colour": "red"},
        {"crs": "http://www.opengis.net/def/crs/EPSG/0/3857"},
    ],
)
def test_bad_parameters_are_400_with_a_message(
    world: World, layers: dict[str, Layer], query: dict[str, str]
) -> None:
    response = Client().get(items_url(layers["Flood"]), query)
    assert response.status_code == 400
    assert response.json()["code"] == "InvalidParameterValue"
    assert response.json()["description"]


def test_limits_above_the_maximum_are_capped_and_datetime_selects_everything(
    world: World, layers: dict[str, Layer]
) -> None:
    url = items_url(layers["Flood"])
    body = Client().get(url, {"limit": "50000", "datetime": "2024-01-01T00:00:00Z/.."}).json()
    assert body["numberReturned"] == 31
    assert "limit=10000" in next(ln["href"] for ln in body["links"] if ln["rel"] == "self")


def test_only_reads_are_allowed(world: World, layers: dict[str, Layer]) -> None:
    assert Client().post(items_url(layers["Flood"])).status_code == 405


# A real server, a real client ------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


MAKE_USER = """
from commonground.accounts.actions import regenerate_token
from commonground.accounts.models import User
user = User.objects.create_user("focal@gdal.test", "correct-horse-battery")
print("key=" + regenerate_token(user).key)
"""


def test_gdal_reads_layers_from_a_running_server_with_a_token_for_members_only(
    tmp_path: Path,
) -> None:
    import pyogrio

    assert "OAPIF" in pyogrio.list_drivers()
    env = {
        **os.environ,
        "CG_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CG_LOG_LEVEL": "WARNING",
    }
    cli = [sys.executable, "-m", "commonground.cli"]
    if (Path(sys.executable).parent / "commonground").exists():
        cli = [str(Path(sys.executable).parent / "commonground")]

    def command(*args: str) -> str:
        done = subprocess.run([*cli, *args], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    def layer_id(output: str) -> str:
        return re.search(r"\(id (\d+)\)", output).group(1)  # type: ignore[union-attr]

    command("migrate", "--noinput")
    key = re.search(r"key=(\w+)", command("shell", "-c", MAKE_USER)).group(1)  # type: ignore[union-attr]
    command(
        "createcoalition", "Gdal Town", "--city", "Jakarta", "--country", "ID",
        "--slug", "gdal", "--focal-point", "focal@gdal.test",
    )  # fmt: skip
    public = layer_id(command(
        "import-layer", str(JAKARTA / "flood_multipart_polygons.shp"), "--coalition", "gdal",
        "--kind", "hazard", "--class-field", "FLOODPRONE", "--public",
    ))  # fmt: skip
    members_only = layer_id(command(
        "import-layer", str(JAKARTA / "buildings.shp"), "--coalition", "gdal", "--kind",
        "buildings",
    ))  # fmt: skip
    port = free_port()
    server = subprocess.Popen(
        [*cli, "serve", "--no-worker", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: gunicorn's workers go with it
    )
    try:
        root = f"OAPIF:http://127.0.0.1:{port}/ogc/gdal/"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "no server"
                time.sleep(0.2)
        assert [name for name, _kind in pyogrio.list_layers(root)] == [f"layer-{public}"]
        frame = pyogrio.read_dataframe(root, layer=f"layer-{public}")
        assert len(frame) == 31
        assert "FLOODPRONE" in frame.columns and frame.geometry.notna().all()
        # GDAL sends its own headers to OAPIF servers; a header file adds the token to them.
        headers = tmp_path / "headers.txt"
        headers.write_text(f"Authorization: Token {key}\n")
        pyogrio.set_gdal_config_options({"GDAL_HTTP_HEADER_FILE": str(headers)})
        try:
            assert len(pyogrio.read_dataframe(root, layer=f"layer-{members_only}")) == 181
        finally:
            pyogrio.set_gdal_config_options({"GDAL_HTTP_HEADER_FILE": None})
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
