"""Resources per 1,000 people, distance to the nearest resource, people beyond a distance."""

from __future__ import annotations

import numpy as np
import pytest

from commonground.analysis.capacity import (
    distance_to_nearest,
    population_beyond,
    population_by_area,
    resources_per_1000,
)
from commonground.analysis.errors import LayerError

from .shapes import layer, point, rect

AREAS = layer(
    [rect(0, 0, 1000, 1000), rect(1000, 0, 2000, 1000)],
    name=["North", "South"],
    population=[2000, 500],
)
SHELTERS = layer(
    [point(100, 100), point(900, 900), point(1500, 500), point(5000, 5000)],
    kind=["Shelter", "shelter", "Clinic", "Shelter"],
)


def test_resources_per_1000_people_use_the_areas_population() -> None:
    result = resources_per_1000(SHELTERS, AREAS, "name")
    rows = result.set_index("area")
    assert rows.loc["North", "resources"] == 2
    assert rows.loc["North", "per_1000"] == pytest.approx(1.0)
    assert rows.loc["South", "per_1000"] == pytest.approx(2.0)
    assert rows.loc["Outside areas", "resources"] == 1


def test_resources_per_1000_break_down_by_kind_whatever_the_case() -> None:
    result = resources_per_1000(SHELTERS, AREAS, "name", resource_field="kind")
    north = result[(result["area"] == "North") & (result["resource_class"] == "Shelter")]
    assert int(north["resources"].iloc[0]) == 2


def test_people_from_population_polygons_are_shared_among_areas_by_area() -> None:
    people = layer([rect(500, 0, 1500, 1000)], population=[1000])
    result = resources_per_1000(SHELTERS, AREAS, "name", population=people).set_index("area")
    # Equal-area shares of a UTM rectangle: halves to within a few millionths.
    assert result.loc["North", "population"] == pytest.approx(500, rel=1e-5)
    assert result.loc["South", "population"] == pytest.approx(500, rel=1e-5)
    assert result.loc["South", "per_1000"] == pytest.approx(2.0, rel=1e-5)


def test_population_by_area_shares_polygons_and_keeps_what_lies_outside() -> None:
    people = layer([rect(500, 0, 1500, 1000), rect(1500, 0, 2500, 1000)], population=[1000, 400])
    result = population_by_area(AREAS, "name", population=people).set_index("area")
    assert result.loc["North", "population"] == pytest.approx(500, rel=1e-5)
    assert result.loc["South", "population"] == pytest.approx(700, rel=1e-5)
    assert result.loc["Outside areas", "population"] == pytest.approx(200, rel=1e-5)
    assert result["population"].sum() == pytest.approx(1400)


def test_an_area_without_people_has_no_ratio() -> None:
    areas = AREAS.assign(population=[0, 500])
    result = resources_per_1000(SHELTERS, areas, "name").set_index("area")
    assert np.isnan(result.loc["North", "per_1000"])


def test_distance_to_the_nearest_resource_is_in_metres() -> None:
    homes = layer([point(300, 400), point(100, 100), rect(1490, 490, 1510, 510)])
    distance = distance_to_nearest(homes, SHELTERS)
    # (300, 400) is 200 m east and 300 m north of the shelter at (100, 100).
    assert distance.iloc[0] == pytest.approx(np.hypot(200, 300), rel=1e-3)
    assert distance.iloc[1] == pytest.approx(0, abs=1e-6)
    assert distance.iloc[2] == pytest.approx(0, abs=1e-6)  # the clinic is in this building


def test_distance_to_one_kind_of_resource_ignores_the_others() -> None:
    homes = layer([point(1500, 500)])
    distance = distance_to_nearest(homes, SHELTERS, resource_field="kind", resource_class="SHELTER")
    assert distance.iloc[0] == pytest.approx(np.hypot(600, 400), rel=1e-3)


def test_an_unknown_kind_of_resource_is_refused_with_the_kinds_found() -> None:
    with pytest.raises(LayerError, match=r"classes found are: Shelter, Clinic"):
        distance_to_nearest(
            layer([point(0, 0)]), SHELTERS, resource_field="kind", resource_class="school"
        )


def test_the_share_of_people_beyond_a_distance_is_per_area() -> None:
    homes = layer(
        [point(150, 100), point(700, 700), point(1900, 900), point(1300, 400)],
        people=[10, 30, 40, 20],
    )
    result = population_beyond(
        homes, SHELTERS, 500, areas=AREAS, area_field="name", population_field="people"
    ).set_index("area")
    assert result.loc["North", "population"] == 40
    assert result.loc["North", "population_beyond"] == 0
    assert result.loc["South", "population_beyond"] == 40  # (1900, 900) is 566 m away
    assert result.loc["South", "share_beyond"] == pytest.approx(40 / 60)


def test_buildings_without_a_people_field_count_one_each() -> None:
    homes = layer([rect(140, 90, 160, 110), rect(1890, 890, 1910, 910)])
    result = population_beyond(homes, SHELTERS, 500)
    assert result["population"].iloc[0] == 2
    assert result["share_beyond"].iloc[0] == pytest.approx(0.5)


def test_a_distance_of_zero_or_less_is_refused() -> None:
    with pytest.raises(LayerError, match=r"more than 0 metres"):
        population_beyond(layer([point(0, 0)]), SHELTERS, 0)
