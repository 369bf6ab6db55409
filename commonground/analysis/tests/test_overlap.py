"""Areas of features inside polygons by Green's theorem, checked against GEOS overlays."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely import affinity

from commonground.analysis._edges import certainly_valid, edges
from commonground.analysis._overlap import areas_inside

from .shapes import X0, Y0, polygon, rect


def buildings(n: int, seed: int) -> np.ndarray:
    """Rotated rectangles, L-shapes and courtyards scattered over a 600 m square."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        x, y = rng.uniform(0, 600, 2)
        w, h = rng.uniform(5, 40, 2)
        kind = i % 5
        if kind == 3:
            half = (x + w / 2, y + h / 2)
            shape = polygon(
                (x, y), (x + w, y), (x + w, half[1]), half, (half[0], y + h), (x, y + h)
            )
        elif kind == 4:
            hole = rect(x + w / 4, y + h / 4, x + w / 2, y + h / 2)
            shape = rect(x, y, x + w, y + h).difference(hole)
        else:
            shape = rect(x, y, x + w, y + h)
        out.append(affinity.rotate(shape, rng.uniform(0, 90), origin="centroid"))
    return np.array(out, dtype=object)


def zones(n: int, seed: int) -> np.ndarray:
    """Wavy blobs, some with a hole, some in two parts."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        cx, cy = rng.uniform(0, 600, 2)
        angles = np.linspace(0, 2 * np.pi, 40, endpoint=False)
        radius = rng.uniform(40, 120) * (1 + 0.2 * np.sin(5 * angles + rng.uniform(0, 6)))
        blob = shapely.Polygon(
            np.c_[X0 + cx + radius * np.cos(angles), Y0 + cy + radius * np.sin(angles)]
        )
        if i % 4 == 1:
            blob = blob.difference(shapely.Point(X0 + cx, Y0 + cy).buffer(15))
        if i % 4 == 2:
            blob = blob.union(shapely.Point(X0 + cx + 200, Y0 + cy).buffer(30))
        out.append(shapely.make_valid(blob))
    return np.array(out, dtype=object)


def measured(geoms: np.ndarray, polygons: np.ndarray) -> dict[tuple[int, int], float]:
    shapely.prepare(polygons)
    found = areas_inside(geoms, shapely.STRtree(geoms), polygons)
    return {
        (int(found.features[f]), int(p)): float(a)
        for f, p, a in zip(found.feature, found.polygon, found.area, strict=True)
    }


def test_areas_inside_equal_the_area_of_the_geos_intersection() -> None:
    geoms, polygons = buildings(600, 1), zones(30, 2)
    found = measured(geoms, polygons)
    assert len(found) > 100
    for (f, p), area in found.items():
        expected = shapely.intersection(geoms[f], polygons[p]).area
        assert area == pytest.approx(expected, rel=1e-9, abs=1e-9 * geoms[f].area)


def test_pairs_left_out_are_wholly_inside_or_wholly_outside() -> None:
    geoms, polygons = buildings(400, 3), zones(20, 4)
    found = measured(geoms, polygons)
    for f, shape in enumerate(geoms):
        for p, zone in enumerate(polygons):
            if (f, p) not in found:
                share = shapely.intersection(shape, zone).area / shape.area
                assert share == pytest.approx(0, abs=1e-12) or share == pytest.approx(1)


@pytest.mark.parametrize(
    "building",
    [
        rect(50, 0, 150, 10),  # shares the zone's bottom edge
        rect(100, 20, 110, 30),  # touches the zone's right edge from outside
        polygon((90, 40), (100, 45), (90, 50)),  # a vertex exactly on the edge
        rect(100, 40, 120, 60),  # an edge along the zone's edge
        rect(-10, -10, 200, 200),  # the zone lies wholly inside the building
        rect(20, 20, 40, 40),  # wholly inside the zone
        polygon((0, 0), (120, 120), (120, 0), (0, 120)),  # a bow-tie: measured as repaired
    ],
)
def test_degenerate_and_invalid_cases_agree_with_geos(building: shapely.Geometry) -> None:
    zone = rect(0, 0, 100, 100)
    geoms = np.array([building, rect(500, 500, 510, 510)], dtype=object)
    found = measured(geoms, np.array([zone], dtype=object))
    repaired = shapely.make_valid(building, method="structure")
    expected = shapely.intersection(repaired, zone).area
    if (0, 0) in found:
        assert found[(0, 0)] == pytest.approx(expected, abs=1e-6)
    else:  # left out: the building lies wholly inside or wholly outside the zone
        assert expected == pytest.approx(0, abs=1e-6) or expected == pytest.approx(repaired.area)


def test_the_moment_gives_the_mean_y_of_each_part() -> None:
    geoms, polygons = buildings(300, 5), zones(15, 6)
    shapely.prepare(polygons)
    found = areas_inside(geoms, shapely.STRtree(geoms), polygons)
    for f, p, area, moment in zip(
        found.feature, found.polygon, found.area, found.moment, strict=True
    ):
        if area > 1:
            part = shapely.intersection(geoms[found.features[f]], polygons[p])
            assert found.origin_y[f] + moment / area == pytest.approx(part.centroid.y, abs=1e-6)


def test_edges_turn_exteriors_counter_clockwise_and_holes_clockwise() -> None:
    shapes = np.array(
        [shapely.Polygon(list(rect(0, 0, 10, 10).exterior.coords)[::-1]), buildings(5, 7)[4]],
        dtype=object,
    )
    found = edges(shapes)
    signed = np.bincount(
        found.owner, weights=(found.x0 - X0) * (found.y1 - Y0) - (found.x1 - X0) * (found.y0 - Y0)
    )
    assert signed / 2 == pytest.approx(shapely.area(shapes))


def test_the_quick_validity_test_never_passes_an_invalid_polygon() -> None:
    shapes = np.array(
        [
            polygon((0, 0), (10, 10), (10, 0), (0, 10)),  # bow-tie
            polygon((0, 0), (20, 0), (10, 0), (10, 10)),  # spike folding back
            polygon((0, 0), (2, 6), (4, 0), (-1, 4), (5, 4)),  # pentagram, turns one way
            polygon((0, 0), (4, 0), (4, 4), (2, 0), (0, 4)),  # touches itself
            rect(0, 0, 10, 10),
            polygon((0, 0), (10, 0), (10, 5), (5, 5), (5, 10), (0, 10)),  # L-shape
            buildings(5, 8)[4],  # a courtyard: left to GEOS
        ],
        dtype=object,
    )
    quick = certainly_valid(edges(shapes), len(shapes))
    assert not (quick & ~shapely.is_valid(shapes)).any()
    assert quick.tolist() == [False, False, False, False, True, True, False]
