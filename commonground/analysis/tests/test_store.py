"""Storing layers as GeoParquet: the fast path gives what reading, repairing and writing give."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pyarrow.parquet as pq
import pytest
import shapely

from commonground.analysis import store
from commonground.analysis.errors import LayerError
from commonground.analysis.io import read_layer, repair_geometries
from commonground.analysis.store import store_layer, write_geoparquet


def awkward(n: int = 300) -> gpd.GeoDataFrame:
    """Buildings in degrees with every kind of geometry an export can hold."""
    rng = np.random.default_rng(5)
    x, y = rng.uniform(106.80, 106.86, n), rng.uniform(-6.23, -6.17, n)
    geoms: list[shapely.Geometry | None] = list(shapely.box(x, y, x + 2e-4, y + 1e-4))
    geoms[3] = shapely.Polygon([(106.8, -6.2), (106.801, -6.199), (106.801, -6.2), (106.8, -6.199)])
    geoms[7] = None
    geoms[11] = shapely.Polygon()
    geoms[13] = shapely.MultiPolygon(
        [shapely.box(106.81, -6.21, 106.811, -6.209), shapely.box(106.82, -6.21, 106.821, -6.209)]
    )
    geoms[17] = shapely.box(106.83, -6.2, 106.831, -6.199).difference(
        shapely.box(106.8303, -6.1997, 106.8306, -6.1994)
    )
    geoms[19] = shapely.Polygon(
        [(106.84, -6.2), (106.842, -6.2), (106.841, -6.2), (106.841, -6.199)]
    )  # spike
    geoms[23] = shapely.Polygon(
        [(106.85, -6.2, 3.0), (106.851, -6.2, 3.0), (106.851, -6.199, 4.0), (106.85, -6.2, 3.0)]
    )
    levels = [None if i % 4 == 0 else i % 7 for i in range(n)]
    return gpd.GeoDataFrame(
        {"osm_id": np.arange(n), "building": ["house"] * n, "levels": levels},
        geometry=geoms,
        crs="EPSG:4326",
    )


def long_way(path: Path, target: Path) -> store.StoredLayer:
    frame, repairs = repair_geometries(read_layer(path))
    written = write_geoparquet(frame, target)
    fields = [c for c in frame.columns if c != frame.geometry.name]
    return written._replace(features=len(frame), fields=fields, repairs=repairs)


def test_a_geopackage_is_stored_as_reading_repairing_and_writing_would(tmp_path: Path) -> None:
    source = tmp_path / "buildings.gpkg"
    awkward().to_file(source, driver="GPKG")
    fast = store_layer(source, tmp_path / "fast.parquet")
    slow = long_way(source, tmp_path / "slow.parquet")
    assert (fast.features, fast.fields, fast.bounds) == (slow.features, slow.fields, slow.bounds)
    assert fast.geometry_types == slow.geometry_types == ["MultiPolygon", "Polygon"]
    assert fast.repairs == slow.repairs
    assert [r["index"] for r in fast.repairs] == [3, 7, 11, 19]
    a = gpd.read_parquet(tmp_path / "fast.parquet").sort_values("osm_id")
    b = gpd.read_parquet(tmp_path / "slow.parquet").sort_values("osm_id")
    assert a["osm_id"].tolist() == b["osm_id"].tolist()
    assert shapely.equals_exact(a.geometry.values, b.geometry.values, tolerance=0).all()
    assert a["levels"].isna().tolist() == b["levels"].isna().tolist()


def test_a_stored_layer_is_in_hilbert_order_with_a_covering_bbox(tmp_path: Path) -> None:
    source = tmp_path / "buildings.gpkg"
    awkward(3000).to_file(source, driver="GPKG")
    target = tmp_path / "stored.parquet"
    store_layer(source, target)
    table = pq.read_table(target)
    boxes = np.column_stack([table["bbox"].combine_chunks().field(k) for k in ("xmin", "ymin")])
    steps = np.hypot(*np.diff(boxes, axis=0).T)
    shuffled = np.hypot(*np.diff(boxes[np.random.default_rng(1).permutation(len(boxes))], axis=0).T)
    assert np.median(steps) < np.median(shuffled) / 5  # neighbours in the file are near
    inside = gpd.read_parquet(target, bbox=(106.80, -6.23, 106.82, -6.21))
    assert 0 < len(inside) < 3000


def test_a_layer_in_another_crs_is_reprojected_on_the_long_way(tmp_path: Path) -> None:
    source = tmp_path / "utm.gpkg"
    awkward().dropna().to_crs("EPSG:32748").to_file(source, driver="GPKG")
    stored = store_layer(source, tmp_path / "stored.parquet")
    west, south, east, north = stored.bounds
    assert 106.7 < west < east < 106.9 and -6.3 < south < north < -6.1


def test_the_check_can_refuse_before_anything_is_written(tmp_path: Path) -> None:
    source = tmp_path / "buildings.gpkg"
    awkward().to_file(source, driver="GPKG")
    target = tmp_path / "stored.parquet"

    def refuse(fields: list[str], count: int) -> None:
        raise LayerError(f"no thanks: {count} features with {', '.join(fields)}")

    with pytest.raises(LayerError, match="no thanks: 298 features with osm_id, building, levels"):
        store_layer(source, target, check=refuse)
    assert not target.exists()


def test_coordinates_out_of_range_are_refused_as_read_layer_refuses_them(tmp_path: Path) -> None:
    source = tmp_path / "metres.gpkg"
    frame = awkward().dropna().to_crs("EPSG:32748").set_crs("EPSG:4326", allow_override=True)
    frame.to_file(source, driver="GPKG")
    with pytest.raises(LayerError, match="outside the range of longitude and latitude"):
        store_layer(source, tmp_path / "stored.parquet")


def test_a_field_named_bbox_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "buildings.gpkg"
    awkward().assign(bbox="x").to_file(source, driver="GPKG")
    with pytest.raises(LayerError, match="named 'bbox'"):
        store_layer(source, tmp_path / "stored.parquet")


def test_the_hilbert_curve_visits_every_cell_once_stepping_to_a_neighbour() -> None:
    cells = np.array([(i, j) for i in range(16) for j in range(16)])
    distance = store._hilbert_distance(cells[:, 0], cells[:, 1], 4)
    assert sorted(distance.tolist()) == list(range(256))
    path = cells[np.argsort(distance)]
    assert (np.abs(np.diff(path, axis=0)).sum(axis=1) == 1).all()
    assert path[0].tolist() == [0, 0] and path[-1].tolist() == [15, 0]
