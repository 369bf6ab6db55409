"""The majority rule where zones overlap, in any CRS, against an obvious GEOS oracle."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import CRS

from commonground.analysis import _majority, _overlap
from commonground.analysis._vector import equal_area_crs, make_exclusive, project
from commonground.analysis.exposure import NOT_EXPOSED, exposure_by_area

from .shapes import UTM, X0, Y0, layer, rect
from .test_exposure_rules import counts

CLASSES = ["high", "medium", "low"]


def oracle(buildings: np.ndarray, zones: np.ndarray, rank: np.ndarray) -> dict[str, int]:
    """Slow but obvious: exclusive zones cut by GEOS, shares measured one building at a time."""
    pieces = make_exclusive(zones, rank)
    out = dict.fromkeys([*CLASSES, NOT_EXPOSED], 0)
    for building in buildings:
        shares = np.zeros(len(CLASSES))
        for piece, r in zip(pieces, rank, strict=True):
            shares[r] += shapely.intersection(building, piece).area / building.area
        best = int(np.argmax(shares))
        out[CLASSES[best] if shares[best] > 0.5 else NOT_EXPOSED] += 1
    return out


def test_two_zones_of_one_class_count_their_union_once() -> None:
    # Each zone covers 40% of the building and they overlap on 20%: the union is 60%.
    zones = layer([rect(0, 0, 40, 10), rect(20, 0, 60, 10)], cls=["high", "high"])
    building = layer([rect(0, 0, 100, 10)])
    assert counts(exposure_by_area(zones, "cls", building, rule="majority")) == {
        "high": 1,
        NOT_EXPOSED: 0,
    }
    narrow = layer([rect(0, 0, 40, 10), rect(5, 0, 45, 10)], cls=["high", "high"])
    assert counts(exposure_by_area(narrow, "cls", building, rule="majority")) == {
        "high": 0,
        NOT_EXPOSED: 1,
    }


def test_a_severe_zone_inside_a_mild_one_takes_its_share_from_it() -> None:
    zones = layer([rect(-50, -50, 150, 60), rect(0, 0, 30, 10)], cls=["low", "high"])
    building = layer([rect(0, 0, 100, 10)])  # wholly in "low", 30% of it also "high"
    result = exposure_by_area(
        zones, "cls", building, hazard_classes=["high", "low"], rule="majority"
    )
    assert counts(result) == {"high": 0, "low": 1, NOT_EXPOSED: 0}


@pytest.mark.parametrize("crs", [UTM, "EPSG:4326"])
def test_the_majority_rule_agrees_with_exclusive_zones_cut_by_geos(crs: str) -> None:
    rng = np.random.default_rng(11)
    xy = rng.uniform(0, 500, (500, 2))
    size = rng.uniform(8, 30, (500, 2))
    buildings = shapely.box(
        X0 + xy[:, 0], Y0 + xy[:, 1], X0 + xy[:, 0] + size[:, 0], Y0 + xy[:, 1] + size[:, 1]
    )
    centres = rng.uniform(0, 500, (40, 2))
    zones = shapely.buffer(
        shapely.points(X0 + centres[:, 0], Y0 + centres[:, 1]), rng.uniform(30, 90, 40)
    )
    classes = rng.choice(CLASSES, 40)
    expected = oracle(buildings, zones, np.array([CLASSES.index(c) for c in classes]))
    result = exposure_by_area(
        layer(zones, cls=classes).to_crs(crs),
        "cls",
        layer(buildings).to_crs(crs),
        hazard_classes=CLASSES,
        rule="majority",
    )
    assert counts(result) == expected


def test_shares_in_degrees_are_equal_area_shares() -> None:
    """At 60° north a degree of longitude is half a degree of latitude, and the scale changes
    across a large feature: the weighting by the ellipsoid's area scale makes up for both."""
    wgs84 = CRS.from_epsg(4326)
    feature = shapely.box(24.90, 60.10, 24.95, 60.14)  # about 2.8 km × 4.4 km
    zone = shapely.Polygon([(24.80, 60.00), (24.93, 60.00), (24.93, 60.125), (24.80, 60.2)])
    geoms = np.array([feature], dtype=object)
    zones = np.array([zone], dtype=object)
    shapely.prepare(zones)
    found = _overlap.areas_inside(geoms, shapely.STRtree(geoms), zones)
    share, _whole = _majority._shares(found, _majority.squared_eccentricity(wgs84))
    laea = equal_area_crs((24.8, 60.0, 24.95, 60.2))
    # Edges are straight in degrees: follow them closely in the equal-area projection too.
    dense = shapely.segmentize(np.array([feature, zone], dtype=object), 1e-4)
    metric = project(dense, wgs84, laea)
    exact = shapely.intersection(metric[0], metric[1]).area / metric[0].area
    assert share[0] == pytest.approx(exact, rel=1e-6)
    plain = found.area[0] / found.feature_area[0]
    assert abs(plain - exact) > 1e-5  # unweighted, the shares in degrees would be off


def test_only_longitude_latitude_in_degrees_is_weighted() -> None:
    assert _majority.squared_eccentricity(CRS.from_epsg(4326)) == pytest.approx(
        0.00669438, rel=1e-6
    )
    assert _majority.squared_eccentricity(CRS.from_user_input(UTM)) is None
