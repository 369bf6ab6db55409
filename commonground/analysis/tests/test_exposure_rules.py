"""The exposure rules on hand-made shapes, where the right answer is obvious."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from commonground.analysis.errors import LayerError
from commonground.analysis.exposure import NOT_EXPOSED, OUTSIDE_AREAS, exposure_by_area

from .shapes import X0, Y0, layer, line, point, polygon, rect

ZONE = layer([rect(0, 0, 100, 100)], cls=["high"])


def counts(result: pd.DataFrame, by: str = "hazard_class") -> dict[str, int]:
    return {str(k): int(v) for k, v in result.groupby(by, sort=False)["count"].sum().items()}


def cell(result: pd.DataFrame, column: str = "count", **where: str) -> float:
    rows = result
    for key, value in where.items():
        rows = rows[rows[key] == value]
    assert len(rows) >= 1, where
    return float(rows[column].sum())


def test_a_building_touching_a_zone_edge_is_exposed_by_intersects_only() -> None:
    touching = layer([rect(100, 10, 110, 20)])
    by_intersects = exposure_by_area(ZONE, "cls", touching, rule="intersects")
    by_centroid = exposure_by_area(ZONE, "cls", touching, rule="centroid")
    assert counts(by_intersects) == {"high": 1, NOT_EXPOSED: 0}
    assert counts(by_centroid) == {"high": 0, NOT_EXPOSED: 1}


def test_a_building_spanning_two_areas_goes_only_to_the_one_holding_its_representative_point() -> (
    None
):
    areas = layer([rect(0, 0, 100, 100), rect(100, 0, 200, 100)], name=["West", "East"])
    # Two thirds in East: the centre of its bounding box, (110, 50), is in East.
    building = layer([rect(90, 40, 130, 60)])
    result = exposure_by_area(ZONE, "cls", building, areas=areas, area_field="name")
    assert cell(result, area="East") == 1
    assert cell(result, area="West") == 0
    assert result["count"].sum() == 1


def test_an_l_shaped_building_goes_where_its_point_on_surface_is_not_its_bounding_box_centre() -> (
    None
):
    # The centre of the L's bounding box, (50, 50), lies outside the L, in the "Hole" area.
    ell = polygon((0, 0), (100, 0), (100, 10), (10, 10), (10, 100), (0, 100))
    areas = layer([rect(20, 20, 80, 80), rect(-10, -10, 110, 110)], name=["Hole", "Around"])
    result = exposure_by_area(ZONE, "cls", layer([ell]), areas=areas, area_field="name")
    assert cell(result, area="Around") == 1 and cell(result, area="Hole") == 0


def test_overlapping_classes_count_a_building_once_in_the_worst_class() -> None:
    zones = layer([rect(0, 0, 100, 100), rect(0, 0, 50, 50)], cls=["low", "high"])
    buildings = layer([rect(10, 10, 20, 20), rect(70, 70, 80, 80), rect(300, 300, 310, 310)])
    for rule in ("intersects", "centroid", "majority"):
        result = exposure_by_area(
            zones, "cls", buildings, hazard_classes=["high", "low"], rule=rule
        )
        assert counts(result) == {"high": 1, "low": 1, NOT_EXPOSED: 1}, rule


def test_hazard_classes_match_whatever_their_case_and_spaces() -> None:
    zones = layer(
        [rect(0, 0, 10, 10), rect(20, 0, 30, 10), rect(40, 0, 50, 10), rect(60, 0, 70, 10)],
        flood=["YES", " Yes", "yes ", "No"],
    )
    buildings = layer(
        [rect(1, 1, 2, 2), rect(21, 1, 22, 2), rect(41, 1, 42, 2), rect(61, 1, 62, 2)]
    )
    given = exposure_by_area(zones, "flood", buildings, hazard_classes=["yes", "NO"])
    assert counts(given) == {"yes": 3, "NO": 1, NOT_EXPOSED: 0}
    # Without a list, yes/no orders itself and each class shows its most common spelling.
    guessed = exposure_by_area(zones, "flood", buildings)
    assert list(guessed["hazard_class"]) == ["YES", "No", NOT_EXPOSED]
    assert guessed.attrs["warnings"] == []


def test_classes_outside_the_list_are_ignored_with_a_warning() -> None:
    zones = layer([rect(0, 0, 10, 10), rect(20, 0, 30, 10)], flood=["yes", "no"])
    buildings = layer([rect(1, 1, 2, 2), rect(21, 1, 22, 2)])
    result = exposure_by_area(zones, "flood", buildings, hazard_classes=["YES"])
    assert counts(result) == {"YES": 1, NOT_EXPOSED: 1}
    assert (
        "1 hazard zone(s) with classes not in the list (no) were ignored."
        in (result.attrs["warnings"])
    )


def test_an_unknown_class_order_is_guessed_and_said_to_be_guessed() -> None:
    zones = layer([rect(0, 0, 10, 10), rect(20, 0, 30, 10)], depth=["0.5-1 m", "1-2 m"])
    result = exposure_by_area(zones, "depth", layer([rect(1, 1, 2, 2)]))
    assert list(result["hazard_class"]) == ["0.5-1 m", "1-2 m", NOT_EXPOSED]
    assert any("was assumed" in w for w in result.attrs["warnings"])


def test_a_class_list_that_matches_nothing_is_refused_with_the_values_found() -> None:
    with pytest.raises(LayerError, match=r"values found there are: high"):
        exposure_by_area(ZONE, "cls", layer([rect(1, 1, 2, 2)]), hazard_classes=["severe"])


def test_a_road_crossing_a_zone_is_measured_inside_it() -> None:
    road = layer([line((-50, 50), (150, 50))])
    result = exposure_by_area(ZONE, "cls", road)
    assert cell(result, "length_m", hazard_class="high") == pytest.approx(100, rel=0.005)
    assert cell(result, "length_m", hazard_class=NOT_EXPOSED) == pytest.approx(100, rel=0.005)
    assert result.attrs["length_crs"] == "EPSG:32748"


def test_a_road_in_degrees_is_still_measured_in_metres() -> None:
    road = layer([line((-50, 50), (150, 50))]).to_crs(4326)
    result = exposure_by_area(ZONE.to_crs(4326), "cls", road)
    assert cell(result, "length_m", hazard_class="high") == pytest.approx(100, rel=0.005)


def test_road_length_is_not_counted_twice_where_classes_overlap() -> None:
    zones = layer([rect(0, 0, 100, 100), rect(0, 0, 40, 100)], cls=["low", "high"])
    road = layer([line((-50, 50), (150, 50))])
    result = exposure_by_area(zones, "cls", road, hazard_classes=["high", "low"])
    lengths = dict(zip(result["hazard_class"], result["length_m"], strict=True))
    assert lengths["high"] == pytest.approx(40)
    assert lengths["low"] == pytest.approx(60)
    assert lengths[NOT_EXPOSED] == pytest.approx(100)


def test_road_length_is_cut_at_area_edges() -> None:
    areas = layer([rect(-100, 0, 50, 100), rect(50, 0, 200, 100)], name=["A", "B"])
    road = layer([line((-50, 50), (150, 50))])
    result = exposure_by_area(ZONE, "cls", road, areas=areas, area_field="name")
    assert cell(result, "length_m", area="A", hazard_class="high") == pytest.approx(50)
    assert cell(result, "length_m", area="A", hazard_class=NOT_EXPOSED) == pytest.approx(50)
    assert cell(result, "length_m", area="B", hazard_class="high") == pytest.approx(50)
    assert cell(result, "length_m", area="B", hazard_class=NOT_EXPOSED) == pytest.approx(50)


def test_half_a_population_polygon_inside_a_zone_puts_half_its_people_at_risk() -> None:
    people = layer([rect(-100, 0, 100, 100)], population=[1000])
    result = exposure_by_area(ZONE, "cls", None, population=people, population_field="population")
    assert cell(result, "population", hazard_class="high") == pytest.approx(500)
    assert cell(result, "population", hazard_class=NOT_EXPOSED) == pytest.approx(500)


def test_population_is_shared_among_areas_by_area() -> None:
    people = layer([rect(-100, 0, 100, 100)], population=[1000])
    areas = layer([rect(-100, 0, -50, 100), rect(-50, 0, 200, 100)], name=["A", "B"])
    result = exposure_by_area(
        ZONE,
        "cls",
        None,
        population=people,
        population_field="population",
        areas=areas,
        area_field="name",
    )
    assert cell(result, "population", area="A", hazard_class=NOT_EXPOSED) == pytest.approx(250)
    assert cell(result, "population", area="B", hazard_class=NOT_EXPOSED) == pytest.approx(250)
    assert cell(result, "population", area="B", hazard_class="high") == pytest.approx(500)


@pytest.mark.parametrize(("inside", "exposed"), [(49, 0), (51, 1)])
def test_the_majority_rule_needs_more_than_half_of_the_building(inside: int, exposed: int) -> None:
    building = layer([rect(100 - inside, 0, 200 - inside, 10)])
    result = exposure_by_area(ZONE, "cls", building, rule="majority")
    assert counts(result) == {"high": exposed, NOT_EXPOSED: 1 - exposed}


def test_the_majority_rule_takes_the_largest_class_share_only_above_half() -> None:
    zones = layer([rect(0, 0, 40, 10), rect(40, 0, 80, 10)], cls=["high", "low"])
    split = layer([rect(0, 0, 100, 10)])  # 40% high, 40% low, 20% outside
    mostly_low = layer([rect(30, 0, 90, 10)])  # 1/6 high, 5/6 low
    assert counts(
        exposure_by_area(zones, "cls", split, hazard_classes=["high", "low"], rule="majority")
    ) == {
        "high": 0,
        "low": 0,
        NOT_EXPOSED: 1,
    }
    result = exposure_by_area(
        zones, "cls", mostly_low, hazard_classes=["high", "low"], rule="majority"
    )
    assert counts(result) == {"high": 0, "low": 1, NOT_EXPOSED: 0}


def test_features_outside_every_area_are_reported_not_lost() -> None:
    areas = layer([rect(0, 0, 100, 100)], name=["Only"])
    buildings = layer([rect(10, 10, 20, 20), rect(500, 500, 510, 510)])
    result = exposure_by_area(ZONE, "cls", buildings, areas=areas, area_field="name")
    assert cell(result, area=OUTSIDE_AREAS, hazard_class=NOT_EXPOSED) == 1
    assert cell(result, area="Only", hazard_class="high") == 1
    assert result["count"].sum() == 2


def test_the_outside_row_is_left_out_when_nothing_is_outside() -> None:
    areas = layer([rect(0, 0, 100, 100)], name=["Only"])
    result = exposure_by_area(
        ZONE, "cls", layer([rect(1, 1, 2, 2)]), areas=areas, area_field="name"
    )
    assert OUTSIDE_AREAS not in set(result["area"])


def test_a_point_on_a_zone_edge_is_exposed_under_every_rule() -> None:
    points = layer([point(100, 50), point(150, 50)])
    for rule in ("intersects", "centroid", "majority"):
        result = exposure_by_area(ZONE, "cls", points, rule=rule)
        assert counts(result) == {"high": 1, NOT_EXPOSED: 1}, rule


@pytest.mark.parametrize("rule", ["intersects", "centroid", "majority"])
def test_exposed_and_not_exposed_add_up_to_every_feature(rule: str) -> None:
    rng = np.random.default_rng(7)
    xy = rng.uniform(0, 1000, (400, 2))
    buildings = layer(
        shapely.box(X0 + xy[:, 0], Y0 + xy[:, 1], X0 + xy[:, 0] + 12, Y0 + xy[:, 1] + 9)
    )
    centres = rng.uniform(0, 1000, (30, 2))
    zones = layer(
        shapely.buffer(shapely.points(X0 + centres[:, 0], Y0 + centres[:, 1]), 80),
        cls=rng.choice(["High", "medium", "LOW"], 30),
    )
    areas = layer([rect(0, 0, 500, 1000), rect(500, 0, 900, 1000)], name=["W", "E"])
    roads = layer([line((0, y), (1000, y)) for y in range(50, 1000, 100)])
    result = exposure_by_area(
        zones,
        "cls",
        buildings,
        hazard_classes=["high", "medium", "low"],
        rule=rule,  # type: ignore[arg-type]
        areas=areas,
        area_field="name",
    )
    assert result["count"].sum() == len(buildings)
    on_roads = exposure_by_area(
        zones,
        "cls",
        roads,
        hazard_classes=["high", "medium", "low"],
        rule=rule,  # type: ignore[arg-type]
        areas=areas,
        area_field="name",
    )
    assert on_roads["count"].sum() == len(roads)
    assert on_roads["length_m"].sum() == pytest.approx(roads.length.sum())


def test_intersects_agrees_with_a_plain_shapely_loop() -> None:
    rng = np.random.default_rng(3)
    xy = rng.uniform(0, 600, (300, 2))
    buildings = layer(
        shapely.box(X0 + xy[:, 0], Y0 + xy[:, 1], X0 + xy[:, 0] + 15, Y0 + xy[:, 1] + 15)
    )
    centres = rng.uniform(0, 600, (25, 2))
    zones = layer(
        shapely.buffer(shapely.points(X0 + centres[:, 0], Y0 + centres[:, 1]), 60),
        cls=rng.choice(["a", "b"], 25),
    )
    expected = {"a": 0, "b": 0, NOT_EXPOSED: 0}
    for building in buildings.geometry:
        hit = {
            c for z, c in zip(zones.geometry, zones["cls"], strict=True) if z.intersects(building)
        }
        expected["a" if "a" in hit else "b" if "b" in hit else NOT_EXPOSED] += 1
    result = exposure_by_area(zones, "cls", buildings, hazard_classes=["a", "b"])
    assert counts(result) == expected


def test_layers_in_different_crs_give_the_same_answer() -> None:
    buildings = layer([rect(10, 10, 20, 20), rect(95, 40, 105, 50), rect(300, 0, 310, 10)])
    same = exposure_by_area(ZONE, "cls", buildings)
    mixed = exposure_by_area(ZONE.to_crs(4326), "cls", buildings.to_crs(3857))
    assert counts(same) == counts(mixed) == {"high": 2, NOT_EXPOSED: 1}


def test_an_exposure_breakdown_keeps_population_in_rows_of_its_own() -> None:
    buildings = layer([rect(10, 10, 20, 20), rect(30, 30, 40, 40)], kind=["School", "school "])
    people = layer([rect(0, 0, 200, 100)], population=[100])
    result = exposure_by_area(
        ZONE,
        "cls",
        buildings,
        exposure_field="kind",
        population=people,
        population_field="population",
    )
    school = result[result["exposure_class"] == "School"]
    assert int(school.loc[school["hazard_class"] == "high", "count"].iloc[0]) == 2
    assert school["population"].isna().all()
    people_rows = result[result["exposure_class"].isna()]
    assert people_rows["count"].isna().all()
    assert people_rows["population"].sum() == pytest.approx(100)
    assert result["count"].sum() == 2


def test_polygon_area_is_measured_in_square_metres_when_asked() -> None:
    buildings = layer([rect(90, 0, 110, 10)])
    result = exposure_by_area(ZONE, "cls", buildings, polygon_area=True)
    # True (equal-area) m²: UTM's own areas are off by its scale factor squared, ~0.02% here.
    assert cell(result, "area_m2", hazard_class="high") == pytest.approx(100, rel=1e-3)
    assert cell(result, "area_m2", hazard_class=NOT_EXPOSED) == pytest.approx(100, rel=1e-3)


def test_cod_ab_fields_name_the_areas_when_no_field_is_given() -> None:
    areas = layer([rect(0, 0, 100, 100)], ADM2_EN=["Gambir"], ADM2_PCODE=["ID3171"])
    result = exposure_by_area(ZONE, "cls", layer([rect(1, 1, 2, 2)]), areas=areas)
    assert set(result["area"]) == {"Gambir"}
    assert set(result["area_code"]) == {"ID3171"}


def test_a_missing_field_is_refused_with_a_suggestion() -> None:
    with pytest.raises(LayerError, match=r"no field 'clss'. Did you mean 'cls'"):
        exposure_by_area(ZONE, "clss", layer([rect(1, 1, 2, 2)]))


def test_a_field_named_in_another_case_is_found() -> None:
    result = exposure_by_area(ZONE, "CLS", layer([rect(1, 1, 2, 2)]))
    assert counts(result) == {"high": 1, NOT_EXPOSED: 0}


def test_an_unknown_rule_is_refused() -> None:
    with pytest.raises(LayerError, match=r"Unknown rule 'nearest'"):
        exposure_by_area(ZONE, "cls", layer([rect(1, 1, 2, 2)]), rule="nearest")  # type: ignore[arg-type]


def test_a_layer_without_crs_is_refused() -> None:
    bare = gpd.GeoDataFrame(geometry=[rect(1, 1, 2, 2)])
    with pytest.raises(LayerError, match=r"no coordinate reference system"):
        exposure_by_area(ZONE, "cls", bare)


def test_features_without_geometry_count_as_not_exposed_with_a_warning() -> None:
    buildings = layer([rect(1, 1, 2, 2), None, shapely.Polygon()])
    result = exposure_by_area(ZONE, "cls", buildings)
    assert counts(result) == {"high": 1, NOT_EXPOSED: 2}
    assert any("have no geometry" in w for w in result.attrs["warnings"])
