"""Flood exposure on the central Jakarta sample data, checked against a plain shapely loop."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from commonground.analysis.exposure import NOT_EXPOSED, Rule, exposure_by_area
from commonground.analysis.io import read_layer, repair_geometries

CLASSES = ["YES", "NO"]


@pytest.fixture(scope="module")
def flood(jakarta: Path) -> gpd.GeoDataFrame:
    return read_layer(jakarta / "flood_multipart_polygons.shp")


@pytest.fixture(scope="module")
def buildings(jakarta: Path) -> gpd.GeoDataFrame:
    return read_layer(jakarta / "buildings.shp")


@pytest.fixture(scope="module")
def grid(jakarta: Path) -> gpd.GeoDataFrame:
    return read_layer(jakarta / "grid_jakarta.geojson")  # EPSG:3857 on disk


def oracle(
    flood: gpd.GeoDataFrame,
    buildings: gpd.GeoDataFrame,
    areas: gpd.GeoDataFrame,
    area_field: str,
    area: str,
    rule: Rule,
) -> dict[str, int]:
    """Slow but obvious: one building at a time, following the documented rules."""
    counts = dict.fromkeys([*CLASSES, NOT_EXPOSED], 0)
    for building in buildings.geometry:
        centre = shapely.box(*building.bounds).centroid
        point = centre if building.contains(centre) else building.point_on_surface()
        home = next(
            (n for n, s in zip(areas[area_field], areas.geometry, strict=True) if s.covers(point)),
            None,
        )
        if home != area:
            continue
        hit = set()
        for zone, value in zip(flood.geometry, flood["FLOODPRONE"], strict=True):
            touches = zone.intersects(building) if rule == "intersects" else zone.covers(point)
            if touches:
                hit.add(str(value).strip().upper())
        counts[next((c for c in CLASSES if c in hit), NOT_EXPOSED)] += 1
    return counts


def by_class(result: gpd.GeoDataFrame, area: str) -> dict[str, int]:
    rows = result[result["area"] == area]
    return {str(c): int(n) for c, n in zip(rows["hazard_class"], rows["count"], strict=True)}


@pytest.mark.parametrize("rule", ["intersects", "centroid", "majority"])
def test_flood_exposure_per_grid_cell_reconciles_with_the_181_buildings(
    flood: gpd.GeoDataFrame, buildings: gpd.GeoDataFrame, grid: gpd.GeoDataFrame, rule: Rule
) -> None:
    result = exposure_by_area(
        flood,
        "FLOODPRONE",
        buildings,
        hazard_classes=CLASSES,
        areas=grid,
        area_field="name",
        rule=rule,
    )
    assert len(buildings) == 181
    assert result["count"].sum() == 181
    assert list(result["hazard_class"].unique()) == [*CLASSES, NOT_EXPOSED]
    assert set(result["area"]) <= {*"ABCDEFGHIJKLMNOP", "Outside areas"}


@pytest.mark.parametrize("rule", ["intersects", "centroid"])
def test_the_busiest_grid_cell_matches_a_plain_shapely_loop(
    flood: gpd.GeoDataFrame, buildings: gpd.GeoDataFrame, grid: gpd.GeoDataFrame, rule: Rule
) -> None:
    result = exposure_by_area(
        flood,
        "FLOODPRONE",
        buildings,
        hazard_classes=CLASSES,
        areas=grid,
        area_field="name",
        rule=rule,
    )
    busiest = str(result.groupby("area")["count"].sum().idxmax())
    expected = oracle(flood, buildings, grid, "name", busiest, rule)
    assert by_class(result, busiest) == expected
    assert sum(expected.values()) > 40  # a real check, not an empty cell


def test_flood_exposure_per_neighbourhood_matches_a_plain_shapely_loop(
    flood: gpd.GeoDataFrame, buildings: gpd.GeoDataFrame
) -> None:
    result = exposure_by_area(
        flood, "FLOODPRONE", buildings, hazard_classes=CLASSES, areas=flood, area_field="KEL_NAME"
    )
    assert result["count"].sum() == 181
    assert by_class(result, "KAMPUNG BALI") == oracle(
        flood, buildings, flood, "KEL_NAME", "KAMPUNG BALI", "intersects"
    )
    # Buildings on the border of two units count once, in YES when they touch a YES unit.
    assert by_class(result, "KAMPUNG BALI")["YES"] > 0


def test_road_lengths_add_up_to_the_whole_network(
    jakarta: Path, flood: gpd.GeoDataFrame, grid: gpd.GeoDataFrame
) -> None:
    roads = read_layer(jakarta / "roads.shp")
    result = exposure_by_area(flood, "FLOODPRONE", roads, areas=grid, area_field="name")
    assert result["length_m"].sum() == pytest.approx(roads.to_crs(32748).length.sum(), rel=1e-9)
    assert result["count"].sum() == len(roads) == 185
    assert result.loc[result["hazard_class"] == "YES", "length_m"].sum() > 0


def test_census_population_reconciles_once_the_empty_ward_is_dropped(
    jakarta: Path, flood: gpd.GeoDataFrame, grid: gpd.GeoDataFrame
) -> None:
    census, report = repair_geometries(read_layer(jakarta / "census.geojson"))
    assert [(r["index"], r["action"], r["reason"]) for r in report] == [
        (3, "dropped", "empty geometry")
    ]
    result = exposure_by_area(
        flood,
        "FLOODPRONE",
        None,
        population=census,
        population_field="population",
        areas=grid,
        area_field="name",
    )
    assert result["population"].sum() == pytest.approx(census["population"].sum())
    exposed = result.loc[result["hazard_class"] == "YES", "population"].sum()
    assert 0 < exposed < census["population"].sum()


def test_volcano_zones_rank_by_the_given_order(jakarta: Path, buildings: gpd.GeoDataFrame) -> None:
    krb = read_layer(jakarta / "volcano_krb.shp")
    order = [f"Kawasan Rawan Bencana {n}" for n in ("III", "II", "I")]
    result = exposure_by_area(krb, "KRB", buildings, hazard_classes=order)
    assert result["count"].sum() == 181
    assert list(result["hazard_class"]) == [*order, NOT_EXPOSED]
